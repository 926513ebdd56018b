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
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "i18n.h"
#include "secret.h"
#include "util.h"
#include "server-store.h"
/* The rollups' statements in SQLite's words. */
#define P(n)		"?" #n
#define TYPED(x, type)	x
#include "server-store-rollup.h"

#define POOL_MAX	32
#define CACHE_MAX	96	/* statements kept per connection: every one the store has */
#define BUSY_MS		15000

struct conn {
	struct server_tx tx;		/* first: a transaction is its connection */
	sqlite3		*db;
	struct {
		const char	*sql;
		sqlite3_stmt	*st;
	}		 cache[CACHE_MAX];
	int		 ncache;
};

struct sqlite_store {
	struct server_store	 base;
	char			*path;
	struct server_store_pool pool;
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
	/* 2: the commune's official administrative code, optional. */
	"ALTER TABLE kiosks ADD COLUMN commune_code TEXT NOT NULL DEFAULT '';",
	/* 3: rollups, so reports read a few rows, not every fact. */
	"CREATE TABLE r_counts ("
	"  grp TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, k3 TEXT NOT NULL,"
	"  day TEXT NOT NULL, people INTEGER NOT NULL DEFAULT 0,"
	"  started INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0,"
	"  completed INTEGER NOT NULL DEFAULT 0, blocked INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (grp, k1, k2, k3, day));"
	/* A report reads one grouping's days (or its all-time rows, day ''). */
	"CREATE INDEX r_counts_day ON r_counts (grp, day);"
	"CREATE TABLE r_people ("
	"  grp TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, k3 TEXT NOT NULL,"
	"  kiosk TEXT NOT NULL, resident TEXT NOT NULL, day TEXT NOT NULL,"
	"  PRIMARY KEY (grp, k1, k2, k3, kiosk, resident));"
	/* built 0: made from the facts at the next open. */
	"CREATE TABLE r_state (built INTEGER NOT NULL);"
	"INSERT INTO r_state VALUES (0);"
	"CREATE INDEX f_session_resident ON f_session (kiosk, resident);"
	"CREATE INDEX f_block_step ON f_block (kiosk, session, step);",
	/* 4: the dashboard's accounts, web sessions, audit log; kiosk status. */
	"CREATE TABLE users ("
	"  login TEXT PRIMARY KEY, role TEXT NOT NULL,"
	"  province TEXT NOT NULL DEFAULT '', commune TEXT NOT NULL DEFAULT '',"
	"  pwhash TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  disabled_at INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0,"
	"  last_login INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE web_sessions ("
	"  token_hash BLOB PRIMARY KEY, login TEXT NOT NULL REFERENCES users(login),"
	"  expires_at INTEGER NOT NULL);"
	"CREATE TABLE audit ("
	"  n INTEGER PRIMARY KEY, at INTEGER NOT NULL, login TEXT NOT NULL,"
	"  action TEXT NOT NULL, detail TEXT NOT NULL, addr TEXT NOT NULL);"
	"CREATE TABLE kiosk_status ("
	"  kiosk TEXT PRIMARY KEY REFERENCES kiosks(id), at INTEGER NOT NULL,"
	"  pending INTEGER NOT NULL, content_version INTEGER NOT NULL,"
	"  program_version TEXT NOT NULL, clock_offset INTEGER NOT NULL);"
	"CREATE INDEX conflicts_received ON conflicts (received_at);"
	/* The dashboard's reports read a range of days: these cover them. */
	/* Each fact carries its hamlet and category (filled as it is stored),
	 * so a report by hamlet or skill joins nothing. */
	"ALTER TABLE f_session ADD COLUMN hamlet TEXT;"
	"ALTER TABLE f_finish ADD COLUMN hamlet TEXT;"
	"ALTER TABLE f_finish ADD COLUMN category TEXT;"
	"ALTER TABLE f_block ADD COLUMN hamlet TEXT;"
	"ALTER TABLE f_block ADD COLUMN category TEXT;"
	"UPDATE f_session SET hamlet = (SELECT hamlet FROM f_resident r WHERE"
	"  r.kiosk = f_session.kiosk AND r.resident = f_session.resident);"
	"UPDATE f_finish SET (hamlet, category) = (SELECT hamlet, category FROM"
	"  f_session s WHERE s.kiosk = f_finish.kiosk AND s.session = f_finish.session);"
	"UPDATE f_block SET (hamlet, category) = (SELECT hamlet, category FROM"
	"  f_session s WHERE s.kiosk = f_block.kiosk AND s.session = f_block.session);"
	"CREATE INDEX f_session_cover ON f_session (kiosk, at, resident, category,"
	"  checklist, hamlet);"
	"CREATE INDEX f_finish_cover ON f_finish (kiosk, at, outcome, checklist,"
	"  category, hamlet);"
	"CREATE INDEX f_block_cover ON f_block (kiosk, at, checklist, step, reason,"
	"  category, hamlet);",
	/*
	 * 5: rollups a kiosk's own (no two kiosks' batches share a row), by
	 * year, month and day of the corrected time, with people counted by
	 * first day. A fact's time becomes the kiosk's clock corrected by its
	 * offset (for facts already kept, the last offset the kiosk gave); the
	 * rollups are made from the facts at the next open (built 0).
	 */
	"DROP TABLE r_counts;"
	"DROP TABLE r_people;"
	"UPDATE f_resident SET at = at + coalesce((SELECT clock_offset FROM"
	"  kiosk_status ks WHERE ks.kiosk = f_resident.kiosk), 0);"
	"UPDATE f_session SET at = at + coalesce((SELECT clock_offset FROM"
	"  kiosk_status ks WHERE ks.kiosk = f_session.kiosk), 0);"
	"UPDATE f_finish SET at = at + coalesce((SELECT clock_offset FROM"
	"  kiosk_status ks WHERE ks.kiosk = f_finish.kiosk), 0);"
	"UPDATE f_block SET at = at + coalesce((SELECT clock_offset FROM"
	"  kiosk_status ks WHERE ks.kiosk = f_block.kiosk), 0);"
	"CREATE TABLE r_sums ("
	"  grp TEXT NOT NULL, lvl INTEGER NOT NULL, period TEXT NOT NULL,"
	"  kiosk TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, k3 TEXT NOT NULL,"
	"  started INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0,"
	"  completed INTEGER NOT NULL DEFAULT 0, blocked INTEGER NOT NULL DEFAULT 0,"
	"  first_ever INTEGER NOT NULL DEFAULT 0, first_year INTEGER NOT NULL DEFAULT 0,"
	"  first_month INTEGER NOT NULL DEFAULT 0, on_day INTEGER NOT NULL DEFAULT 0,"
	"  last_ever INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (grp, lvl, period, kiosk, k1, k2, k3)) WITHOUT ROWID;"
	"CREATE TABLE r_seen ("
	"  grp TEXT NOT NULL, lvl INTEGER NOT NULL, period TEXT NOT NULL,"
	"  kiosk TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, k3 TEXT NOT NULL,"
	"  resident TEXT NOT NULL, first TEXT NOT NULL, n INTEGER NOT NULL,"
	"  last TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (kiosk, resident, grp, k1, k2, k3, lvl, period)) WITHOUT ROWID;"
	/* A resident's rows lie together (a session writes them at once); the
	 * day rows are also found by day, for the people of any range. */
	"CREATE INDEX r_seen_day ON r_seen (grp, period, kiosk, k1, k2, k3, resident)"
	"  WHERE lvl = 3;"
	"UPDATE r_state SET built = 0;",
	/* 6: the machine a kiosk's token is bound to, '' until it enrols. */
	"ALTER TABLE kiosks ADD COLUMN install TEXT NOT NULL DEFAULT '';",
	/* 7: a session of no resident counts as one person: people counted anew. */
	"UPDATE r_state SET built = 0;",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int
db_fail(struct sqlite_store *s, sqlite3 *db, char **cause)
{
	int rc = sqlite3_errcode(db);

	/* Most often a file left to another user, or a disk remounted read-only. */
	if ((rc & 0xff) == SQLITE_READONLY)
		fail(cause, _("Cơ sở dữ liệu máy chủ %s chỉ cho phép đọc (%s). Hãy cấp quyền "
		    "ghi cho người dùng chạy sotay-server (tệp, các tệp -wal, -shm và thư mục "
		    "của nó: chown sotay-server:sotay-server), và kiểm tra đĩa không bị gắn "
		    "chỉ đọc; không có gì bị mất."), s->path, sqlite3_errmsg(db));
	else
		fail(cause, _("Cơ sở dữ liệu máy chủ %s: %s."),
		    s->path, sqlite3_errmsg(db));
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? SERVER_STORE_BUSY :
	    SERVER_STORE_FAIL;
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
conn_free(void *p)
{
	struct conn *c = p;

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
		fail(cause, _("Không mở được cơ sở dữ liệu máy chủ %s: %s. Hãy kiểm tra "
		    "đường dẫn và quyền ghi."), s->path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : "?");
		conn_free(c);
		return -1;
	}
	c->tx.store = &s->base;	/* step and run work outside a transaction too */
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

	if ((c = server_store_pool_take(&s->pool)) == NULL &&
	    conn_new(s, &c, cause) != 0)
		server_store_pool_cancel(&s->pool);
	return c;
}

static void
conn_put(struct sqlite_store *s, struct conn *c)
{
	server_store_pool_put(&s->pool, c);
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
		return fail(cause, _("Cơ sở dữ liệu %s thuộc phiên bản mới hơn (%d) "
		    "chương trình này (%d); hãy cập nhật sotay-server."), s->path, v, NMIGRATIONS);
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
sqlite_open(const char *where, int pool, struct server_store **out, char **cause)
{
	struct sqlite_store	*s = xcalloc(1, sizeof *s);
	struct conn		*c;
	int			 rc;

	*out = NULL;
	/* Private from the start: SQLite gives its -wal and -shm files the same mode. */
	secret_create_private(where);
	s->base.ops = &server_store_sqlite;
	s->path = xstrdup(where);
	server_store_pool_init(&s->pool, POOL_MAX);
	pthread_mutex_init(&s->wmu, NULL);
	if ((c = conn_get(s, cause)) == NULL) {
		sqlite_close(&s->base);
		return -1;
	}
	rc = migrate(s, c, cause);
	conn_put(s, c);
	if (rc != 0) {
		sqlite_close(&s->base);
		return -1;
	}
	*out = &s->base;
	return 0;
}

static void
sqlite_close(struct server_store *base)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;

	if (s == NULL)
		return;
	server_store_pool_free(&s->pool, conn_free);
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

/* Statements ------------------------------------------------------------ */

static struct conn *
tx_conn(struct server_tx *tx)
{
	return (struct conn *)tx;	/* tx is the first member of struct conn */
}

/*
 * Binds st's parameters in order, one letter of fmt each: t text (NULL
 * binds NULL), i int64_t, d int, h a token hash (SERVER_HASH_LEN bytes),
 * o an optional integer (int has, int64_t v: NULL unless has).
 */
static void
bind_va(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	int	i, has;
	int64_t	v;

	for (i = 1; *fmt != '\0'; fmt++, i++)
		switch (*fmt) {
		case 't':
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1,
			    SQLITE_STATIC);
			break;
		case 'i':
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'h':
			sqlite3_bind_blob(st, i, va_arg(ap, const unsigned char *),
			    SERVER_HASH_LEN, SQLITE_STATIC);
			break;
		case 'o':
			has = va_arg(ap, int);
			v = va_arg(ap, int64_t);
			if (has)
				sqlite3_bind_int64(st, i, v);
			else
				sqlite3_bind_null(st, i);
			break;
		}
}

/*
 * The cached statement sql of connection c, its parameters bound from fmt
 * (see bind_va); NULL when it cannot be prepared (*cause says why), which
 * step, run and one_int answer with SERVER_STORE_FAIL.
 */
static sqlite3_stmt *
vprep(struct conn *c, const char *sql, char **cause, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = stmt(c, sql);

	if (st == NULL)
		db_fail((struct sqlite_store *)c->tx.store, c->db, cause);
	else
		bind_va(st, fmt, ap);
	return st;
}

static sqlite3_stmt *
prep(struct conn *c, const char *sql, char **cause, const char *fmt, ...)
{
	sqlite3_stmt	*st;
	va_list		 ap;

	va_start(ap, fmt);
	st = vprep(c, sql, cause, fmt, ap);
	va_end(ap);
	return st;
}

/* The same inside a transaction. */
#define tx_prep(tx, sql, cause, ...) prep(tx_conn(tx), sql, cause, __VA_ARGS__)

/* Steps st once; 1 for a row, 0 for done, or the failure. Leaves st reset
 * only when done or failed (the caller reads a row, then resets). */
static int
step(struct server_tx *tx, sqlite3_stmt *st, char **cause)
{
	int r;

	if (st == NULL)
		return SERVER_STORE_FAIL;
	if ((r = sqlite3_step(st)) == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	if (r == SQLITE_DONE)
		return 0;
	return db_fail((struct sqlite_store *)tx->store, tx_conn(tx)->db, cause);
}

/* Runs a statement that returns no row. */
static int
run(struct server_tx *tx, sqlite3_stmt *st, char **cause)
{
	int r = step(tx, st, cause);

	if (r == 1) {
		sqlite3_reset(st);
		return 0;
	}
	return r;
}

/* Runs a statement whose one row has one integer (*v; 0 without a row). */
static int
one_int(struct server_tx *tx, sqlite3_stmt *st, int64_t *v, char **cause)
{
	int r = step(tx, st, cause);

	*v = 0;
	if (r < 0)
		return r;
	if (r == 1) {
		*v = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return 0;
}

/*
 * Runs one write statement on a connection of its own, under the writer
 * lock; *changed (unless NULL) gets the number of rows it changed.
 */
static int
write_one(struct sqlite_store *s, int *changed, char **cause, const char *sql,
    const char *fmt, ...)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	va_list		 ap;
	int		 rc;

	if ((c = conn_get(s, cause)) == NULL)
		return SERVER_STORE_FAIL;
	pthread_mutex_lock(&s->wmu);
	va_start(ap, fmt);
	st = vprep(c, sql, cause, fmt, ap);
	va_end(ap);
	if ((rc = run(&c->tx, st, cause)) == 0 && changed != NULL)
		*changed = sqlite3_changes(c->db);
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	return rc;
}

/* Fills one element from the current row of st. */
typedef void (*fill_fn)(sqlite3_stmt *, void *);

/*
 * Reads the rows of sql on a connection of its own into a growing array
 * (*out, *n) of elements of sz bytes, zeroed, then filled by fill; when
 * one is not NULL, only the first row, into one (sz bytes), *found 1.
 */
static int
vread(struct sqlite_store *s, void **out, size_t *n, void *one, int *found,
    size_t sz, fill_fn fill, char **cause, const char *sql, const char *fmt,
    va_list ap)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 r;

	if ((c = conn_get(s, cause)) == NULL)
		return SERVER_STORE_FAIL;
	st = vprep(c, sql, cause, fmt, ap);
	while ((r = step(&c->tx, st, cause)) == 1) {
		void *x = one;

		if (one == NULL) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				*out = xrealloc(*out, cap * sz);
			}
			x = (char *)*out + (*n)++ * sz;
		}
		memset(x, 0, sz);
		fill(st, x);
		if (one != NULL) {
			*found = 1;
			sqlite3_reset(st);
			r = 0;
			break;
		}
	}
	conn_put(s, c);
	return r;
}

