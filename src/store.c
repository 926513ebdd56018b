/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c: the kiosk's SQLite database — opening it safely, running the
 * modules' numbered migrations (store.h), transactions, the outbox and the
 * meta settings.
 *
 * Each migration is applied in one transaction together with the new
 * PRAGMA user_version, so a power cut leaves either the old schema or the
 * new one, never half of it. A file from a newer program is refused, not
 * "repaired".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "fold.h"
#include "i18n.h"
#include "nfc.h"
#include "secret.h"
#include "store.h"

struct store {
	sqlite3		*db;
	char		*path;
	int		 readonly;
	struct cached {
		const char	*sql;
		sqlite3_stmt	*st;
	}		*stmts;
	int		 nstmts;
	int		 joined;	/* store_begin calls inside the open transaction */
};

/*
 * The highest seq the server has acknowledged (store_events_ack), in SQL:
 * every event up to it is sent. A constant subquery, evaluated once per
 * statement.
 */
#define OUTBOX_ACKED	"coalesce((SELECT CAST(value AS INTEGER) FROM meta " \
			"WHERE key = 'outbox_acked'), 0)"

/* The store's own tables: the settings and the outbox. */
static const char *const store_steps[STORE_SCHEMA_VERSION] = {
	[0] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE outbox ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  sent INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX outbox_pending ON outbox(seq) WHERE sent = 0;",
	/*
	 * 5: a lean outbox, so an event costs one page of the commit: no
	 * AUTOINCREMENT (its sqlite_sequence row), no UNIQUE on id (the kiosk
	 * makes the UUIDv7s and never looks one up), no sent column and no
	 * index of the pending. Acks always mark a prefix, so what the server
	 * holds is one number in meta, outbox_acked: every seq up to it. It is
	 * taken below the first event not sent; one sent above that (never
	 * made by this program) is sent again, and the server keeps it once.
	 * seq still never repeats: the newest event is never removed, so the
	 * next one is always past every seq given.
	 */
	[4] =
	"INSERT INTO meta (key, value) VALUES ('outbox_acked', coalesce("
	"  (SELECT min(seq) - 1 FROM outbox WHERE sent = 0), (SELECT max(seq) FROM outbox), 0))"
	"  ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
	"ALTER TABLE outbox RENAME TO outbox_v4;"
	"CREATE TABLE outbox ("
	"  seq INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"INSERT INTO outbox SELECT seq, id, type, payload, created_at FROM outbox_v4;"
	"DROP TABLE outbox_v4;",
};
const struct store_schema store_tables = { "store", store_steps };

const char *
store_path(const struct store *st)
{
	return st->path;
}

/* Turns an SQLite result into advice for the person in front of the kiosk. */
static int
store_fail_code(const char *path, int code, const char *detail, char **cause)
{
	switch (code & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return fail(cause, _("Tệp dữ liệu %s bị hỏng (%s). Chưa có gì bị thay đổi. "
		    "Hãy khôi phục từ bản sao lưu, hoặc đổi tên tệp này rồi mở lại để tạo tệp mới."), path, detail);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		return fail(cause, _("Không ghi được vào tệp dữ liệu %s (%s). Hãy kiểm tra quyền "
		    "và chủ sở hữu của tệp và thư mục chứa nó."), path, detail);
	case SQLITE_FULL:
		return fail(cause, _("Ổ đĩa chứa %s đã đầy: chưa lưu được gì thêm; những gì đã lưu "
		    "trước đó vẫn còn nguyên. Hãy giải phóng dung lượng (xóa bớt tệp không cần, hoặc nhờ "
		    "người quản lý máy) rồi thử lại."), path);
	case SQLITE_IOERR:
		return fail(cause, _("Lỗi đọc/ghi ổ đĩa với %s (%s). Hãy kiểm tra ổ đĩa; những gì "
		    "đã lưu trước đó vẫn còn."), path, detail);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return fail(cause, _("Tệp dữ liệu %s đang bị một chương trình khác giữ. Hãy đóng "
		    "chương trình đó rồi thử lại."),
		    path);
	default:
		return fail(cause, _("Lỗi cơ sở dữ liệu %s: %s"),
		    path, detail);
	}
}

