/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store-sqlite.c: the server's store in one SQLite file (see
 * server-store.h). WAL with synchronous=FULL, schema migrations numbered by
 * PRAGMA user_version, a busy timeout for the command-line tools that open
 * the same file while the server runs.
 *
 * Threads: a small pool of connections, each used by one thread at a time,
 * so reports and content downloads read in parallel (WAL). Writers take one
 * process-wide lock before BEGIN IMMEDIATE: SQLite has one writer anyway,
 * and queueing on a mutex is fairer and cheaper than spinning on SQLITE_BUSY
 * when a thousand kiosks upload at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "event.h"
#include "i18n.h"
#include "secret.h"
#include "util.h"
#include "server-store.h"

#define POOL_MAX	32
#define CACHE_MAX	32
#define BUSY_MS		15000

struct conn {
	sqlite3		*db;
	struct {
		const char	*sql;
		sqlite3_stmt	*st;
	}		 cache[CACHE_MAX];
	int		 ncache;
	struct conn	*next;
};

struct sqlite_store {
	struct server_store	 base;
	char			*path;
	pthread_mutex_t		 mu;	/* the pool */
	pthread_cond_t		 cv;
	struct conn		*idle;
	int			 nconn;
	pthread_mutex_t		 wmu;	/* one writer at a time */
};

/* Migrations: entry i takes the schema from user_version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE kiosks ("
	"  id TEXT PRIMARY KEY,"
	"  province TEXT NOT NULL, commune TEXT NOT NULL,"
	"  hamlet TEXT NOT NULL, name TEXT NOT NULL,"
	"  token_hash BLOB NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER NOT NULL DEFAULT 0,"
	"  held_seq INTEGER NOT NULL DEFAULT 0,"
	"  last_seen INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE events ("
	"  id TEXT PRIMARY KEY,"
	"  kiosk TEXT NOT NULL REFERENCES kiosks(id),"
	"  seq INTEGER NOT NULL, type TEXT NOT NULL, at INTEGER NOT NULL,"
	"  payload TEXT NOT NULL, received_at INTEGER NOT NULL,"
	"  UNIQUE (kiosk, seq));"
	"CREATE TABLE conflicts ("
	"  kiosk TEXT NOT NULL REFERENCES kiosks(id),"
	"  id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,"
	"  at INTEGER NOT NULL, payload TEXT NOT NULL, reason TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  PRIMARY KEY (kiosk, id, seq));"
	"CREATE INDEX conflicts_seq ON conflicts (kiosk, seq);"
	/* Facts for reports, derived from events as they arrive. */
	"CREATE TABLE f_resident ("
	"  kiosk TEXT NOT NULL, resident TEXT NOT NULL, hamlet TEXT,"
	"  birth_year INTEGER, sex TEXT, at INTEGER NOT NULL,"
	"  PRIMARY KEY (kiosk, resident));"
	"CREATE TABLE f_session ("
	"  kiosk TEXT NOT NULL, session TEXT NOT NULL, resident TEXT,"
	"  checklist TEXT, version INTEGER, category TEXT, at INTEGER NOT NULL,"
	"  PRIMARY KEY (kiosk, session));"
	"CREATE INDEX f_session_at ON f_session (at);"
	"CREATE TABLE f_finish ("
	"  kiosk TEXT NOT NULL, session TEXT NOT NULL, checklist TEXT,"
	"  outcome TEXT, at INTEGER NOT NULL,"
	"  PRIMARY KEY (kiosk, session));"
	"CREATE INDEX f_finish_at ON f_finish (at);"
	"CREATE TABLE f_block ("
	"  event TEXT PRIMARY KEY, kiosk TEXT NOT NULL, session TEXT,"
	"  checklist TEXT, step TEXT, reason TEXT, at INTEGER NOT NULL);"
	"CREATE INDEX f_block_at ON f_block (at);"
	"CREATE TABLE content_versions ("
	"  version INTEGER PRIMARY KEY, published_at INTEGER NOT NULL);"
	"CREATE TABLE checklists ("
	"  id TEXT NOT NULL, version INTEGER NOT NULL, json TEXT NOT NULL,"
	"  content_version INTEGER NOT NULL REFERENCES content_versions(version),"
	"  PRIMARY KEY (id, version));"
	"CREATE INDEX checklists_cv ON checklists (content_version);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int