static int
read_rows(struct sqlite_store *s, void **out, size_t *n, size_t sz, fill_fn fill,
    char **cause, const char *sql, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	*out = NULL;
	*n = 0;
	va_start(ap, fmt);
	rc = vread(s, out, n, NULL, NULL, sz, fill, cause, sql, fmt, ap);
	va_end(ap);
	return rc;
}

static int
read_one(struct sqlite_store *s, void *one, int *found, size_t sz, fill_fn fill,
    char **cause, const char *sql, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = vread(s, NULL, NULL, one, found, sz, fill, cause, sql, fmt, ap);
	va_end(ap);
	return rc;
}


/* Kiosks ---------------------------------------------------------------- */

#define KIOSK_COLS "id, province, commune, hamlet, name, created_at, revoked_at," \
	" held_seq, last_seen, commune_code, install"

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
	k->commune_code = col_text(st, 9);
	k->install = col_text(st, 10);
}

static int
sqlite_kiosk_add(struct server_store *base, const struct server_kiosk *k,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	return write_one((struct sqlite_store *)base, NULL, cause,
	    "INSERT INTO kiosks (id, province, commune, hamlet, name, token_hash,"
	    " created_at, commune_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ttttthit",
	    k->id, k->province, k->commune, k->hamlet, k->name, hash, util_now_ms(),
	    k->commune_code != NULL ? k->commune_code : "");
}

