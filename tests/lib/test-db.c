/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-db.c: the server's database in tests, SQLite or PostgreSQL (see
 * test-db.h). Reads only: tests check rows, the server writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "util.h"
#include "test-db.h"

int
tdb_is_pg(void)
{
	const char *h = getenv("SOTAY_TEST_PG_HOST");

	return h != NULL && *h != '\0';
}

static const char *
pg_user(void)
{
	const char *u = getenv("SOTAY_TEST_PG_USER");

	return u != NULL && *u != '\0' ? u : "sotay";
}

/* A database name for path: the same path gives the same name. */
static void
db_name(const char *path, char out[32])
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */
	const char	*p;

	for (p = path; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	snprintf(out, 32, "t%016llx", (unsigned long long)h);
}

static char *
url_of(const char *name)
{
	return xasprintf("postgresql:///%s?host=%s&user=%s", name,
	    getenv("SOTAY_TEST_PG_HOST"), pg_user());
}

static int
is_sqlite(const char *path)
{
	size_t n = strlen(path);

	return n > 7 && strcmp(path + n - 7, ".sqlite") == 0;
}

char *
tdb_db(const char *path, int create)
{
	char		 name[32], *admin;
	PGconn		*pg;
	PGresult	*r;

	if (!tdb_is_pg() || strncmp(path, "postgresql://", 13) == 0 || is_sqlite(path))
		return xstrdup(path);
	db_name(path, name);
	if (create) {
		admin = url_of("postgres");
		pg = PQconnectdb(admin);
		free(admin);
		if (PQstatus(pg) != CONNECTION_OK)
			fprintf(stderr, "test-db: %s", PQerrorMessage(pg));
		else {
			char *sql = xasprintf("CREATE DATABASE %s", name);

			r = PQexec(pg, sql);
			free(sql);
			/* 42P04: already made for this path earlier in the test. */
			if (PQresultStatus(r) != PGRES_COMMAND_OK &&
			    strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42P04") != 0)
				fprintf(stderr, "test-db: %s", PQresultErrorMessage(r));
			PQclear(r);
		}
		PQfinish(pg);
	}
	return url_of(name);
}

/* sql with each "?" turned into $1 (tests bind one value at most). */
static char *
pg_sql(const char *sql)
{
	char	*out = xcalloc(strlen(sql) * 2 + 1, 1), *o = out;

	for (; *sql != '\0'; sql++) {
		if (*sql == '?') {
			*o++ = '$';
			*o++ = '1';
			while (sql[1] >= '0' && sql[1] <= '9')	/* "?1" */
				sql++;
		} else
			*o++ = *sql;
	}
	return out;
}

/*
 * The first column of the first row: 1 and *out (NULL for SQL NULL), 0 for
 * no row, -1 on error.
 */
static int
query(const char *path, const char *sql, const char *bind1, char **out)
{
	int rc = -1;

	*out = NULL;

	if ((tdb_is_pg() && !is_sqlite(path)) || strncmp(path, "postgresql://", 13) == 0) {
		char		*url = tdb_db(path, 0), *q = pg_sql(sql);
		PGconn		*pg = PQconnectdb(url);
		PGresult	*r;

		if (PQstatus(pg) != CONNECTION_OK)
			fprintf(stderr, "test-db: %s", PQerrorMessage(pg));
		else {
			r = PQexecParams(pg, q, bind1 != NULL, NULL, &bind1, NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_TUPLES_OK)
				fprintf(stderr, "test-db: %s: %s", sql, PQresultErrorMessage(r));
			else if (PQntuples(r) == 0)
				rc = 0;
			else {
				rc = 1;
				if (!PQgetisnull(r, 0, 0))
					*out = xstrdup(PQgetvalue(r, 0, 0));
			}
			PQclear(r);
		}
		PQfinish(pg);
		free(q);
		free(url);
		return rc;
	}
	{
		sqlite3		*h;
		sqlite3_stmt	*st;

		if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
			fprintf(stderr, "test-db: %s: %s\n", path, sqlite3_errmsg(h));
			sqlite3_close(h);
			return -1;
		}
		sqlite3_busy_timeout(h, 10000);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
			if (bind1 != NULL)
				sqlite3_bind_text(st, 1, bind1, -1, SQLITE_TRANSIENT);
			switch (sqlite3_step(st)) {
			case SQLITE_ROW:
				rc = 1;
				if (sqlite3_column_type(st, 0) != SQLITE_NULL)
					*out = xstrdup((const char *)sqlite3_column_text(st, 0));
				break;
			case SQLITE_DONE:
				rc = 0;
				break;
			default:
				fprintf(stderr, "test-db: %s: %s\n", sql, sqlite3_errmsg(h));
			}
			sqlite3_finalize(st);
		} else
			fprintf(stderr, "test-db: %s: %s\n", sql, sqlite3_errmsg(h));
		sqlite3_close(h);
	}
	return rc;
}

