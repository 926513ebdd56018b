/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-store.c: opening, migrating and refusing databases; the outbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "journey.h"
#include "report.h"
#include "store.h"
#include "util.h"
#include "helpers.h"

/* What the server has acknowledged, as the store keeps it (schema 5). */
#define ACKED	"(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_acked')"

/*
 * Opens p with flags | STORE_SAY_UPGRADE and gives what store_open wrote on
 * stderr (malloc'd, "" for nothing).
 */
static char *
open_saying(const char *p, int flags, struct store **st)
{
	char	*cause = NULL, *out = test_path("stderr.txt"), buf[1024];
	int	 saved = dup(2), fd;
	size_t	 n;
	FILE	*f;

	fflush(stderr);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	close(fd);
	if (store_open(p, flags | STORE_SAY_UPGRADE, st, &cause) != 0)
		fail_msg("%s", cause);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(out, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	free(out);
	return xstrdup(buf);
}

static void
test_empty_file_migrates(void **state)
{
	char *p = test_path("empty.db"), *said;
	struct store *st;

	/* A zero-byte file (as a crash during creation leaves) is a valid empty database. */
	FILE *f = fopen(p, "w");
	fclose(f);
	said = open_saying(p, STORE_CREATE, &st);	/* made in an instant, nothing to say */
	assert_string_equal(said, "");
	free(said);
	store_close(st);
	assert_int_equal(test_file_sql_int(p, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM sqlite_master WHERE name = 'notes'"), 1);
	/* Schema 3: what every start reads is indexed. */
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM sqlite_master WHERE name IN "
	    "('residents_unpurged', 'sessions_open')"), 2);
	/* Schema 4: a month's report too. */
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM sqlite_master WHERE name IN "
	    "('sessions_report', 'marks_blocked')"), 2);
	free(p);
	(void)state;
}

/*
 * Every table in a new database was declared by exactly one module, and
 * every table a module declares is there.
 */
static void
test_each_table_has_one_owner(void **state)
{
	char *p = test_path("owners.db"), *cause = NULL, sql[256], names[64][64];
	struct store *st;
	int declared = 0;

	assert_int_equal(store_open(p, STORE_CREATE, &st, &cause), 0);
	store_close(st);
	for (const struct store_schema *const *m = store_schemas; *m != NULL; m++)
		for (int v = 0; v < STORE_SCHEMA_VERSION; v++) {
			const char *q = (*m)->steps[v];

			while (q != NULL && (q = strstr(q, "CREATE TABLE ")) != NULL) {
				char name[64];

				q += strlen("CREATE TABLE ");
				assert_int_equal(sscanf(q, "%63[a-z_]", name), 1);
				snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE "
				    "type = 'table' AND name = '%s'", name);
				if (test_file_sql_int(p, sql) != 1)
					fail_msg("%s's table %s is missing", (*m)->module, name);
				/* A table rebuilt by a later version is declared again. */
				int k;
				for (k = 0; k < declared && strcmp(names[k], name) != 0; k++)
					;
				if (k == declared) {
					assert_true(declared < 64);
					memcpy(names[declared++], name, sizeof name);
				}
			}
		}
	/* Nothing else (SQLite's own sqlite_sequence aside). */
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name NOT LIKE 'sqlite_%'"), declared);
	assert_true(declared >= 7);
	free(p);
	(void)state;
}

