/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-db.h: the server's database in tests, whichever store runs them.
 * Tests name a server database by a path in $TEST_TMP; when
 * SOTAY_TEST_PG_HOST is set (tests/lib/pg-cluster.sh sets it) that path
 * stands for a PostgreSQL database of its own in the throw-away cluster,
 * so the same test runs against SQLite and PostgreSQL.
 */
#ifndef SOTAY_TEST_DB_H
#define SOTAY_TEST_DB_H

#include <stdint.h>

/*
 * A path ending in ".sqlite" always stays an SQLite file (a migration's
 * source, say), even on a PostgreSQL run.
 */
/* Whether this run is against PostgreSQL. */
int	 tdb_is_pg(void);
/*
 * What to pass to --db for path (malloc'd): path itself, or the URL of the
 * PostgreSQL database standing for it, created first when create is 1.
 */
char	*tdb_db(const char *path, int create);
/*
 * The integer in the first column of the first row of sql on the server
 * database named by path (or a postgresql:// URL); "?" is bind1. -1 on
 * error (the error is printed).
 */
int64_t	 tdb_int(const char *path, const char *sql, const char *bind1);
/* The same for a text (malloc'd; NULL on error or no row). */
char	*tdb_text(const char *path, const char *sql, const char *bind1);
/*
 * Every row of sql, one line each, values joined by "|", NULL as "\N"
 * (malloc'd; NULL on error): two stores' tables compare as text.
 */
char	*tdb_rows(const char *path, const char *sql);

/*
 * Runs sql (one or more statements, no result) on the server database
 * named by path, as something outside the server would: 0 or -1 (the
 * error is printed).
 */
int	 tdb_exec(const char *path, const char *sql);

#endif
