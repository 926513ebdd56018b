/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui.h: the terminal UI's shared state and its screens.
 *
 * A screen is a table of functions (enter, key, refresh, draw, leave).
 * Screens are stacked; each stacked instance is a `struct view` holding the
 * screen and its own state. Key handlers never paint: they change state,
 * push or pop views and return flags. The one loop in tui.c then, when a
 * handler asked for REDRAW (or a view was pushed or popped, or the message
 * changed) or on a tick, calls the top view's refresh — the only place a
 * screen reads the database, polls a pipe or reaps a child — and its draw,
 * which only draws what its state holds, and calls doupdate() once. Screens
 * change the loop's own state (who is at the kiosk, the cursor) through the
 * tui_set_* functions below, never by writing struct tui.
 */
#ifndef SOTAY_TUI_H
#define SOTAY_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "content.h"
#include "people.h"
#include "draw.h"

struct journey;
struct tui;
struct view;

/* Help topics: each screen's help text (screen-help.c). */
enum help_topic {
	HELP_NONE,
	HELP_HOME,
	HELP_MENU,
	HELP_FORM,
	HELP_RESIDENT,
	HELP_INFO,
	HELP_CONSENT,
	HELP_CODE,
	HELP_STEP,
	HELP_BLOCK,
	HELP_FINISH,
	HELP_LOGIN,
	HELP_PIN,
	HELP_VOLUNTEER,
	HELP_ADD,
	HELP_FIND,
	HELP_PERSON,
	HELP_SUPERVISOR,
	HELP_SYNC,
	HELP_REPORT,
	HELP_VOLUNTEERS,
	HELP_ENROL,
	HELP_COUNT
};
/* The help text of a topic in the current language. */
const char	*help_text(int topic);

/* What a key handler tells the loop. */
enum {
	HANDLED = 1,	/* the key was used */
	REDRAW = 2,	/* draw again */
	BREAK = 4,	/* leave the program */
};

/*
 * Keys: a character is its code point; a function key is TK(KEY_…) so it
 * never collides with a character (ncurses key codes overlap Vietnamese
 * letters such as 'ă' = 0x103).
 */
#define TK(code)	(0x200000 + (code))
#define KEY_CTRL(c)	((c) & 0x1f)
#define KEY_ESCAPE	27
/* Bytes that are not UTF-8 arrived where the locale is not UTF-8 (tui.c reads the bytes itself there). */
#define TUI_KEY_UNREADABLE	0x1fffff

struct screen {
	const char	*name;
	int		 help;		/* help topic of this screen (HELP_…) */
	int		 typing;	/* digits and '?' are text here, not commands */
	int		 tick;		/* drawn again on each tick (a clock, progress) */
	/*
	 * It starts or finishes something: keys act only when pressed on
	 * purpose, after a pause with the screen in view (TUI_GUARD_MS), so a
	 * held or typed-ahead key never passes. Until then the key bar is empty.
	 */
	int		 guard;
	void		(*enter)(struct tui *, struct view *);
	int		(*key)(struct tui *, struct view *, int key);
	/* Before a draw (after a key, a tick, or coming on top): reads what draw shows. May be NULL. */
	void		(*refresh)(struct tui *, struct view *);
	/* Draws the view's state; reads nothing, writes nothing but the window. */
	void		(*draw)(struct tui *, struct view *, WINDOW *, int h, int w);
	/* Frees what enter or the pusher allocated in view->state. */
	void		(*leave)(struct tui *, struct view *);
};

struct view {
	const struct screen *screen;
	void		*state;
	int		 help;		/* help topic; starts as screen->help */
	int		 guard;		/* starts as screen->guard */
};

enum tui_mode { MODE_NONE, MODE_RESIDENT, MODE_VOLUNTEER, MODE_SUPERVISOR };

struct tui {
	struct app	*app;
	struct store	*st;
	struct library	 lib;		/* newest version of each checklist; use tui_library() */
	int		 lib_loaded;
	int		 utf8;		/* the locale can show UTF-8 */
	int		 h, w;

	struct view	*stack;
	size_t		 depth, cap;
	unsigned long	 moves;		/* pushes and pops so far (a screen can tell it was covered) */
	unsigned long	 drawn_moves;	/* moves when the screen was last drawn */
	int64_t		 guard_until;	/* a guarded view takes keys from this time on */
	struct view	*dead;		/* popped this turn, freed by the loop */
	size_t		 ndead, capdead;

