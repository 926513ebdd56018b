/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protocol.h: the sync protocol's shared half — the names, limits and error
 * codes of sync/PROTOCOL.md, and the wire helpers both ends use: gzip in and
 * out with a bounded output, the event batch (encoded by the kiosk, decoded
 * and validated by the server), the acknowledgement, the error body, and the
 * replies a kiosk reads (health, kiosk, content).
 *
 * Nothing here does HTTP: the kiosk's client (libcurl) and the server
 * (libmicrohttpd) each link this file. Every parser checks every field's
 * type and says which field was wrong; every reply parser insists on the
 * exact `ok` value, so a captive portal's page is never taken for an answer.
 */
#ifndef SOTAY_PROTOCOL_H
#define SOTAY_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define PROTOCOL_VERSION	2	/* the newest batch format the server takes (health) */

/* Paths. */
#define PROTOCOL_PATH_HEALTH	"/v1/health"
#define PROTOCOL_PATH_KIOSK	"/v1/kiosk"
#define PROTOCOL_PATH_EVENTS	"/v1/events"
#define PROTOCOL_PATH_EVENTS_V2	"/v2/events"	/* the compact batch (PROTOCOL.md) */
#define PROTOCOL_PATH_CONTENT	"/v1/content"
#define PROTOCOL_PATH_REPORTS	"/v1/reports"

/* The `ok` value of each success reply. */
#define PROTOCOL_OK_HEALTH	"sotay.health.v1"
#define PROTOCOL_OK_KIOSK	"sotay.kiosk.v1"
#define PROTOCOL_OK_ACK		"sotay.ack.v1"
#define PROTOCOL_OK_CONTENT	"sotay.content.v1"
#define PROTOCOL_OK_REPORT	"sotay.report.v1"

/* Limits. */
#define PROTOCOL_MAX_EVENTS	1000			/* events a batch */
#define PROTOCOL_MAX_EVENTS_V2	5000			/* events a batch on /v2/events */
#define PROTOCOL_MAX_WIRE	(4 * 1024 * 1024)	/* a body as sent (maybe gzip) */
#define PROTOCOL_MAX_BODY	(16 * 1024 * 1024)	/* a body once gunzipped */
#define PROTOCOL_MAX_KIOSK_ID	64			/* characters of a kiosk id */
#define PROTOCOL_MAX_TYPE	64			/* characters of an event type */
#define PROTOCOL_ID_LEN		37			/* a UUID: 36 characters and NUL */
/*
 * Integers: every JSON integer of a message lies within ±PROTOCOL_MAX_INT
 * (2^53 - 1, what any JSON reader holds exactly); a larger one is refused,
 * never rounded or clamped. seq is 1…PROTOCOL_MAX_INT, at (ms since the
 * epoch) 0…PROTOCOL_MAX_AT (9999-12-31T23:59:59.999Z).
 */
#define PROTOCOL_MAX_INT	9007199254740991LL
#define PROTOCOL_MAX_AT		253402300799999LL

#define PROTOCOL_CONTENT_TYPE	"application/json; charset=utf-8"

/*
 * Every reply of the server carries this header: the seconds a kiosk with
 * nothing urgent waits before its next sync (`sotay sync --watch`).
 */
#define PROTOCOL_HEADER_POLL	"Sotay-Poll-Seconds"
#define PROTOCOL_POLL_MIN	10
#define PROTOCOL_POLL_MAX	86400
#define PROTOCOL_POLL_DEFAULT	300

/*
 * The kiosk's install id (a UUID it makes once and keeps in its database),
 * sent with `GET /v1/kiosk` at enrolment: the server binds a kiosk's token
 * to the first machine that enrols with it and answers 409 to any other
 * (PROTOCOL.md, "Who am I").
 */
#define PROTOCOL_HEADER_INSTALL	"Sotay-Install"
/*
 * Sent with it: the seq of the kiosk's oldest event not yet acknowledged
 * (the next it will make, if none). A kiosk id that holds nothing from its
 * held_seq up to it moves its held_seq there, so a machine enrolled again
 * under a new id goes on from its own numbering (PROTOCOL.md, "Enrolling
 * again").
 */
#define PROTOCOL_HEADER_FIRST_SEQ	"Sotay-First-Seq"

/*
 * Event types and their payloads are the core's (src/event.h); these names
 * stay for code written before it and spell the same strings.
 */
