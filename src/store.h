/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h: the kiosk's SQLite database. It owns the connection, the schema
 * and its migrations, the outbox of events waiting to be uploaded, and a few
 * key/value settings (meta). Other core modules keep their own tables in the
 * same file and reach them through store_stmt(); nothing outside src/ sees
 * SQL.
 *
 * Durability: WAL with synchronous=FULL. Every change a person makes is one
 * transaction (store_begin … store_commit) that updates the module's table
 * AND appends its event with store_event(), so what the screen showed as
 * saved is on disk, and what is on disk will be uploaded.
 */
#ifndef SOTAY_STORE_H
#define SOTAY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct store;
struct json_object;
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/*
 * The schema's version. Each module declares its own tables as a
 * store_schema: steps[v - 1] is the SQL that brings its tables to version v
 * (NULL: nothing changes for it then). store_open runs every module's step
 * of a version in one transaction, in the order of store_schemas[] (listed
 * in schema.c). Never edit a step that has shipped: raise the version and
 * add one.
 */
#define STORE_SCHEMA_VERSION 5

struct store_schema {
	const char		*module;
	const char *const	*steps;		/* STORE_SCHEMA_VERSION entries */
};
extern const struct store_schema *const store_schemas[];	/* NULL-terminated */
extern const struct store_schema store_tables;		/* meta and the outbox */

enum store_flags {
	STORE_CREATE = 1,	/* create the file (and its folder) if missing */
	STORE_READONLY = 2,	/* reports and status only */
	/*
	 * Before upgrading an existing database to this program's schema, say
	 * so on stderr: with years of history it takes a while, and the kiosk's
	 * screen is not up yet.
	 */
	STORE_SAY_UPGRADE = 4,
};

/* Opens (and migrates) the database at path. The caller frees with store_close. */
int	 store_open(const char *path, int flags, struct store **, char **cause);
void	 store_close(struct store *);
const char *store_path(const struct store *);

/*
 * A cached prepared statement for sql, reset and with its bindings cleared.
 * sql must be a string literal (the cache is keyed by its address). The
 * store owns the statement; do not finalize it. SQL may call fold(text):
 * lower-case ASCII without Vietnamese diacritics, for forgiving searches.
 */
sqlite3_stmt *store_stmt(struct store *, const char *sql);
/* The last SQLite error as a message that names the database file. */
int	 store_fail(struct store *, char **cause);

/*
 * Steps s (from store_stmt, already bound) to its end and gathers its rows
 * into a new array of elements of size bytes: read fills each element, zeroed
 * first, from the row. On an error (s NULL too: store_stmt failed) clear
 * (may be NULL) empties each element read so far, the array is freed, *rows
 * is NULL and *n 0, and -1 is returned with *cause. The caller owns *rows
 * (the array and what read put in it); it is NULL when there are no rows.
 */
int	 store_rows(struct store *, sqlite3_stmt *s, size_t size,
	     void (*read)(sqlite3_stmt *, void *elem), void (*clear)(void *elem),
	     void **rows, size_t *n, char **cause);
/* Frees what store_rows gathered: clear (may be NULL) empties each element first. */
void	 store_rows_free(void *rows, size_t n, size_t size, void (*clear)(void *elem));
/* The first column of the one row sql gives, as a number (sql as for store_stmt, no parameters). */
int	 store_int64(struct store *, const char *sql, int64_t *out, char **cause);

/*
 * A transaction. store_begin inside one joins it (one change made of
 * several modules' changes, e.g. a resident and their first session): only
 * the outermost store_commit commits, and any store_rollback undoes it all.
 */
int	 store_begin(struct store *, char **cause);
int	 store_commit(struct store *, char **cause);
void	 store_rollback(struct store *);

/*
 * Appends an event to the outbox inside the current transaction. The store
 * takes ownership of payload (a json-c object) and adds nothing to it. If
 * id_out is not NULL it receives the event's UUIDv7.
 */
int	 store_event(struct store *, const char *type, struct json_object *payload,
	     char id_out[UUID_STR_LEN], char **cause);

/* One event from the outbox, as the sync client and `sotay export` see it. */
struct store_event {
	int64_t	 seq;			/* the kiosk's monotonic sequence */
	char	 id[UUID_STR_LEN];	/* UUIDv7 */
	char	*type;
	char	*payload;		/* JSON text */
	int64_t	 created_at;		/* ms, kiosk clock */
	int	 sent;			/* seq <= what the server acknowledged */
};
/*
 * Up to limit events with seq > after_seq, oldest first (all of them if
 * pending_only is 0, else only those not yet acknowledged). The caller frees
 * the array with store_events_free.
 */
int	 store_events(struct store *, int64_t after_seq, int limit, int pending_only,
	     struct store_event **, size_t *n, char **cause);
void	 store_events_free(struct store_event *, size_t n);
/*
 * Marks every event with seq <= upto as acknowledged by the server (one
 * number kept in meta: acks always mark a prefix). Events made later are
 * not, whatever upto says.
 */
int	 store_events_ack(struct store *, int64_t upto, char **cause);

/*
 * Renumbers every pending (unsent) event, in one transaction and in the
 * same order, so the first gets first_seq and the rest follow without gaps;
 * later events come after them (seq is never given twice). For a kiosk restored from an old backup whose seq numbers the
 * server already holds under other ids (sync/PROTOCOL.md). first_seq must be
 * greater than the first pending seq (else -1 with *cause set). Nothing
 * pending: nothing to do, 0. Must not be called inside a transaction.
 */
int	 store_events_rebase(struct store *, int64_t first_seq, char **cause);

struct store_counts {
	int64_t	 events;	/* every event this kiosk has made, compacted ones too */
	int64_t	 pending;
	int64_t	 last_seq;
	int64_t	 compacted;	/* of them, removed by store_events_compact */
};
int	 store_counts(struct store *, struct store_counts *, char **cause);

/*
 * Removes events the server has acknowledged (sent) that were made more
 * than keep_days ago, oldest first, so a kiosk's disk does not grow for
 * ever: the server holds them, and `sotay export` taken before holds them
 * too. Never the newest event, never a pending one. Works in transactions
 * of a few thousand events, so the screen's own writes wait little.
 * keep_days <= 0 keeps everything. *removed (may be NULL) counts what went.
 */
int	 store_events_compact(struct store *, int keep_days, int64_t *removed, char **cause);

/* Settings kept in the database (kiosk id, token, last sync…). *value is malloc'd, NULL if unset. */
int	 store_meta_get(struct store *, const char *key, char **value, char **cause);
/* Works inside or outside a transaction; value NULL deletes. */
int	 store_meta_set(struct store *, const char *key, const char *value, char **cause);
/*
 * A setting kept as a decimal number: 1 with *value set, 0 when unset or not
 * a number (*value untouched), -1 on error.
 */
int	 store_meta_get_int(struct store *, const char *key, int64_t *value, char **cause);
int	 store_meta_set_int(struct store *, const char *key, int64_t value, char **cause);

#endif