static void
exec_file(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_version1_migrates_keeping_data(void **state)
{
	char *p = test_path("v1.db"), *cause = NULL;
	struct store *st;

	/* A database as version 1 left it, with a resident in it. */
	exec_file(p,
	    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	    "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	    " type TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,"
	    " sent INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE residents (id TEXT PRIMARY KEY, display_name TEXT NOT NULL,"
	    " birth_year INTEGER NOT NULL DEFAULT 0, sex TEXT NOT NULL DEFAULT '',"
	    " hamlet TEXT, phone TEXT, resume_code TEXT NOT NULL UNIQUE,"
	    " consent_at INTEGER NOT NULL, created_at INTEGER NOT NULL);"
	    "CREATE TABLE sessions (id TEXT PRIMARY KEY, resident_id TEXT, volunteer_id INTEGER,"
	    " checklist_id TEXT NOT NULL, checklist_version INTEGER NOT NULL, state TEXT NOT NULL,"
	    " current_step INTEGER NOT NULL DEFAULT 0, started_at INTEGER NOT NULL,"
	    " updated_at INTEGER NOT NULL, finished_at INTEGER, outcome TEXT);"
	    "CREATE INDEX sessions_started ON sessions(started_at);"
	    "CREATE TABLE marks (n INTEGER PRIMARY KEY, session_id TEXT NOT NULL,"
	    " step_index INTEGER NOT NULL, step_id TEXT NOT NULL, mark TEXT NOT NULL, reason TEXT,"
	    " at INTEGER NOT NULL, undone INTEGER NOT NULL DEFAULT 0);"
	    "INSERT INTO residents VALUES ('r1', 'Bà Năm', 1950, 'f', NULL, NULL, 'ABCDEF', 5, 7);"
	    "INSERT INTO outbox (id, type, payload, created_at) VALUES ('e1', 't', '{}', 1);"
	    "PRAGMA user_version = 1;");
	assert_int_equal(store_open(p, 0, &st, &cause), 0);
	store_close(st);
	assert_int_equal(test_file_sql_int(p, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(test_file_sql_int(p, "SELECT last_seen FROM residents WHERE id = 'r1'"), 7);
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM outbox"), 1);
	free(p);
	(void)state;
}

static void
test_newer_version_refused_untouched(void **state)
{
	char *p = test_path("newer.db"), *cause = NULL;
	struct store *st;

	exec_file(p, "CREATE TABLE x (a); PRAGMA user_version = 99;");
	assert_int_equal(store_open(p, STORE_CREATE, &st, &cause), -1);
	assert_non_null(strstr(cause, p));
	assert_non_null(strstr(cause, "99"));
	free(cause);
	assert_int_equal(test_file_sql_int(p, "PRAGMA user_version"), 99);
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM sqlite_master"), 1);
	free(p);
	(void)state;
}

static void
test_corrupt_and_missing(void **state)
{
	char *p = test_path("corrupt.db"), *cause = NULL;
	struct store *st;
	FILE *f = fopen(p, "w");

	fputs("this is not a database, but someone's notes\n", f);
	fclose(f);
	assert_int_equal(store_open(p, STORE_CREATE, &st, &cause), -1);
	assert_non_null(strstr(cause, p));
	assert_non_null(strstr(cause, "hỏng"));
	free(cause);
	/* The file is left exactly as it was. */
	size_t len;
	char *text = util_read_file(p, &len);
	assert_string_equal(text, "this is not a database, but someone's notes\n");
	free(text);
	free(p);

	p = test_path("missing/never.db");
	assert_int_equal(store_open(p, 0, &st, &cause), -1);
	assert_non_null(strstr(cause, p));
	free(cause);
	free(p);

	p = test_path("");
	assert_int_equal(store_open(p, STORE_CREATE, &st, &cause), -1);
	assert_non_null(strstr(cause, "thư mục"));
	free(cause);
	free(p);
	(void)state;
}

static void
test_outbox_order_and_ack(void **state)
{
	struct store *st = test_store("outbox.db");
	struct store_event *ev;
	struct store_counts c;
	char *cause = NULL, id[UUID_STR_LEN], prev[UUID_STR_LEN] = "";
	size_t n;

	for (int i = 0; i < 5; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "i", json_object_new_int(i));
		assert_int_equal(store_begin(st, &cause), 0);
		assert_int_equal(store_event(st, "test.event", o, id, &cause), 0);
		assert_int_equal(store_commit(st, &cause), 0);
		/* UUIDv7 ids sort in the order they were made. */
		assert_true(strcmp(prev, id) < 0);
		assert_int_equal(id[14], '7');
		memcpy(prev, id, sizeof id);
	}
	/* A rolled-back event leaves nothing. */
	assert_int_equal(store_begin(st, &cause), 0);
	assert_int_equal(store_event(st, "test.event", json_object_new_object(), NULL, &cause), 0);
	store_rollback(st);

	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 5);
	assert_int_equal(c.pending, 5);
	assert_int_equal(store_events(st, 0, 3, 1, &ev, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ev[0].seq, 1);
	assert_int_equal(ev[2].seq, 3);
	assert_string_equal(ev[1].payload, "{\"i\":1}");
	store_events_free(ev, n);
	assert_int_equal(store_events_ack(st, 3, &cause), 0);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.pending, 2);
	assert_int_equal(store_events(st, 0, 100, 1, &ev, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].seq, 4);
	store_events_free(ev, n);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE seq <= " ACKED), 3);
	store_close(st);
	(void)state;
}

/* Adds one event whose payload is {"i": i}; its id in id. */
static void
add_numbered(struct store *st, int i, char id[UUID_STR_LEN])
{
	json_object	*o = json_object_new_object();
	char		*cause = NULL;

	json_object_object_add(o, "i", json_object_new_int(i));
	assert_int_equal(store_begin(st, &cause), 0);
	assert_int_equal(store_event(st, "test.event", o, id, &cause), 0);
	assert_int_equal(store_commit(st, &cause), 0);
}

/* Renumbered with nothing sent yet (a kiosk's first sync): the count stays exact. */
static void
test_outbox_rebase_all_pending(void **state)
{
	struct store		*st = test_store("rebase-all.db");
	struct store_counts	 c;
	char			*cause = NULL, ids[4][UUID_STR_LEN];

	for (int i = 0; i < 3; i++)
		add_numbered(st, i, ids[i]);
	assert_int_equal(store_events_rebase(st, 50, &cause), 0);	/* 1…3 → 50…52 */
	assert_int_equal(test_sql_int(st, "SELECT min(seq) FROM outbox"), 50);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 3);
	assert_int_equal(c.pending, 3);
	assert_int_equal(c.last_seq, 52);
	/* Once more, and after a new event and an ack: still what the table holds. */
	assert_int_equal(store_events_rebase(st, 70, &cause), 0);
	add_numbered(st, 3, ids[3]);
	assert_int_equal(store_events_ack(st, 70, &cause), 0);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, test_sql_int(st, "SELECT count(*) FROM outbox"));
	assert_int_equal(c.events, 4);
	assert_int_equal(c.pending, 3);
	store_close(st);
}

