/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fault-peer.h: a small HTTP server (libmicrohttpd, in the test's own
 * process) that plays a provincial server which misbehaves on purpose, so
 * the sync client's handling of each failure can be checked. In FAULT_NONE
 * it is a correct, minimal peer: it decodes batches with the shared
 * protocol helpers and acknowledges them, so a test can also switch the
 * fault off and watch the client resume.
 */
#ifndef SOTAY_FAULT_PEER_H
#define SOTAY_FAULT_PEER_H

#include <stdint.h>

enum fault {
	FAULT_NONE,		/* behaves; content: 304 */
	FAULT_CUT,		/* headers and part of the body, then the connection closes */
	FAULT_500,
	FAULT_503,		/* with Retry-After: arg seconds */
	FAULT_401,
	FAULT_403,
	FAULT_413,		/* 413 for batches over arg events (0: every batch), the rest acknowledged */
	FAULT_PORTAL,		/* 200 with a Wi-Fi login page */
	FAULT_TRUNCATED,	/* 200 with half of a valid JSON reply (Content-Length says half) */
	FAULT_INVALID,		/* 200 with text that is not JSON */
	FAULT_WRONG_TYPES,	/* 200 with the right `ok` but a field of the wrong type */
	FAULT_HUGE,		/* 200 with a 10 MB body (Content-Length given) */
	FAULT_HUGE_CHUNKED,	/* the same without a length (chunked) */
	FAULT_SILENT,		/* accepts the request and never answers (until stopped) */
	FAULT_ACK_THEN_CUT,	/* acknowledges arg batches, then FAULT_CUT */
	FAULT_BAD_CHECKLIST,	/* events fine; content: version 9 with one invalid checklist */
	FAULT_HOLD_NOTHING,	/* a valid ack of every batch, but held_seq 0 (stores nothing) */
	FAULT_V1_ONLY,		/* behaves as a server from before /v2/events (404 there) */
};

/* The only token the peer accepts, and the kiosk it belongs to. */
#define FAULT_PEER_TOKEN	"peer-token-1"
#define FAULT_PEER_KIOSK	"peer-kiosk"

struct fault_peer;

/* Starts on 127.0.0.1 at a free port; aborts the test program on failure. */
struct fault_peer *fault_peer_start(enum fault, int arg);
/* The same over TLS with this certificate and key (PEM text); the URL is https://. */
struct fault_peer *fault_peer_start_tls(enum fault, int arg, const char *cert_pem,
	    const char *key_pem);
void	 fault_peer_set(struct fault_peer *, enum fault, int arg);
int	 fault_peer_port(const struct fault_peer *);
/* "http://127.0.0.1:PORT"; owned by the peer. */
const char *fault_peer_url(const struct fault_peer *);
void	 fault_peer_stop(struct fault_peer *);

/* What the peer saw. */
struct fault_stats {
	int	 requests;	/* every request */
	int	 posts;		/* POST /v1/events or /v2/events */
	int	 v2_posts;	/* of them to /v2/events (answered 404 by FAULT_V1_ONLY) */
	int	 acked;		/* batches acknowledged */
	int	 largest_batch;	/* events in the largest batch received */
	int64_t	 stored;	/* distinct events held */
	int64_t	 duplicates;	/* events received again */
	int64_t	 held_seq;
	int	 gzip_posts;	/* POSTs that came with Content-Encoding: gzip */
	int	 bad_auth;	/* requests without "Authorization: Bearer <token>" */
};
void	 fault_peer_stats(struct fault_peer *, struct fault_stats *);

#endif
