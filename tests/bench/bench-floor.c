/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-floor.c: the floors the benchmarks compare against, as a program
 * of its own (no sotay code in the process, plain SQLite):
 *
 *   bench-floor commit DB N
 *	N durable commits of one event-sized row each, on a database file
 *	with the kiosk's durability settings (WAL, synchronous=FULL),
 *	statements prepared once. Prints one line per commit: the µs it took.
 *	This is the least a step mark can cost: one row on disk, one fsync.
 *
 *   bench-floor paced DB
 *	The same commits, one for each line read on stdin, each answered at
 *	once with its µs line: the caller alternates them with its own, so
 *	floor and figure see the same moments of a shared disk. First, unseen,
 *	enough commits to fill the write-ahead log once (SQLite's 1,000 pages),
 *	so the counted ones write over it as a running kiosk's do, instead of
 *	growing the file at every commit.
 *
 *   bench-floor bulk SOURCE-DB DB
 *	Reads every outbox event of the kiosk database SOURCE-DB into memory
 *	(not timed), then inserts them into DB in one durable transaction
 *	into a table of the server's shape for events (id unique, (kiosk,
 *	seq) unique), and prints "SECONDS ROWS". This is the least a server
 *	can spend to hold those events once, on this disk. DB may be a
 *	postgresql:// URL: then the rows go in with COPY, in one transaction,
 *	with PostgreSQL's own durability (synchronous_commit as configured).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench-floor: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static sqlite3 *
open_fresh(const char *path)
{
	sqlite3 *db;
	char *p;

	unlink(path);
	p = sqlite3_mprintf("%s-wal", path);
	unlink(p);
	sqlite3_free(p);
	p = sqlite3_mprintf("%s-shm", path);
	unlink(p);
	sqlite3_free(p);
	check(NULL, sqlite3_open(path, &db), path);
	check(db, sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL",
	    NULL, NULL, NULL), "pragmas");
	return db;
}

/* Commits past SQLite's automatic checkpoint (1,000 pages): the log is then reused. */
#define WAL_FILL	1100

/* n commits, or with n < 0 one per line on stdin until it ends (after WAL_FILL unseen). */
static int
floor_commit(const char *path, int n)
{
	sqlite3 *db = open_fresh(path);
	sqlite3_stmt *begin, *ins, *commit;

	check(db, sqlite3_exec(db, "CREATE TABLE t (seq INTEGER PRIMARY KEY, payload TEXT)",
	    NULL, NULL, NULL), "create");
	check(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), "prepare");
	check(db, sqlite3_prepare_v2(db, "INSERT INTO t (payload) VALUES (?)", -1, &ins, NULL),
	    "prepare");
	check(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare");
	/* The size of a step.marked event's payload. */
	static const char payload[] = "{\"session\":\"0190f000-0000-7000-8000-000000000000\","
	    "\"step\":\"mo-ung-dung\",\"index\":3,\"mark\":\"done\"}";
	char line[16];
	int warm = n < 0 ? WAL_FILL : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; n < 0 ? warm > 0 || fgets(line, sizeof line, stdin) != NULL : i < n; i++) {
		double t0 = now_s();
		check(db, sqlite3_step(begin), "begin");
		sqlite3_reset(begin);
		sqlite3_bind_text(ins, 1, payload, -1, SQLITE_STATIC);
		check(db, sqlite3_step(ins), "insert");
		sqlite3_reset(ins);
		check(db, sqlite3_step(commit), "commit");
		sqlite3_reset(commit);
		if (warm > 0)
			warm--;
		else
			printf("%.1f\n", (now_s() - t0) * 1e6);
	}
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return 0;
}

struct row {
	char	*id, *type, *payload;
	int64_t	 seq, at;
};

/* Appends s to b as a COPY text field (backslash, tab and newlines escaped). */
static size_t
copy_field(char *b, const char *s)
{
	size_t k = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r') {
			b[k++] = '\\';
			b[k++] = *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\';
		} else
			b[k++] = *s;
	}
	return k;
}

static int
pg_ok(PGconn *pg, PGresult *r, ExecStatusType want, const char *what)
{
	if (PQresultStatus(r) != want) {
		fprintf(stderr, "bench-floor: %s: %s", what, PQerrorMessage(pg));
		exit(1);
	}
	PQclear(r);
	return 0;
}