static void
test_outbox_rebase(void **state)
{
	struct store		*st = test_store("rebase.db");
	char			*p = xasprintf("%s", store_path(st));
	struct store_event	*ev;
	struct store_counts	 c;
	char			*cause = NULL, ids[9][UUID_STR_LEN], payload[32];
	size_t			 n;

	/* Nothing pending: nothing to renumber, nothing changes. */
	assert_int_equal(store_events_rebase(st, 100, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox"), 0);

	for (int i = 0; i < 6; i++)
		add_numbered(st, i, ids[i]);
	assert_int_equal(store_events_ack(st, 2, &cause), 0);	/* 1, 2 sent; 3…6 pending */

	/* Refused: not past the first pending seq (3); nothing is touched. */
	assert_int_equal(store_events_rebase(st, 3, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "(3)"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_events_rebase(st, 1, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(test_sql_int(st, "SELECT sum(seq) FROM outbox"), 1 + 2 + 3 + 4 + 5 + 6);

	/* 3…6 become 4…7: overlapping ranges, as after a restore by one event. */
	assert_int_equal(store_events_rebase(st, 4, &cause), 0);
	/* Then far past what a server holds. */
	assert_int_equal(store_events_rebase(st, 41, &cause), 0);

	assert_int_equal(store_events(st, 0, 100, 0, &ev, &n, &cause), 0);
	assert_int_equal(n, 6);
	int64_t want_seq[6] = { 1, 2, 41, 42, 43, 44 };
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ev[i].seq, want_seq[i]);
		assert_string_equal(ev[i].id, ids[i]);	/* same events, same order */
		snprintf(payload, sizeof payload, "{\"i\":%zu}", i);
		assert_string_equal(ev[i].payload, payload);
		assert_int_equal(ev[i].sent, i < 2);
	}
	store_events_free(ev, n);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 6);
	assert_int_equal(c.pending, 4);
	assert_int_equal(c.last_seq, 44);

	/* New events continue after the renumbered ones, with no gap. */
	add_numbered(st, 6, ids[6]);
	add_numbered(st, 7, ids[7]);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", ids[6]), 45);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", ids[7]), 46);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 8);
	assert_int_equal(c.pending, 6);
	assert_int_equal(c.last_seq, 46);

	/* Acks still mark a prefix: the pending events stay 41… to the last. */
	assert_int_equal(store_events_ack(st, 42, &cause), 0);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.pending, 4);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE seq > " ACKED), 4);
	assert_int_equal(test_sql_int(st, "SELECT min(seq) FROM outbox WHERE seq > " ACKED), 43);

	/* Refused inside a transaction (it needs its own); nothing moves. */
	assert_int_equal(store_begin(st, &cause), 0);
	assert_int_equal(store_events_rebase(st, 100, &cause), -1);
	free(cause);
	cause = NULL;
	store_rollback(st);
	assert_int_equal(test_sql_int(st, "SELECT min(seq) FROM outbox WHERE seq > " ACKED), 43);

	/* Survives a reopen: the counter was moved in the file, not in memory. */
	store_close(st);
	if (store_open(p, 0, &st, &cause) != 0)
		fail_msg("%s", cause);
	add_numbered(st, 8, ids[8]);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", ids[8]), 47);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 9);
	assert_int_equal(c.pending, 5);
	free(p);
	store_close(st);
	(void)state;
}