int
store_fail(struct store *st, char **cause)
{
	int code = sqlite3_extended_errcode(st->db), e = sqlite3_system_errno(st->db);

	/*
	 * A full disk is not always SQLITE_FULL: growing the -shm file as the
	 * database opens fails as a plain I/O error whose system error says so.
	 */
	if ((code & 0xff) == SQLITE_IOERR && (e == ENOSPC || e == EDQUOT))
		code = SQLITE_FULL;
	return store_fail_code(st->path, code, sqlite3_errmsg(st->db), cause);
}

static int
exec(struct store *st, const char *sql, char **cause)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, cause);
	return 0;
}

static int
pragma_int(struct store *st, const char *sql, int *out, char **cause)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, cause);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, cause);
	return 0;
}

/* SQL fold(text): lower-case ASCII without diacritics, so searches forgive both. */
static void
sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *in = sqlite3_value_text(argv[0]);

	(void)argc;
	if (in == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	/* NFC first: the fold table knows precomposed letters only. */
	char *nfc = nfc_dup((const char *)in), *out = fold_ascii(nfc);
	free(nfc);
	for (char *p = out; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	sqlite3_result_text(ctx, out, -1, free);
}

static int
store_migrate(struct store *st, int say, char **cause)
{
	int version;

	if (pragma_int(st, "PRAGMA user_version", &version, cause) != 0)
		return -1;
	if (version > STORE_SCHEMA_VERSION)
		return fail(cause, _("Tệp dữ liệu %s được tạo bởi phiên bản Sổ tay số mới hơn "
		    "(lược đồ %d, chương trình này hiểu đến %d). Hãy cập nhật chương trình; tệp "
		    "không bị thay đổi."),
		    st->path, version, STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION)
		return 0;
	if (st->readonly)
		return fail(cause, _("Tệp dữ liệu %s cần được nâng cấp nhưng đang mở chỉ để đọc. "
		    "Hãy chạy sotay một lần với quyền ghi."), st->path);
	/* A new file (version 0) is made in an instant: only an older one is said. */
	if (say && version > 0) {
		fputs("sotay: ", stderr);
		fprintf(stderr, _("Đang nâng cấp dữ liệu trong %s cho phiên bản này; với nhiều năm "
		    "dữ liệu việc này có thể mất một phút. Xin chờ, đừng tắt máy."), st->path);
		fputc('\n', stderr);
	}
	for (; version < STORE_SCHEMA_VERSION; version++) {
		char set[64];

		if (exec(st, "BEGIN IMMEDIATE", cause) != 0)
			return -1;
		snprintf(set, sizeof set, "PRAGMA user_version = %d", version + 1);
		for (const struct store_schema *const *m = store_schemas; *m != NULL; m++)
			if ((*m)->steps[version] != NULL && exec(st, (*m)->steps[version], cause) != 0)
				goto undo;
		if (exec(st, set, cause) != 0 || exec(st, "COMMIT", cause) != 0)
			goto undo;
	}
	return 0;
undo:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
store_open(const char *path, int flags, struct store **out, char **cause)
{
	struct store *st;
	struct stat sb;
	int oflags, rc;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & STORE_CREATE) || (flags & STORE_READONLY))
			return fail(cause, _("Không mở được tệp dữ liệu %s: %s. Hãy kiểm tra đường dẫn "
			    "(--db hoặc SOTAY_DB)."),
			    path, strerror(errno));
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir) {
			*slash = '\0';
			if (util_mkdir_p(dir) != 0) {
				int e = errno;
				free(dir);
				return fail(cause, _("Không tạo được thư mục cho %s: %s."), path, strerror(e));
			}
		}
		free(dir);
	} else if (S_ISDIR(sb.st_mode))
		return fail(cause, _("%s là một thư mục, không phải tệp dữ liệu. Hãy chỉ tới một "
		    "tệp, ví dụ %s/sotay.db."), path, path);
	else if (!(flags & STORE_READONLY) && access(path, W_OK) != 0)
		return fail(cause, _("Tệp dữ liệu %s chỉ cho phép đọc (%s). Hãy cấp quyền ghi cho "
		    "người dùng chạy sotay; không có gì bị mất."), path, strerror(errno));

	/* Private from the start (the kiosk's token is inside): SQLite gives its
	 * -wal and -shm files the same mode. */
	if (!(flags & STORE_READONLY) && (flags & STORE_CREATE))
		secret_create_private(path);
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->readonly = (flags & STORE_READONLY) != 0;
	oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_fail_code(path, rc, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), cause);
		store_close(st);
		return -1;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_create_function(st->db, "fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC |
	    SQLITE_INNOCUOUS, NULL, sql_fold, NULL, NULL);
	/* Reading the schema first tells a damaged or foreign file apart early. */
	int n;
	if (pragma_int(st, "SELECT count(*) FROM sqlite_master", &n, cause) != 0 ||
	    (!st->readonly && exec(st, "PRAGMA journal_mode = WAL", cause) != 0) ||
	    exec(st, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", cause) != 0 ||
	    store_migrate(st, flags & STORE_SAY_UPGRADE, cause) != 0) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].st);
	free(st->stmts);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	sqlite3_stmt *s;

	for (int i = 0; i < st->nstmts; i++) {
		if (st->stmts[i].sql == sql) {
			s = st->stmts[i].st;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	st->stmts = xrealloc(st->stmts, (st->nstmts + 1) * sizeof *st->stmts);
	st->stmts[st->nstmts].sql = sql;
	st->stmts[st->nstmts].st = s;
	st->nstmts++;
	return s;
}

int
store_rows(struct store *st, sqlite3_stmt *s, size_t size,
    void (*read)(sqlite3_stmt *, void *), void (*clear)(void *), void **rows, size_t *n,
    char **cause)
{
	char *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (s == NULL)
		return store_fail(st, cause);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * size);
		}
		memset(v + len * size, 0, size);
		read(s, v + len * size);
		len++;
	}
	if (rc != SQLITE_DONE) {
		store_rows_free(v, len, size, clear);
		return store_fail(st, cause);
	}
	*rows = v;
	*n = len;
	return 0;
}