static void
fill_kiosk(sqlite3_stmt *st, void *p)
{
	kiosk_row(st, p);
}

static int
sqlite_kiosk_list(struct server_store *base, struct server_kiosk **out, size_t *n,
    char **cause)
{
	return read_rows((struct sqlite_store *)base, (void **)out, n, sizeof **out,
	    fill_kiosk, cause, "SELECT " KIOSK_COLS " FROM kiosks ORDER BY created_at, id",
	    "");
}

static int
sqlite_kiosk_revoke(struct server_store *base, const char *id, int *changed,
    char **cause)
{
	return write_one((struct sqlite_store *)base, changed, cause, "UPDATE kiosks SET"
	    " revoked_at = ? WHERE id = ? AND revoked_at = 0", "it", util_now_ms(), id);
}

static int
sqlite_kiosk_bind(struct server_store *base, const char *id, const char *install,
    int *bound, char **cause)
{
	int changed = 0, rc;

	/* One statement: two machines enrolling at once cannot both win. */
	rc = write_one((struct sqlite_store *)base, &changed, cause, "UPDATE kiosks SET"
	    " install = ? WHERE id = ? AND revoked_at = 0 AND install IN ('', ?)", "ttt",
	    install, id, install);
	*bound = rc == 0 && changed > 0;
	return rc;
}

static int
sqlite_kiosk_token(struct server_store *base, const char *id,
    const unsigned char hash[SERVER_HASH_LEN], int *changed, char **cause)
{
	return write_one((struct sqlite_store *)base, changed, cause, "UPDATE kiosks SET"
	    " token_hash = ?, install = '' WHERE id = ? AND revoked_at = 0", "ht", hash, id);
}

static int
sqlite_kiosk_start(struct server_store *base, const char *id, int64_t first,
    char **cause)
{
	return write_one((struct sqlite_store *)base, NULL, cause, "UPDATE kiosks SET"
	    " held_seq = ?1 - 1 WHERE id = ?2 AND held_seq < ?1 - 1"
	    " AND NOT EXISTS (SELECT 1 FROM events WHERE kiosk = ?2"
	    "  AND seq > kiosks.held_seq AND seq < ?1)"
	    " AND NOT EXISTS (SELECT 1 FROM conflicts WHERE kiosk = ?2"
	    "  AND seq > kiosks.held_seq AND seq < ?1)",
	    "it", first, id);
}

static int
sqlite_kiosk_by_token(struct server_store *base,
    const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *k, int *found,
    char **cause)
{
	int rc;

	memset(k, 0, sizeof *k);
	*found = 0;
	rc = read_one((struct sqlite_store *)base, k, found, sizeof *k, fill_kiosk, cause,
	    "SELECT " KIOSK_COLS " FROM kiosks WHERE token_hash = ?", "h", hash);
	if (*found && k->revoked_at != 0) {
		*found = -1;
		server_kiosk_free(k);
	}
	return rc;
}

/* Transactions ---------------------------------------------------------- */

static int
sqlite_begin(struct server_store *base, struct server_tx **out, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	int			 rc;

	*out = NULL;
	if ((c = conn_get(s, cause)) == NULL)
		return SERVER_STORE_FAIL;
	pthread_mutex_lock(&s->wmu);
	if ((rc = exec(s, c->db, "BEGIN IMMEDIATE", cause)) != 0) {
		pthread_mutex_unlock(&s->wmu);
		conn_put(s, c);
		return rc;
	}
	c->tx.store = base;
	*out = &c->tx;
	return 0;
}

static void
tx_end(struct conn *c)
{
	struct sqlite_store *s = (struct sqlite_store *)c->tx.store;

	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
}