/* Sent events older than the kept days leave the kiosk; the counts stay exact. */
static void
test_outbox_compact(void **state)
{
	struct store		*st = test_store("compact.db");
	char			*p = xasprintf("%s", store_path(st));
	struct store_event	*ev;
	struct store_counts	 c;
	char			*cause = NULL, id[UUID_STR_LEN];
	int64_t			 removed = -1, day = 86400000;
	size_t			 n;

	/* A hundred days ago: 1…6, of which 1…4 sent; then renumbered past a gap. */
	util_clock_offset_ms(-100 * day);
	for (int i = 0; i < 6; i++)
		add_numbered(st, i, id);
	assert_int_equal(store_events_ack(st, 4, &cause), 0);
	assert_int_equal(store_events_rebase(st, 20, &cause), 0);	/* 5, 6 → 20, 21 */
	assert_int_equal(store_events_ack(st, 21, &cause), 0);
	/* Ten days ago: 22…25, of which 22, 23 sent. */
	util_clock_offset_ms(90 * day);
	for (int i = 6; i < 10; i++)
		add_numbered(st, i, id);
	util_clock_offset_ms(10 * day);
	assert_int_equal(store_events_ack(st, 23, &cause), 0);

	/* Keeping everything (the default) removes nothing. */
	assert_int_equal(store_events_compact(st, 0, &removed, &cause), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox"), 10);

	/* Thirty days: the six old ones go, across the renumbering gap. */
	assert_int_equal(store_events_compact(st, 30, &removed, &cause), 0);
	assert_int_equal(removed, 6);
	assert_int_equal(test_sql_int(st, "SELECT min(seq) FROM outbox"), 22);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 10);
	assert_int_equal(c.compacted, 6);
	assert_int_equal(c.pending, 2);
	assert_int_equal(c.last_seq, 25);

	/* Five days: 22, 23 go; 24 is pending, so it and all after it stay. */
	assert_int_equal(store_events_compact(st, 5, &removed, &cause), 0);
	assert_int_equal(removed, 2);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE seq > " ACKED), 2);
	/* All sent: 24 goes, the newest (25) never does. */
	assert_int_equal(store_events_ack(st, 25, &cause), 0);
	assert_int_equal(store_events_compact(st, 5, &removed, &cause), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 10);
	assert_int_equal(c.compacted, 9);
	assert_int_equal(c.pending, 0);

	/* Numbering goes on; a reopen and a later renumbering keep the counts. */
	add_numbered(st, 10, id);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", id), 26);
	store_close(st);
	if (store_open(p, 0, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_events_rebase(st, 100, &cause), 0);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 11);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.last_seq, 100);
	/* What the sync client and `sotay export` read: only what is still here. */
	assert_int_equal(store_events(st, 0, 100, 0, &ev, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].seq, 25);
	assert_int_equal(ev[1].seq, 100);
	store_events_free(ev, n);

	/* Many at once: in several transactions, every one of them. */
	assert_int_equal(store_events_ack(st, 100, &cause), 0);
	assert_int_equal(store_begin(st, &cause), 0);
	for (int i = 0; i < 12001; i++)
		assert_int_equal(store_event(st, "test.event", json_object_new_object(), NULL,
		    &cause), 0);
	assert_int_equal(store_commit(st, &cause), 0);
	assert_int_equal(store_events_ack(st, 100 + 12001, &cause), 0);
	util_clock_offset_ms(10 * day);
	assert_int_equal(store_events_compact(st, 1, &removed, &cause), 0);
	util_clock_offset_ms(-10 * day);
	assert_int_equal(removed, 2 + 12000);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 11 + 12001);
	assert_int_equal(c.compacted, 9 + 2 + 12000);
	free(p);
	store_close(st);
	(void)state;
}

