/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client-helpers.c: the shared helpers of the sync client's tests (see
 * client-helpers.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "client-helpers.h"
#include "store.h"
#include "sync-state.h"
#include "util.h"
#include "testlib.h"

/* After the project's headers: cmocka defines a macro named fail. */
#include <cmocka.h>

extern char **environ;

const char *
th_tmp(void)
{
	return tl_tmp();
}

char *
th_path(const char *name)
{
	return tl_path(name);
}

struct store *
th_store(const char *name)
{
	struct store	*st = NULL;
	char		*path = th_path(name), *cause = NULL, *side;

	/* A fresh file: a test run again in the same folder starts clean. */
	unlink(path);
	side = xasprintf("%s-wal", path);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	free(side);
	if (store_open(path, STORE_CREATE, &st, &cause) != 0)
		fail_msg("store_open %s: %s", path, cause);
	free(path);
	return st;
}

void
th_add_events(struct store *st, int n)
{
	char	*cause = NULL, sid[UUID_STR_LEN];
	int	 i;

	util_uuid7(sid);
	if (store_begin(st, &cause) != 0)
		fail_msg("store_begin: %s", cause);
	for (i = 0; i < n; i++) {
		json_object *p = json_object_new_object();
		json_object_object_add(p, "session", json_object_new_string(sid));
		json_object_object_add(p, "index", json_object_new_int(i));
		if (store_event(st, "session.moved", p, NULL, &cause) != 0)
			fail_msg("store_event: %s", cause);
	}
	if (store_commit(st, &cause) != 0)
		fail_msg("store_commit: %s", cause);
}

void
th_enrol(struct store *st, const char *url, const char *kiosk, const char *token)
{
	char *cause = NULL;

	if (sync_state_enroll(st, url, kiosk, token, NULL, &cause) != 0)
		fail_msg("sync_state_enroll: %s", cause);
}

static sqlite3 *
open_ro(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("sqlite3_open %s: %s", path, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* Whether an outbox row is sent: the store keeps what the server holds as one watermark. */
#define TH_SENT	"(seq <= coalesce((SELECT CAST(value AS INTEGER) FROM meta " \
		"WHERE key = 'outbox_acked'), 0))"

int64_t
th_rows(const char *path, const char *where)
{
	sqlite3		*db = open_ro(path);
	sqlite3_stmt	*s;
	char		*sql = xasprintf("SELECT count(*) FROM (SELECT *, %s AS sent FROM outbox)%s%s",
			    TH_SENT, where != NULL ? " WHERE " : "", where != NULL ? where : "");
	int64_t		 n;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(sql);
	return n;
}

char *
th_outbox_dump(const char *path)
{
	sqlite3		*db = open_ro(path);
	sqlite3_stmt	*s;
	char		*out = xstrdup(""), *next;

	if (sqlite3_prepare_v2(db, "SELECT seq, id, type, payload, " TH_SENT " FROM outbox ORDER BY seq",
	    -1, &s, NULL) != SQLITE_OK)
		fail_msg("outbox: %s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		next = xasprintf("%s%lld|%s|%s|%s|%d\n", out, (long long)sqlite3_column_int64(s, 0),
		    sqlite3_column_text(s, 1), sqlite3_column_text(s, 2),
		    sqlite3_column_text(s, 3), sqlite3_column_int(s, 4));
		free(out);
		out = next;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

char *
th_meta(struct store *st, const char *key)
{
	char *v = NULL, *cause = NULL;

	if (store_meta_get(st, key, &v, &cause) != 0)
		fail_msg("store_meta_get %s: %s", key, cause);
	return v;
}

int
th_has(const char *haystack, const char *needle)
{
	return haystack != NULL && strstr(haystack, needle) != NULL;
}

pid_t
th_spawn(char *const argv[], const char *out, const char *err)
{
	return tl_spawn(argv, out, err);
}

int
th_wait(pid_t pid, int ms)
{
	int status;

	if (!tl_wait(pid, ms, &status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("process %d did not end within %d ms", (int)pid, ms);
	}
	if (!WIFEXITED(status))
		fail_msg("process %d ended by signal %d", (int)pid, WTERMSIG(status));
	return WEXITSTATUS(status);
}

int
th_run(char *const argv[], const char *out, const char *err)
{
	return th_wait(th_spawn(argv, out, err), 60000);
}

char *
th_slurp(const char *path)
{
	return tl_slurp(path);
}