static int
sqlite_commit(struct server_tx *tx, char **cause)
{
	struct conn		*c = tx_conn(tx);
	struct sqlite_store	*s = (struct sqlite_store *)tx->store;
	int			 rc;

	if ((rc = exec(s, c->db, "COMMIT", cause)) != 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	tx_end(c);
	return rc;
}

static void
sqlite_rollback(struct server_tx *tx)
{
	struct conn *c = tx_conn(tx);

	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	tx_end(c);
}

/* Events ---------------------------------------------------------------- */

static int
sqlite_kiosk_lock(struct server_tx *tx, const char *kiosk, int64_t *held,
    char **cause)
{
	/* BEGIN IMMEDIATE and the writer lock already keep every writer out. */
	return one_int(tx, tx_prep(tx, "SELECT held_seq FROM kiosks WHERE id = ?", cause,
	    "t", kiosk), held, cause);
}

static int
sqlite_kiosk_set_held(struct server_tx *tx, const char *kiosk, int64_t held,
    int64_t now, char **cause)
{
	return run(tx, tx_prep(tx, "UPDATE kiosks SET held_seq = ?, last_seen = ?"
	    " WHERE id = ?", cause, "iit", held, now, kiosk), cause);
}

static int
sqlite_kiosk_max_seq(struct server_tx *tx, const char *kiosk, int64_t *max,
    char **cause)
{
	return one_int(tx, tx_prep(tx, "SELECT coalesce(max(seq), 0) FROM events"
	    " WHERE kiosk = ?", cause, "t", kiosk), max, cause);
}

static int
sqlite_event_get(struct server_tx *tx, const char *id, struct server_event *e,
    int *found, char **cause)
{
	sqlite3_stmt	*st;
	int		 r;

	st = tx_prep(tx, "SELECT kiosk, seq, type, payload FROM events WHERE id = ?",
	    cause, "t", id);
	if ((r = step(tx, st, cause)) <= 0)
		return r;
	e->kiosk = col_text(st, 0);
	e->seq = sqlite3_column_int64(st, 1);
	e->type = col_text(st, 2);
	e->payload = col_text(st, 3);
	*found = 1;
	sqlite3_reset(st);
	return 0;
}

static int
seq_query(struct server_tx *tx, const char *sql, const char *kiosk, int64_t seq,
    int *yes, char **cause)
{
	int64_t	v;
	int	rc;

	rc = one_int(tx, tx_prep(tx, sql, cause, "ti", kiosk, seq), &v, cause);
	*yes = v != 0;
	return rc;
}

static int
sqlite_seq_stored(struct server_tx *tx, const char *kiosk, int64_t seq, int *yes,
    char **cause)
{
	return seq_query(tx, "SELECT EXISTS (SELECT 1 FROM events WHERE kiosk = ?1 AND"
	    " seq = ?2)", kiosk, seq, yes, cause);
}

static int
sqlite_seq_held(struct server_tx *tx, const char *kiosk, int64_t seq, int *yes,
    char **cause)
{
	return seq_query(tx, "SELECT EXISTS (SELECT 1 FROM events WHERE kiosk = ?1 AND"
	    " seq = ?2) OR EXISTS (SELECT 1 FROM conflicts WHERE kiosk = ?1 AND"
	    " seq = ?2)", kiosk, seq, yes, cause);
}

/* The columns of an event, as parameters 1 to 6 of both inserts. */
#define EVENT_ARGS(e, kiosk) (e)->id, kiosk, (e)->seq, (e)->type, (e)->at, (e)->payload

static int
sqlite_event_insert(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, int64_t now, char **cause)
{
	return run(tx, tx_prep(tx, "INSERT INTO events (id, kiosk, seq, type, at,"
	    " payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)", cause, "ttititi",
	    EVENT_ARGS(e, kiosk), now), cause);
}

static int sqlite_conflict_delete(struct server_tx *, const char *, const char *,
    const char *, char **);

static int
sqlite_events_insert_new(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, size_t n, int64_t now, const char *resolved,
    unsigned char *stored, char **cause)
{
	sqlite3		*db = tx_conn(tx)->db;
	int64_t		 kept = 0;
	size_t		 i;
	int		 rc;

	/* In process, a statement a row costs no round trip: one prepared insert. */
	for (i = 0; i < n; i++) {
		if ((rc = run(tx, tx_prep(tx, "INSERT INTO events (id, kiosk, seq, type,"
		    " at, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
		    " DO NOTHING", cause, "ttititi", EVENT_ARGS(&e[i], kiosk), now),
		    cause)) != 0)
			return rc;
		stored[i] = sqlite3_changes(db) > 0;
	}
	/* Conflicts to resolve are rare: look for one before deleting by id. */
	if ((rc = one_int(tx, tx_prep(tx, "SELECT EXISTS (SELECT 1 FROM conflicts"
	    " WHERE kiosk = ? AND reason = ?)", cause, "tt", kiosk, resolved), &kept,
	    cause)) != 0 || !kept)
		return rc;
	for (i = 0; i < n; i++)
		if (stored[i] && (rc = sqlite_conflict_delete(tx, kiosk, e[i].id, resolved,
		    cause)) != 0)
			return rc;
	return 0;
}

static int
sqlite_conflict_insert(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, const char *reason, int64_t now, char **cause)
{
	return run(tx, tx_prep(tx, "INSERT OR IGNORE INTO conflicts (id, kiosk, seq,"
	    " type, at, payload, reason, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    cause, "ttititti", EVENT_ARGS(e, kiosk), reason, now), cause);
}

static int
sqlite_conflict_delete(struct server_tx *tx, const char *kiosk, const char *id,
    const char *reason, char **cause)
{
	return run(tx, tx_prep(tx, "DELETE FROM conflicts WHERE kiosk = ? AND id = ?"
	    " AND reason = ?", cause, "ttt", kiosk, id, reason), cause);
}

/*
 * A resident or a session that arrives after the facts that name it gives
 * them its hamlet and category now (the facts carry them for the
 * dashboard's reports; in the kiosk's order there is nothing to update).
 */
static int
dims_fill(struct server_tx *tx, const struct server_fact *f, char **cause)
{
	static const char *const after_resident[] = {
		"UPDATE f_session SET hamlet = ?3 WHERE kiosk = ?1 AND resident = ?2",
		"UPDATE f_finish SET hamlet = ?3 WHERE kiosk = ?1 AND session IN"
		" (SELECT session FROM f_session WHERE kiosk = ?1 AND resident = ?2)",
		"UPDATE f_block SET hamlet = ?3 WHERE kiosk = ?1 AND session IN"
		" (SELECT session FROM f_session WHERE kiosk = ?1 AND resident = ?2)",
	};
	static const char *const after_session[] = {
		"UPDATE f_finish SET (hamlet, category) = (SELECT hamlet, category FROM"
		" f_session WHERE kiosk = ?1 AND session = ?2) WHERE kiosk = ?1 AND"
		" session = ?2",
		"UPDATE f_block SET (hamlet, category) = (SELECT hamlet, category FROM"
		" f_session WHERE kiosk = ?1 AND session = ?2) WHERE kiosk = ?1 AND"
		" session = ?2",
	};
	int	resident = f->kind == SERVER_FACT_RESIDENT;
	size_t	n = resident ? 3 : 2, i;
	int	rc;

	for (i = 0; i < n; i++)
		if ((rc = run(tx, resident ? tx_prep(tx, after_resident[i], cause, "ttt",
		    f->kiosk, f->resident, f->hamlet) : tx_prep(tx, after_session[i],
		    cause, "tt", f->kiosk, f->session), cause)) != 0)
			return rc;
	return 0;
}

static int
sqlite_fact_put(struct server_tx *tx, const struct server_fact *f, int *added,
    char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	switch (f->kind) {
	case SERVER_FACT_RESIDENT:
		st = tx_prep(tx, "INSERT OR IGNORE INTO f_resident (kiosk, resident,"
		    " hamlet, birth_year, sex, at) VALUES (?, ?, ?, ?, ?, ?)", cause,
		    "tttoti", f->kiosk, f->resident, f->hamlet, f->has_birth_year,
		    f->birth_year, f->sex, f->at);
		break;
	case SERVER_FACT_SESSION:
		/* With the resident's hamlet, so the dashboard's reports by
		 * hamlet join nothing (dims_fill covers a resident that comes later). */
		st = tx_prep(tx, "INSERT OR IGNORE INTO f_session (kiosk, session,"
		    " resident, checklist, version, category, at, hamlet) VALUES (?, ?,"
		    " ?, ?, ?, ?, ?, (SELECT hamlet FROM f_resident WHERE kiosk = ?1 AND"
		    " resident = ?3))", cause, "ttttoti", f->kiosk, f->session,
		    f->resident, f->checklist, f->has_version, f->version, f->category,
		    f->at);
		break;
	case SERVER_FACT_FINISH:
		/* With its session's hamlet and category (see f_session). */
		st = tx_prep(tx, "INSERT OR IGNORE INTO f_finish (kiosk, session,"
		    " checklist, outcome, at, hamlet, category) VALUES (?, ?, ?, ?, ?,"
		    " (SELECT hamlet FROM f_session WHERE kiosk = ?1 AND session = ?2),"
		    " (SELECT category FROM f_session WHERE kiosk = ?1 AND session = ?2))",
		    cause, "tttti", f->kiosk, f->session, f->checklist, f->outcome, f->at);
		break;
	case SERVER_FACT_BLOCK:
		st = tx_prep(tx, "INSERT OR IGNORE INTO f_block (event, kiosk, session,"
		    " checklist, step, reason, at, hamlet, category) VALUES (?, ?, ?, ?,"
		    " ?, ?, ?, (SELECT hamlet FROM f_session WHERE kiosk = ?2 AND"
		    " session = ?3), (SELECT category FROM f_session WHERE kiosk = ?2 AND"
		    " session = ?3))", cause, "tttttti", f->event, f->kiosk, f->session,
		    f->checklist, f->step, f->reason, f->at);
		break;
	case SERVER_FACT_UNBLOCK:
		return fail(cause, "fact_put: an unblock is store_block_take's");
	}
	if ((rc = run(tx, st, cause)) == 0)
		*added = sqlite3_changes(tx_conn(tx)->db) > 0;
	if (rc == 0 && *added && (f->kind == SERVER_FACT_RESIDENT ||
	    f->kind == SERVER_FACT_SESSION))
		rc = dims_fill(tx, f, cause);
	return rc;
}

/* Facts read back, and rollups ------------------------------------------- */

static char *
col_opt(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

static int
sqlite_block_take(struct server_tx *tx, const char *kiosk, const char *session,
    const char *stepid, struct server_fact_row *r, int *found, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = tx_prep(tx, "SELECT event, session, checklist, step, reason, at FROM f_block"
	    " WHERE kiosk = ? AND session = ? AND step = ? ORDER BY event DESC LIMIT 1",
	    cause, "ttt", kiosk, session, stepid);
	if ((rc = step(tx, st, cause)) <= 0)
		return rc;
	r->kind = SERVER_FACT_BLOCK;
	r->event = col_opt(st, 0);
	r->session = col_opt(st, 1);
	r->checklist = col_opt(st, 2);
	r->step = col_opt(st, 3);
	r->reason = col_opt(st, 4);
	r->at = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	*found = 1;
	return run(tx, tx_prep(tx, "DELETE FROM f_block WHERE event = ?", cause, "t",
	    r->event), cause);
}

static int
sqlite_session_get(struct server_tx *tx, const char *kiosk, const char *session,
    struct server_fact_row *r, int *found, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = tx_prep(tx, "SELECT resident, checklist, category, at FROM f_session"
	    " WHERE kiosk = ? AND session = ?", cause, "tt", kiosk, session);
	if ((rc = step(tx, st, cause)) <= 0)
		return rc;
	r->kind = SERVER_FACT_SESSION;
	r->session = session != NULL ? xstrdup(session) : NULL;
	r->resident = col_opt(st, 0);
	r->checklist = col_opt(st, 1);
	r->category = col_opt(st, 2);
	r->at = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	*found = 1;
	return 0;
}

/* The first column of st's one row into *v (col_opt or col_text), *found 1. */
static int
one_text(struct server_tx *tx, sqlite3_stmt *st, char *(*col)(sqlite3_stmt *, int),
    char **v, int *found, char **cause)
{
	int rc;

	if ((rc = step(tx, st, cause)) <= 0)
		return rc;
	*v = col(st, 0);
	*found = 1;
	sqlite3_reset(st);
	return 0;
}

static int
sqlite_resident_hamlet(struct server_tx *tx, const char *kiosk, const char *resident,
    char **hamlet, int *found, char **cause)
{
	return one_text(tx, tx_prep(tx, "SELECT hamlet FROM f_resident WHERE kiosk = ?"
	    " AND resident = ?", cause, "tt", kiosk, resident), col_opt, hamlet, found,
	    cause);
}

/* Rows of a fact query as server_fact_rows: kind, event, session, resident,
 * checklist, category, outcome, step, reason, at. */
static int
fact_rows(struct server_tx *tx, sqlite3_stmt *st, struct server_fact_row **v,
    size_t *n, char **cause)
{
	size_t	cap = 0;
	int	r;

	while ((r = step(tx, st, cause)) == 1) {
		struct server_fact_row *x;
		const char *kind = (const char *)sqlite3_column_text(st, 0);

		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		x = &(*v)[(*n)++];
		memset(x, 0, sizeof *x);
		x->kind = kind == NULL ? SERVER_FACT_SESSION : *kind == 'f' ?
		    SERVER_FACT_FINISH : *kind == 'b' ? SERVER_FACT_BLOCK :
		    SERVER_FACT_SESSION;
		x->event = col_opt(st, 1);
		x->session = col_opt(st, 2);
		x->resident = col_opt(st, 3);
		x->checklist = col_opt(st, 4);
		x->category = col_opt(st, 5);
		x->outcome = col_opt(st, 6);
		x->step = col_opt(st, 7);
		x->reason = col_opt(st, 8);
		x->at = sqlite3_column_int64(st, 9);
	}
	if (r < 0) {
		server_fact_rows_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return r < 0 ? r : 0;
}

static int
sqlite_session_deps(struct server_tx *tx, const char *kiosk, const char *session,
    struct server_fact_row **v, size_t *n, char **cause)
{
	return fact_rows(tx, tx_prep(tx, "SELECT 'f', NULL, session, NULL, checklist,"
	    " NULL, outcome, NULL, NULL, at FROM f_finish WHERE kiosk = ?1 AND"
	    " session = ?2 UNION ALL SELECT 'b', event, session, NULL, checklist, NULL,"
	    " NULL, step, reason, at FROM f_block WHERE kiosk = ?1 AND session = ?2",
	    cause, "tt", kiosk, session), v, n, cause);
}

static int
sqlite_resident_sessions(struct server_tx *tx, const char *kiosk,
    const char *resident, struct server_fact_row **v, size_t *n, char **cause)
{
	return fact_rows(tx, tx_prep(tx, "SELECT 's', NULL, session, resident, checklist,"
	    " category, NULL, NULL, NULL, at FROM f_session WHERE kiosk = ? AND"
	    " resident = ?", cause, "tt", kiosk, resident), v, n, cause);
}

/* The level of a period: 0 ever (""), 1 year, 2 month, 3 day. */
static int
period_lvl(const char *p)
{
	size_t n = strlen(p);

	return n == 0 ? 0 : n <= 4 ? 1 : n <= 7 ? 2 : 3;
}

static int
sqlite_rollups_add(struct server_tx *tx, const struct server_rollup *v, size_t n,
    char **cause)
{
	size_t	i;
	int	rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const struct server_rollup *r = &v[i];

		rc = run(tx, tx_prep(tx, "INSERT INTO r_sums (grp, lvl, period, kiosk, k1,"
		    " k2, k3, started, finished, completed, blocked, first_ever, first_year,"
		    " first_month, on_day, last_ever) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		    " ?, ?, ?, ?, ?, ?)" R_SUMS_ADD, cause,
		    "tdtttttiiiiiiiii", r->grouping, period_lvl(r->period), r->period,
		    r->kiosk, r->k[0], r->k[1], r->k[2], r->started, r->finished,
		    r->completed, r->blocked, r->first_ever, r->first_year,
		    r->first_month, r->on_day, r->last_ever), cause);
	}
	return rc;
}

static int
sqlite_seen_get(struct server_tx *tx, const char *kiosk, const char *resident,
    struct server_seen **v, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	st = tx_prep(tx, "SELECT grp, k1, k2, k3, period, first, n, last FROM r_seen"
	    " WHERE kiosk = ? AND resident = ?", cause, "tt", kiosk, resident);
	while ((rc = step(tx, st, cause)) > 0) {
		struct server_seen *x;

		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		x = &(*v)[(*n)++];
		x->kiosk = xstrdup(kiosk);
		x->resident = xstrdup(resident);
		x->grouping = col_text(st, 0);
		x->k[0] = col_text(st, 1);
		x->k[1] = col_text(st, 2);
		x->k[2] = col_text(st, 3);
		x->period = col_text(st, 4);
		x->first = col_text(st, 5);
		x->n = sqlite3_column_int64(st, 6);
		x->last = col_text(st, 7);
	}
	if (rc < 0) {
		server_seen_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return rc;
}

static int
sqlite_seen_put(struct server_tx *tx, const struct server_seen *v, size_t n,
    char **cause)
{
	size_t	i;
	int	rc = 0;

	/* Parameters 1 to 8: kiosk, resident, grp, k1, k2, k3, lvl, period. */
#define SEEN_KEY(x) (x)->kiosk, (x)->resident, (x)->grouping, (x)->k[0], (x)->k[1], \
	(x)->k[2], period_lvl((x)->period), (x)->period
	for (i = 0; i < n && rc == 0; i++)
		if (v[i].n <= 0)
			rc = run(tx, tx_prep(tx, "DELETE FROM r_seen WHERE kiosk = ? AND"
			    " resident = ? AND grp = ? AND k1 = ? AND k2 = ? AND k3 = ? AND"
			    " lvl = ? AND period = ?", cause, "ttttttdt", SEEN_KEY(&v[i])),
			    cause);
		else
			rc = run(tx, tx_prep(tx, "INSERT INTO r_seen (kiosk, resident, grp,"
			    " k1, k2, k3, lvl, period, first, n, last) VALUES (?, ?, ?, ?, ?,"
			    " ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk, resident, grp, k1, k2, k3,"
			    " lvl, period) DO UPDATE SET first = excluded.first, n = excluded.n,"
			    " last = excluded.last", cause, "ttttttdttit", SEEN_KEY(&v[i]),
			    v[i].first, v[i].n, v[i].last != NULL ? v[i].last : ""), cause);
#undef SEEN_KEY
	return rc;
}

static void
fill_int(sqlite3_stmt *st, void *p)
{
	*(int *)p = sqlite3_column_int(st, 0);
}

static int
sqlite_rollups_built(struct server_store *base, int *built, char **cause)
{
	int found = 0;

	return read_one((struct sqlite_store *)base, built, &found, sizeof *built,
	    fill_int, cause, "SELECT built FROM r_state", "");
}

static int
sqlite_rollups_claim(struct server_tx *tx, int force, int *todo, char **cause)
{
	int64_t	built;
	int	rc;

	/* BEGIN IMMEDIATE: no other writer until the rebuild commits. */
	if ((rc = one_int(tx, tx_prep(tx, "SELECT built FROM r_state", cause, ""),
	    &built, cause)) != 0 || (built && !force))
		return rc;
	*todo = 1;
	return exec((struct sqlite_store *)tx->store, tx_conn(tx)->db,
	    "DELETE FROM r_sums; DELETE FROM r_seen; UPDATE r_state SET built = 0",
	    cause);
}

static int
sqlite_rollups_done(struct server_tx *tx, char **cause)
{
	return exec((struct sqlite_store *)tx->store, tx_conn(tx)->db,
	    "UPDATE r_state SET built = 1", cause);
}

/* Content --------------------------------------------------------------- */

static int
sqlite_content_lock(struct server_tx *tx, char **cause)
{
	return 0;	/* BEGIN IMMEDIATE: one writer already */
}

static int
sqlite_content_version(struct server_tx *tx, int64_t *version, char **cause)
{
	return one_int(tx, tx_prep(tx, "SELECT coalesce(max(version), 0) FROM"
	    " content_versions", cause, ""), version, cause);
}

static int
sqlite_content_version_add(struct server_tx *tx, int64_t version, int64_t now,
    char **cause)
{
	return run(tx, tx_prep(tx, "INSERT INTO content_versions (version, published_at)"
	    " VALUES (?, ?)", cause, "ii", version, now), cause);
}

static int
sqlite_checklist_get(struct server_tx *tx, const char *id, int version, char **json,
    int *found, char **cause)
{
	return one_text(tx, tx_prep(tx, "SELECT json FROM checklists WHERE id = ? AND"
	    " version = ?", cause, "td", id, version), col_text, json, found, cause);
}

static int
sqlite_checklist_newest(struct server_tx *tx, const char *id, int64_t *version,
    char **cause)
{
	return one_int(tx, tx_prep(tx, "SELECT coalesce(max(version), 0) FROM checklists"
	    " WHERE id = ?", cause, "t", id), version, cause);
}

static int
sqlite_checklist_insert(struct server_tx *tx, const struct server_checklist *c,
    int64_t content_version, char **cause)
{
	return run(tx, tx_prep(tx, "INSERT INTO checklists (id, version, json,"
	    " content_version) VALUES (?, ?, ?, ?)", cause, "tdti", c->id, c->version,
	    c->json, content_version), cause);
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
	const char		*province;
	const char		*code;
} report_keys[] = {
	/* Communes are keyed by their province too: two of one name are two. */
	{ SERVER_BY_COMMUNE, "k.commune", "''", "k.province", "k.commune_code" },
	{ SERVER_BY_HAMLET, "coalesce(r.hamlet, k.hamlet)", "k.commune", "k.province",
	    "''" },
	{ SERVER_BY_CHECKLIST, "coalesce(x.checklist, s.checklist, '')", "''", "''",
	    "''" },
	{ SERVER_BY_CATEGORY, "coalesce(s.category, '')", "''", "''", "''" },
	{ SERVER_BY_DAY, "date(x.at / 1000, 'unixepoch', 'localtime')", "''", "''",
	    "''" },
	{ SERVER_BY_PROVINCE, "k.province", "''", "''", "''" },
};

#define REPORT_JOINS " JOIN kiosks k ON k.id = x.kiosk" \
	" LEFT JOIN f_session s ON s.kiosk = x.kiosk AND s.session = x.session" \
	" LEFT JOIN f_resident r ON r.kiosk = x.kiosk AND r.resident = s.resident" \
	" WHERE x.at >= ?1 AND x.at < ?2 GROUP BY 1, 2, 3, 4"

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
		const char *P = report_keys[i].province, *D = report_keys[i].code;
		sql = xasprintf("SELECT key, commune, province, code, sum(people),"
		    " sum(st), sum(fi), sum(co), sum(bl) FROM ("
		    "SELECT %s AS key, %s AS commune, %s AS province, %s AS code,"
		    " count(DISTINCT x.kiosk || '/' || coalesce(x.resident, x.session)) AS people,"
		    " count(*) AS st, 0 AS fi, 0 AS co, 0 AS bl FROM f_session x"
		    REPORT_JOINS
		    " UNION ALL SELECT %s, %s, %s, %s, 0, 0, count(*),"
		    " sum(x.outcome = 'completed'), 0 FROM f_finish x" REPORT_JOINS
		    " UNION ALL SELECT %s, %s, %s, %s, 0, 0, 0, 0, count(*) FROM f_block x"
		    REPORT_JOINS
		    ") GROUP BY key, commune, province, code"
		    " ORDER BY key, commune, province, code",
		    K, C, P, D, K, C, P, D, K, C, P, D);
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
		if (by == SERVER_BY_COMMUNE || by == SERVER_BY_HAMLET)
			row->province = col_text(st, 2);
		if (by == SERVER_BY_COMMUNE)
			row->commune_code = col_text(st, 3);
		row->people = sqlite3_column_int64(st, 4);
		row->started = sqlite3_column_int64(st, 5);
		row->finished = sqlite3_column_int64(st, 6);
		row->completed = sqlite3_column_int64(st, 7);
		row->blocked = sqlite3_column_int64(st, 8);
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

/* Migration: the source side --------------------------------------------- */

static int
sqlite_rows(struct server_store *base, const struct server_table *t,
    server_row_fn each, void *arg, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st = NULL;
	const char		*vals[32];
	char			*sql, *cols = xstrdup("");
	int			 i, r, rc = 0;

	for (i = 0; i < t->ncols && i < 32; i++) {
		char *next = xasprintf(i == t->hash_col ? "%s%slower(hex(%s))" : "%s%s%s",
		    cols, i > 0 ? ", " : "", t->cols[i]);

		free(cols);
		cols = next;
	}
	sql = xasprintf("SELECT %s FROM %s ORDER BY %s", cols, t->name, t->order);
	free(cols);
	if ((c = conn_get(s, cause)) == NULL) {
		free(sql);
		return SERVER_STORE_FAIL;
	}
	/* One read transaction: a consistent copy even while a server writes. */
	if ((rc = exec(s, c->db, "BEGIN", cause)) != 0)
		goto out;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(s, c->db, cause);
		goto end;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < t->ncols; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if ((rc = each(arg, vals)) != 0)
			goto end;
	}
	if (r != SQLITE_DONE)
		rc = db_fail(s, c->db, cause);
end:
	sqlite3_finalize(st);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
out:
	conn_put(s, c);
	free(sql);
	return rc;
}

/* A pair of texts, either NULL. */
static void
fill_ends(sqlite3_stmt *st, void *p)
{
	char **v = p;

	v[0] = col_opt(st, 0);
	v[1] = col_opt(st, 1);
}

static int
sqlite_rollup_days(struct server_store *base, char **first, char **last,
    char **cause)
{
	char	*v[2] = { NULL, NULL };
	int	 found = 0, rc;

	/* Two ends of one index range: the kiosks' day rows. */
	rc = read_one((struct sqlite_store *)base, v, &found, sizeof v, fill_ends, cause,
	    "SELECT (SELECT min(period) FROM r_sums WHERE grp = '" SERVER_GRP_KIOSK "'"
	    " AND lvl = 3), (SELECT max(period) FROM r_sums WHERE grp = '"
	    SERVER_GRP_KIOSK "' AND lvl = 3)", "");
	if (v[0] != NULL)
		*first = v[0];
	if (v[1] != NULL)
		*last = v[1];
	return rc;
}

/* The report's statements from the rollups (server-store-rollup.h), made
 * once: the statement cache keys on their address. */
static const char *const report_sql[2][7] = {
	{
		[SERVER_BY_PROVINCE] = R_NATION_PROVINCE,
		[SERVER_BY_COMMUNE] = R_NATION_COMMUNE,
		[SERVER_BY_HAMLET] = R_NATION_HAMLET,
		[SERVER_BY_CHECKLIST] = R_NATION_CHECKLIST,
		[SERVER_BY_CATEGORY] = R_NATION_CATEGORY,
		[SERVER_BY_DAY] = R_NATION_DAY,
		[SERVER_BY_REASON] = R_NATION_REASON,
	}, {
		[SERVER_BY_PROVINCE] = R_SCOPE_PROVINCE,
		[SERVER_BY_COMMUNE] = R_SCOPE_COMMUNE,
		[SERVER_BY_HAMLET] = R_SCOPE_HAMLET,
		[SERVER_BY_CHECKLIST] = R_SCOPE_CHECKLIST,
		[SERVER_BY_CATEGORY] = R_SCOPE_CATEGORY,
		[SERVER_BY_DAY] = R_SCOPE_DAY,
		[SERVER_BY_REASON] = R_SCOPE_REASON,
	}
};

static const char *
report_grp(enum server_report_by by, int scoped)
{
	switch (by) {
	case SERVER_BY_DAY:
		return scoped ? SERVER_GRP_KIOSK : SERVER_GRP_DAYS;
	case SERVER_BY_HAMLET:
		return SERVER_GRP_HAMLET;
	case SERVER_BY_CHECKLIST:
		return SERVER_GRP_CHECKLIST;
	case SERVER_BY_CATEGORY:
		return SERVER_GRP_CATEGORY;
	case SERVER_BY_REASON:
		return SERVER_GRP_REASON;
	default:
		return SERVER_GRP_KIOSK;
	}
}

static int
sqlite_report_rollups(struct server_store *base, enum server_report_by by,
    const struct server_cover *cv, const struct server_scope *scope,
    struct server_report *rep, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	size_t			 cap = 0;
	int			 i, r, rc = 0, distinct, scoped;

	memset(rep, 0, sizeof *rep);
	rep->by = by;
	if ((int)by < 0 || (size_t)by >= sizeof report_sql[0] / sizeof report_sql[0][0])
		return fail(cause, "report: unknown grouping %d", (int)by);
	scoped = scope != NULL && ((scope->province != NULL && *scope->province) ||
	    (scope->commune != NULL && *scope->commune));
	if ((c = conn_get(s, cause)) == NULL)
		return SERVER_STORE_FAIL;
	if ((st = stmt(c, report_sql[scoped][by])) == NULL) {
		rc = db_fail(s, c->db, cause);
		goto out;
	}
	sqlite3_bind_text(st, 1, report_grp(by, scoped), -1, SQLITE_STATIC);
	for (i = 0; i < 5; i++) {
		/* An unused range is empty: lvl 0 holds no counts. */
		sqlite3_bind_int(st, 2 + 3 * i, i < cv->n ? cv->r[i].lvl : 0);
		sqlite3_bind_text(st, 3 + 3 * i, i < cv->n ? cv->r[i].lo : "", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 4 + 3 * i, i < cv->n ? cv->r[i].hi : "", -1,
		    SQLITE_STATIC);
	}
	distinct = cv->people == SERVER_PEOPLE_DISTINCT && by != SERVER_BY_REASON;
	sqlite3_bind_int(st, 17, by == SERVER_BY_REASON ? -1 : (int)cv->people);
	sqlite3_bind_text(st, 18, distinct ? cv->from_day : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 19, distinct ? cv->to_day : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 20, scope != NULL && scope->province != NULL ?
	    scope->province : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 21, scope != NULL && scope->commune != NULL ?
	    scope->commune : "", -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (rep->n == cap) {
			cap = cap ? cap * 2 : 16;
			rep->rows = xrealloc(rep->rows, cap * sizeof *rep->rows);
		}
		server_store_rollup_row(by, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 7),
		    sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
		    sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
		    &rep->rows[rep->n++]);
	}
	if (r != SQLITE_DONE) {
		rc = db_fail(s, c->db, cause);
		server_report_free(rep);
	}
	sqlite3_reset(st);
out:
	conn_put(s, c);
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
	fail(cause, _("Cơ sở dữ liệu máy chủ %s bị hỏng (%s)."), s->path, found);
	free(found);
	return -1;
}

/* The dashboard ----------------------------------------------------------- */

static const char *
role_name(enum server_role r)
{
	return r == SERVER_ROLE_COMMUNE ? "commune" : "province";
}

#define USER_COLS "login, role, province, commune, pwhash, created_at," \
	" disabled_at, failures, locked_until, last_login"

static void
user_row(sqlite3_stmt *st, struct server_user *u)
{
	u->login = col_text(st, 0);
	u->role = strcmp((const char *)sqlite3_column_text(st, 1), "commune") == 0 ?
	    SERVER_ROLE_COMMUNE : SERVER_ROLE_PROVINCE;
	u->province = col_text(st, 2);
	u->commune = col_text(st, 3);
	u->pwhash = col_text(st, 4);
	u->created_at = sqlite3_column_int64(st, 5);
	u->disabled_at = sqlite3_column_int64(st, 6);
	u->failures = sqlite3_column_int64(st, 7);
	u->locked_until = sqlite3_column_int64(st, 8);
	u->last_login = sqlite3_column_int64(st, 9);
}

static int
sqlite_user_add(struct server_store *base, const struct server_user *u, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	struct conn		*c;
	sqlite3_stmt		*st;
	int			 rc = 0;

	if ((c = conn_get(s, cause)) == NULL)
		return SERVER_STORE_FAIL;
	pthread_mutex_lock(&s->wmu);
	st = prep(c, "INSERT INTO users (login, role, province, commune, pwhash,"
	    " created_at) VALUES (?, ?, ?, ?, ?, ?)", cause, "ttttti", u->login,
	    role_name(u->role), u->province != NULL ? u->province : "",
	    u->commune != NULL ? u->commune : "", u->pwhash, u->created_at);
	if (st == NULL)
		rc = SERVER_STORE_FAIL;
	else if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = fail(cause, _("Đã có tài khoản \"%s\"; hãy chọn tên đăng nhập "
			    "khác."), u->login);
		else
			rc = db_fail(s, c->db, cause);
	}
	if (st != NULL)
		sqlite3_reset(st);
	pthread_mutex_unlock(&s->wmu);
	conn_put(s, c);
	return rc;
}

static int
sqlite_user_update(struct server_store *base, const struct server_user *u,
    char **cause)
{
	int changed = 0, rc;

	rc = write_one((struct sqlite_store *)base, &changed, cause, "UPDATE users SET"
	    " pwhash = ?, disabled_at = ?, failures = ?, locked_until = ?,"
	    " last_login = ? WHERE login = ?", "tiiiit", u->pwhash, u->disabled_at,
	    u->failures, u->locked_until, u->last_login, u->login);
	if (rc == 0 && changed == 0)
		rc = fail(cause, _("Không có tài khoản \"%s\"; xem danh sách bằng "
		    "`sotay-server user list`."), u->login);
	return rc;
}

/* The count and the lock in one statement: the database's writer lock orders them. */
static int
sqlite_user_failed(struct server_store *base, const char *login, int max, int64_t until,
    int *locked, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	int			 rc, found, v;

	if ((rc = write_one(s, NULL, cause, "UPDATE users SET"
	    " locked_until = CASE WHEN failures + 1 >= ?1 THEN ?2 ELSE locked_until END,"
	    " failures = CASE WHEN failures + 1 >= ?1 THEN 0 ELSE failures + 1 END"
	    " WHERE login = ?3", "iit", (int64_t)max, until, login)) != 0)
		return rc;
	if ((rc = read_one(s, &v, &found, sizeof v, fill_int, cause,
	    "SELECT locked_until = ? FROM users WHERE login = ?", "it", until, login)) != 0)
		return rc;
	*locked = found && v;
	return 0;
}

static void
fill_user(sqlite3_stmt *st, void *p)
{
	user_row(st, p);
}

static int
sqlite_user_get(struct server_store *base, const char *login, struct server_user *u,
    int *found, char **cause)
{
	return read_one((struct sqlite_store *)base, u, found, sizeof *u, fill_user,
	    cause, "SELECT " USER_COLS " FROM users WHERE login = ?", "t", login);
}

static int
sqlite_user_list(struct server_store *base, struct server_user **v, size_t *n,
    char **cause)
{
	return read_rows((struct sqlite_store *)base, (void **)v, n, sizeof **v,
	    fill_user, cause, "SELECT " USER_COLS " FROM users ORDER BY login", "");
}

static int
sqlite_web_session_add(struct server_store *base,
    const unsigned char hash[SERVER_HASH_LEN], const char *login, int64_t expires,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)base;
	int			 rc;

	if ((rc = write_one(s, NULL, cause, "DELETE FROM web_sessions WHERE"
	    " expires_at < ?", "i", util_now_ms())) != 0)
		return rc;
	return write_one(s, NULL, cause, "INSERT INTO web_sessions (token_hash, login,"
	    " expires_at) VALUES (?, ?, ?)", "hti", hash, login, expires);
}

