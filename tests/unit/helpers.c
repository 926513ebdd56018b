/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helpers.c: shared set-up for the core's unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "helpers.h"
#include "store.h"
#include "util.h"
#include "testlib.h"

char *
test_path(const char *name)
{
	char *p = tl_path(name);
	unlink(p);
	char *wal = xasprintf("%s-wal", p), *shm = xasprintf("%s-shm", p);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	return p;
}

void
test_library(struct library *lib)
{
	const char *paths[] = { "tests/data/checklists" };
	struct problems pr = { 0 };

	memset(lib, 0, sizeof *lib);
	library_load(lib, paths, 1, &pr);
	for (size_t i = 0; i < pr.n; i++)
		fprintf(stderr, "%s\n", pr.lines[i]);
	assert_int_equal(pr.n, 0);
	problems_free(&pr);
}

struct store *
test_store(const char *name)
{
	struct library lib;
	struct store *st;
	char *cause = NULL, *path = test_path(name);

	if (store_open(path, STORE_CREATE, &st, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	test_library(&lib);
	if (content_store_install(st, &lib, NULL, &cause) != 0)
		fail_msg("%s", cause);
	library_free(&lib);
	return st;
}

int64_t
test_sql_int(struct store *st, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	int64_t v;

	va_start(ap, fmt);
	sql = xvasprintf(fmt, ap);
	va_end(ap);
	/* Its own connection: it sees exactly what was committed to the file. */
	v = test_file_sql_int(store_path(st), sql);
	free(sql);
	return v;
}

int64_t
test_outbox_count(struct store *st)
{
	return test_sql_int(st, "SELECT count(*) FROM outbox");
}

int64_t
test_file_sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("prepare: %s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}