/*
 * Schema 4's outbox (AUTOINCREMENT, id UNIQUE, a sent flag and an index of
 * the pending) and marks (numbered across sessions, with marks_session),
 * rebuilt from what this program made, as a kiosk of that version left them.
 */
static const char schema4_tables[] =
    "ALTER TABLE outbox RENAME TO outbox5;"
    "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " sent INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX outbox_pending ON outbox(seq) WHERE sent = 0;"
    "INSERT INTO outbox SELECT seq, id, type, payload, created_at, seq <= " ACKED " FROM outbox5;"
    "DROP TABLE outbox5;"
    "DELETE FROM meta WHERE key = 'outbox_acked';"
    "DROP INDEX marks_blocked;"
    "ALTER TABLE marks RENAME TO marks5;"
    "CREATE TABLE marks (n INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),"
    " step_index INTEGER NOT NULL, step_id TEXT NOT NULL,"
    " mark TEXT NOT NULL CHECK (mark IN ('done', 'skipped', 'blocked')), reason TEXT,"
    " at INTEGER NOT NULL, undone INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO marks (session_id, step_index, step_id, mark, reason, at, undone)"
    " SELECT session_id, step_index, step_id, mark, reason, at, undone FROM marks5"
    " ORDER BY at, session_id, n;"
    "DROP TABLE marks5;"
    "CREATE INDEX marks_session ON marks(session_id, step_index);"
    "CREATE INDEX marks_blocked ON marks(session_id, step_id, reason)"
    " WHERE mark = 'blocked' AND undone = 0;"
    "PRAGMA user_version = 4;";

/* Everything a person or the server sees of a kiosk, as text to compare. */
static char *
kiosk_view(struct store *st, const char *const *sessions, int nsessions)
{
	struct store_counts c;
	struct store_event *ev;
	struct report *r;
	char *cause = NULL, *out;
	size_t n;

	assert_int_equal(store_counts(st, &c, &cause), 0);
	out = xasprintf("events %lld pending %lld last %lld compacted %lld\n", (long long)c.events,
	    (long long)c.pending, (long long)c.last_seq, (long long)c.compacted);
	assert_int_equal(store_events(st, 0, 1000, 1, &ev, &n, &cause), 0);
	for (size_t i = 0; i < n; i++) {
		char *next = xasprintf("%s%lld %s %s %s %d\n", out, (long long)ev[i].seq, ev[i].id,
		    ev[i].type, ev[i].payload, ev[i].sent);
		free(out);
		out = next;
	}
	store_events_free(ev, n);
	for (int i = 0; i < nsessions; i++) {
		struct journey *j;
		char *next;

		assert_int_equal(journey_load(st, sessions[i], &j, &cause), 0);
		next = xasprintf("%s%s %s at %d undo %d:", out, j->id, session_state_id(j->state),
		    j->current, j->nundo);
		free(out);
		out = next;
		for (size_t k = 0; k < j->checklist->nsteps; k++) {
			next = xasprintf("%s %s/%s", out, mark_id(j->marks[k]),
			    j->reasons[k] ? j->reasons[k] : "");
			free(out);
			out = next;
		}
		next = xasprintf("%s\n", out);
		free(out);
		out = next;
		journey_free(j);
	}
	int64_t now = util_now_ms();
	assert_int_equal(report_build(st, now - 30 * 86400000LL, now + 86400000, &r, &cause), 0);
	json_object *o = report_json(r);
	char *next = xasprintf("%s%s\n", out, json_object_to_json_string(o));
	json_object_put(o);
	report_free(r);
	free(out);
	return next;
}

/*
 * A kiosk of schema 4 with sent and pending events, marks undone and
 * blocked, in sessions open, paused and finished: after the migration the
 * same events wait, the counts are the same, each session resumes where it
 * was, undo takes the newest mark, and the month's report is unchanged.
 */