struct web_session {
	char	*login;
	int64_t	 expires;
};

static void
fill_web_session(sqlite3_stmt *st, void *p)
{
	struct web_session *w = p;

	w->login = col_text(st, 0);
	w->expires = sqlite3_column_int64(st, 1);
}

static int
sqlite_web_session_get(struct server_store *base,
    const unsigned char hash[SERVER_HASH_LEN], char **login, int64_t *expires,
    int *found, char **cause)
{
	struct web_session	w;
	int			rc;

	rc = read_one((struct sqlite_store *)base, &w, found, sizeof w,
	    fill_web_session, cause, "SELECT login, expires_at FROM web_sessions"
	    " WHERE token_hash = ?", "h", hash);
	if (rc == 0 && *found) {
		*login = w.login;
		*expires = w.expires;
	}
	return rc;
}

static int
sqlite_web_session_delete(struct server_store *base,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	return write_one((struct sqlite_store *)base, NULL, cause,
	    "DELETE FROM web_sessions WHERE token_hash = ?", "h", hash);
}

static int
sqlite_audit_add(struct server_store *base, const struct server_audit *a,
    char **cause)
{
	return write_one((struct sqlite_store *)base, NULL, cause, "INSERT INTO audit"
	    " (at, login, action, detail, addr) VALUES (?, ?, ?, ?, ?)", "itttt", a->at,
	    a->login != NULL ? a->login : "-", a->action,
	    a->detail != NULL ? a->detail : "", a->addr != NULL ? a->addr : "");
}

