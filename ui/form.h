/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.h: typing screens — one field (a PIN, a code, a note, a
 * reason) or several (a new resident, a new volunteer). What is typed lives
 * in the form, not in curses, so a resize redraws it intact. Enter moves to
 * the next field and, on the last, calls the done callback; Esc goes back,
 * after asking when something was typed. A field's maxlen counts characters
 * as a reader sees them (grapheme clusters), and shows beside it.
 */
#ifndef SOTAY_FORM_H
#define SOTAY_FORM_H

#include "tui.h"

struct form;

/*
 * Called when the last field is confirmed. To accept, it pops the form
 * (tui_pop) and may push what comes next; to refuse, it calls form_error
 * and leaves the form on screen. Returns loop flags.
 */
typedef int form_done_fn(struct tui *, struct form *);

enum {
	FORM_MASKED = 1,	/* shown as dots (PINs) */
	FORM_DIGITS = 2,	/* only 0-9 */
	FORM_UPPER = 4,		/* letters typed in upper case (codes) */
	FORM_RETYPE = 8,	/* emptied when refused, to be typed again */
};

/* A new form; it owns copies of every string given to it. */
struct form *form_new(const char *title, form_done_fn *);
void	 form_intro(struct form *, const char *text);
/* Adds a field; returns its index. */
int	 form_field(struct form *, const char *label, const char *initial, int flags,
	     int maxlen);
/* What is typed in field i (UTF-8); valid while the form lives. */
const char *form_value(const struct form *, int i);
/* Shows a message under the fields and puts the cursor in field i (emptied if masked or FORM_RETYPE). */
void	 form_error(struct form *, int i, const char *);
void	 form_set_ctx(struct form *, void *ctx, void (*free_fn)(void *));
void	*form_ctx(const struct form *);
void	 form_set_help(struct form *, int help_id);
void	 form_push(struct tui *, struct form *);

extern const struct screen screen_form;

#endif