static double
floor_bulk_pg(const char *url, const struct row *rows, size_t n)
{
	PGconn *pg = PQconnectdb(url);
	char *line;
	double t0, t;

	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "bench-floor: %s", PQerrorMessage(pg));
		exit(1);
	}
	pg_ok(pg, PQexec(pg, "SET client_min_messages = warning; DROP TABLE IF EXISTS events; "
	    "CREATE TABLE events ("
	    "id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, seq BIGINT NOT NULL, type TEXT NOT NULL, "
	    "at BIGINT NOT NULL, payload TEXT NOT NULL, received_at BIGINT NOT NULL, "
	    "UNIQUE (kiosk, seq))"), PGRES_COMMAND_OK, "create");
	t0 = now_s();
	pg_ok(pg, PQexec(pg, "BEGIN"), PGRES_COMMAND_OK, "begin");
	pg_ok(pg, PQexec(pg, "COPY events FROM STDIN"), PGRES_COPY_IN, "copy");
	for (size_t i = 0; i < n; i++) {
		size_t k = 0, need = 2 * (strlen(rows[i].id) + strlen(rows[i].type) +
		    strlen(rows[i].payload)) + 96;
		line = malloc(need);
		if (line == NULL)
			exit(1);
		k += copy_field(line + k, rows[i].id);
		k += (size_t)sprintf(line + k, "\tk-0001\t%lld\t", (long long)rows[i].seq);
		k += copy_field(line + k, rows[i].type);
		k += (size_t)sprintf(line + k, "\t%lld\t", (long long)rows[i].at);
		k += copy_field(line + k, rows[i].payload);
		k += (size_t)sprintf(line + k, "\t%lld\n", (long long)rows[i].at);
		if (PQputCopyData(pg, line, (int)k) != 1) {
			fprintf(stderr, "bench-floor: copy: %s", PQerrorMessage(pg));
			exit(1);
		}
		free(line);
	}
	if (PQputCopyEnd(pg, NULL) != 1)
		exit(1);
	pg_ok(pg, PQgetResult(pg), PGRES_COMMAND_OK, "copy end");
	pg_ok(pg, PQexec(pg, "COMMIT"), PGRES_COMMAND_OK, "commit");
	t = now_s() - t0;
	PQfinish(pg);
	return t;
}

static int
floor_bulk(const char *src, const char *path)
{
	sqlite3 *in, *db;
	sqlite3_stmt *s;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;

	check(NULL, sqlite3_open_v2(src, &in, SQLITE_OPEN_READONLY, NULL), src);
	check(in, sqlite3_prepare_v2(in, "SELECT seq, id, type, payload, created_at FROM outbox "
	    "ORDER BY seq", -1, &s, NULL), "read outbox");
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			rows = realloc(rows, cap * sizeof *rows);
			if (rows == NULL)
				return 1;
		}
		rows[n].seq = sqlite3_column_int64(s, 0);
		rows[n].id = strdup((const char *)sqlite3_column_text(s, 1));
		rows[n].type = strdup((const char *)sqlite3_column_text(s, 2));
		rows[n].payload = strdup((const char *)sqlite3_column_text(s, 3));
		rows[n].at = sqlite3_column_int64(s, 4);
		n++;
	}
	sqlite3_finalize(s);
	sqlite3_close(in);

	if (strncmp(path, "postgresql://", 13) == 0) {
		printf("%.3f %zu\n", floor_bulk_pg(path, rows, n), n);
		return 0;
	}
	db = open_fresh(path);
	check(db, sqlite3_exec(db, "CREATE TABLE events (id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, "
	    "seq INTEGER NOT NULL, type TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL, "
	    "received_at INTEGER NOT NULL, UNIQUE (kiosk, seq))", NULL, NULL, NULL), "create");
	check(db, sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?, 'k-0001', ?, ?, ?, ?, ?)",
	    -1, &s, NULL), "prepare");
	double t0 = now_s();
	check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(s, 1, rows[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, rows[i].seq);
		sqlite3_bind_text(s, 3, rows[i].type, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, rows[i].at);
		sqlite3_bind_text(s, 5, rows[i].payload, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, rows[i].at);
		check(db, sqlite3_step(s), "insert");
		sqlite3_reset(s);
	}
	check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	double t = now_s() - t0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	printf("%.3f %zu\n", t, n);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].id);
		free(rows[i].type);
		free(rows[i].payload);
	}
	free(rows);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "commit") == 0)
		return floor_commit(argv[2], atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "paced") == 0)
		return floor_commit(argv[2], -1);
	if (argc == 4 && strcmp(argv[1], "bulk") == 0)
		return floor_bulk(argv[2], argv[3]);
	fprintf(stderr, "usage: bench-floor commit DB N | bench-floor paced DB | "
	    "bench-floor bulk SOURCE-DB DB\n");
	return 2;
}
