/* SPDX-License-Identifier: Apache-2.0 */
/*
 * child.h: helper programs the screens run in the background — espeak-ng
 * reading a step aloud (speak.c), lpstat and lp printing a slip (slip.c),
 * sotay-sync syncing or enrolling the kiosk (spawn-sync.c).
 *
 * The screen never waits for them: a child gets its input through a pipe
 * filled before it starts (so writing never blocks), runs in a process
 * group of its own (keys at the terminal do not reach it, and stopping it
 * stops what it started), and is reaped with WNOHANG by child_reap, which
 * the UI's loop calls on every turn. Its output, when asked for, comes on
 * a non-blocking pipe the caller reads with child_read.
 */
#ifndef SOTAY_CHILD_H
#define SOTAY_CHILD_H

#include <stddef.h>
#include <sys/types.h>

/* The most input a child is given: what a pipe holds without a reader. */
#define CHILD_INPUT_MAX		60000
/* The most output kept from a child; the rest is read and dropped. */
#define CHILD_OUTPUT_MAX	8192
/* A stopped child that has not ended after this long is killed. */
#define CHILD_GRACE_MS		3000

struct child {
	pid_t	 pid;		/* 0: none */
	int	 fd;		/* its stdout and stderr when captured, else -1 */
	char	*out;		/* what it wrote so far (NUL-terminated), owned */
	size_t	 nout;
};

/*
 * Starts argv[0] (looked up in PATH) with argv, in the C.UTF-8 locale (its
 * messages are parsed, and UTF-8 text stays UTF-8). input (UTF-8 text;
 * NULL: none) is its stdin, cut at a character to CHILD_INPUT_MAX bytes
 * at the most. capture 1: its stdout and
 * stderr are kept in c->out; 0: they go to /dev/null (never onto the
 * kiosk's screen). Returns 0, or -1 with errno set (ENOENT: no such
 * program) and c->pid 0.
 */
int	 child_start(struct child *, char *const argv[], const char *input, int capture);

/*
 * 1 once the child ended (*status its wait status, or -1 if it was lost),
 * after the last of its output was read into c->out; else 0. c->pid is 0
 * afterwards; the caller frees c->out with child_clear.
 */
int	 child_ended(struct child *, int *status);

/*
 * Stops the child (SIGTERM to its group) and forgets it: it is reaped in
 * the background, and killed if it has not ended within CHILD_GRACE_MS.
 * Frees c->out; c is empty afterwards.
 */
void	 child_stop(struct child *);

/* Frees what c holds once it ended (child_ended said 1). */
void	 child_clear(struct child *);

/* Reaps the children that ended; returns how many still run. Never blocks. */
int	 child_reap(void);

/*
 * The same, a level lower, for a child whose output its caller reads as it
 * comes (sotay-sync's progress, spawn-sync.c).
 *
 * child_input returns the read end (close-on-exec) of a pipe that holds
 * input already (len at most CHILD_INPUT_MAX), or -1 with errno set.
 */
int	 child_input(const char *input, size_t len);
/*
 * Starts argv[0] (looked up in PATH unless it holds a slash) with argv, in
 * a process group of its own with the signals' defaults back; stdin from
 * in, stdout and stderr into out (-1: /dev/null); the caller closes both
 * afterwards. c_locale 1: in C.UTF-8 (as child_start), 0: in the kiosk's
 * own environment. Once stopped and forgotten, it is killed if it has not
 * ended within grace_ms. Returns 0, or -1 with errno set and *pid 0.
 */
int	 child_spawn(pid_t *pid, char *const argv[], int in, int out, int c_locale,
	     int grace_ms);
/*
 * Asks the child to stop (SIGTERM to its group), unless it ended. forget 1:
 * nobody will ask for it again, so it is reaped in the background.
 */
void	 child_kill(pid_t, int forget);
/*
 * 1 once the child ended (*status its wait status, or -1 if it is not one
 * of these children), else 0. The child is forgotten after a 1.
 */
int	 child_wait(pid_t, int *status);

#endif