	/* Who is at the kiosk now; cleared by tui_home. */
	enum tui_mode	 mode;
	size_t		 base;		/* depth of the flow's own home (home or the volunteer's menu) */
	int64_t		 vol_id;
	char		*vol_name;
	int		 vol_role;
	int		 has_res;
	struct resident	 res;
	struct journey	*j;		/* the session on screen, owned */

	int		 cur_on, cur_y, cur_x;	/* where the text cursor shows, if on */
	char		*flash;		/* one-line message at the bottom */
	int		 flash_err;
	int64_t		 last_key_ms;
	int		 countdown;	/* seconds left before going home, shown; 0: none */
	int		 quit;
};

void	 tui_push(struct tui *, const struct screen *, void *state);
void	 tui_pop(struct tui *);
/* Pops n views. */
void	 tui_popn(struct tui *, size_t n);
/* Pops the top view and pushes another in its place. */
void	 tui_replace(struct tui *, const struct screen *, void *state);
/* Back to the home screen; forgets the person and the session. */
void	 tui_home(struct tui *);
/* Pops views until one of screen s is on top; 0 if found. */
int	 tui_back_to(struct tui *, const struct screen *);
struct view *tui_top(struct tui *);
/* The bottom message; tui_error takes ownership of cause (frees it). */
void	 tui_flash(struct tui *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 tui_error(struct tui *, char *cause);
/* The view on top now shows something new (a step screen's next step): keys typed before it was drawn are dropped. */
void	 tui_changed(struct tui *);
/* Keys on the top view must be deliberate (menus that start something). */
void	 tui_guard(struct tui *);
/* 1 while the top view is guarded and its pause has not passed. */
int	 tui_guarded(const struct tui *);
/* Switches to the next language that has words (F2). */
void	 tui_next_language(struct tui *);
/* Reloads the checklists from the database (after a sync). */
void	 tui_reload_content(struct tui *);
/* The checklists, read from the database on first use (not at start: home needs none). */
const struct library *tui_library(struct tui *);
/* Replaces the session on screen (takes ownership; NULL frees it). */
void	 tui_set_journey(struct tui *, struct journey *);
/* Sets the resident being helped (copies). */
void	 tui_set_resident(struct tui *, const struct resident *);
/* Nobody is being helped now (the session on screen stays). */
void	 tui_clear_resident(struct tui *);
/* Who is at the kiosk (a resident alone, …). */
void	 tui_set_mode(struct tui *, enum tui_mode);
/* A volunteer or supervisor logged in (name: malloc'd, taken over). */
void	 tui_set_volunteer(struct tui *, int64_t id, char *name, int role, enum tui_mode);
/* The view on top is the flow's own home (a volunteer's menu): "back to the list" stops there. */
void	 tui_set_flow_home(struct tui *);
/* Where the text cursor shows after this draw (a draw function's one write to the loop). */
void	 tui_set_cursor(struct tui *, int y, int x);
/* Restores the terminal, prints the message and exits (fatal paths). */
void	 tui_die(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Draws the top and bottom bars and the message line every screen shares. */
void	 tui_frame(struct tui *, WINDOW *, int h, int w, const char *title,
	     const struct draw_key *, size_t nkeys);
/* The first body row and the last one (inclusive) inside the frame. */
#define TUI_BODY_TOP	2
#define TUI_BODY_BOTTOM(h) ((h) - 4)
#define TUI_MIN_ROWS	24
/* How often the loop wakes with no key: each second, or faster while a child runs. */
#define TUI_TICK_MS	1000
#define TUI_FAST_TICK_MS	200
#define TUI_MIN_COLS	80
/* How long a guarded screen waits, in view and with no key, before it takes one. */
#define TUI_GUARD_MS	700
/* How long the rest of a UTF-8 character may take to arrive where the locale is not UTF-8. */
#define TUI_UTF8_MS	100
/* The idle timeout counts down on screen for this many seconds. */
#define TUI_COUNTDOWN_S	20

/* The screens. */
extern const struct screen screen_home;
extern const struct screen screen_help;
extern const struct screen screen_step;
extern const struct screen screen_finish;
extern const struct screen screen_code;
extern const struct screen screen_sync;
extern const struct screen screen_enrol;
extern const struct screen screen_report;

#endif