#define PROTOCOL_EV_RESIDENT_ADDED	event_name(EVENT_RESIDENT_ADDED)
#define PROTOCOL_EV_SESSION_STARTED	event_name(EVENT_SESSION_STARTED)
#define PROTOCOL_EV_STEP_MARKED		event_name(EVENT_STEP_MARKED)
#define PROTOCOL_EV_STEP_UNDONE		event_name(EVENT_STEP_UNDONE)
#define PROTOCOL_EV_SESSION_FINISHED	event_name(EVENT_SESSION_FINISHED)

/* The error codes of PROTOCOL.md, each with its HTTP status. */
enum protocol_error {
	PROTOCOL_E_NONE = 0,
	PROTOCOL_E_BAD_REQUEST,		/* 400 */
	PROTOCOL_E_UNAUTHORIZED,	/* 401 */
	PROTOCOL_E_FORBIDDEN,		/* 403 */
	PROTOCOL_E_NOT_FOUND,		/* 404 */
	PROTOCOL_E_METHOD_NOT_ALLOWED,	/* 405 */
	PROTOCOL_E_CONFLICT,		/* 409 */
	PROTOCOL_E_TOO_LARGE,		/* 413 */
	PROTOCOL_E_UNSUPPORTED_ENCODING,/* 415 */
	PROTOCOL_E_INTERNAL,		/* 500 */
	PROTOCOL_E_UNAVAILABLE,		/* 503 */
	PROTOCOL_E_UNKNOWN		/* a code this version does not know */
};
int	 protocol_error_status(enum protocol_error);	/* 400… (0 for NONE/UNKNOWN) */
const char *protocol_error_code(enum protocol_error);	/* "bad_request"… */
enum protocol_error protocol_error_from_code(const char *);	/* UNKNOWN if not one */
enum protocol_error protocol_error_from_status(int);	/* UNKNOWN if not one */

/*
 * gzip (RFC 1952) of len bytes. *out is malloc'd (the caller frees).
 */
int	 protocol_gzip(const void *in, size_t len, char **out, size_t *outlen,
	     char **cause);
/*
 * Undoes gzip, refusing more than max bytes of output (a "gzip bomb"),
 * trailing garbage and a truncated stream. *out is malloc'd and
 * NUL-terminated (not counted in *outlen). On failure *err (if not NULL) is
 * PROTOCOL_E_TOO_LARGE when the output would pass max, else
 * PROTOCOL_E_BAD_REQUEST.
 */
int	 protocol_gunzip(const void *in, size_t len, size_t max, char **out,
	     size_t *outlen, enum protocol_error *err, char **cause);

/*
 * One event on the wire. For encoding the fields are only borrowed (point
 * them at the outbox's strings); from protocol_batch_decode they are owned
 * by the batch. payload is the JSON text of an object; after decoding it is
 * the server's canonical text of it (json-c, plain), so the same event sent
 * twice gives the same text.
 */
struct protocol_event {
	char	 id[PROTOCOL_ID_LEN];
	int64_t	 seq;
	char	*type;
	int64_t	 at;		/* ms, the kiosk's clock */
	char	*payload;
};

/*
 * What a kiosk says of itself with each upload (the batch's optional
 * "status"), for the province's list of kiosks.
 */
#define PROTOCOL_MAX_PROGRAM	32	/* bytes of program_version */
struct protocol_kiosk_status {
	int	 present;		/* decoding: the batch carried one */
	int64_t	 pending;		/* events waiting on the kiosk, this batch's too */
	int64_t	 content_version;	/* the content version it holds */
	char	 program_version[PROTOCOL_MAX_PROGRAM + 1];
	int64_t	 clock;			/* ms: the kiosk's clock as it sent */
};

struct protocol_batch {
	char			*kiosk;
	struct protocol_event	*events;
	size_t			 n;
	/* Decoding: each event's payload as parsed (within root, the parsed
	 * body), so the server reads it without parsing its text again. */
	struct json_object	**payloads;
	struct json_object	*root;
	struct protocol_kiosk_status status;
};

/*
 * The body of POST /v1/events, as a malloc'd string. Fails (and names the
 * event) if a payload is not the JSON text of an object or n is over
 * PROTOCOL_MAX_EVENTS.
 */
int	 protocol_batch_encode(const char *kiosk, const struct protocol_event *,
	     size_t n, char **out, char **cause);
/* The same with the kiosk's status (NULL: none). */
int	 protocol_batch_encode_status(const char *kiosk,
	     const struct protocol_kiosk_status *, const struct protocol_event *,
	     size_t n, char **out, char **cause);
