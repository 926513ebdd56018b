/* SPDX-License-Identifier: Apache-2.0 */
/*
 * driver.h: runs the real `sotay` in a pseudo-terminal and reads its screen
 * through libvterm, the way a person at the kiosk would see it. Keys go in
 * through libvterm's keyboard (so arrows and F-keys are encoded the way the
 * terminal's current modes want), output comes back into libvterm's screen.
 * Waiting is always for something on screen, with a timeout, never a sleep.
 */
#ifndef SOTAY_TTY_DRIVER_H
#define SOTAY_TTY_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <vterm.h>

struct tty {
	pid_t	 pid;
	int	 fd;		/* the pty's master side */
	VTerm	*vt;
	VTermScreen *vs;
	int	 rows, cols;
	size_t	 bytes;		/* bytes the program has written so far */
	int64_t	 last_read_us;	/* CLOCK_MONOTONIC µs when the last of them arrived */
	int	 exited;
	int	 status;	/* wait status once exited */
};

/*
 * Starts argv[0] with argv in a rows×cols terminal. The environment is
 * exactly env (a NULL-terminated list of NAME=VALUE), nothing inherited.
 * Returns 0, or -1 (errno set).
 */
int	 tty_start(struct tty *, int rows, int cols, char *const argv[], char *const env[]);
/* Reads what the program wrote for up to ms milliseconds (stops early at quiet_ms of silence if quiet_ms > 0). */
void	 tty_pump(struct tty *, int ms, int quiet_ms);
/* Waits until text is on screen; 0 if it came, -1 after timeout_ms. */
int	 tty_wait(struct tty *, const char *text, int timeout_ms);
/* Waits until text is no longer on screen. */
int	 tty_wait_gone(struct tty *, const char *text, int timeout_ms);
/* 1 if text is on screen now. */
int	 tty_has(struct tty *, const char *text);
/* The screen as UTF-8, rows separated by '\n'; the caller frees it. */
char	*tty_text(struct tty *);
/* One row as UTF-8 (trailing blanks dropped); the caller frees it. */
char	*tty_row(struct tty *, int row);
/* The first row (from 0) that contains text, or -1. */
int	 tty_find_row(struct tty *, const char *text);
/* Types UTF-8 text as keys. */
void	 tty_type(struct tty *, const char *text);
/* Presses a special key (VTERM_KEY_ENTER, VTERM_KEY_UP, VTERM_KEY_FUNCTION(1), …). */
void	 tty_key(struct tty *, VTermKey);
/* Sends raw bytes (control characters such as "\003"). */
void	 tty_raw(struct tty *, const char *bytes, size_t n);
/* Changes the terminal's size (the program gets SIGWINCH). */
void	 tty_resize(struct tty *, int rows, int cols);
/* Waits up to ms for the program to exit; 1 if it has. */
int	 tty_wait_exit(struct tty *, int ms);
/* Kills (SIGKILL) if still running, reaps, and frees. */
void	 tty_stop(struct tty *);
/* A cell's first code point (0 for blank) and whether its colours are reversed or set. */
uint32_t tty_cell(struct tty *, int row, int col, VTermScreenCell *out);
/* Prints the screen to stderr (when a test fails). */
void	 tty_dump(struct tty *, const char *why);

/* Keys as names for the tests. */
#define TTY_ENTER	VTERM_KEY_ENTER
#define TTY_ESC		VTERM_KEY_ESCAPE
#define TTY_UP		VTERM_KEY_UP
#define TTY_DOWN	VTERM_KEY_DOWN
#define TTY_LEFT	VTERM_KEY_LEFT
#define TTY_RIGHT	VTERM_KEY_RIGHT
#define TTY_BS		VTERM_KEY_BACKSPACE
#define TTY_PGDN	VTERM_KEY_PAGEDOWN
#define TTY_F(n)	VTERM_KEY_FUNCTION(n)

#endif
