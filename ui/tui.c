/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui.c: the terminal UI's one loop. It sets the terminal up (locale,
 * colours, raw keys in kiosk mode), keeps the stack of views, draws the top
 * one and calls doupdate() once per turn, and sends each key to the view on
 * top. It also owns what every screen shares: the frame, the idle timeout
 * that sends the kiosk home and forgets the last person, resizing, and the
 * language switch. While a child runs (child.h: sotay-sync, espeak-ng,
 * lp) the loop wakes every TUI_FAST_TICK_MS instead of every second, to
 * reap it and to let the sync screen read its pipe; it never waits for it.
 */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "content-store.h"
#include "i18n.h"
#include "journey.h"
#include "slip.h"
#include "speak.h"
#include "store.h"
#include "tui.h"
#include "tui-lock.h"

static int tui_curses_on;

void
tui_die(const char *fmt, ...)
{
	va_list ap;

	if (tui_curses_on) {
		endwin();
		tui_curses_on = 0;
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_PROBLEM);
}

struct view *
tui_top(struct tui *t)
{
	return t->depth > 0 ? &t->stack[t->depth - 1] : NULL;
}

void
tui_push(struct tui *t, const struct screen *s, void *state)
{
	struct view *v;

	if (t->depth == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->stack = xrealloc(t->stack, t->cap * sizeof *t->stack);
	}
	t->moves++;
	v = &t->stack[t->depth++];
	v->screen = s;
	v->state = state;
	v->help = s->help;
	v->guard = s->guard;
	if (s->enter != NULL)
		s->enter(t, v);
}

/* The view's state is freed by the loop, after the handler that popped it returned. */
void
tui_pop(struct tui *t)
{
	struct view v;

	if (t->depth == 0)
		return;
	t->moves++;
	v = t->stack[--t->depth];
	if (t->ndead == t->capdead) {
		t->capdead = t->capdead ? t->capdead * 2 : 16;
		t->dead = xrealloc(t->dead, t->capdead * sizeof *t->dead);
	}
	t->dead[t->ndead++] = v;
}

void
tui_popn(struct tui *t, size_t n)
{
	while (n-- > 0 && t->depth > 0)
		tui_pop(t);
}

void
tui_replace(struct tui *t, const struct screen *s, void *state)
{
	tui_pop(t);
	tui_push(t, s, state);
}

int
tui_back_to(struct tui *t, const struct screen *s)
{
	size_t i;

	for (i = t->depth; i > 0; i--)
		if (t->stack[i - 1].screen == s) {
			tui_popn(t, t->depth - i);
			return 0;
		}
	return -1;
}

static void
tui_bury(struct tui *t)
{
	size_t i;

	for (i = 0; i < t->ndead; i++)
		if (t->dead[i].screen->leave != NULL)
			t->dead[i].screen->leave(t, &t->dead[i]);
	t->ndead = 0;
}

void
tui_set_journey(struct tui *t, struct journey *j)
{
	if (t->j != NULL && t->j != j)
		journey_free(t->j);
	t->j = j;
}

void
tui_set_resident(struct tui *t, const struct resident *r)
{
	if (t->has_res)
		people_resident_clear(&t->res);
	t->res = *r;
	t->res.display_name = r->display_name ? xstrdup(r->display_name) : NULL;
	t->res.hamlet = r->hamlet ? xstrdup(r->hamlet) : NULL;
	t->res.phone = r->phone ? xstrdup(r->phone) : NULL;
	t->has_res = 1;
}

void
tui_clear_resident(struct tui *t)
{
	if (t->has_res)
		people_resident_clear(&t->res);
	memset(&t->res, 0, sizeof t->res);
	t->has_res = 0;
}

void
tui_set_mode(struct tui *t, enum tui_mode mode)
{
	t->mode = mode;
}

void
tui_set_volunteer(struct tui *t, int64_t id, char *name, int role, enum tui_mode mode)
{
	free(t->vol_name);
	t->vol_id = id;
	t->vol_name = name;
	t->vol_role = role;
	t->mode = mode;
}