static void
test_version4_migrates_keeping_data(void **state)
{
	struct store		*st = test_store("v4.db");
	char			*p = xstrdup(store_path(st)), *cause = NULL, *before, *after, *said;
	struct library		 lib;
	struct journey		*a, *b, *c;
	struct store_counts	 cnt;
	int64_t			 removed, day = 86400000;

	test_library(&lib);
	const struct checklist *cl = library_find(&lib, "test-basic");
	/* Long ago: a finished session, sent and compacted, and a renumbering. */
	util_clock_offset_ms(-100 * day);
	assert_int_equal(journey_start(st, cl, NULL, 0, &c, &cause), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(journey_mark_next(st, c, i, MARK_DONE, NULL, &cause), 0);
	util_clock_offset_ms(100 * day);
	assert_int_equal(store_counts(st, &cnt, &cause), 0);
	assert_int_equal(store_events_ack(st, cnt.last_seq, &cause), 0);
	assert_int_equal(store_events_compact(st, 30, &removed, &cause), 0);
	assert_true(removed > 0);
	/* Two sessions at once, marks interleaved, blocks, undos. */
	assert_int_equal(journey_start(st, cl, NULL, 0, &a, &cause), 0);
	assert_int_equal(journey_start(st, cl, NULL, 0, &b, &cause), 0);
	assert_int_equal(journey_mark(st, a, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, b, 0, MARK_BLOCKED, "không có sóng", &cause), 0);
	assert_int_equal(journey_mark(st, a, 1, MARK_BLOCKED, "quên mật khẩu", &cause), 0);
	assert_int_equal(journey_undo(st, b, &cause), 0);
	assert_int_equal(journey_mark(st, b, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, a, 2, MARK_SKIPPED, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, a, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, b, 1, MARK_BLOCKED, "không có sóng", &cause), 0);
	assert_int_equal(journey_pause(st, b, &cause), 0);
	/* Half of it sent; then a renumbering of the rest, as after a restore. */
	assert_int_equal(store_counts(st, &cnt, &cause), 0);
	assert_int_equal(store_events_ack(st, cnt.last_seq - 6, &cause), 0);
	assert_int_equal(store_events_rebase(st, cnt.last_seq + 10, &cause), 0);
	assert_int_equal(journey_mark(st, a, 3, MARK_BLOCKED, "quên mật khẩu", &cause), 0);

	char ids[3][UUID_STR_LEN];
	memcpy(ids[0], a->id, UUID_STR_LEN);
	memcpy(ids[1], b->id, UUID_STR_LEN);
	memcpy(ids[2], c->id, UUID_STR_LEN);
	const char *sessions[] = { ids[0], ids[1], ids[2] };
	before = kiosk_view(st, sessions, 3);
	store_close(st);
	exec_file(p, schema4_tables);
	assert_int_equal(test_file_sql_int(p, "PRAGMA user_version"), 4);
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM outbox WHERE sent = 0"), 7);
	assert_int_equal(test_file_sql_int(p, "SELECT count(*) FROM marks WHERE undone = 1"), 1);
	/* The kiosk says it is upgrading, naming the file, before the work. */
	said = open_saying(p, 0, &st);
	assert_non_null(strstr(said, p));
	free(said);
	assert_int_equal(test_file_sql_int(p, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	/* Once done, nothing more to say. */
	store_close(st);
	said = open_saying(p, 0, &st);
	assert_string_equal(said, "");
	free(said);
	after = kiosk_view(st, sessions, 3);
	assert_string_equal(after, before);
	free(after);

	/* Undo takes the newest mark still in force: a's block of step 4, then its done of step 2. */
	journey_free(a);
	assert_int_equal(journey_load(st, sessions[0], &a, &cause), 0);
	assert_int_equal(journey_undo(st, a, &cause), 0);
	assert_int_equal(a->marks[3], MARK_TODO);
	assert_int_equal(journey_undo(st, a, &cause), 0);
	assert_int_equal(a->marks[1], MARK_BLOCKED);
	assert_string_equal(a->reasons[1], "quên mật khẩu");
	/* And new marks come after the old ones in the same session. */
	assert_int_equal(journey_mark(st, a, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_undo(st, a, &cause), 0);
	assert_int_equal(a->marks[1], MARK_BLOCKED);
	journey_free(a);
	assert_int_equal(journey_load(st, sessions[0], &a, &cause), 0);
	assert_int_equal(a->marks[1], MARK_BLOCKED);
	assert_int_equal(a->current, 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sqlite_master WHERE name IN "
	    "('marks_session', 'outbox_pending')"), 0);

	free(before);
	free(p);
	journey_free(a);
	journey_free(b);
	journey_free(c);
	library_free(&lib);
	store_close(st);
	(void)state;
}

/*
 * A schema-4 outbox where an event was marked sent above one that was
 * not (no version of this program did that): it is sent again rather
 * than lost, and the server keeps it once.
 */
static void
test_version4_unsent_below_sent(void **state)
{
	struct store		*st = test_store("v4-gap.db");
	char			*p = xstrdup(store_path(st)), *cause = NULL, id[UUID_STR_LEN];
	struct store_counts	 c;

	for (int i = 0; i < 6; i++)
		add_numbered(st, i, id);
	assert_int_equal(store_events_ack(st, 4, &cause), 0);
	store_close(st);
	exec_file(p, schema4_tables);
	exec_file(p, "UPDATE outbox SET sent = 0 WHERE seq = 2; UPDATE outbox SET sent = 1 WHERE seq = 6");
	if (store_open(p, 0, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 6);
	assert_int_equal(c.pending, 5);
	assert_int_equal(test_sql_int(st, "SELECT min(seq) FROM outbox WHERE seq > " ACKED), 2);
	store_close(st);
	free(p);
	(void)state;
}

/*
 * seq is never given twice, though SQLite numbers the outbox from its
 * largest: everything sent compacted away (the newest stays), a
 * renumbering, a reopen.
 */
static void
test_outbox_seq_never_reused(void **state)
{
	struct store		*st = test_store("seq.db");
	char			*p = xstrdup(store_path(st)), *cause = NULL, id[UUID_STR_LEN];
	struct store_counts	 c;
	int64_t			 removed, day = 86400000;

	util_clock_offset_ms(-10 * day);
	for (int i = 0; i < 5; i++)
		add_numbered(st, i, id);
	util_clock_offset_ms(10 * day);
	assert_int_equal(store_events_ack(st, 5, &cause), 0);
	assert_int_equal(store_events_compact(st, 1, &removed, &cause), 0);
	assert_int_equal(removed, 4);
	add_numbered(st, 5, id);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", id), 6);

	/* An ack past the newest event does not cover the ones made after it. */
	assert_int_equal(store_events_ack(st, 1000, &cause), 0);
	add_numbered(st, 6, id);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.last_seq, 7);

	/* Renumbered past the server's: new events follow, after a reopen too. */
	assert_int_equal(store_events_rebase(st, 500, &cause), 0);
	store_close(st);
	if (store_open(p, 0, &st, &cause) != 0)
		fail_msg("%s", cause);
	add_numbered(st, 7, id);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", id), 501);
	assert_int_equal(store_events_ack(st, 501, &cause), 0);
	util_clock_offset_ms(10 * day);
	assert_int_equal(store_events_compact(st, 1, &removed, &cause), 0);
	util_clock_offset_ms(-10 * day);
	assert_int_equal(removed, 3);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox"), 1);
	add_numbered(st, 8, id);
	assert_int_equal(test_sql_int(st, "SELECT seq FROM outbox WHERE id = '%s'", id), 502);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.events, 9);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.compacted, 7);
	assert_int_equal(test_sql_int(st, "SELECT count(DISTINCT id) FROM outbox"),
	    test_sql_int(st, "SELECT count(*) FROM outbox"));
	store_close(st);
	free(p);
	(void)state;
}

static void
test_meta(void **state)
{
	struct store *st = test_store("meta.db");
	char *cause = NULL, *v;

	assert_int_equal(store_meta_get(st, "kiosk_id", &v, &cause), 0);
	assert_null(v);
	assert_int_equal(store_meta_set(st, "kiosk_id", "k-1", &cause), 0);
	assert_int_equal(store_meta_set(st, "kiosk_id", "k-2", &cause), 0);
	assert_int_equal(store_meta_get(st, "kiosk_id", &v, &cause), 0);
	assert_string_equal(v, "k-2");
	free(v);
	assert_int_equal(store_meta_set(st, "kiosk_id", NULL, &cause), 0);
	assert_int_equal(store_meta_get(st, "kiosk_id", &v, &cause), 0);
	assert_null(v);
	store_close(st);
	(void)state;
}

static void
test_durability_settings(void **state)
{
	struct store *st = test_store("pragmas.db");
	char *p = xstrdup(store_path(st));

	/* journal_mode is stored in the file; synchronous and foreign_keys are per connection. */
	assert_int_equal(test_file_sql_int(p, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	store_close(st);
	free(p);
	(void)state;
}

static void
test_disk_full_keeps_what_was_saved(void **state)
{
	struct store *st = test_store("full.db");
	struct library lib;
	struct journey *j = NULL;
	char *cause = NULL;
	int saved = 0;

	assert_int_equal(content_store_load(st, &lib, &cause), 0);
	/* The disk "fills up" a few pages from now: SQLite answers SQLITE_FULL. */
	sqlite3 *db = sqlite3_db_handle(store_stmt(st, "SELECT 1"));
	int64_t pages = test_sql_int(st, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 3);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	for (int i = 0; i < 100000; i++) {
		if (j == NULL || journey_next_todo(j) < 0) {
			journey_free(j);
			if (journey_start(st, library_find(&lib, "test-basic"), NULL, 0, &j, &cause) != 0)
				break;
		}
		if (journey_mark(st, j, journey_next_todo(j), MARK_DONE, NULL, &cause) != 0)
			break;
		saved++;
	}
	assert_non_null(cause);
	assert_non_null(strstr(cause, "đầy"));
	assert_non_null(strstr(cause, store_path(st)));
	free(cause);
	journey_free(j);
	library_free(&lib);
	char *path = xstrdup(store_path(st));
	store_close(st);
	/* Everything that was confirmed is there, each mark with its event. */
	assert_true(saved > 0);
	assert_int_equal(test_file_sql_int(path, "SELECT count(*) FROM marks"), saved);
	assert_int_equal(test_file_sql_int(path, "SELECT count(*) FROM outbox WHERE type = 'step.marked'"),
	    saved);
	free(path);
	(void)state;
}

/*
 * A disk that is full as the kiosk starts: SQLite's unix VFS, except that
 * growing the -shm file fails as it does on a full disk (SQLITE_IOERR_SHMSIZE,
 * errno ENOSPC).
 */
static sqlite3_vfs full_vfs, *real_vfs;
static sqlite3_io_methods full_methods;

static int
full_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p)
{
	(void)f; (void)region; (void)size; (void)extend;
	*p = NULL;
	errno = ENOSPC;
	return SQLITE_IOERR_SHMSIZE;
}

static int
full_last_error(sqlite3_vfs *vfs, int n, char *buf)
{
	(void)vfs; (void)n; (void)buf;
	return ENOSPC;
}

static int
full_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);

	(void)vfs;
	if (rc == SQLITE_OK && f->pMethods != NULL && f->pMethods->iVersion >= 2) {
		full_methods = *f->pMethods;
		full_methods.xShmMap = full_shm_map;
		f->pMethods = &full_methods;
	}
	return rc;
}

