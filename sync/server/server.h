/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h: how the parts of sotay-server meet. The HTTP layer
 * (server-http.c, libmicrohttpd) turns a request into a struct
 * server_request, the handlers (server-api.c) answer it with a struct
 * server_reply, and reports (server-report.c) turn the store's rows into
 * JSON or CSV. Handlers know nothing of libmicrohttpd, so they read like
 * the protocol document. Paths outside the protocol's go to the officers'
 * dashboard (server_web_handle, web.h).
 */
#ifndef SOTAY_SERVER_H
#define SOTAY_SERVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "protocol.h"
#include "server-store.h"

struct server_ctx {
	struct server_store	*store;
	int			 have_admin;
	unsigned char		 admin_hash[SERVER_HASH_LEN];
	int			 poll_s;	/* told to kiosks: PROTOCOL_HEADER_POLL */
	atomic_int		 write_failed;	/* the last upload's write failed: health 503 */
	int			 per_addr;	/* connections one client address may hold */
	int			 request_s;	/* longest a request may take to arrive whole */
};

struct server_request {
	const char	*method;
	const char	*path;
	const char	*authorization;	/* the header, NULL if absent */
	const char	*if_none_match;
	const char	*install;	/* PROTOCOL_HEADER_INSTALL, NULL if absent */
	const char	*first_seq;	/* PROTOCOL_HEADER_FIRST_SEQ, NULL if absent */
	/* Query arguments used by the handlers (NULL if absent). */
	const char	*since;
	const char	*by;
	const char	*from;
	const char	*to;
	const char	*format;
	const char	*body;		/* decoded (gunzipped), NUL-terminated */
	size_t		 len;
	/* For the dashboard (server-web.h): */
	const char	*(*arg)(const struct server_request *, const char *key);
					/* any query argument, NULL if absent */
	void		*conn;		/* for arg */
	const char	*cookie;	/* the Cookie header, NULL if absent */
	const char	*content_type;	/* the request's, NULL if absent */
	const char	*addr;		/* the client's address, for the audit log */
	int		 secure;	/* reached over TLS (X-Forwarded-Proto: https) */
};

/* A header of a reply beyond the usual ones (Set-Cookie, Location, …). */
#define SERVER_REPLY_HEADERS 6
struct server_reply_header {
	const char	*name;
	char		*value;		/* malloc'd */
};

struct server_reply {
	int		 status;
	char		*body;		/* malloc'd; NULL for none (304) */
	size_t		 len;
	const char	*content_type;
	char		 etag[32];	/* "" if none */
	int		 retry_after;	/* seconds, 0 if none */
	char		 kiosk[PROTOCOL_MAX_KIOSK_ID + 1];	/* for the log */
	int		 events;	/* events in the batch, for the log */
	struct server_reply_header headers[SERVER_REPLY_HEADERS];
	int		 nheaders;
};

/* Adds a header to rep (value copied); beyond SERVER_REPLY_HEADERS it is
 * dropped, which a caller never reaches. */
void	 server_reply_header(struct server_reply *, const char *name,
	     const char *value);
/* Frees the body and the headers. */
void	 server_reply_free(struct server_reply *);

/*
 * The dashboard (server-web*.c): every path outside /v1/. Fills rep for
 * req; never fails.
 */
void	 server_web_handle(struct server_ctx *, const struct server_request *,
	     struct server_reply *);

/* Fills rep for req. Never fails: errors become error replies. */
void	 server_api_handle(struct server_ctx *, const struct server_request *,
	     struct server_reply *);
/* An error reply with the protocol's body. */
void	 server_api_error(struct server_reply *, enum protocol_error, const char *message);
/* BLAKE2b-256 of a token (what the store keeps). */
void	 server_api_hash_token(const char *token, unsigned char out[SERVER_HASH_LEN]);

/* A report as the body of GET /v1/reports (malloc'd). */
char	*server_report_json(const struct server_report *, const char *from,
	     const char *to);
char	*server_report_csv(const struct server_report *);
/* "commune"… to the grouping; -1 if unknown. */
int	 server_report_parse_by(const char *);
const char *server_report_by_name(enum server_report_by);

/* Log lines (server-log.c): syslog priorities as journald reads them. */
enum {
	SERVER_LOG_ERR = 3,
	SERVER_LOG_WARNING = 4,
	SERVER_LOG_NOTICE = 5,
	SERVER_LOG_INFO = 6,
	SERVER_LOG_DEBUG = 7
};
/* Looks whether stderr is the journal (then lines carry no timestamp). */
void	 server_log_init(void);
/* Writes the lines to f instead of stderr (a fuzzer's /dev/null). */
void	 server_log_to(FILE *f);
/* One line "<PRIO>[TIME ]TEXT" on stderr; text from a request must be escaped. */
void	 server_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Says serve accepts connections at where ("HOST:PORT"): a log line, and
 * "listening on HOST:PORT" on stdout for scripts (PROTOCOL.md) unless
 * stdout is the log's own stream (a terminal, the journal).
 */
void	 server_log_listening(const char *where);
/*
 * len bytes of s with every control byte, backslash, invalid UTF-8, C1 and
 * bidi control written as \xHH (and spaces too if spaces), malloc'd; "-"
 * for NULL.
 */
char	*server_log_escape(const char *s, size_t len, int spaces);

/*
 * Slow and greedy clients (server-guard.c). Each connection's request must
 * arrive whole within deadline_s, trickled bytes or not; a client address
 * holds at most per_addr connections; the trusted proxy is exempt.
 */
#define SERVER_PER_ADDR_DEFAULT		64
#define SERVER_REQUEST_S_DEFAULT	120
struct sockaddr;
int	 server_guard_start(int per_addr, int deadline_s);
void	 server_guard_stop(void);
/* --trusted-proxy ADDR; -1 and a cause if it is not an IP address. */
int	 server_guard_parse_proxy(const char *, char **cause);
int	 server_guard_is_proxy(const struct sockaddr *);
/* 1 to accept a connection from sa, 0 to refuse it (its address holds enough). */
int	 server_guard_accept(const struct sockaddr *sa);
/* A connection opened (its record, for the calls below) and closed. */
void	*server_guard_opened(int fd, const struct sockaddr *sa);
void	 server_guard_closed(void *);
/* The request is whole (no deadline now); its reply is done (the next one's starts). */
void	 server_guard_answering(void *);
void	 server_guard_request_done(void *);
/* Connections refused and requests cut since the last call. */
void	 server_guard_counts(long *refused, long *cut);

/*
 * Serves HTTP on listen ("ADDR:PORT", port 0 picks a free one and the
 * address is printed as "listening on ADDR:PORT") until SIGTERM or SIGINT,
 * then lets requests in flight finish and returns. threads is the size of
 * the thread pool.
 */
int	 server_http_run(struct server_ctx *, const char *listen, int threads,
	     char **cause);
/*
 * The libmicrohttpd daemon server_http_run serves with, on sa, or with no
 * listening socket when sa is NULL (then connections come through
 * MHD_add_connection: the HTTP fuzzer). NULL if it could not start.
 */
struct MHD_Daemon;
struct MHD_Daemon *server_http_daemon(struct server_ctx *, const struct sockaddr *sa,
	     int threads);

#endif