void
tui_set_flow_home(struct tui *t)
{
	t->base = t->depth;
}

void
tui_set_cursor(struct tui *t, int y, int x)
{
	t->cur_on = 1;
	t->cur_y = y;
	t->cur_x = x;
}

/* Forgets the person at the kiosk: their session is paused (it was saved step by step). */
static void
tui_forget(struct tui *t)
{
	char *cause = NULL;

	if (t->j != NULL && t->j->state == SESSION_ACTIVE &&
	    journey_pause(t->st, t->j, &cause) == -1)
		free(cause);
	tui_set_journey(t, NULL);
	tui_clear_resident(t);
	free(t->vol_name);
	t->vol_name = NULL;
	t->vol_id = 0;
	t->mode = MODE_NONE;
	t->base = 1;
}

void
tui_home(struct tui *t)
{
	tui_popn(t, t->depth > 0 ? t->depth - 1 : 0);
	tui_forget(t);
}

void
tui_changed(struct tui *t)
{
	t->moves++;
}

void
tui_guard(struct tui *t)
{
	if (t->depth > 0)
		t->stack[t->depth - 1].guard = 1;
}

int
tui_guarded(const struct tui *t)
{
	return t->depth > 0 && t->stack[t->depth - 1].guard && util_now_ms() < t->guard_until;
}

void
tui_next_language(struct tui *t)
{
	i18n_set(i18n_next(i18n_code()));
}

void
tui_flash(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	free(t->flash);
	va_start(ap, fmt);
	t->flash = xvasprintf(fmt, ap);
	va_end(ap);
	t->flash_err = 0;
}

void
tui_error(struct tui *t, char *cause)
{
	free(t->flash);
	t->flash = cause != NULL ? cause : xstrdup("?");
	t->flash_err = 1;
}

void
tui_reload_content(struct tui *t)
{
	library_free(&t->lib);
	t->lib_loaded = 0;
}

const struct library *
tui_library(struct tui *t)
{
	char *cause = NULL;

	if (!t->lib_loaded) {
		if (content_store_load(t->st, &t->lib, &cause) == -1)
			tui_error(t, cause);
		t->lib_loaded = 1;
	}
	return &t->lib;
}

/* A message above the key bar, wrapped upwards over the body's last rows rather than cut. */
static void
tui_message(WINDOW *win, int h, int w, const char *msg, enum draw_style st)
{
	int rows = draw_wrap_rows(msg, w - 2);

	if (rows > 3)
		rows = 3;
	for (int i = 0; i < rows; i++)
		draw_fill(win, h - 1 - rows + i, 0, w, DS_NORMAL);
	draw_textwrap(win, h - 1 - rows, 1, w - 2, rows, msg, st);
}

void
tui_frame(struct tui *t, WINDOW *win, int h, int w, const char *title,
    const struct draw_key *keys, size_t nkeys)
{
	struct draw_key all[24];
	size_t n = 0, i;
	char *right;

	right = t->vol_name != NULL ? xasprintf("%s · %s", t->vol_name,
	    t->app->cfg.kiosk_name ? t->app->cfg.kiosk_name : "") :
	    xstrdup(t->app->cfg.kiosk_name ? t->app->cfg.kiosk_name : "");
	draw_titlebar(win, w, title, right);
	free(right);
	if (t->countdown > 0) {
		char *c = xasprintf(_("Về trang chủ sau %d giây — nhấn phím bất kỳ để ở lại."), t->countdown);

		tui_message(win, h, w, c, DS_WARN);
		free(c);
	} else if (t->flash != NULL)
		tui_message(win, h, w, t->flash, t->flash_err ? DS_ERROR : DS_OK);
	for (i = 0; i < nkeys && n < 20; i++)
		all[n++] = keys[i];
	if (tui_guarded(t))
		return;		/* no keys yet: this screen waits for a deliberate one */
	all[n++] = (struct draw_key){ "F1", _("Trợ giúp") };
	all[n++] = (struct draw_key){ "F2", i18n_name(i18n_next(i18n_code())) };
	draw_keys(win, h - 1, w, all, n);
}

