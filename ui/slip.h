/* SPDX-License-Identifier: Apache-2.0 */
/*
 * slip.h: a slip to take home, printed through CUPS when the kiosk has a
 * printer: the resume code, what is done and what is left, what to bring
 * next time, and the official address. The printer is the setting
 * `printer` (config.h), else CUPS's default destination (lpstat -d);
 * without one the option is not offered. lpstat and lp run as children
 * (child.h): the screen never waits for CUPS.
 */
#ifndef SOTAY_SLIP_H
#define SOTAY_SLIP_H

#include <stdint.h>

#include "config.h"

struct journey;
struct tui;

#define SLIP_LPSTAT	"lpstat"
#define SLIP_LP		"lp"
/* lpstat and lp answer a local CUPS at once; one that has not within this long is stopped. */
#define SLIP_LPSTAT_MS	10000
#define SLIP_LP_MS	30000

/*
 * The slip's text for session j (UTF-8, lines ending in '\n'), in the
 * current language. code is the resident's resume code (NULL: none was
 * kept); now_ms the time printed on it. The caller frees it.
 */
char	*slip_text(const struct journey *j, const char *code, const struct config *,
	     int64_t now_ms);

/*
 * Finds out again, in the background, whether there is a printer (the
 * summary screen calls it when it opens): the setting's printer at once,
 * else lpstat's default destination once lpstat answers.
 */
void	 slip_probe(const struct config *);
/* The printer a slip would go to, or NULL (none, or lpstat has not answered yet). */
const char *slip_printer(void);
/*
 * Sends text to slip_printer(); 0, or -1 with *cause set (no printer, lp
 * missing, or the last slip is still being sent).
 */
int	 slip_print(const char *text, char **cause);
/*
 * Called by the UI's loop on each turn: takes lpstat's answer, and lp's,
 * whose result it shows on t's message line. 1 if the screen should be
 * drawn again.
 */
int	 slip_poll(struct tui *);

#endif