void
store_rows_free(void *rows, size_t n, size_t size, void (*clear)(void *))
{
	for (size_t i = 0; clear != NULL && i < n; i++)
		clear((char *)rows + i * size);
	free(rows);
}

int
store_int64(struct store *st, const char *sql, int64_t *out, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	*out = 0;
	if (s == NULL || sqlite3_step(s) != SQLITE_ROW)
		return store_fail(st, cause);
	*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

/* Steps a cached statement that returns no row (prepared once: a step mark is short). */
static int
step_cached(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_begin(struct store *st, char **cause)
{
	/* Inside a transaction, a change joins it: the outermost commit makes it all stick. */
	if (!sqlite3_get_autocommit(st->db)) {
		st->joined++;
		return 0;
	}
	st->joined = 0;
	if (step_cached(st, "BEGIN IMMEDIATE") != 0)
		return store_fail(st, cause);
	return 0;
}

int
store_commit(struct store *st, char **cause)
{
	if (st->joined > 0 && !sqlite3_get_autocommit(st->db)) {
		st->joined--;
		return 0;
	}
	if (step_cached(st, "COMMIT") != 0) {
		store_fail(st, cause);
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	/* All of it, joined changes too: the outer caller's commit then fails. */
	st->joined = 0;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_event(struct store *st, const char *type, struct json_object *payload,
    char id_out[UUID_STR_LEN], char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO outbox (id, type, payload, created_at) "
	    "VALUES (?, ?, ?, ?)");
	char id[UUID_STR_LEN];
	int rc;

	if (s == NULL) {
		json_object_put(payload);
		return store_fail(st, cause);
	}
	util_uuid7(id);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN),
	    -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, util_now_ms());
	rc = sqlite3_step(s);
	json_object_put(payload);
	if (rc != SQLITE_DONE)
		return store_fail(st, cause);
	if (id_out != NULL)
		memcpy(id_out, id, UUID_STR_LEN);
	return 0;
}

static void
outbox_read(sqlite3_stmt *s, void *elem)
{
	struct store_event *e = elem;

	e->seq = sqlite3_column_int64(s, 0);
	snprintf(e->id, sizeof e->id, "%s", (const char *)sqlite3_column_text(s, 1));
	e->type = xstrdup((const char *)sqlite3_column_text(s, 2));
	e->payload = xstrdup((const char *)sqlite3_column_text(s, 3));
	e->created_at = sqlite3_column_int64(s, 4);
	e->sent = sqlite3_column_int(s, 5);
}

static void
outbox_clear(void *elem)
{
	struct store_event *e = elem;

	free(e->type);
	free(e->payload);
}

int
store_events(struct store *st, int64_t after, int limit, int pending_only,
    struct store_event **out, size_t *n, char **cause)
{
	/* The watermark is read once per statement (it does not depend on the row). */
	sqlite3_stmt *s = pending_only ?
	    store_stmt(st, "SELECT seq, id, type, payload, created_at, 0 FROM outbox "
		"WHERE seq > max(?, " OUTBOX_ACKED ") ORDER BY seq LIMIT ?") :
	    store_stmt(st, "SELECT seq, id, type, payload, created_at, seq <= " OUTBOX_ACKED
		" FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?");
	void *v;
	int rc;

	if (s != NULL) {
		sqlite3_bind_int64(s, 1, after);
		sqlite3_bind_int(s, 2, limit);
	}
	rc = store_rows(st, s, sizeof **out, outbox_read, outbox_clear, &v, n, cause);
	*out = v;
	return rc;
}

void
store_events_free(struct store_event *ev, size_t n)
{
	store_rows_free(ev, n, sizeof *ev, outbox_clear);
}

int
store_events_ack(struct store *st, int64_t upto, char **cause)
{
	int64_t acked, last;

	/*
	 * Only events that exist: one made later (a higher seq) is not sent
	 * yet, whatever upto said. The watermark never goes back.
	 */
	if (store_begin(st, cause) != 0)
		return -1;
	if (store_int64(st, "SELECT " OUTBOX_ACKED, &acked, cause) != 0 ||
	    store_int64(st, "SELECT coalesce(max(seq), 0) FROM outbox", &last, cause) != 0)
		goto failed;
	if (upto > last)
		upto = last;
	if (upto > acked && store_meta_set_int(st, "outbox_acked", upto, cause) != 0)
		goto failed;
	return store_commit(st, cause);
failed:
	store_rollback(st);
	return -1;
}

/* Runs a cached statement that returns no row, binding up to two integers. */
static int
step_done(struct store *st, const char *sql, int nargs, int64_t a, int64_t b, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return store_fail(st, cause);
	if (nargs > 0)
		sqlite3_bind_int64(s, 1, a);
	if (nargs > 1)
		sqlite3_bind_int64(s, 2, b);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_fail(st, cause);
	return 0;
}

int
store_events_rebase(struct store *st, int64_t first_seq, char **cause)
{
	sqlite3_stmt	*s;
	int64_t		 first, last, skipped, lowest;
	int		 any;

	/* Its own transaction, never joined: it renumbers what is committed. */
	if (!sqlite3_get_autocommit(st->db))
		return fail(cause, _("Không đánh số lại được các sự kiện chờ gửi trong %s khi đang "
		    "ghi việc khác. Hãy thử lại."), st->path);
	if (store_begin(st, cause) != 0)
		return -1;
	s = store_stmt(st, "SELECT (SELECT min(seq) FROM outbox WHERE seq > " OUTBOX_ACKED "), "
	    "(SELECT max(seq) FROM outbox), "
	    "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_skipped'), "
	    "(SELECT min(seq) FROM outbox)");
	if (s == NULL || sqlite3_step(s) != SQLITE_ROW)
		goto bad;
	any = sqlite3_column_type(s, 0) != SQLITE_NULL;
	first = sqlite3_column_int64(s, 0);
	last = sqlite3_column_int64(s, 1);
	skipped = sqlite3_column_int64(s, 2);
	lowest = sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	if (!any) {
		store_rollback(st);
		return 0;
	}
	if (first_seq <= first || first_seq > INT64_MAX / 2 - (last - first)) {
		store_rollback(st);
		return fail(cause, _("Không đánh số lại được các sự kiện chờ gửi trong %s: số "
		    "mới đầu tiên (%lld) phải lớn hơn số chờ gửi đầu tiên hiện nay (%lld). "
		    "Không có gì bị thay đổi."), st->path, (long long)first_seq, (long long)first);
	}
	/*
	 * Pending events are exactly first…last (acks mark a prefix). Through
	 * negative numbers, so no row ever lands on another's seq mid-UPDATE;
	 * every sent event is below first, so the new range is free. The
	 * newest event moves to the top of it, so new events come after.
	 */
	if (step_done(st, "UPDATE outbox SET seq = -seq WHERE seq >= ?1", 1, first, 0,
		cause) != 0 ||
	    step_done(st, "UPDATE outbox SET seq = ?1 + (-seq - ?2) WHERE seq < 0", 2,
		first_seq, first, cause) != 0)
		goto failed;
	/*
	 * The numbers jumped over, so store_counts still counts without a scan.
	 * They lie between the sent events and the pending ones; with none
	 * sent, the whole outbox moved and nothing lies between.
	 */
	if (lowest < first && step_done(st, "INSERT INTO meta (key, value) "
	    "VALUES ('outbox_skipped', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    1, skipped + (first_seq - first), 0, cause) != 0)
		goto failed;
	return store_commit(st, cause);
bad:
	store_fail(st, cause);
	if (s != NULL)
		sqlite3_reset(s);
failed:
	store_rollback(st);
	return -1;
}

int
store_counts(struct store *st, struct store_counts *c, char **cause)
{
	/*
	 * No counting of rows: seq has no gaps (each is the last one + 1,
	 * only a prefix is ever deleted, a rolled-back insert gives its number
	 * back) except the numbers store_events_rebase jumped over (kept in
	 * meta, which store_events_compact keeps exact), and acks only ever
	 * mark a prefix as sent, so the pending events are exactly those from
	 * the first past the watermark to the last. Look-ups by seq, however
	 * long the outbox.
	 */
	sqlite3_stmt *s = store_stmt(st, "SELECT (SELECT min(seq) FROM outbox WHERE seq > "
	    OUTBOX_ACKED "), "
	    "(SELECT max(seq) FROM outbox), (SELECT min(seq) FROM outbox), "
	    "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_skipped'), "
	    "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_compacted')");

	if (s == NULL || sqlite3_step(s) != SQLITE_ROW)
		return store_fail(st, cause);
	int64_t first_pending = sqlite3_column_int64(s, 0), last = sqlite3_column_int64(s, 1),
	    first = sqlite3_column_int64(s, 2), skipped = sqlite3_column_int64(s, 3),
	    compacted = sqlite3_column_int64(s, 4);
	int any_pending = sqlite3_column_type(s, 0) != SQLITE_NULL;
	sqlite3_reset(s);
	c->last_seq = last;
	c->compacted = compacted;
	c->events = (last == 0 ? 0 : last - first + 1 - skipped) + compacted;
	c->pending = any_pending ? last - first_pending + 1 : 0;
	return 0;
}

#define COMPACT_BATCH	5000

/*
 * One transaction of store_events_compact: the longest run of events from
 * the oldest that are sent, older than cutoff and not the newest, at most
 * COMPACT_BATCH of them. *removed gets how many went (0: nothing to do).
 */
static int
compact_some(struct store *st, int64_t cutoff, int64_t *removed, char **cause)
{
	struct store_counts c;
	sqlite3_stmt *s;
	int64_t upto = 0, n = 0;
	int rc;

	*removed = 0;
	if (store_begin(st, cause) != 0)
		return -1;
	if (store_counts(st, &c, cause) != 0)
		goto failed;
	/* Walks the sent from the oldest and stops at the first that must stay: cost is what goes. */
	s = store_stmt(st, "SELECT seq, created_at FROM outbox WHERE seq <= " OUTBOX_ACKED
	    " ORDER BY seq LIMIT ?");
	if (s == NULL)
		goto bad;
	sqlite3_bind_int(s, 1, COMPACT_BATCH);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_int64(s, 1) >= cutoff || seq >= c.last_seq)
			break;
		upto = seq;
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto bad;
	sqlite3_reset(s);
	if (n == 0) {
		store_rollback(st);
		return 0;
	}
	s = store_stmt(st, "DELETE FROM outbox WHERE seq <= ?");
	if (s == NULL)
		goto bad;
	sqlite3_bind_int64(s, 1, upto);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto bad;
	n = sqlite3_changes(st->db);
	/*
	 * store_counts counts the events still here as last - first + 1 -
	 * skipped; the first moved, so skipped is set to keep that exact, and
	 * what went is counted apart.
	 */
	int64_t held = c.events - c.compacted - n, first;
	if (store_int64(st, "SELECT min(seq) FROM outbox", &first, cause) != 0)
		goto failed;
	if (store_meta_set_int(st, "outbox_skipped", c.last_seq - first + 1 - held, cause) != 0 ||
	    store_meta_set_int(st, "outbox_compacted", c.compacted + n, cause) != 0)
		goto failed;
	if (store_commit(st, cause) != 0)
		return -1;
	*removed = n;
	return 0;
bad:
	store_fail(st, cause);
failed:
	store_rollback(st);
	return -1;
}

int
store_events_compact(struct store *st, int keep_days, int64_t *removed, char **cause)
{
	int64_t total = 0, n;

	if (removed != NULL)
		*removed = 0;
	if (keep_days <= 0)
		return 0;
	int64_t cutoff = util_now_ms() - (int64_t)keep_days * 86400000;
	do {
		if (compact_some(st, cutoff, &n, cause) != 0)
			return -1;
		total += n;
	} while (n == COMPACT_BATCH);
	if (removed != NULL)
		*removed = total;
	return 0;
}

int
store_meta_get(struct store *st, const char *key, char **value, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT value FROM meta WHERE key = ?");
	int rc;

	*value = NULL;
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*value = xstrdup((const char *)sqlite3_column_text(s, 0));
	else if (rc != SQLITE_DONE)
		return store_fail(st, cause);
	sqlite3_reset(s);
	return 0;
}

int
store_meta_set(struct store *st, const char *key, const char *value, char **cause)
{
	sqlite3_stmt *s = value != NULL ?
	    store_stmt(st, "INSERT INTO meta (key, value) VALUES (?, ?) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value") :
	    store_stmt(st, "DELETE FROM meta WHERE key = ?");

	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_fail(st, cause);
	return 0;
}

int
store_meta_get_int(struct store *st, const char *key, int64_t *value, char **cause)
{
	char *v = NULL, *end;
	long long x;
	int found = 0;

	if (store_meta_get(st, key, &v, cause) != 0)
		return -1;
	if (v != NULL && *v != '\0') {
		x = strtoll(v, &end, 10);
		if (*end == '\0') {
			*value = x;
			found = 1;
		}
	}
	free(v);
	return found;
}

int
store_meta_set_int(struct store *st, const char *key, int64_t value, char **cause)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long)value);
	return store_meta_set(st, key, buf, cause);
}