static void
test_disk_full_at_start(void **state)
{
	struct store *st = test_store("full-start.db");
	char *cause = NULL, *path = xstrdup(store_path(st));

	store_close(st);
	real_vfs = sqlite3_vfs_find(NULL);
	full_vfs = *real_vfs;
	full_vfs.zName = "full";
	full_vfs.xOpen = full_open;
	full_vfs.xGetLastError = full_last_error;
	assert_int_equal(sqlite3_vfs_register(&full_vfs, 1), SQLITE_OK);
	assert_int_equal(store_open(path, 0, &st, &cause), -1);
	sqlite3_vfs_unregister(&full_vfs);
	/* It says the disk is full, where, and what to do: not "disk I/O error". */
	assert_non_null(cause);
	assert_non_null(strstr(cause, "đã đầy"));
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "giải phóng dung lượng"));
	assert_null(strstr(cause, "I/O"));
	free(cause);
	/* With room again it opens, with what it held. */
	assert_int_equal(store_open(path, 0, &st, &cause), 0);
	assert_true(test_sql_int(st, "SELECT count(*) FROM sqlite_master") > 0);
	store_close(st);
	free(path);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_file_migrates),
		cmocka_unit_test(test_each_table_has_one_owner),
		cmocka_unit_test(test_version1_migrates_keeping_data),
		cmocka_unit_test(test_newer_version_refused_untouched),
		cmocka_unit_test(test_corrupt_and_missing),
		cmocka_unit_test(test_outbox_order_and_ack),
		cmocka_unit_test(test_outbox_rebase),
		cmocka_unit_test(test_outbox_rebase_all_pending),
		cmocka_unit_test(test_outbox_compact),
		cmocka_unit_test(test_outbox_seq_never_reused),
		cmocka_unit_test(test_version4_migrates_keeping_data),
		cmocka_unit_test(test_version4_unsent_below_sent),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_durability_settings),
		cmocka_unit_test(test_disk_full_keeps_what_was_saved),
		cmocka_unit_test(test_disk_full_at_start),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
