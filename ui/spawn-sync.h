/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spawn-sync.h: running the `sotay-sync` program, which holds the network
 * side of the kiosk, so that `sotay` itself never links libcurl.
 *
 * `sotay enroll` and `sotay sync` become that program (spawn_sync_exec);
 * the supervisor's sync and enrolment screens run it as a child with its
 * output on a non-blocking pipe (spawn_sync_start, spawn_sync_enroll) and
 * never wait for it: it is one of child.h's children, reaped with WNOHANG
 * by child_reap, which the UI's loop calls on every turn (and ticks faster
 * while a child lives). child_kill asks it to stop (SIGTERM: it cancels
 * and writes its result); child_wait says when it ended.
 */
#ifndef SOTAY_SPAWN_SYNC_H
#define SOTAY_SPAWN_SYNC_H

#include <sys/types.h>

/*
 * Where sotay-sync is: $SOTAY_SYNC_PROGRAM if set, else the one beside the
 * running program if there is one (a build folder uses its own), else
 * SOTAY_LIBEXECDIR's (an installed kiosk: PREFIX/libexec/sotay). Returns a
 * malloc'd path the caller frees.
 */
char	*spawn_sync_path(void);

/*
 * Becomes `sotay-sync --db DB [--config F] [--lang L] argv…` (argv[0] is
 * the command). config and lang may be NULL. Returns only on failure,
 * after printing a message that names the path: the exit code then.
 */
int	 spawn_sync_exec(const char *db_path, const char *config, const char *lang,
	     int argc, char **argv);

/*
 * Starts `sotay-sync --db DB [--config F] [--lang L] sync --progress` in
 * the background, in a process group of its own (keys typed at the
 * terminal do not reach it), stdin from /dev/null, stdout and stderr into
 * one pipe whose read end (*fd, non-blocking, close-on-exec) the caller
 * reads and closes. Returns 0, or -1 with *cause set (a bilingual message
 * naming the program).
 */
int	 spawn_sync_start(const char *db_path, const char *config, const char *lang,
	     pid_t *pid, int *fd, char **cause);

/*
 * Starts `sotay-sync … enroll --token-stdin -- URL` the same way, the token
 * on its stdin through a pipe (never in its arguments). Its output ends
 * with one line for people: what it did, or why not; its exit code 0 says
 * it enrolled.
 */
int	 spawn_sync_enroll(const char *db_path, const char *config, const char *lang,
	     const char *url, const char *token, pid_t *pid, int *fd, char **cause);

/* The child's pipe, read a line at a time without waiting. */
#define SPAWN_SYNC_LINE_MAX	4096	/* longer lines are cut (the result's JSON is far shorter) */
struct spawn_sync_reader {
	int	 fd;			/* -1 once closed */
	char	 line[SPAWN_SYNC_LINE_MAX];	/* what came after the last newline */
	size_t	 len;
};
/*
 * Takes in whatever the child wrote, calling line for each whole line
 * (without its newline; the last one even without); closes the pipe at its
 * end. Returns 1 once it is closed.
 */
int	 spawn_sync_read(struct spawn_sync_reader *, void (*line)(void *, char *), void *arg);
/*
 * What a screen does on each tick while its child runs: takes in what it
 * wrote (spawn_sync_read), and reaps it once its pipe closed. Returns 1
 * once it ended, *status its wait status (see child_wait), *pid 0.
 */
int	 spawn_sync_poll(pid_t *pid, struct spawn_sync_reader *,
	     void (*line)(void *, char *), void *arg, int *status);
/* Its screen is gone: closes the pipe, and stops and forgets the child if it runs. */
void	 spawn_sync_drop(pid_t, struct spawn_sync_reader *);

/* A sync that was stopped and forgotten is killed if it has not ended after this long. */
#define SPAWN_SYNC_GRACE_MS	5000

#endif
