/* SPDX-License-Identifier: Apache-2.0 */
/*
 * speak.h: reading a step aloud for people who read slowly or not at all.
 * The text goes to espeak-ng (Debian's package; its "vi" voice reads
 * Vietnamese) on its stdin, in a child process (child.h), so the screen
 * never waits for the voice. One reading at a time for the whole kiosk.
 *
 * The setting `read_aloud` (config.h) decides: auto (the default) offers
 * it when the machine has a sound device, yes always, no never.
 */
#ifndef SOTAY_SPEAK_H
#define SOTAY_SPEAK_H

#include "config.h"

struct tui;

/* The program that speaks, looked up in PATH, and how fast it reads (words a minute). */
#define SPEAK_PROGRAM	"espeak-ng"
#define SPEAK_WPM	"150"

/*
 * Starts reading text aloud in voice (an espeak-ng voice: "vi", "en"),
 * stopping what was being read. what names the reading (a session and a
 * step) so speak_reading can tell it later. Returns 0, or -1 with *cause
 * set to the word to show: the setting is off, there is no sound device,
 * espeak-ng is not installed.
 */
int	 speak_start(const struct config *, const char *voice, const char *text,
	     const char *what, char **cause);
/* 1 while the reading named what goes on. */
int	 speak_reading(const char *what);
/* Stops the reading, if any (leaving the screen, going home). */
void	 speak_stop(void);
/*
 * Called by the UI's loop on each turn: notices a reading that ended, and
 * shows a word on t's message line when espeak-ng failed. 1 if the screen
 * should be drawn again.
 */
int	 speak_poll(struct tui *);

#endif
