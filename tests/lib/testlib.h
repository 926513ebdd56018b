/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testlib.h: what every test program shares — its private folder, the
 * programs of the build, the real sotay-server started on a free loopback
 * port, child processes waited for without polling, and the libcurl write
 * callback. One way to do each, so a fix to one is a fix to all.
 *
 * Waiting is always for a signal (a line on a pipe, a process ending, a
 * file growing), bounded by a timeout, never a fixed sleep.
 */
#ifndef SOTAY_TESTLIB_H
#define SOTAY_TESTLIB_H

#include <stddef.h>
#include <sys/types.h>

/* $TEST_TMP (made if missing), else a new folder under /tmp; owned here. */
const char *tl_tmp(void);
/* tl_tmp()/name, malloc'd. */
char	*tl_path(const char *name);
/* $BUILD/name (BUILD defaults to "build"), malloc'd. */
char	*tl_bin(const char *name);

/* A running sotay-server. */
struct tl_server {
	pid_t	 pid;
	int	 port;
	char	 url[64];	/* http://127.0.0.1:PORT */
	char	*db;		/* malloc'd */
	char	*log;		/* its stderr: db + ".log", malloc'd */
};
/*
 * Starts `sotay-server serve --db db --listen 127.0.0.1:0 [args…]` with the
 * "NAME=VALUE" entries of env added (both lists NULL-terminated, or NULL)
 * and waits for the line that names its port — its readiness signal. 0,
 * or -1 with the reason on stderr (the log is kept).
 */
int	 tl_server_start(struct tl_server *, const char *db, const char *const *args,
	     const char *const *env);
/* Sends sig and waits for it to end; the wait status (-1 if it was not running). Frees the paths. */
int	 tl_server_stop(struct tl_server *, int sig);

/* Starts argv (argv[0] a path), stdin /dev/null, stdout and stderr to files (NULL: /dev/null). */
pid_t	 tl_spawn(char *const argv[], const char *out, const char *err);
/* Waits up to ms for pid to end: 1 and *status (a wait status), or 0 if it still runs. */
int	 tl_wait(pid_t, int ms, int *status);

/* The whole of a file, malloc'd ("" if it is missing). */
char	*tl_slurp(const char *path);
/* Waits up to ms for the file to hold at least n lines; its text (malloc'd), or NULL on timeout. */
char	*tl_wait_lines(const char *path, int n, int ms);
/* The same, until the file holds needle. */
char	*tl_wait_text(const char *path, const char *needle, int ms);

/* A growing buffer, always NUL-terminated once written to. */
struct tl_buf {
	char	*data;
	size_t	 len;
};
/* The libcurl write callback (CURLOPT_WRITEFUNCTION), appending to the tl_buf in userdata. */
size_t	 tl_curl_write(char *p, size_t size, size_t n, void *buf);
void	 tl_buf_free(struct tl_buf *);

#endif