/*
 * The body of POST /v2/events: the same batch, compact — an event's seq
 * only where it is not the previous one's plus one, and its time as "dt",
 * ms after the previous event's (the first one's: after 0). At most
 * PROTOCOL_MAX_EVENTS_V2 events.
 */
int	 protocol_batch_encode_v2(const char *kiosk,
	     const struct protocol_kiosk_status *, const struct protocol_event *,
	     size_t n, char **out, char **cause);
/*
 * Parses and validates a batch: kiosk a non-empty string, events an array
 * of at most PROTOCOL_MAX_EVENTS objects each with id (a UUID), seq (integer
 * 1…PROTOCOL_MAX_INT), type (1–64 of a-z 0-9 . _ -), at (0…PROTOCOL_MAX_AT) and payload (an
 * object), and no other fields; no id or seq twice in the batch. *cause
 * names the field ("events[3].seq: …"). *err is PROTOCOL_E_TOO_LARGE for a
 * batch over the limit, else PROTOCOL_E_BAD_REQUEST. Free with
 * protocol_batch_free (also after a failure).
 */
int	 protocol_batch_decode(const char *body, size_t len, struct protocol_batch *,
	     enum protocol_error *err, char **cause);
/* The same for a /v2/events body (version 2) or a /v1/events one (1). */
int	 protocol_batch_decode_version(int version, const char *body, size_t len,
	     struct protocol_batch *, enum protocol_error *err, char **cause);
void	 protocol_batch_free(struct protocol_batch *);

/* 1 if s is a UUID written 8-4-4-4-12 in hex digits. */
int	 protocol_is_uuid(const char *s);

/*
 * seq_taken: the seq is held under another id (a kiosk restored from an old
 * backup): not stored, not counted as held; the kiosk renumbers its pending
 * events after the ack's max_seq and sends them again. On the wire
 * "seq_taken": true, absent when 0.
 */
struct protocol_conflict {
	char	 id[PROTOCOL_ID_LEN];
	int64_t	 seq;
	char	*reason;
	int	 seq_taken;
};

/* The reply to POST /v1/events. */
struct protocol_ack {
	char			*kiosk;
	int64_t			 accepted;
	int64_t			 duplicates;
	struct protocol_conflict *conflicts;
	size_t			 nconflicts;
	int64_t			 held_seq;
	int64_t			 server_time;	/* ms, the server's clock */
	int64_t			 max_seq;	/* the kiosk's highest seq held; 0 if absent */
};
/* A malloc'd JSON string. */
char	*protocol_ack_encode(const struct protocol_ack *);
/*
 * Parses an ack; anything without "ok": "sotay.ack.v1" and every field of
 * the right type (counts ≥ 0) is refused. max_seq and seq_taken are
 * optional (a server before them): missing means 0. Free with protocol_ack_free
 * (also after a failure).
 */
int	 protocol_ack_parse(const char *body, size_t len, struct protocol_ack *,
	     char **cause);
void	 protocol_ack_free(struct protocol_ack *);

/* {"error": CODE, "message": TEXT} as a malloc'd string. */
char	*protocol_error_encode(enum protocol_error, const char *message);
/*
 * Parses an error body. *code is UNKNOWN for a code this version does not
 * know; *message is malloc'd. Fails if body is not an error body at all.
 */
int	 protocol_error_parse(const char *body, size_t len, enum protocol_error *code,
	     char **message, char **cause);

/* GET /v1/health. */
char	*protocol_health_encode(int64_t now_ms);
int	 protocol_health_parse(const char *body, size_t len, int *protocol,
	     int64_t *server_time, char **cause);

/* GET /v1/kiosk. Every string is malloc'd; free with protocol_kiosk_free. */
struct protocol_kiosk {
	char	*kiosk;
	char	*province;
	char	*commune;
	char	*hamlet;
	char	*name;
};
char	*protocol_kiosk_encode(const struct protocol_kiosk *);
int	 protocol_kiosk_parse(const char *body, size_t len, struct protocol_kiosk *,
	     char **cause);
void	 protocol_kiosk_free(struct protocol_kiosk *);

/*
 * GET /v1/content. checklists are the JSON texts of whole checklists (to
 * give to checklist_parse). Free with protocol_content_free.
 */
struct protocol_content {
	int64_t	  version;
	char	**checklists;
	size_t	  n;
};
/* Fails if a checklist text is not a JSON object. */
int	 protocol_content_encode(int64_t version, const char *const *checklists,
	     size_t n, char **out, char **cause);
int	 protocol_content_parse(const char *body, size_t len, struct protocol_content *,
	     char **cause);
void	 protocol_content_free(struct protocol_content *);

#endif