static void
fill_audit(sqlite3_stmt *st, void *p)
{
	struct server_audit *a = p;

	a->at = sqlite3_column_int64(st, 0);
	a->login = col_text(st, 1);
	a->action = col_text(st, 2);
	a->detail = col_text(st, 3);
	a->addr = col_text(st, 4);
}

static int
sqlite_audit_list(struct server_store *base, int64_t limit, struct server_audit **v,
    size_t *n, char **cause)
{
	return read_rows((struct sqlite_store *)base, (void **)v, n, sizeof **v,
	    fill_audit, cause, "SELECT at, login, action, detail, addr FROM audit"
	    " ORDER BY n DESC LIMIT ?", "i", limit);
}

static int
sqlite_kiosk_status_set(struct server_store *base,
    const struct server_kiosk_status *k, char **cause)
{
	return write_one((struct sqlite_store *)base, NULL, cause, "INSERT OR REPLACE"
	    " INTO kiosk_status (kiosk, at, pending, content_version, program_version,"
	    " clock_offset) VALUES (?, ?, ?, ?, ?, ?)", "tiiiti", k->kiosk, k->at,
	    k->pending, k->content_version,
	    k->program_version != NULL ? k->program_version : "", k->clock_offset);
}

static void
fill_status(sqlite3_stmt *st, void *p)
{
	struct server_kiosk_status *k = p;

	k->kiosk = col_text(st, 0);
	k->at = sqlite3_column_int64(st, 1);
	k->pending = sqlite3_column_int64(st, 2);
	k->content_version = sqlite3_column_int64(st, 3);
	k->program_version = col_text(st, 4);
	k->clock_offset = sqlite3_column_int64(st, 5);
}

