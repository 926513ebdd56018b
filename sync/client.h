/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.h: the kiosk's side of sync (sync/PROTOCOL.md), over libcurl. Only
 * the `sotay-sync` program (cmd-sync.c) links it; the kiosk's screen never
 * does: it runs sotay-sync as a child and reads its output from a pipe
 * (src/sync-output.h).
 *
 * client_enroll checks a token with the server once and keeps the server's
 * address, the kiosk's id and its token in the database. client_sync then
 * uploads the outbox in batches and downloads newer checklists. An event is
 * marked sent only after the server's acknowledgement says it holds it, so
 * a sync cut off at any point (power, link, cancel) simply resumes where it
 * stopped the next time; resending is always safe.
 *
 * Blocking: client_sync takes as long as the link needs (each request is
 * bounded by the timeouts in client_opts); sotay-sync calls it on its only
 * thread and cancels it from a signal handler through opts->cancel. A
 * caller on another thread uses client_sync_path (a private connection to
 * the same database file) or a store handle no other thread touches. The
 * progress callback runs on the calling thread, after each acknowledged
 * batch.
 */
#ifndef SOTAY_CLIENT_H
#define SOTAY_CLIENT_H

#include <stdatomic.h>
#include <stdint.h>

struct store;

/* How a sync (or an enrolment) ended. */
enum client_status {
	CLIENT_DONE = 0,	/* everything pending was acknowledged, content is current */
	CLIENT_OFFLINE,		/* no connection, DNS failure, timeout, link cut */
	CLIENT_REFUSED,		/* 401/403: token unknown, revoked or not this kiosk's */
	CLIENT_SERVER_ERROR,	/* 5xx, a reply that is not the protocol's, other 4xx */
	CLIENT_LOCAL,		/* not enrolled, or the kiosk's own database failed */
	CLIENT_CANCELLED,	/* *opts->cancel was set */
};
/* "done", "offline", "refused", "server_error", "local", "cancelled". */
const char *client_status_id(enum client_status);

/* Called after each acknowledged batch: events sent so far of total, bytes on the wire. */
typedef void client_progress_cb(void *arg, int64_t sent, int64_t total, int64_t bytes);

struct client_opts {
	const char	*url;		/* NULL: the address stored by client_enroll */
	const char	*ca_file;	/* NULL: the one stored at enrolment, else the system's CAs */
	long		 connect_timeout_ms;	/* 0: 15 s; clamped to 100 ms … 2 min */
	long		 timeout_ms;		/* each request, whole; 0: 90 s; clamped to 200 ms … 10 min */
	int		 batch;		/* first batch size; 0: 200 (grows when fast, shrinks when slow) */
	client_progress_cb *progress;	/* may be NULL */
	void		*progress_arg;
	atomic_int	*cancel;	/* may be NULL; set non-zero to stop soon (mid-request too) */
	int		 skip_content;	/* 1: upload only */
};

struct client_result {
	enum client_status status;
	long		 http_status;	/* of the last reply, 0 if none */
	int		 retry_after_s;	/* from a 503's Retry-After, else 0 */
	int		 poll_s;	/* the server's advice on when to sync next (s); 0: none */
	int64_t		 total;		/* events pending when the sync began */
	int64_t		 sent;		/* events acknowledged during this sync */
	int64_t		 accepted;	/* of them, newly stored by the server */
	int64_t		 duplicates;	/* of them, already held (a resend) */
	int64_t		 conflicts;	/* of them, refused as conflicting (see PROTOCOL.md) */
	int64_t		 pending;	/* events still waiting when it ended */
	int64_t		 bytes;		/* request and reply bodies on the wire */
	int		 batches;	/* POSTs acknowledged */
	int		 last_batch;	/* batch size reached */
	int64_t		 content_version;	/* held after the sync (0: none yet) */
	int		 content_added;	/* checklists installed by this sync */
	int64_t		 clock_offset_ms;	/* server clock minus kiosk clock */
	int64_t		 renumbered;	/* pending events given new seqs (restored from an old backup) */
};

/*
 * Asks the server at url who the token belongs to (GET /v1/kiosk) and, if
 * it answers, stores server_url, kiosk_id and kiosk_token (and ca_file when
 * given) in the database. Returns 0, or -1 with *cause set; *status (may be
 * NULL) says which kind of failure it was.
 */
int	 client_enroll(struct store *, const char *url, const char *token,
	     const char *ca_file, enum client_status *status, char **cause);

/*
 * Uploads the outbox, then downloads newer checklists (see the top of this
 * file). Records the outcome in the kiosk's sync state (src/sync-state.h:
 * last success or last error, clock offset, content version). res is always filled. Returns 0 when
 * res->status is CLIENT_DONE, else -1 with *cause set (a bilingual message
 * that says what failed, where, and what to do). opts may be NULL.
 */
int	 client_sync(struct store *, const struct client_opts *, struct client_result *,
	     char **cause);
/*
 * Plain http:// is refused (the token would travel in clear) but to a
 * loopback address, unless allowed here (the config's allow_insecure_http,
 * for a test bench).
 */
void	 client_allow_insecure_http(int allow);
/* The same, on a private connection to the database at path (for a thread). */
int	 client_sync_path(const char *db_path, const struct client_opts *,
	     struct client_result *, char **cause);

#endif
