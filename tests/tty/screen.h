/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen.h: what the terminal tests do with the kiosk's screen, shared by
 * all of them — wait for a text to show (or go) and for the screen to take
 * keys, read the resume code, walk a resident from home to the first step.
 * A check that fails ends the case (cmocka) with the screen printed.
 */
#ifndef SOTAY_TTY_SCREEN_H
#define SOTAY_TTY_SCREEN_H

#include "driver.h"
#include "fixture.h"
#include "people.h"

/* Long enough for a loaded machine: a wait ends as soon as the text shows. */
#define SCREEN_WAIT_MS	20000

/*
 * 1 when the screen takes keys: its key bar is drawn. A screen that starts
 * or finishes something shows its keys only once a pause has passed with
 * it in view; below 80×24 there is no key bar to wait for.
 */
int	 screen_ready(struct tty *);
/*
 * Fails the case (naming line) when text does not appear (want 1) or go
 * (want 0), or the screen never takes keys; returns once all it drew is in.
 */
void	 screen_see(struct tty *, const char *text, int want, int line);
#define SEE(t, text)	screen_see((t), (text), 1, __LINE__)
#define GONE(t, text)	screen_see((t), (text), 0, __LINE__)

/* fixture_start, then waits for the first screen: keys typed before it shows are dropped. */
void	 screen_start(struct fixture *, struct tty *, int rows, int cols, const char *lang,
	     const char *const *extra_env);
/* Reads the resume code shown after label on screen into code. */
void	 screen_read_code(struct tty *, const char *label, char code[RESUME_CODE_LEN + 1]);
/* A resident alone, from home to the first step of the test checklist; code is theirs. */
void	 screen_to_first_step(struct tty *, const char *name, char code[RESUME_CODE_LEN + 1]);

#endif