static int
sqlite_kiosk_status_list(struct server_store *base, struct server_kiosk_status **v,
    size_t *n, char **cause)
{
	return read_rows((struct sqlite_store *)base, (void **)v, n, sizeof **v,
	    fill_status, cause, "SELECT kiosk, at, pending, content_version,"
	    " program_version, clock_offset FROM kiosk_status ORDER BY kiosk", "");
}

static void
fill_conflict(sqlite3_stmt *st, void *p)
{
	struct server_conflict *c = p;

	c->kiosk = col_text(st, 0);
	c->id = col_text(st, 1);
	c->seq = sqlite3_column_int64(st, 2);
	c->type = col_text(st, 3);
	c->at = sqlite3_column_int64(st, 4);
	c->reason = col_text(st, 5);
	c->received_at = sqlite3_column_int64(st, 6);
}

static int
sqlite_conflict_list(struct server_store *base, int64_t limit,
    struct server_conflict **v, size_t *n, char **cause)
{
	return read_rows((struct sqlite_store *)base, (void **)v, n, sizeof **v,
	    fill_conflict, cause, "SELECT kiosk, id, seq, type, at, reason, received_at"
	    " FROM conflicts ORDER BY received_at DESC, kiosk, seq LIMIT ?", "i", limit);
}

const struct server_store_ops server_store_sqlite = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.kiosk_add = sqlite_kiosk_add,
	.kiosk_list = sqlite_kiosk_list,
	.kiosk_revoke = sqlite_kiosk_revoke,
	.kiosk_by_token = sqlite_kiosk_by_token,
	.kiosk_bind = sqlite_kiosk_bind,
	.kiosk_token = sqlite_kiosk_token,
	.kiosk_start = sqlite_kiosk_start,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.kiosk_lock = sqlite_kiosk_lock,
	.kiosk_set_held = sqlite_kiosk_set_held,
	.kiosk_max_seq = sqlite_kiosk_max_seq,
	.event_get = sqlite_event_get,
	.seq_stored = sqlite_seq_stored,
	.seq_held = sqlite_seq_held,
	.event_insert = sqlite_event_insert,
	.events_insert_new = sqlite_events_insert_new,
	.conflict_insert = sqlite_conflict_insert,
	.conflict_delete = sqlite_conflict_delete,
	.fact_put = sqlite_fact_put,
	.content_lock = sqlite_content_lock,
	.content_version = sqlite_content_version,
	.content_version_add = sqlite_content_version_add,
	.checklist_get = sqlite_checklist_get,
	.checklist_newest = sqlite_checklist_newest,
	.checklist_insert = sqlite_checklist_insert,
	.content_since = sqlite_content_since,
	.report = sqlite_report,
	.check = sqlite_check,
	.block_take = sqlite_block_take,
	.session_get = sqlite_session_get,
	.resident_hamlet = sqlite_resident_hamlet,
	.session_deps = sqlite_session_deps,
	.resident_sessions = sqlite_resident_sessions,
	.rollups_add = sqlite_rollups_add,
	.seen_get = sqlite_seen_get,
	.seen_put = sqlite_seen_put,
	.rollup_days = sqlite_rollup_days,
	.rollups_built = sqlite_rollups_built,
	.rollups_claim = sqlite_rollups_claim,
	.rollups_done = sqlite_rollups_done,
	.report_rollups = sqlite_report_rollups,
	.user_add = sqlite_user_add,
	.user_get = sqlite_user_get,
	.user_list = sqlite_user_list,
	.user_update = sqlite_user_update,
	.user_failed = sqlite_user_failed,
	.web_session_add = sqlite_web_session_add,
	.web_session_get = sqlite_web_session_get,
	.web_session_delete = sqlite_web_session_delete,
	.audit_add = sqlite_audit_add,
	.audit_list = sqlite_audit_list,
	.kiosk_status_set = sqlite_kiosk_status_set,
	.kiosk_status_list = sqlite_kiosk_status_list,
	.conflict_list = sqlite_conflict_list,
	.rows = sqlite_rows,
	.row_put = NULL,	/* a province's file is a source, not a target */
};
