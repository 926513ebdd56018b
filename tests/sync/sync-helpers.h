/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync-helpers.h: what the server tests share — starting the real
 * sotay-server on a free loopback port, running its commands, talking HTTP
 * to it with libcurl, and building event batches.
 */
#ifndef SOTAY_TEST_SYNC_HELPERS_H
#define SOTAY_TEST_SYNC_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol.h"

#define TEST_ADMIN_TOKEN "test-admin-token-0123456789"

/* A running sotay-server. */
struct srv {
	pid_t	 pid;
	int	 port;
	char	 db[512];
	char	 log[512];
};

/* $TEST_TMP/name (a static buffer per call site is not needed: malloc'd). */
char	*th_tmp_path(const char *name);
/* $BUILD/sotay-server. */
const char *th_server_bin(void);

/* Starts `sotay-server serve --db db --listen 127.0.0.1:0`; 0 or -1. */
int	 th_srv_start(struct srv *, const char *db);
/* The same with more arguments and "NAME=VALUE" environment entries (each
 * list NULL-terminated, or NULL). */
int	 th_srv_start_ex(struct srv *, const char *db, const char *const *args,
	     const char *const *env);
/* Sends sig (SIGTERM or SIGKILL) and waits; returns the exit status word. */
int	 th_srv_stop(struct srv *, int sig);

/*
 * Runs sotay-server with the arguments (NULL-terminated) and --db db.
 * *out (if not NULL) gets its stdout, *err its stderr (malloc'd). Returns
 * the exit code, or -1 if it could not run.
 */
int	 th_cli(const char *db, char **out, char **err, ...);
/* `kiosk add`: fills id (37 bytes) and token (64 bytes); 0 or -1. */
int	 th_kiosk_add(const char *db, const char *commune, const char *hamlet,
	     char *id, char *token);

struct resp {
	long	 status;
	char	*body;
	size_t	 len;
	char	 content_encoding[32];
	char	 content_type[64];
	char	 etag[32];
};
void	 th_resp_free(struct resp *);
/* The libcurl write callback into a resp's body (the library's, tl_curl_write). */
size_t	 th_resp_write(char *p, size_t size, size_t n, void *resp);
/*
 * One request. token NULL: no Authorization. headers: extra header lines
 * (NULL-terminated array or NULL). Returns 0 when an HTTP answer came
 * back, -1 on a transport error.
 */
int	 th_http(const struct srv *, const char *method, const char *path,
	     const char *token, const char *const *headers, const char *body,
	     size_t len, struct resp *);

/* Fills ev[i] for seq first..first+n-1 with ids from a fixed prefix, each a
 * realistic event (resident, session start, steps, finish). Strings are
 * malloc'd; free with th_events_free. */
void	 th_events_make(struct protocol_event *, size_t n, int64_t first,
	     const char *id_prefix8);
void	 th_events_free(struct protocol_event *, size_t n);

/*
 * An attacker's upload: a gzip body of a batch of n events for kiosk, each
 * payload an object of keys short strings (so it decodes to a json-c tree
 * many times its size). *len gets its length; malloc'd.
 */
char	*th_heavy_batch(const char *kiosk, int n, int keys, int salt, size_t *len);
/* One heavy upload, run on a thread: th_heavy_post(&h) fills h.status. */
struct th_heavy {
	const struct srv	*s;
	const char		*token;
	char			*body;
	size_t			 len;
	long			 status;
};
void	*th_heavy_post(void *heavy);
/* VmRSS (or VmHWM with peak) of pid in KiB; -1 if unknown. */
long	 th_rss_kib(pid_t pid, int peak);

/*
 * Number from a one-value SQL query on db (read-only; "?" is bind1); -1 on
 * error. db is the path the test gave the server: on a PostgreSQL run
 * (tests/lib/test-db.h) the query goes to the database standing for it.
 */
int64_t	 th_sql_int(const char *db, const char *sql, const char *bind1);
/* Whether this run is against PostgreSQL (SOTAY_TEST_PG_HOST set). */
int	 th_store_is_pg(void);
/* The same for a text (malloc'd; NULL on error, no row or NULL). */
char	*th_sql_text(const char *db, const char *sql, const char *bind1);

#endif