int64_t
tdb_int(const char *path, const char *sql, const char *bind1)
{
	char	*t;
	int64_t	 v;

	if (query(path, sql, bind1, &t) <= 0)
		return -1;
	v = t != NULL ? strtoll(t, NULL, 10) : 0;	/* NULL reads as 0 */
	free(t);
	return v;
}

char *
tdb_text(const char *path, const char *sql, const char *bind1)
{
	char *t;

	query(path, sql, bind1, &t);
	return t;
}

int
tdb_exec(const char *path, const char *sql)
{
	int rc = -1;

	if ((tdb_is_pg() && !is_sqlite(path)) || strncmp(path, "postgresql://", 13) == 0) {
		char		*url = tdb_db(path, 0);
		PGconn		*pg = PQconnectdb(url);
		PGresult	*r = NULL;

		free(url);
		if (PQstatus(pg) == CONNECTION_OK)
			r = PQexec(pg, sql);
		if (r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK)
			rc = 0;
		else
			fprintf(stderr, "test-db: %s: %s", sql, r != NULL ?
			    PQresultErrorMessage(r) : PQerrorMessage(pg));
		PQclear(r);
		PQfinish(pg);
		return rc;
	}
	{
		sqlite3	*h = NULL;
		char	*err = NULL;

		if (sqlite3_open(path, &h) == SQLITE_OK) {
			sqlite3_busy_timeout(h, 10000);
			if (sqlite3_exec(h, sql, NULL, NULL, &err) == SQLITE_OK)
				rc = 0;
		}
		if (rc != 0)
			fprintf(stderr, "test-db: %s: %s\n", sql, err != NULL ? err :
			    sqlite3_errmsg(h));
		sqlite3_free(err);
		sqlite3_close(h);
	}
	return rc;
}

static void
append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

char *
tdb_rows(const char *path, const char *sql)
{
	char	*out = xstrdup("");
	size_t	 len = 0;
	int	 i, j;

	if ((tdb_is_pg() && !is_sqlite(path)) || strncmp(path, "postgresql://", 13) == 0) {
		char		*url = tdb_db(path, 0);
		PGconn		*pg = PQconnectdb(url);
		PGresult	*r = NULL;

		free(url);
		if (PQstatus(pg) == CONNECTION_OK)
			r = PQexec(pg, sql);
		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "test-db: %s: %s", sql, r != NULL ?
			    PQresultErrorMessage(r) : PQerrorMessage(pg));
			PQclear(r);
			PQfinish(pg);
			free(out);
			return NULL;
		}
		for (i = 0; i < PQntuples(r); i++) {
			for (j = 0; j < PQnfields(r); j++) {
				append(&out, &len, j > 0 ? "|" : "");
				append(&out, &len, PQgetisnull(r, i, j) ? "\\N" :
				    PQgetvalue(r, i, j));
			}
			append(&out, &len, "\n");
		}
		PQclear(r);
		PQfinish(pg);
		return out;
	}
	{
		sqlite3		*h;
		sqlite3_stmt	*st;
		int		 rc;

		if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "test-db: %s: %s\n", sql, sqlite3_errmsg(h));
			sqlite3_close(h);
			free(out);
			return NULL;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (j = 0; j < sqlite3_column_count(st); j++) {
				append(&out, &len, j > 0 ? "|" : "");
				append(&out, &len, sqlite3_column_type(st, j) == SQLITE_NULL ?
				    "\\N" : (const char *)sqlite3_column_text(st, j));
			}
			append(&out, &len, "\n");
		}
		sqlite3_finalize(st);
		sqlite3_close(h);
		if (rc != SQLITE_DONE) {
			free(out);
			return NULL;
		}
	}
	return out;
}