db_fail(struct sqlite_store *s, sqlite3 *db, char **cause)
{
	int rc = sqlite3_errcode(db);

	errno = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? EBUSY : EIO;
	return fail(cause, L("Cơ sở dữ liệu máy chủ %s: %s.", "Server database %s: %s."),
	    s->path, sqlite3_errmsg(db));
}

static int
exec(struct sqlite_store *s, sqlite3 *db, const char *sql, char **cause)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, db, cause);
	return 0;
}

/* A cached statement, reset; sql must be a literal (keyed by address). */
static sqlite3_stmt *
stmt(struct conn *c, const char *sql)
{
	int i;

	for (i = 0; i < c->ncache; i++)
		if (c->cache[i].sql == sql) {
			sqlite3_reset(c->cache[i].st);
			sqlite3_clear_bindings(c->cache[i].st);
			return c->cache[i].st;
		}
	if (c->ncache == CACHE_MAX)
		return NULL;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->cache[c->ncache].st, NULL) != SQLITE_OK)
		return NULL;
	c->cache[c->ncache].sql = sql;
	return c->cache[c->ncache++].st;
}

static void
conn_free(struct conn *c)
{
	int i;

	for (i = 0; i < c->ncache; i++)
		sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	free(c);
}

static int
conn_new(struct sqlite_store *s, struct conn **out, char **cause)
{
	struct conn *c = xcalloc(1, sizeof *c);

	*out = NULL;
	if (sqlite3_open_v2(s->path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fail(cause, L("Không mở được cơ sở dữ liệu máy chủ %s: %s. Hãy kiểm tra "
		    "đường dẫn và quyền ghi.", "Cannot open the server database %s: %s. "
		    "Check the path and write permission."), s->path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : "?");
		conn_free(c);
		return -1;
	}
	sqlite3_busy_timeout(c->db, BUSY_MS);
	if (exec(s, c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;", cause) != 0) {
		conn_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static struct conn *
conn_get(struct sqlite_store *s, char **cause)
{
	struct conn *c;

	pthread_mutex_lock(&s->mu);
	while (s->idle == NULL && s->nconn >= POOL_MAX)
		pthread_cond_wait(&s->cv, &s->mu);
	if ((c = s->idle) != NULL) {
		s->idle = c->next;
		pthread_mutex_unlock(&s->mu);
		return c;
	}
	s->nconn++;
	pthread_mutex_unlock(&s->mu);
	if (conn_new(s, &c, cause) != 0) {
		pthread_mutex_lock(&s->mu);
		s->nconn--;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		return NULL;
	}
	return c;
}

static void
conn_put(struct sqlite_store *s, struct conn *c)
{
	pthread_mutex_lock(&s->mu);
	c->next = s->idle;
	s->idle = c;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static int
migrate(struct sqlite_store *s, struct conn *c, char **cause)
{
	sqlite3_stmt	*st;
	int		 v, i;
	char		 sql[64];

	if (exec(s, c->db, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		goto bad;
	v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (v > NMIGRATIONS) {
		exec(s, c->db, "ROLLBACK", NULL);
		return fail(cause, L("Cơ sở dữ liệu %s thuộc phiên bản mới hơn (%d) "
		    "chương trình này (%d); hãy cập nhật sotay-server.", "The database %s "
		    "is from a newer version (%d) than this program (%d); upgrade "
		    "sotay-server."), s->path, v, NMIGRATIONS);
	}
	for (i = v; i < NMIGRATIONS; i++)
		if (sqlite3_exec(c->db, migrations[i], NULL, NULL, NULL) != SQLITE_OK)
			goto bad;
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", NMIGRATIONS);
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto bad;
	return exec(s, c->db, "COMMIT", cause);
bad:
	db_fail(s, c->db, cause);
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static void sqlite_close(struct server_store *);

static int
sqlite_open(const char *where, struct server_store **out, char **cause)
{
	struct sqlite_store	*s = xcalloc(1, sizeof *s);
	struct conn		*c;

	*out = NULL;
	/* Private from the start: SQLite gives its -wal and -shm files the same mode. */
	secret_create_private(where);
	s->base.ops = &server_store_sqlite;
	s->path = xstrdup(where);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->wmu, NULL);
	if ((c = conn_get(s, cause)) == NULL) {
		sqlite_close(&s->base);
		return -1;
	}
	if (migrate(s, c, cause) != 0) {
		conn_put(s, c);
		sqlite_close(&s->base);
		return -1;
	}
	conn_put(s, c);
	*out = &s->base;
	return 0;
}

static void
sqlite_close(struct server_store *base)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;

	if (s == NULL)
		return;
	while ((c = s->idle) != NULL) {
		s->idle = c->next;
		conn_free(c);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->wmu);
	free(s->path);
	free(s);
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return xstrdup(t != NULL ? (const char *)t : "");
}

/* Kiosks ---------------------------------------------------------------- */

#define KIOSK_COLS "id, province, commune, hamlet, name, created_at, revoked_at," \
	" held_seq, last_seen"

static void
kiosk_row(sqlite3_stmt *st, struct server_kiosk *k)
{
	k->id = col_text(st, 0);
	k->province = col_text(st, 1);
	k->commune = col_text(st, 2);
	k->hamlet = col_text(st, 3);
	k->name = col_text(st, 4);
	k->created_at = sqlite3_column_int64(st, 5);
	k->revoked_at = sqlite3_column_int64(st, 6);
	k->held_seq = sqlite3_column_int64(st, 7);
	k->last_seen = sqlite3_column_int64(st, 8);
}

static int
sqlite_kiosk_add(struct server_store *base, const struct server_kiosk *k,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	int			 rc = 0;

	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	pthread_mutex_lock(&s->wmu);
	st = stmt(c, "INSERT INTO kiosks (id, province, commune, hamlet, name,"
	    " token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		rc = db_fail(s, c->db, cause);
	else {
		sqlite3_bind_text(st, 1, k->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k->province, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, k->commune, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, k->hamlet, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, k->name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 6, hash, SERVER_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, util_now_ms());
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, c->db, cause);
		sqlite3_reset(st);
	}
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	return rc;
}

static int
sqlite_kiosk_list(struct server_store *base, struct server_kiosk **out, size_t *n,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	size_t			 cap = 0;
	int			 r, rc = 0;

	*out = NULL;
	*n = 0;
	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	st = stmt(c, "SELECT " KIOSK_COLS " FROM kiosks ORDER BY created_at, id");
	if (st == NULL) {
		rc = db_fail(s, c->db, cause);
		goto out;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		memset(&(*out)[*n], 0, sizeof **out);
		kiosk_row(st, &(*out)[(*n)++]);
	}
	if (r != SQLITE_DONE)
		rc = db_fail(s, c->db, cause);
	sqlite3_reset(st);
out:
	conn_put(s, c);
	return rc;
}

static int
sqlite_kiosk_revoke(struct server_store *base, const char *id, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	int			 rc = 0;

	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	pthread_mutex_lock(&s->wmu);
	st = stmt(c, "UPDATE kiosks SET revoked_at = ? WHERE id = ? AND revoked_at = 0");
	if (st == NULL)
		rc = db_fail(s, c->db, cause);
	else {
		sqlite3_bind_int64(st, 1, util_now_ms());
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, c->db, cause);
		else if (sqlite3_changes(c->db) == 0)
			rc = fail(cause, L("Không có trạm nào đang hoạt động với mã %s; xem "
			    "danh sách bằng `sotay-server kiosk list`.", "No active kiosk has "
			    "the id %s; see the list with `sotay-server kiosk list`."), id);
		sqlite3_reset(st);
	}
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	return rc;
}

static int
sqlite_kiosk_by_token(struct server_store *base,
    const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *k, int *found,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	int			 r, rc = 0;

	memset(k, 0, sizeof *k);
	*found = 0;
	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	st = stmt(c, "SELECT " KIOSK_COLS " FROM kiosks WHERE token_hash = ?");
	if (st == NULL) {
		rc = db_fail(s, c->db, cause);
		goto out;
	}
	sqlite3_bind_blob(st, 1, hash, SERVER_HASH_LEN, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		kiosk_row(st, k);
		if (k->revoked_at != 0) {
			*found = -1;
			server_kiosk_free(k);
		} else
			*found = 1;
	} else if (r != SQLITE_DONE)
		rc = db_fail(s, c->db, cause);
	sqlite3_reset(st);
out:
	conn_put(s, c);
	return rc;
}

/* Events ---------------------------------------------------------------- */

static void
bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Derives the facts reports need from a newly stored event. */
static int
derive(struct sqlite_store *s, struct conn *c, const char *kiosk,
    const struct protocol_event *e, char **cause)
{
	enum event_type		 type = event_type_parse(e->type);
	json_object		*p;
	sqlite3_stmt		*st = NULL;
	struct event_buf	 b;
	int			 rc = 0;

	if (type != EVENT_RESIDENT_ADDED && type != EVENT_SESSION_STARTED &&
	    type != EVENT_SESSION_FINISHED && type != EVENT_STEP_MARKED &&
	    type != EVENT_STEP_UNDONE)
		return 0;
	if ((p = json_tokener_parse(e->payload)) == NULL)
		return 0;
	if (type == EVENT_RESIDENT_ADDED) {
		struct event_resident r;

		if (event_read_resident(p, &r, &b) != 0)
			goto out;
		st = stmt(c, "INSERT OR IGNORE INTO f_resident (kiosk, resident, hamlet,"
		    " birth_year, sex, at) VALUES (?, ?, ?, ?, ?, ?)");
		if (st == NULL)
			goto bad;
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		bind_opt(st, 2, r.resident);
		bind_opt(st, 3, r.hamlet);
		if (r.birth_year != 0)
			sqlite3_bind_int64(st, 4, r.birth_year);
		bind_opt(st, 5, r.sex);
		sqlite3_bind_int64(st, 6, e->at);
	} else if (type == EVENT_SESSION_STARTED) {
		struct event_session_start r;

		if (event_read_session_start(p, &r, &b) != 0)
			goto out;
		st = stmt(c, "INSERT OR IGNORE INTO f_session (kiosk, session, resident,"
		    " checklist, version, category, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (st == NULL)
			goto bad;
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		bind_opt(st, 2, r.session);
		bind_opt(st, 3, r.resident);
		bind_opt(st, 4, r.checklist);
		if (r.version != 0)
			sqlite3_bind_int64(st, 5, r.version);
		bind_opt(st, 6, r.category);
		sqlite3_bind_int64(st, 7, e->at);
	} else if (type == EVENT_SESSION_FINISHED) {
		struct event_session_finish r;

		if (event_read_session_finish(p, &r, &b) != 0)
			goto out;
		st = stmt(c, "INSERT OR IGNORE INTO f_finish (kiosk, session, checklist,"
		    " outcome, at) VALUES (?, ?, ?, ?, ?)");
		if (st == NULL)
			goto bad;
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		bind_opt(st, 2, r.session);
		bind_opt(st, 3, r.checklist);
		bind_opt(st, 4, r.outcome);
		sqlite3_bind_int64(st, 5, e->at);
	} else {
		struct event_step r;

		/* Only blocks count; an undone block stops counting. */
		if (event_read_step(p, &r, &b) != 0 || r.mark == NULL ||
		    strcmp(r.mark, EVENT_MARK_BLOCKED) != 0)
			goto out;
		if (type == EVENT_STEP_UNDONE) {
			/* The kiosk took a block back: its newest block of that step no longer counts. */
			st = stmt(c, "DELETE FROM f_block WHERE event = (SELECT event FROM f_block"
			    " WHERE kiosk = ? AND session = ? AND step = ? ORDER BY event DESC LIMIT 1)");
			if (st == NULL)
				goto bad;
			sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
			bind_opt(st, 2, r.session);
			bind_opt(st, 3, r.step);
		} else {
			st = stmt(c, "INSERT OR IGNORE INTO f_block (event, kiosk, session,"
			    " checklist, step, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
			if (st == NULL)
				goto bad;
			sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
			bind_opt(st, 3, r.session);
			bind_opt(st, 4, r.checklist);
			bind_opt(st, 5, r.step);
			bind_opt(st, 6, r.reason);
			sqlite3_bind_int64(st, 7, e->at);
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		goto bad;
	sqlite3_reset(st);
out:
	json_object_put(p);
	return rc;
bad:
	rc = db_fail(s, c->db, cause);
	if (st != NULL)
		sqlite3_reset(st);
	json_object_put(p);
	return rc;
}

#define WHY_SEQ_TAKEN	"seq held under another id"

static void
add_conflict(struct protocol_ack *a, const struct protocol_event *e, const char *why)
{
	struct protocol_conflict *x;

	a->conflicts = xrealloc(a->conflicts, (a->nconflicts + 1) * sizeof *a->conflicts);
	x = &a->conflicts[a->nconflicts++];
	memcpy(x->id, e->id, PROTOCOL_ID_LEN);
	x->seq = e->seq;
	x->reason = xstrdup(why);
	x->seq_taken = strcmp(why, WHY_SEQ_TAKEN) == 0;
}

/* Handles one event of the batch inside the open transaction. */
static int
put_one(struct sqlite_store *s, struct conn *c, const struct server_kiosk *k,
    const struct protocol_event *e, int64_t now, struct protocol_ack *a, char **cause)
{
	sqlite3_stmt	*st;
	const char	*why = NULL;
	int		 r;

	st = stmt(c, "SELECT kiosk, seq, type, payload FROM events WHERE id = ?");
	if (st == NULL)
		return db_fail(s, c->db, cause);
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *kk = (const char *)sqlite3_column_text(st, 0);
		const char *ty = (const char *)sqlite3_column_text(st, 2);
		const char *pl = (const char *)sqlite3_column_text(st, 3);

		if (kk == NULL || strcmp(kk, k->id) != 0)
			why = "id held for another kiosk";
		else if (sqlite3_column_int64(st, 1) == e->seq && ty != NULL &&
		    strcmp(ty, e->type) == 0 && pl != NULL && strcmp(pl, e->payload) == 0) {
			sqlite3_reset(st);
			a->duplicates++;
			return 0;
		} else
			why = "id held with different content";
	} else if (r != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_fail(s, c->db, cause);
	}
	sqlite3_reset(st);
	if (why == NULL) {
		st = stmt(c, "SELECT 1 FROM events WHERE kiosk = ? AND seq = ?");
		if (st == NULL)
			return db_fail(s, c->db, cause);
		sqlite3_bind_text(st, 1, k->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, e->seq);
		r = sqlite3_step(st);
		sqlite3_reset(st);
		if (r == SQLITE_ROW)
			why = WHY_SEQ_TAKEN;
		else if (r != SQLITE_DONE)
			return db_fail(s, c->db, cause);
	}
	if (why != NULL) {
		/*
		 * Kept, so a supervisor can see it, and so its seq counts as held
		 * (a taken seq is held anyway: by the other id).
		 */
		st = stmt(c, "INSERT OR IGNORE INTO conflicts (kiosk, id, seq, type, at,"
		    " payload, reason, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
		if (st == NULL)
			return db_fail(s, c->db, cause);
		sqlite3_bind_text(st, 1, k->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, e->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, e->seq);
		sqlite3_bind_text(st, 4, e->type, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, e->at);
		sqlite3_bind_text(st, 6, e->payload, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, why, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, now);
		r = sqlite3_step(st);
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			return db_fail(s, c->db, cause);
		add_conflict(a, e, why);
		return 0;
	}
	st = stmt(c, "INSERT INTO events (id, kiosk, seq, type, at, payload,"
	    " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return db_fail(s, c->db, cause);
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, e->seq);
	sqlite3_bind_text(st, 4, e->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->at);
	sqlite3_bind_text(st, 6, e->payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now);
	r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_fail(s, c->db, cause);
	/* Refused earlier for a taken seq, now renumbered and stored: resolved. */
	st = stmt(c, "DELETE FROM conflicts WHERE kiosk = ? AND id = ? AND reason = '"
	    WHY_SEQ_TAKEN "'");
	if (st == NULL)
		return db_fail(s, c->db, cause);
	sqlite3_bind_text(st, 1, k->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->id, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_fail(s, c->db, cause);
	a->accepted++;
	return derive(s, c, k->id, e, cause);
}

/* Moves held_seq up while the next seq is held (stored or in conflict). */
static int
advance_held(struct sqlite_store *s, struct conn *c, const char *kiosk, int64_t *held,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 r;

	if ((st = stmt(c, "SELECT held_seq FROM kiosks WHERE id = ?")) == NULL)
		return db_fail(s, c->db, cause);
	sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	*held = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return db_fail(s, c->db, cause);
	for (;;) {
		st = stmt(c, "SELECT EXISTS (SELECT 1 FROM events WHERE kiosk = ?1 AND"
		    " seq = ?2) OR EXISTS (SELECT 1 FROM conflicts WHERE kiosk = ?1 AND"
		    " seq = ?2)");
		if (st == NULL)
			return db_fail(s, c->db, cause);
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, *held + 1);
		r = sqlite3_step(st);
		if (r != SQLITE_ROW) {
			sqlite3_reset(st);
			return db_fail(s, c->db, cause);
		}
		r = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (!r)
			break;
		(*held)++;
	}
	return 0;
}

static int
sqlite_events_put(struct server_store *base, const struct server_kiosk *k,
    const struct protocol_batch *b, struct protocol_ack *a, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	int64_t			 now = util_now_ms(), held = 0, taken = 0;
	size_t			 i;

	memset(a, 0, sizeof *a);
	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	pthread_mutex_lock(&s->wmu);
	if (exec(s, c->db, "BEGIN IMMEDIATE", cause) != 0)
		goto fail_unlocked_tx;
	for (i = 0; i < b->n; i++) {
		if (put_one(s, c, k, &b->events[i], now, a, cause) != 0)
			goto bad;
		/*
		 * A seq held under another id: the kiosk was restored from an old
		 * backup and will renumber everything from here on, so nothing
		 * after it is stored under a number it is about to give up.
		 */
		if (a->nconflicts > 0 && a->conflicts[a->nconflicts - 1].seq_taken) {
			taken = b->events[i].seq;
			break;
		}
	}
	if (advance_held(s, c, k->id, &held, cause) != 0)
		goto bad;
	/* The refused event must not count as held, or the kiosk marks it sent. */
	a->held_seq = taken > 0 && held >= taken ? taken - 1 : held;
	st = stmt(c, "SELECT coalesce(max(seq), 0) FROM events WHERE kiosk = ?");
	if (st == NULL)
		goto badsql;
	sqlite3_bind_text(st, 1, k->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		goto badsql;
	}
	a->max_seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = stmt(c, "UPDATE kiosks SET held_seq = ?, last_seen = ? WHERE id = ?");
	if (st == NULL)
		goto badsql;
	sqlite3_bind_int64(st, 1, held);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, k->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		goto badsql;
	}
	sqlite3_reset(st);
	if (exec(s, c->db, "COMMIT", cause) != 0)
		goto bad;
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	a->kiosk = xstrdup(k->id);
	a->server_time = util_now_ms();
	return 0;
badsql:
	db_fail(s, c->db, cause);
bad:
	{
		int saved = errno;

		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		errno = saved;
	}
fail_unlocked_tx:
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	protocol_ack_free(a);
	return -1;
}

/* Content --------------------------------------------------------------- */

static void
add_problem(char ***v, size_t *n, char *line)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = line;
}

static int
sqlite_content_publish(struct server_store *base, const struct server_checklist *cl,
    size_t n, int64_t *version, size_t *added, char ***problems, size_t *nproblems,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	char			*fresh;
	size_t			 i;
	int			 r;

	*version = 0;
	*added = 0;
	*problems = NULL;
	*nproblems = 0;
	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	fresh = xcalloc(n > 0 ? n : 1, 1);
	pthread_mutex_lock(&s->wmu);
	if (exec(s, c->db, "BEGIN IMMEDIATE", cause) != 0)
		goto out_unlock;
	for (i = 0; i < n; i++) {
		int64_t newest = 0;

		st = stmt(c, "SELECT json FROM checklists WHERE id = ? AND version = ?");
		if (st == NULL)
			goto badsql;
		sqlite3_bind_text(st, 1, cl[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, cl[i].version);
		r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			const char *j = (const char *)sqlite3_column_text(st, 0);

			if (j == NULL || strcmp(j, cl[i].json) != 0)
				add_problem(problems, nproblems, xasprintf(L("%s: phiên bản %d "
				    "đã được phát hành với nội dung khác; hãy tăng \"version\".",
				    "%s: version %d was already published with other content; "
				    "raise \"version\"."), cl[i].id, cl[i].version));
			sqlite3_reset(st);
			continue;
		}
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			goto badsql;
		st = stmt(c, "SELECT coalesce(max(version), 0) FROM checklists WHERE id = ?");
		if (st == NULL)
			goto badsql;
		sqlite3_bind_text(st, 1, cl[i].id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			newest = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (newest > cl[i].version)
			add_problem(problems, nproblems, xasprintf(L("%s: phiên bản %d cũ hơn "
			    "bản đã phát hành (%lld).", "%s: version %d is older than the one "
			    "published (%lld)."), cl[i].id, cl[i].version, (long long)newest));
		else {
			fresh[i] = 1;
			(*added)++;
		}
	}
	st = stmt(c, "SELECT coalesce(max(version), 0) FROM content_versions");
	if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		goto badsql;
	}
	*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (*nproblems > 0) {
		*added = 0;
		fail(cause, L("%zu lỗi; chưa phát hành gì.", "%zu problems; nothing was "
		    "published."), *nproblems);
		goto rollback;
	}
	if (*added == 0) {
		exec(s, c->db, "ROLLBACK", NULL);
		goto done;
	}
	(*version)++;
	st = stmt(c, "INSERT INTO content_versions (version, published_at) VALUES (?, ?)");
	if (st == NULL)
		goto badsql;
	sqlite3_bind_int64(st, 1, *version);
	sqlite3_bind_int64(st, 2, util_now_ms());
	r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		goto badsql;
	for (i = 0; i < n; i++) {
		if (!fresh[i])
			continue;
		st = stmt(c, "INSERT INTO checklists (id, version, json, content_version)"
		    " VALUES (?, ?, ?, ?)");
		if (st == NULL)
			goto badsql;
		sqlite3_bind_text(st, 1, cl[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, cl[i].version);
		sqlite3_bind_text(st, 3, cl[i].json, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, *version);
		r = sqlite3_step(st);
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			goto badsql;
	}
	if (exec(s, c->db, "COMMIT", cause) != 0)
		goto rollback;
done:
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	free(fresh);
	return 0;
badsql:
	db_fail(s, c->db, cause);
rollback:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
out_unlock:
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	free(fresh);
	return -1;
}

static int
sqlite_content_since(struct server_store *base, int64_t since, int64_t *version,
    char ***jsons, size_t *n, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	size_t			 cap = 0;
	int			 r, rc = -1;

	*version = 0;
	*jsons = NULL;
	*n = 0;
	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	/* One read transaction: the version and the list agree. */
	if (exec(s, c->db, "BEGIN", cause) != 0)
		goto out;
	st = stmt(c, "SELECT coalesce(max(version), 0) FROM content_versions");
	if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		db_fail(s, c->db, cause);
		goto end;
	}
	*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = stmt(c, "SELECT json FROM checklists c WHERE content_version > ? AND"
	    " version = (SELECT max(version) FROM checklists d WHERE d.id = c.id)"
	    " ORDER BY id");
	if (st == NULL) {
		db_fail(s, c->db, cause);
		goto end;
	}
	sqlite3_bind_int64(st, 1, since);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*jsons = xrealloc(*jsons, cap * sizeof **jsons);
		}
		(*jsons)[(*n)++] = col_text(st, 0);
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		db_fail(s, c->db, cause);
		goto end;
	}
	rc = 0;
end:
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
out:
	conn_put(s, c);
	if (rc != 0) {
		for (size_t i = 0; i < *n; i++)
			free((*jsons)[i]);
		free(*jsons);
		*jsons = NULL;
		*n = 0;
	}
	return rc;
}

/* Reports --------------------------------------------------------------- */

/* The grouping of each report: a fixed list, never text from a request. */
static const struct {
	enum server_report_by	 by;
	const char		*key;
	const char		*commune;
} report_keys[] = {
	{ SERVER_BY_COMMUNE, "k.commune", "''" },
	{ SERVER_BY_HAMLET, "coalesce(r.hamlet, k.hamlet)", "k.commune" },
	{ SERVER_BY_CHECKLIST, "coalesce(x.checklist, s.checklist, '')", "''" },
	{ SERVER_BY_CATEGORY, "coalesce(s.category, '')", "''" },
	{ SERVER_BY_DAY, "date(x.at / 1000, 'unixepoch', 'localtime')", "''" },
};

#define REPORT_JOINS " JOIN kiosks k ON k.id = x.kiosk" \
	" LEFT JOIN f_session s ON s.kiosk = x.kiosk AND s.session = x.session" \
	" LEFT JOIN f_resident r ON r.kiosk = x.kiosk AND r.resident = s.resident" \
	" WHERE x.at >= ?1 AND x.at < ?2 GROUP BY 1, 2"

static int
sqlite_report(struct server_store *base, enum server_report_by by, int64_t from,
    int64_t to, struct server_report *rep, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st = NULL;
	char			*sql = NULL;
	size_t			 cap = 0, i;
	int			 r, rc = -1;

	memset(rep, 0, sizeof *rep);
	rep->by = by;
	rep->from = from;
	rep->to = to;
	if (by == SERVER_BY_REASON)
		sql = xstrdup("SELECT coalesce(x.checklist, ''), coalesce(x.step, ''),"
		    " coalesce(x.reason, ''), count(*) FROM f_block x"
		    " WHERE x.at >= ?1 AND x.at < ?2 GROUP BY 1, 2, 3"
		    " ORDER BY 4 DESC, 1, 2, 3");
	else {
		for (i = 0; i < sizeof report_keys / sizeof report_keys[0]; i++)
			if (report_keys[i].by == by)
				break;
		if (i == sizeof report_keys / sizeof report_keys[0])
			return fail(cause, "report: unknown grouping %d", (int)by);
		const char *K = report_keys[i].key, *C = report_keys[i].commune;
		sql = xasprintf("SELECT key, commune, sum(people), sum(st), sum(fi),"
		    " sum(co), sum(bl) FROM ("
		    "SELECT %s AS key, %s AS commune,"
		    " count(DISTINCT x.kiosk || '/' || x.resident) AS people,"
		    " count(*) AS st, 0 AS fi, 0 AS co, 0 AS bl FROM f_session x"
		    REPORT_JOINS
		    " UNION ALL SELECT %s, %s, 0, 0, count(*),"
		    " sum(x.outcome = 'completed'), 0 FROM f_finish x" REPORT_JOINS
		    " UNION ALL SELECT %s, %s, 0, 0, 0, 0, count(*) FROM f_block x"
		    REPORT_JOINS
		    ") GROUP BY key, commune ORDER BY key, commune", K, C, K, C, K, C);
	}
	if ((c = conn_get(s, cause)) == NULL) {
		free(sql);
		return -1;
	}
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(s, c->db, cause);
		goto out;
	}
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct server_report_row *row;

		if (rep->n == cap) {
			cap = cap ? cap * 2 : 16;
			rep->rows = xrealloc(rep->rows, cap * sizeof *rep->rows);
		}
		row = &rep->rows[rep->n++];
		memset(row, 0, sizeof *row);
		if (by == SERVER_BY_REASON) {
			row->checklist = col_text(st, 0);
			row->step = col_text(st, 1);
			row->reason = col_text(st, 2);
			row->count = sqlite3_column_int64(st, 3);
			continue;
		}
		row->key = col_text(st, 0);
		if (by == SERVER_BY_HAMLET)
			row->commune = col_text(st, 1);
		row->people = sqlite3_column_int64(st, 2);
		row->started = sqlite3_column_int64(st, 3);
		row->finished = sqlite3_column_int64(st, 4);
		row->completed = sqlite3_column_int64(st, 5);
		row->blocked = sqlite3_column_int64(st, 6);
	}
	if (r != SQLITE_DONE) {
		db_fail(s, c->db, cause);
		server_report_free(rep);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	conn_put(s, c);
	free(sql);
	return rc;
}

/* PRAGMA quick_check: O(size) but no index cross-check; fine once at start. */
static int
sqlite_check(struct server_store *base, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st = NULL;
	char			*found = NULL, *more;
	int			 rc, rows = 0;

	if ((c = conn_get(s, cause)) == NULL)
		return -1;
	rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check(5)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(st, 0);

			/* One row "ok" when whole; else up to five rows naming the damage. */
			if (++rows == 1 && t != NULL && strcmp((const char *)t, "ok") == 0)
				continue;
			more = xasprintf("%s%s%s", found != NULL ? found : "",
			    found != NULL ? "; " : "", t != NULL ? (const char *)t : "?");
			free(found);
			found = more;
		}
	}
	if (rc != SQLITE_DONE && found == NULL)
		found = xstrdup(sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	conn_put(s, c);
	if (found == NULL)
		return 0;
	for (more = found; *more != '\0'; more++)
		if (*more == '\n')
			*more = ' ';	/* one log line */
	fail(cause, L("Cơ sở dữ liệu máy chủ %s bị hỏng (%s).", "The server database %s is "
	    "damaged (%s)."), s->path, found);
	free(found);
	return -1;
}

const struct server_store_ops server_store_sqlite = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.kiosk_add = sqlite_kiosk_add,
	.kiosk_list = sqlite_kiosk_list,
	.kiosk_revoke = sqlite_kiosk_revoke,
	.kiosk_by_token = sqlite_kiosk_by_token,
	.events_put = sqlite_events_put,
	.content_publish = sqlite_content_publish,
	.content_since = sqlite_content_since,
	.report = sqlite_report,
	.check = sqlite_check,
};