static void
tui_draw_small(WINDOW *win, int h, int w)
{
	char *a = xasprintf(_("Cửa sổ quá nhỏ (%d×%d)."), w, h);
	char *b = xasprintf(_("Hãy phóng to cửa sổ tối thiểu %d×%d để dùng tiếp; không mất dữ liệu nào."), TUI_MIN_COLS, TUI_MIN_ROWS);
	struct draw_lines l = { 0 };
	size_t i;
	int y = 0;

	draw_wrap(a, w, &l);
	draw_wrap(b, w, &l);
	if ((int)l.n < h)
		y = (h - (int)l.n) / 2;
	for (i = 0; i < l.n && y < h; i++, y++)
		draw_text(win, y, 0, w, l.line[i], i == 0 ? DS_BOLD : DS_NORMAL);
	draw_lines_free(&l);
	free(a);
	free(b);
}

/* What the top view shows is read now (the database, a child's pipe), so its draw only draws. */
static void
tui_refresh(struct tui *t)
{
	struct view *v = tui_top(t);

	/* In parentheses: curses has a refresh() macro. */
	if (v != NULL && v->screen->refresh != NULL)
		(v->screen->refresh)(t, v);
}

static void
tui_draw(struct tui *t)
{
	struct view *v = tui_top(t);
	int h, w;

	if (t->moves != t->drawn_moves) {
		/*
		 * Something new goes on screen: keys typed before anyone could
		 * see it are not for it (dropped before it is drawn, so a key
		 * sent once it shows always counts). A guarded view then waits
		 * for a pause.
		 */
		flushinp();
		t->drawn_moves = t->moves;
		t->guard_until = util_now_ms() + TUI_GUARD_MS;
	}
	getmaxyx(stdscr, h, w);
	t->h = h;
	t->w = w;
	t->cur_on = 0;
	werase(stdscr);
	if (h < TUI_MIN_ROWS || w < TUI_MIN_COLS)
		tui_draw_small(stdscr, h, w);
	else if (v != NULL)
		v->screen->draw(t, v, stdscr, h, w);
	if (t->cur_on && h >= TUI_MIN_ROWS && w >= TUI_MIN_COLS) {
		curs_set(1);
		wmove(stdscr, t->cur_y, t->cur_x);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

/*
 * Where the locale is not UTF-8, curses hands over the terminal's bytes one
 * by one; a terminal still sends UTF-8 (the fixture's and most Linux
 * consoles' default), so its sequences are put together here. What is not
 * UTF-8 is one TUI_KEY_UNREADABLE; the byte that broke the sequence is kept
 * for the next read, so an Enter typed after it is never lost.
 */
static int
tui_getkey_bytes(void)
{
	int c = wgetch(stdscr), need, b, i;
	uint32_t cp, min;

	if (c == ERR)
		return -1;
	if (c >= KEY_MIN)
		return TK(c);
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = (uint32_t)c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = (uint32_t)c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = (uint32_t)c & 0x07, min = 0x10000;
	else
		return TUI_KEY_UNREADABLE;
	/* The rest of a character comes in the same write: a short wait is plenty. */
	wtimeout(stdscr, TUI_UTF8_MS);
	for (i = 0; i < need; i++) {
		b = wgetch(stdscr);
		if (b == ERR)
			return TUI_KEY_UNREADABLE;
		if (b < 0x80 || b > 0xbf) {
			ungetch(b);
			return TUI_KEY_UNREADABLE;
		}
		cp = cp << 6 | ((uint32_t)b & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return TUI_KEY_UNREADABLE;
	return (int)cp;
}

/* Reads one key: a character's code point, or TK(code) for a function key; -1 on timeout. */
static int
tui_getkey(const struct tui *t)
{
	wint_t wc;
	int r;

	if (!t->utf8)
		return tui_getkey_bytes();
	r = wget_wch(stdscr, &wc);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES)
		return TK((int)wc);
	return (int)wc;
}

/*
 * Milliseconds until the idle timeout sends the kiosk home; -1 when there is
 * nothing to forget (home, nobody there, in the kiosk's own language).
 */
static int64_t
tui_idle_left(struct tui *t, int64_t now)
{
	int64_t left;

	if (t->app->cfg.idle_seconds <= 0 || (t->depth <= 1 && t->mode == MODE_NONE &&
	    strcmp(i18n_code(), t->app->lang) == 0))
		return -1;
	left = (int64_t)t->app->cfg.idle_seconds * 1000 - (now - t->last_key_ms);
	return left > 0 ? left : 0;
}

/* The countdown shows for the last TUI_COUNTDOWN_S seconds, or the last two thirds of a short timeout. */
static int64_t
tui_countdown_ms(const struct app *app)
{
	int s = app->cfg.idle_seconds * 2 / 3;

	return (int64_t)(s < TUI_COUNTDOWN_S ? s : TUI_COUNTDOWN_S) * 1000;
}

/* Keys that only look (scroll, help, language) and never start or finish anything. */
static int
tui_key_is_look(int key)
{
	return key == TK(KEY_UP) || key == TK(KEY_DOWN) || key == TK(KEY_PPAGE) ||
	    key == TK(KEY_NPAGE) || key == TK(KEY_F(1)) || key == TK(KEY_F(2)) ||
	    key == KEY_CTRL('l');
}

/* How long the loop waits for a key: until the next tick, or the end of a guard's pause. */
static void
tui_set_timeout(struct tui *t)
{
	struct view *v = tui_top(t);
	int ms = child_reap() > 0 ? TUI_FAST_TICK_MS : TUI_TICK_MS;
	int64_t left;

	if (v != NULL && v->guard && (left = t->guard_until - util_now_ms()) >= 0 && left < ms)
		ms = (int)left + 1;
	wtimeout(stdscr, ms);
}

/*
 * A crash must not leave the kiosk's screen garbled: restore the terminal,
 * then die of the same signal. Only where nothing else (a sanitizer) has
 * taken the signal already.
 */
static void
tui_crash(int sig)
{
	if (tui_curses_on)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Set by SIGTERM (a shutdown, `systemctl stop`), SIGHUP (the terminal went
 * away) or Ctrl-C outside kiosk mode: the loop then ends as "Thoát" does,
 * the terminal is restored and the database closed, so the next start finds
 * no journal to recover.
 */
static volatile sig_atomic_t tui_stopped;

static void
tui_stop(int sig)
{
	(void)sig;
	tui_stopped = 1;
}

/* In place of curses' own handlers, which restore the terminal and exit with the database open. */
static void
tui_catch_stops(void)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGINT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait for a key ends at once, and the loop sees the flag. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
tui_catch_crashes(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction old;
	size_t i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			signal(sigs[i], tui_crash);
}

static void
tui_setup_terminal(struct tui *t)
{
	if (initscr() == NULL)
		tui_die("%s", _("Không mở được màn hình: biến TERM sai hoặc thiếu terminfo. Hãy đặt TERM=xterm-256color rồi chạy lại."));
	tui_curses_on = 1;
	tui_catch_crashes();
	tui_catch_stops();
	if (t->app->kiosk) {
		/* Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys and do nothing. */
		raw();
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTSTP, SIG_IGN);
	} else
		cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	wtimeout(stdscr, TUI_TICK_MS);
	curs_set(0);
	draw_init(t->utf8);
}

int
tui_main(struct app *app)
{
	struct tui t = { 0 };
	struct view *v;
	const char *cs;
	char *cause = NULL;
	int key, flags, redraw = 1, had_flash, purged = 0;
	unsigned long moves;
	int64_t now;

	cs = nl_langinfo(CODESET);
	t.utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	t.app = app;
	i18n_set(app->lang);
	/*
	 * The store first: on a new kiosk it makes the database's folder, where
	 * the lock's file goes. Two screens opening at once is safe for the
	 * store (its migrations are transactions); the second then stops here.
	 */
	if (app_open_store(app, APP_PURGE_LATER, &t.st) == -1)
		return EXIT_PROBLEM;
	if (tui_lock_take(app->db_path, &cause) == -1) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
		store_close(t.st);
		return EXIT_PROBLEM;
	}
	tui_setup_terminal(&t);
	tui_push(&t, &screen_home, NULL);
	t.base = 1;
	t.last_key_ms = util_now_ms();

	while (!t.quit && t.depth > 0 && !tui_stopped) {
		tui_bury(&t);
		if (redraw) {
			tui_refresh(&t);
			tui_draw(&t);
		}
		redraw = 0;
		if (!purged) {
			/* Once the first screen is out, before the first key is read. */
			purged = 1;
			if (app_purge(app, t.st, &cause) != 0) {
				tui_error(&t, cause);
				cause = NULL;
				redraw = 1;
				continue;
			}
		}
		tui_set_timeout(&t);
		key = tui_getkey(&t);
		now = util_now_ms();
		v = tui_top(&t);
		if (key == -1) {
			int64_t left = tui_idle_left(&t, now);

			/* A reading or a print job that ended may have a word to show. */
			if (speak_poll(&t) | slip_poll(&t))
				redraw = 1;

			if (left == 0) {
				/* The next person finds the kiosk as it was set up: home, in its language. */
				tui_home(&t);
				i18n_set(app->lang);
				t.countdown = 0;
				tui_flash(&t, "%s", _("Đã về trang chủ vì lâu không dùng; việc đang làm đã được lưu."));
				redraw = 1;
			} else if (left > 0 && left <= tui_countdown_ms(app)) {
				t.countdown = (int)((left + 999) / 1000);
				redraw = 1;
			} else if (v != NULL && (v->screen->tick || v->guard))
				redraw = 1;
			continue;
		}
		if (t.countdown > 0) {
			/* "Press any key to stay": the key only stays, it does nothing else. */
			t.countdown = 0;
			t.last_key_ms = now;
			redraw = 1;
			continue;
		}
		t.last_key_ms = now;
		redraw = 1;
		if (key == TK(KEY_RESIZE))
			continue;
		if (v != NULL && v->guard && now < t.guard_until && !tui_key_is_look(key)) {
			/* Too soon, or held down: not a deliberate key. The pause starts again. */
			t.guard_until = now + TUI_GUARD_MS;
			redraw = 0;
			continue;
		}
		if (key == KEY_CTRL('l')) {
			clearok(curscr, TRUE);
			continue;
		}
		/* A new key clears the last message unless the key sets another. */
		had_flash = t.flash != NULL;
		free(t.flash);
		t.flash = NULL;
		if (key == TK(KEY_F(2))) {
			tui_next_language(&t);
			continue;
		}
		if (t.h < TUI_MIN_ROWS || t.w < TUI_MIN_COLS)
			continue;	/* nothing on screen to act on */
		if (key == TK(KEY_F(1)) || (key == '?' && !v->screen->typing)) {
			if (v->screen != &screen_help)
				tui_push(&t, &screen_help, (void *)(intptr_t)v->help);
			continue;
		}
		moves = t.moves;
		flags = v->screen->key(&t, v, key);
		if (flags & BREAK)
			t.quit = 1;
		/* Drawn again only when something changed: the handler says so, or the stack or the message did. */
		redraw = (flags & REDRAW) || t.moves != moves || t.flash != NULL || had_flash;
	}
	tui_popn(&t, t.depth);
	tui_bury(&t);
	endwin();
	tui_curses_on = 0;
	tui_forget(&t);
	free(t.stack);
	free(t.dead);
	free(t.flash);
	library_free(&t.lib);
	store_close(t.st);
	return EXIT_OK;
}
