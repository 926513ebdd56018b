/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store.h: the provincial server's storage primitives — kiosks and
 * their token hashes, events keyed by id, conflicts, the facts reports are
 * built from and their rollups, published checklists, and report rows.
 *
 * The protocol's rules (duplicates, conflicts, seq_taken, held_seq, which
 * facts an event gives and how they count in the rollups, the publish
 * rules) are not here: they live once in server-ingest.c, which drives
 * these primitives inside a transaction. A store only keeps and finds rows.
 *
 * For readers (reports, a dashboard): server_store_kiosk_list,
 * server_store_report (from the rollups, exactly, for any range) and
 * server_store_content_since are whole calls of their own.
 *
 * One interface, several implementations: a table of operations (struct
 * server_store_ops) behind the server_store_* calls, picked by --db — a
 * file path is SQLite (server-store-sqlite.c, one province), a
 * "postgresql://…" URL is PostgreSQL (server-store-pg.c, a nation, several
 * server processes on one database). Every call is safe from many threads
 * at once: the implementation keeps its own connections. Nothing outside
 * the stores sees SQL.
 *
 * Results: every int-returning call returns one of enum server_store_rc
 * (0 is success), and on failure *cause (malloc'd) says what went wrong,
 * naming the database.
 */
#ifndef SOTAY_SERVER_STORE_H
#define SOTAY_SERVER_STORE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

#define SERVER_HASH_LEN	32	/* BLAKE2b-256 of a token */

enum server_store_rc {
	SERVER_STORE_OK = 0,
	SERVER_STORE_FAIL = -1,	/* a real failure: *cause says what */
	SERVER_STORE_BUSY = -2,	/* the database stayed locked or refused more
				   work: nothing stored, answer 503, try later */
	SERVER_STORE_RETRY = -3	/* the transaction lost a race with another
				   (another process stored the same row first):
				   roll back and run it again from the start */
};

/* Each implementation's own struct starts with this. */
struct server_store_ops;
struct server_store {
	const struct server_store_ops *ops;
};
/* An open write transaction: one connection, used by one thread. */
struct server_tx {
	struct server_store *store;
};

struct server_kiosk {
	char	*id;
	char	*province;
	char	*commune;
	char	*commune_code;	/* official administrative code, "" if none */
	char	*hamlet;
	char	*name;
	int64_t	 created_at;	/* ms */
	int64_t	 revoked_at;	/* ms, 0 while active */
	int64_t	 held_seq;
	int64_t	 last_seen;	/* ms of its last upload, 0 if never */
	char	*install;	/* the machine its token is bound to (PROTOCOL.md), "" if none yet */
};
void	 server_kiosk_free(struct server_kiosk *);	/* frees the fields only */

/* An event as stored. */
struct server_event {
	char	*kiosk;
	int64_t	 seq;
	char	*type;
	char	*payload;
};
void	 server_event_free(struct server_event *);	/* frees the fields only */

/*
 * A fact for reports, derived from one event by server-ingest.c. Absent
 * fields are NULL (or has_* 0). A store keeps at most one resident fact
 * per (kiosk, resident), one session and one finish per (kiosk, session),
 * one block per event; a second one is ignored. UNBLOCK removes the newest
 * block of (kiosk, session, step).
 */
enum server_fact_kind {
	SERVER_FACT_RESIDENT,
	SERVER_FACT_SESSION,
	SERVER_FACT_FINISH,
	SERVER_FACT_BLOCK,
	SERVER_FACT_UNBLOCK	/* server-ingest.c only: store_block_take does it */
};
struct server_fact {
	enum server_fact_kind	 kind;
	const char		*kiosk;
	const char		*event;		/* block: the event's id */
	int64_t			 at;		/* ms */
	const char		*resident;	/* resident, session */
	const char		*session;	/* session, finish, block, unblock */
	const char		*hamlet;	/* resident */
	const char		*sex;		/* resident */
	int64_t			 birth_year;	/* resident, if has_birth_year */
	int			 has_birth_year;
	const char		*checklist;	/* session, finish, block */
	int64_t			 version;	/* session, if has_version */
	int			 has_version;
	const char		*category;	/* session */
	const char		*outcome;	/* finish */
	const char		*step;		/* block, unblock */
	const char		*reason;	/* block */
};

/* A fact read back from a store (malloc'd strings, NULL when absent). */
struct server_fact_row {
	enum server_fact_kind	 kind;
	char			*event;		/* block */
	char			*session;
	char			*resident;	/* session */
	char			*checklist;
	char			*category;	/* session */
	char			*outcome;	/* finish */
	char			*step;		/* block */
	char			*reason;	/* block */
	int64_t			 at;
};
void	 server_fact_row_free(struct server_fact_row *);	/* the fields only */
void	 server_fact_rows_free(struct server_fact_row *, size_t);	/* and the array */

/*
 * A rollup row: one kiosk's counts for one grouping's key in one period —
 * a year "YYYY", a month "YYYY-MM" or a day "YYYY-MM-DD" of the fact's
 * time as stored (the kiosk's clock corrected by the offset measured with
 * the upload that brought it), in the server's local time. Rows belong to
 * one kiosk, so only that kiosk's batches (which run one at a time, under
 * kiosk_lock) write them: kiosks do not wait for each other here, but for
 * SERVER_GRP_DAYS (the nation's days, in SERVER_SHARDS rows a day). A
 * report reads the fewest periods that cover its range; communes and
 * provinces come from the kiosk.
 *
 * People (distinct residents with a session started in the key) cannot be
 * summed over periods, so each row counts the residents whose first session
 * falls in it: ever, within its year, within its month, and on its day
 * (see server-ingest.c). Summing first_ever over any cover counts people
 * from the beginning, first_year over a cover inside one year from its
 * 1 January, first_month inside one month from its 1st; summing
 * last_ever over a cover that reaches the last day held counts the people
 * of any range that runs until now (the dashboard's last 30 days).
 */
struct server_rollup {
	const char	*grouping;	/* SERVER_GRP_*: "kiosk", "hamlet"… */
	const char	*kiosk;
	const char	*k[3];		/* the key, "" where unused */
	const char	*period;	/* "YYYY", "YYYY-MM", "YYYY-MM-DD" */
	int64_t		 started, finished, completed, blocked;
	int64_t		 first_ever, first_year, first_month, on_day;
	int64_t		 last_ever;	/* residents whose last session (ever)
					   falls in it */
};
/*
 * A resident's first day and sessions in one period of one key (period ""
 * is ever): what counts them once in people. Strings are the caller's when
 * writing; malloc'd when read (free with server_seen_free).
 */
struct server_seen {
	const char	*kiosk, *resident, *grouping, *k[3], *period;
	const char	*first;		/* "YYYY-MM-DD" */
	const char	*last;		/* the last day (kept for period "" only) */
	int64_t		 n;		/* sessions; 0 when writing: the row goes */
};
void	 server_seen_free(struct server_seen *, size_t n);	/* and the array */

/* The rollups' groupings: a kiosk's own (commune, province and day come
 * from it), the resident's hamlet, checklist, category, block reason. */
#define SERVER_GRP_KIOSK	"kiosk"
#define SERVER_GRP_HAMLET	"hamlet"
#define SERVER_GRP_CHECKLIST	"checklist"
#define SERVER_GRP_CATEGORY	"category"
#define SERVER_GRP_REASON	"reason"
/* The nation's days: a kiosk's day rows summed into one of SERVER_SHARDS
 * shards (the kiosk column holds the shard's number), for a report by day
 * of every kiosk; a shard's row is shared by the kiosks that hash to it. */
#define SERVER_GRP_DAYS		"days"
#define SERVER_SHARDS		32

/* Which column of the rollups counts a cover's people. */
enum server_people {
	SERVER_PEOPLE_EVER,	/* sum first_ever: the range starts before any fact */
	SERVER_PEOPLE_YEAR,	/* sum first_year: from 1 January, inside that year */
	SERVER_PEOPLE_MONTH,	/* sum first_month: from the 1st, inside that month */
	SERVER_PEOPLE_DAY,	/* on_day of each day row (by day, or one day) */
	SERVER_PEOPLE_DISTINCT,	/* distinct residents of the day rows of r_seen
				   in [from_day, to_day): any other range */
	SERVER_PEOPLE_LAST	/* sum last_ever: the range runs to the last day */
};
/*
 * The periods a report reads: up to five ranges [lo, hi) of one level
 * each (1 year, 2 month, 3 day; periods of one level compare as text),
 * whose union is the report's days, and how to count its people.
 */
struct server_cover {
	struct {
		int	 lvl;
		char	 lo[11], hi[11];
	}			 r[5];
	int			 n;
	enum server_people	 people;
	char			 from_day[11], to_day[11];	/* [from, to) */
};

/* What a report groups by. */
enum server_report_by {
	SERVER_BY_COMMUNE,
	SERVER_BY_HAMLET,
	SERVER_BY_CHECKLIST,
	SERVER_BY_CATEGORY,
	SERVER_BY_DAY,
	SERVER_BY_REASON,
	SERVER_BY_PROVINCE
};

struct server_report_row {
	char	*key;		/* province, commune, hamlet, checklist, category
				   or day */
	char	*commune;	/* by hamlet only: the hamlet's commune */
	char	*province;	/* by commune and hamlet: the commune's province */
	char	*commune_code;	/* by commune: its official code, "" if none */
	int64_t	 people;	/* distinct residents with a session started */
	int64_t	 started;
	int64_t	 finished;	/* any outcome */
	int64_t	 completed;	/* finished with outcome "completed" */
	int64_t	 blocked;	/* steps marked blocked */
	/* by reason only: */
	char	*checklist;
	char	*step;
	char	*reason;
	int64_t	 count;
};
struct server_report {
	enum server_report_by	 by;
	int64_t			 from, to;	/* ms, [from, to) */
	struct server_report_row *rows;
	size_t			 n;
};
void	 server_report_free(struct server_report *);

/* A checklist to publish: its id, version and canonical JSON text. */
struct server_checklist {
	const char	*id;
	int		 version;
	const char	*json;
};

/* The dashboard: officers' accounts, their web sessions, the audit log. */
enum server_role { SERVER_ROLE_PROVINCE, SERVER_ROLE_COMMUNE };
struct server_user {
	char		*login;
	enum server_role role;
	char		*province;	/* "" for every province */
	char		*commune;	/* commune role: its commune */
	char		*pwhash;	/* Argon2id string (crypto_pwhash_str) */
	int64_t		 created_at;	/* ms */
	int64_t		 disabled_at;	/* ms, 0 while active */
	int64_t		 failures;	/* wrong passwords in a row */
	int64_t		 locked_until;	/* ms, 0 if not locked */
	int64_t		 last_login;	/* ms, 0 if never */
};
void	 server_user_free(struct server_user *);	/* frees the fields only */

struct server_audit {
	int64_t	 at;		/* ms */
	char	*login;		/* who ("-" for an unknown login) */
	char	*action;	/* a SERVER_AUDIT_* name */
	char	*detail;
	char	*addr;		/* the client's address, "" for the command line */
};
void	 server_audit_free(struct server_audit *);

/* The audit log's action names: written once, here. */
#define SERVER_AUDIT_LOGIN		"login"
#define SERVER_AUDIT_LOGIN_FAILED	"login.failed"
#define SERVER_AUDIT_LOGIN_LOCKED	"login.locked"
#define SERVER_AUDIT_LOGOUT		"logout"
#define SERVER_AUDIT_DOWNLOAD		"download"
#define SERVER_AUDIT_USER_ADD		"user.add"
#define SERVER_AUDIT_USER_DISABLE	"user.disable"
#define SERVER_AUDIT_USER_ENABLE	"user.enable"
#define SERVER_AUDIT_USER_PASSWORD	"user.password"
#define SERVER_AUDIT_FORBIDDEN		"forbidden"

/* What a kiosk said of itself with its last upload (PROTOCOL.md). */
struct server_kiosk_status {
	char	*kiosk;
	int64_t	 at;		/* ms, server clock, when it was received */
	int64_t	 pending;	/* events waiting on the kiosk at that time */
	int64_t	 content_version;
	char	*program_version;
	int64_t	 clock_offset;	/* ms: server clock minus the kiosk's */
};
void	 server_kiosk_status_free(struct server_kiosk_status *);

/* A refused event kept for a supervisor to look at. */
struct server_conflict {
	char	*kiosk;
	char	*id;
	int64_t	 seq;
	char	*type;
	int64_t	 at;		/* ms, the kiosk's clock */
	char	*reason;
	int64_t	 received_at;	/* ms */
};
void	 server_conflict_free(struct server_conflict *);

/* Whose data a dashboard report covers: NULL or "" is no limit. */
struct server_scope {
	const char	*province;
	const char	*commune;
};

/*
 * A table as a migration copies it (sotay-server migrate): the same names
 * and columns in every store. The hash column travels as lowercase hex.
 */
struct server_table {
	const char		*name;
	const char *const	*cols;
	int			 ncols;
	int			 hash_col;	/* the token hash column, -1 if none */
	const char		*order;		/* a key to read it in order */
};
/* Every table, in an order that keeps references valid. */
extern const struct server_table server_tables[];
extern const size_t server_ntables;

/* Called with one row's values (NULL for SQL NULL); nonzero stops. */
typedef int (*server_row_fn)(void *arg, const char *const *vals);

/*
 * The operations. Calls taking a struct server_tx run inside it; the others
 * are one statement or one read transaction of their own.
 */
struct server_store_ops {
	const char *name;
	int	(*open)(const char *where, int pool, struct server_store **,
		    char **cause);
	void	(*close)(struct server_store *);

	int	(*kiosk_add)(struct server_store *, const struct server_kiosk *,
		    const unsigned char hash[SERVER_HASH_LEN], char **cause);
	int	(*kiosk_list)(struct server_store *, struct server_kiosk **, size_t *,
		    char **cause);
	/* *changed 0: no active kiosk has that id (server-store.c says so). */
	int	(*kiosk_revoke)(struct server_store *, const char *id, int *changed,
		    char **cause);
	int	(*kiosk_by_token)(struct server_store *,
		    const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *,
		    int *found, char **cause);
	int	(*kiosk_bind)(struct server_store *, const char *id, const char *install,
		    int *bound, char **cause);
	int	(*kiosk_token)(struct server_store *, const char *id,
		    const unsigned char hash[SERVER_HASH_LEN], int *changed, char **cause);
	int	(*kiosk_start)(struct server_store *, const char *id, int64_t first,
		    char **cause);

	int	(*begin)(struct server_store *, struct server_tx **, char **cause);
	int	(*commit)(struct server_tx *, char **cause);	/* ends tx either way */
	void	(*rollback)(struct server_tx *);		/* ends tx */

	int	(*kiosk_lock)(struct server_tx *, const char *kiosk, int64_t *held,
		    char **cause);
	int	(*kiosk_set_held)(struct server_tx *, const char *kiosk, int64_t held,
		    int64_t now, char **cause);
	int	(*kiosk_max_seq)(struct server_tx *, const char *kiosk, int64_t *max,
		    char **cause);
	int	(*event_get)(struct server_tx *, const char *id, struct server_event *,
		    int *found, char **cause);
	int	(*seq_stored)(struct server_tx *, const char *kiosk, int64_t seq,
		    int *yes, char **cause);
	int	(*seq_held)(struct server_tx *, const char *kiosk, int64_t seq,
		    int *yes, char **cause);
	int	(*event_insert)(struct server_tx *, const char *kiosk,
		    const struct protocol_event *, int64_t now, char **cause);
	int	(*events_insert_new)(struct server_tx *, const char *kiosk,
		    const struct protocol_event *, size_t n, int64_t now,
		    const char *resolved, unsigned char *stored, char **cause);
	int	(*conflict_insert)(struct server_tx *, const char *kiosk,
		    const struct protocol_event *, const char *reason, int64_t now,
		    char **cause);
	int	(*conflict_delete)(struct server_tx *, const char *kiosk, const char *id,
		    const char *reason, char **cause);
	int	(*fact_put)(struct server_tx *, const struct server_fact *, int *added,
		    char **cause);
	int	(*block_take)(struct server_tx *, const char *kiosk, const char *session,
		    const char *step, struct server_fact_row *, int *found, char **cause);
	int	(*session_get)(struct server_tx *, const char *kiosk, const char *session,
		    struct server_fact_row *, int *found, char **cause);
	int	(*resident_hamlet)(struct server_tx *, const char *kiosk,
		    const char *resident, char **hamlet, int *found, char **cause);
	int	(*session_deps)(struct server_tx *, const char *kiosk, const char *session,
		    struct server_fact_row **, size_t *n, char **cause);
	int	(*resident_sessions)(struct server_tx *, const char *kiosk,
		    const char *resident, struct server_fact_row **, size_t *n,
		    char **cause);
	int	(*rollups_add)(struct server_tx *, const struct server_rollup *,
		    size_t n, char **cause);
	int	(*seen_get)(struct server_tx *, const char *kiosk, const char *resident,
		    struct server_seen **, size_t *n, char **cause);
	/* Optional (NULL: the batch asks as it goes). */
	int	(*sessions_facts)(struct server_tx *, const char *kiosk,
		    const char *const *sessions, size_t n, struct server_fact_row **,
		    size_t *nrows, char **cause);
	int	(*residents_hamlets)(struct server_tx *, const char *kiosk,
		    const char *const *residents, size_t n, char **hamlets,
		    unsigned char *found, char **cause);
	int	(*residents_seen)(struct server_tx *, const char *kiosk,
		    const char *const *residents, size_t n, struct server_seen **,
		    size_t *nrows, char **cause);
	int	(*seen_put)(struct server_tx *, const struct server_seen *, size_t n,
		    char **cause);
	int	(*rollup_days)(struct server_store *, char **first, char **last,
		    char **cause);
	int	(*rollups_built)(struct server_store *, int *built, char **cause);
	int	(*rollups_claim)(struct server_tx *, int force, int *todo, char **cause);
	int	(*rollups_done)(struct server_tx *, char **cause);
	/* May be NULL: a store whose writers already exclude each other. */
	int	(*rollups_share)(struct server_tx *, char **cause);
	/* A cover's rows, limited to a scope (NULL or empty: none). */
	int	(*report_rollups)(struct server_store *, enum server_report_by,
		    const struct server_cover *, const struct server_scope *,
		    struct server_report *, char **cause);

	int	(*content_lock)(struct server_tx *, char **cause);
	int	(*content_version)(struct server_tx *, int64_t *version, char **cause);
	int	(*content_version_add)(struct server_tx *, int64_t version, int64_t now,
		    char **cause);
	int	(*checklist_get)(struct server_tx *, const char *id, int version,
		    char **json, int *found, char **cause);
	int	(*checklist_newest)(struct server_tx *, const char *id, int64_t *version,
		    char **cause);
	int	(*checklist_insert)(struct server_tx *, const struct server_checklist *,
		    int64_t content_version, char **cause);
	int	(*content_since)(struct server_store *, int64_t since, int64_t *version,
		    char ***jsons, size_t *n, char **cause);

	/* From the facts: server_store_report_facts (tests, a bench's peer). */
	int	(*report)(struct server_store *, enum server_report_by, int64_t from,
		    int64_t to, struct server_report *, char **cause);
	/* May be NULL: the store has no check of its own. */
	int	(*check)(struct server_store *, char **cause);
	/* May be NULL: nothing to reach (a local file, whose failures are writes'). */
	int	(*ping)(struct server_store *, char **cause);

	/* The dashboard (NULL: an implementation without it says so). */
	int	(*user_add)(struct server_store *, const struct server_user *,
		    char **cause);
	int	(*user_get)(struct server_store *, const char *login,
		    struct server_user *, int *found, char **cause);
	int	(*user_list)(struct server_store *, struct server_user **, size_t *,
		    char **cause);
	int	(*user_update)(struct server_store *, const struct server_user *,
		    char **cause);
	int	(*user_failed)(struct server_store *, const char *login, int max,
		    int64_t until, int *locked, char **cause);
	int	(*web_session_add)(struct server_store *,
		    const unsigned char hash[SERVER_HASH_LEN], const char *login,
		    int64_t expires, char **cause);
	int	(*web_session_get)(struct server_store *,
		    const unsigned char hash[SERVER_HASH_LEN], char **login,
		    int64_t *expires, int *found, char **cause);
	int	(*web_session_delete)(struct server_store *,
		    const unsigned char hash[SERVER_HASH_LEN], char **cause);
	int	(*audit_add)(struct server_store *, const struct server_audit *,
		    char **cause);
	int	(*audit_list)(struct server_store *, int64_t limit,
		    struct server_audit **, size_t *, char **cause);
	int	(*kiosk_status_set)(struct server_store *,
		    const struct server_kiosk_status *, char **cause);
	int	(*kiosk_status_list)(struct server_store *,
		    struct server_kiosk_status **, size_t *, char **cause);
	int	(*conflict_list)(struct server_store *, int64_t limit,
		    struct server_conflict **, size_t *, char **cause);

	/* Migration (either may be NULL: the store cannot be a source/target). */
	int	(*rows)(struct server_store *, const struct server_table *,
		    server_row_fn, void *arg, char **cause);
	int	(*row_put)(struct server_tx *, const struct server_table *,
		    const char *const *vals, int *added, char **cause);
};

extern const struct server_store_ops server_store_sqlite;
extern const struct server_store_ops server_store_pg;

/* Whether where names a PostgreSQL database ("postgresql://", "postgres://"). */
int	 server_store_is_pg(const char *where);

/*
 * Opens the store named by where: a file path (SQLite, created and migrated
 * if needed) or a postgresql:// URL (the database must exist; its schema is
 * created and migrated if needed). server_store_open_pool sizes the pool of
 * connections to the caller's threads (serve); server_store_open is for a
 * command-line tool (one or two connections).
 */
int	 server_store_open(const char *where, struct server_store **, char **cause);
int	 server_store_open_pool(const char *where, int pool, struct server_store **,
	     char **cause);
void	 server_store_close(struct server_store *);
/* where with any password blanked out, for messages and logs (malloc'd). */
char	*server_store_redact(const char *where);

/*
 * For the implementations: a pool of open connections, each used by one
 * thread at a time, at most max open. take gives an idle one, or NULL
 * with a place kept for a new one (waiting while max are open): the caller
 * opens it and later puts it, or gives the place back with cancel. free
 * closes the idle ones with close.
 */
struct server_store_pool {
	pthread_mutex_t	  mu;
	pthread_cond_t	  cv;
	void		**idle;		/* the last put on top */
	int		  nidle, n, max;
};
void	 server_store_pool_init(struct server_store_pool *, int max);
void	*server_store_pool_take(struct server_store_pool *);
void	 server_store_pool_cancel(struct server_store_pool *);
void	 server_store_pool_put(struct server_store_pool *, void *conn);
void	 server_store_pool_free(struct server_store_pool *, void (*close)(void *));
/*
 * Checks the stored data is whole (SQLite: PRAGMA quick_check); -1 and a
 * cause naming what is damaged if not. serve refuses a store that fails.
 */
int	 server_store_check(struct server_store *, char **cause);
/*
 * Whether the database answers now (PostgreSQL: one read on a pooled
 * connection, reconnecting if it broke); for /v1/health.
 */
int	 server_store_ping(struct server_store *, char **cause);

/*
 * A new kiosk; k->id must be set (a new id). Stores only the token's hash,
 * and its names (province, commune, hamlet, name) in NFC however they were
 * typed, so an officer's commune matches its kiosks'.
 */
int	 server_store_kiosk_add(struct server_store *, const struct server_kiosk *,
	     const unsigned char hash[SERVER_HASH_LEN], char **cause);
/* Every kiosk, oldest first; free each with server_kiosk_free, then the array. */
int	 server_store_kiosk_list(struct server_store *, struct server_kiosk **, size_t *,
	     char **cause);
/* Fails with a clear message when id is not a known kiosk. */
int	 server_store_kiosk_revoke(struct server_store *, const char *id, char **cause);
/*
 * *found is 1 when an active kiosk has this token hash (k is filled), -1
 * when the kiosk was revoked, 0 when no kiosk has it.
 */
int	 server_store_kiosk_by_token(struct server_store *,
	     const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *, int *found,
	     char **cause);

/*
 * Binds active kiosk id's token to the machine install (its install id, sent
 * at enrolment) unless bound to another: *bound is 1 when the token is now
 * install's (newly or already), 0 when another machine holds it.
 */
int	 server_store_kiosk_bind(struct server_store *, const char *id,
	     const char *install, int *bound, char **cause);
/*
 * Gives active kiosk id a new token (its hash): the old one stops working and
 * the next machine to enrol with the new one takes the kiosk over. Fails with
 * a clear message when id is not an active kiosk.
 */
int	 server_store_kiosk_token(struct server_store *, const char *id,
	     const unsigned char hash[SERVER_HASH_LEN], char **cause);

/*
 * The machine bound to kiosk id numbers what it sends from first on (the
 * Sotay-First-Seq it gave at enrolment): when held_seq is below first - 1
 * and nothing of id is held between them, held_seq becomes first - 1, as
 * no seq there will ever come (the machine sent those under another id, or
 * it took the kiosk over from one that can no longer send). Else nothing
 * changes.
 */
int	 server_store_kiosk_start(struct server_store *, const char *id, int64_t first,
	     char **cause);

/* A write transaction; end it with commit or rollback. */
int	 server_store_begin(struct server_store *, struct server_tx **, char **cause);
int	 server_store_commit(struct server_tx *, char **cause);
void	 server_store_rollback(struct server_tx *);
/*
 * Locks kiosk's row until the transaction ends (so two server processes
 * never work on one kiosk's batches at once) and gives its held_seq.
 */
int	 server_store_kiosk_lock(struct server_tx *, const char *kiosk, int64_t *held,
	     char **cause);
int	 server_store_kiosk_set_held(struct server_tx *, const char *kiosk,
	     int64_t held, int64_t now, char **cause);
/* The highest seq stored for kiosk, 0 if none. */
int	 server_store_kiosk_max_seq(struct server_tx *, const char *kiosk,
	     int64_t *max, char **cause);
/* The event with this id, from any kiosk (*found 0 if none). */
int	 server_store_event_get(struct server_tx *, const char *id,
	     struct server_event *, int *found, char **cause);
/* Whether kiosk has an event stored at seq. */
int	 server_store_seq_stored(struct server_tx *, const char *kiosk, int64_t seq,
	     int *yes, char **cause);
/* Whether kiosk's seq is held: an event stored or a conflict kept there. */
int	 server_store_seq_held(struct server_tx *, const char *kiosk, int64_t seq,
	     int *yes, char **cause);
/* Stores a new event (SERVER_STORE_RETRY if another process stored the id). */
int	 server_store_event_insert(struct server_tx *, const char *kiosk,
	     const struct protocol_event *, int64_t now, char **cause);
/*
 * Stores, in one go, each of the n events whose id is not held and whose
 * seq is free for kiosk: stored[i] is 1 for each one stored, 0 for one left
 * alone (its id or its seq is held already; the caller looks at those one
 * by one). The conflicts kept for kiosk with reason resolved under the ids
 * stored are dropped.
 */
int	 server_store_events_insert_new(struct server_tx *, const char *kiosk,
	     const struct protocol_event *, size_t n, int64_t now, const char *resolved,
	     unsigned char *stored, char **cause);
/* Keeps a refused event with its reason; one already kept is left as is. */
int	 server_store_conflict_insert(struct server_tx *, const char *kiosk,
	     const struct protocol_event *, const char *reason, int64_t now,
	     char **cause);
int	 server_store_conflict_delete(struct server_tx *, const char *kiosk,
	     const char *id, const char *reason, char **cause);
/* Keeps a fact (not UNBLOCK); *added is 0 when one was there already. */
int	 server_store_fact_put(struct server_tx *, const struct server_fact *,
	     int *added, char **cause);
/* Removes the newest block of (kiosk, session, step) and gives it back. */
int	 server_store_block_take(struct server_tx *, const char *kiosk,
	     const char *session, const char *step, struct server_fact_row *,
	     int *found, char **cause);
/* The session fact of (kiosk, session). */
int	 server_store_session_get(struct server_tx *, const char *kiosk,
	     const char *session, struct server_fact_row *, int *found, char **cause);
/* The hamlet a resident fact gives (NULL in *hamlet when it gives none). */
int	 server_store_resident_hamlet(struct server_tx *, const char *kiosk,
	     const char *resident, char **hamlet, int *found, char **cause);
/* The finish and block facts of a session (free with server_fact_rows_free). */
int	 server_store_session_deps(struct server_tx *, const char *kiosk,
	     const char *session, struct server_fact_row **, size_t *n, char **cause);
/* The session facts of a resident. */
int	 server_store_resident_sessions(struct server_tx *, const char *kiosk,
	     const char *resident, struct server_fact_row **, size_t *n, char **cause);
/*
 * The same questions for all of a batch's sessions and residents at once,
 * where the store answers many as cheaply as one (PostgreSQL: one round
 * trip each instead of one per fact; server_store_reads_at_once says so):
 * every fact of these sessions of kiosk (starts, finishes and blocks,
 * kind set); the hamlet of each resident (hamlets[i] malloc'd or NULL,
 * found[i]); every seen row of these residents.
 */
int	 server_store_reads_at_once(struct server_tx *);
int	 server_store_sessions_facts(struct server_tx *, const char *kiosk,
	     const char *const *sessions, size_t n, struct server_fact_row **,
	     size_t *nrows, char **cause);
int	 server_store_residents_hamlets(struct server_tx *, const char *kiosk,
	     const char *const *residents, size_t n, char **hamlets,
	     unsigned char *found, char **cause);
int	 server_store_residents_seen(struct server_tx *, const char *kiosk,
	     const char *const *residents, size_t n, struct server_seen **,
	     size_t *nrows, char **cause);
/* Adds each row's counts to its row (made when missing); keys distinct. */
int	 server_store_rollups_add(struct server_tx *, const struct server_rollup *,
	     size_t n, char **cause);
/* Every seen row of a resident (of kiosk). */
int	 server_store_seen_get(struct server_tx *, const char *kiosk,
	     const char *resident, struct server_seen **, size_t *n, char **cause);
/* Writes seen rows as given (first and n; n 0 removes it); keys distinct. */
int	 server_store_seen_put(struct server_tx *, const struct server_seen *,
	     size_t n, char **cause);
/* The first and last day the rollups hold (malloc'd; NULL when empty). */
int	 server_store_rollup_days(struct server_store *, char **first, char **last,
	     char **cause);
/* Whether the rollups are complete (0 after an upgrade or a migrate). */
int	 server_store_rollups_built(struct server_store *, int *built, char **cause);
/*
 * Locks the rollups for a rebuild (every process waits here); when force
 * is 1 or they are not built, empties them and sets *todo.
 */
int	 server_store_rollups_claim(struct server_tx *, int force, int *todo,
	     char **cause);
/* Marks them built, at commit. */
int	 server_store_rollups_done(struct server_tx *, char **cause);
/*
 * Waits for a rebuild of the rollups (claim) to end and keeps the next
 * from starting until tx ends: a batch that added its counts to rollups
 * being rebuilt from the facts would be counted twice (a `migrate` into a
 * serving database, an upgrade that recounts them, another process).
 */
int	 server_store_rollups_share(struct server_tx *, char **cause);

/* Serialises publishers (of every server process) until the tx ends. */
int	 server_store_content_lock(struct server_tx *, char **cause);
/* The newest content version, 0 if none. */
int	 server_store_content_version(struct server_tx *, int64_t *version,
	     char **cause);
int	 server_store_content_version_add(struct server_tx *, int64_t version,
	     int64_t now, char **cause);
/* The text published as id at version (malloc'd; *found 0 if none). */
int	 server_store_checklist_get(struct server_tx *, const char *id, int version,
	     char **json, int *found, char **cause);
/* The highest version published of id, 0 if none. */
int	 server_store_checklist_newest(struct server_tx *, const char *id,
	     int64_t *version, char **cause);
int	 server_store_checklist_insert(struct server_tx *, const struct server_checklist *,
	     int64_t content_version, char **cause);
/*
 * The current content version and the newest version of every checklist
 * published after since (malloc'd texts; the caller frees each and the array).
 */
int	 server_store_content_since(struct server_store *, int64_t since,
	     int64_t *version, char ***jsons, size_t *n, char **cause);

/*
 * A report row from a rollup key and its sums (for the stores'
 * report_rollups; row is filled, its strings malloc'd).
 */
void	 server_store_rollup_row(enum server_report_by, const char *k1,
	     const char *k2, const char *k3, int64_t people, int64_t started,
	     int64_t finished, int64_t completed, int64_t blocked,
	     struct server_report_row *row);
/* The server's local date of ms, "YYYY-MM-DD": a rollup's day. */
void	 server_store_day(int64_t ms, char out[16]);
/*
 * A report over [from, to) (ms; the API gives local midnights), read from
 * the rollups alone, exactly, for any range: the days of the range (the
 * facts' times, corrected by each kiosk's clock offset) covered by the
 * fewest years, months and days.
 */
int	 server_store_report(struct server_store *, enum server_report_by, int64_t from,
	     int64_t to, struct server_report *, char **cause);
/*
 * The same report counted from the facts, the slow way (every fact of the
 * range): what tests check the rollups against, and a benchmark's peer.
 */
int	 server_store_report_facts(struct server_store *, enum server_report_by,
	     int64_t from, int64_t to, struct server_report *, char **cause);

/* The dashboard ---------------------------------------------------------- */

/* A new officer, its login, province and commune in NFC; fails with a clear
 * message when the login is taken. */
int	 server_store_user_add(struct server_store *, const struct server_user *,
	     char **cause);
/* The officer with this login, looked up in NFC (*found 0 if none); free
 * with server_user_free. */
int	 server_store_user_get(struct server_store *, const char *login,
	     struct server_user *, int *found, char **cause);
/* Every officer by login; free each, then the array. */
int	 server_store_user_list(struct server_store *, struct server_user **,
	     size_t *, char **cause);
/* Writes pwhash, disabled_at, failures, locked_until and last_login of
 * u->login; fails with a clear message when there is no such login. */
int	 server_store_user_update(struct server_store *, const struct server_user *,
	     char **cause);
/*
 * Counts one wrong password of login in the database itself, so that the
 * processes sharing it count together: at the max-th in a row the count
 * starts again and the account is locked until until (*locked 1).
 */
int	 server_store_user_failed(struct server_store *, const char *login, int max,
	     int64_t until, int *locked, char **cause);
/* Web sessions, kept by the hash of their cookie; expired ones are dropped
 * as new ones are made. */
int	 server_store_web_session_add(struct server_store *,
	     const unsigned char hash[SERVER_HASH_LEN], const char *login,
	     int64_t expires, char **cause);
int	 server_store_web_session_get(struct server_store *,
	     const unsigned char hash[SERVER_HASH_LEN], char **login, int64_t *expires,
	     int *found, char **cause);
int	 server_store_web_session_delete(struct server_store *,
	     const unsigned char hash[SERVER_HASH_LEN], char **cause);
int	 server_store_audit_add(struct server_store *, const struct server_audit *,
	     char **cause);
/* The newest limit entries, newest first. */
int	 server_store_audit_list(struct server_store *, int64_t limit,
	     struct server_audit **, size_t *, char **cause);
/* Replaces what the kiosk said of itself. */
int	 server_store_kiosk_status_set(struct server_store *,
	     const struct server_kiosk_status *, char **cause);
int	 server_store_kiosk_status_list(struct server_store *,
	     struct server_kiosk_status **, size_t *, char **cause);
/* The newest limit conflicts of every kiosk, newest first. */
int	 server_store_conflict_list(struct server_store *, int64_t limit,
	     struct server_conflict **, size_t *, char **cause);
/* server_store_report limited to a scope (the kiosks of a province or a
 * commune), from the rollups too. */
int	 server_store_report_scoped(struct server_store *, enum server_report_by,
	     int64_t from, int64_t to, const struct server_scope *,
	     struct server_report *, char **cause);
/*
 * The people helped (distinct residents with a session started) since each
 * of three times until now: the overview's week, month, year.
 */
int	 server_store_people_since(struct server_store *, const struct server_scope *,
	     const int64_t since[3], int64_t people[3], char **cause);

/*
 * Every row of table t, in order, to each (one read transaction). A
 * nonzero return from each stops the walk and is returned.
 */
int	 server_store_rows(struct server_store *, const struct server_table *t,
	     server_row_fn each, void *arg, char **cause);
/*
 * Puts a row copied from another store; a row already there is left (a
 * kiosk's held_seq, last_seen and revocation move forward). *added is 1
 * when the table changed.
 */
int	 server_store_row_put(struct server_tx *, const struct server_table *t,
	     const char *const *vals, int *added, char **cause);

#endif
