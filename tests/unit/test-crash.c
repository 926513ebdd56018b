/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-crash.c: a power cut, simulated. A child process marks 1,000 steps,
 * writing "SESSION INDEX" on a pipe after each commit returns; the parent
 * kills it with SIGKILL at a random moment, reopens the database, and
 * checks that the file is sound and that every step the child reported as
 * saved is there, with its event. Repeated 20 times.
 *
 * The moments of the kills come from a seed it prints; `test-crash SEED`
 * (or SOTAY_TEST_SEED=SEED) replays the same choices.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "journey.h"
#include "store.h"
#include "util.h"
#include "helpers.h"

#define ROUNDS	20
#define MARKS	1000

static uint64_t rng;

/* splitmix64: small, and the same sequence for the same seed everywhere. */
static uint64_t
next_random(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 … n-1. */
static uint32_t
random_below(uint32_t n)
{
	return (uint32_t)(next_random() % n);
}

static void
child(const char *path, int fd)
{
	struct library lib = { 0 };
	struct store *st;
	char *cause = NULL;
	FILE *out = fdopen(fd, "w");

	if (store_open(path, 0, &st, &cause) != 0 || content_store_load(st, &lib, &cause) != 0) {
		fprintf(stderr, "child: %s\n", cause);
		_exit(2);
	}
	const struct checklist *cl = library_find(&lib, "test-basic");
	struct journey *j = NULL;
	for (int n = 0; n < MARKS; n++) {
		if (j == NULL || journey_next_todo(j) < 0) {
			journey_free(j);
			if (journey_start(st, cl, NULL, 0, &j, &cause) != 0) {
				fprintf(stderr, "child: %s\n", cause);
				_exit(2);
			}
		}
		int step = journey_next_todo(j);
		if (journey_mark(st, j, step, n % 3 == 2 ? MARK_BLOCKED : MARK_DONE, "mất sóng",
		    &cause) != 0) {
			fprintf(stderr, "child: %s\n", cause);
			_exit(2);
		}
		/* Only now is it saved: say so, unbuffered. */
		fprintf(out, "%s %d\n", j->id, step);
		fflush(out);
	}
	_exit(0);
}

static void
round_once(const char *path)
{
	int fds[2];
	pid_t pid;
	char line[128];
	char (*saved)[UUID_STR_LEN] = xcalloc(MARKS, sizeof *saved);
	int *steps = xcalloc(MARKS, sizeof *steps), nsaved = 0;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child(path, fds[1]);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	/* Kill after a random number of reported marks (1 … MARKS-1), mid-write. */
	int kill_after = 1 + (int)random_below(MARKS - 1);
	while (fgets(line, sizeof line, in) != NULL) {
		assert_int_equal(sscanf(line, "%36s %d", saved[nsaved], &steps[nsaved]), 2);
		nsaved++;
		if (nsaved == kill_after) {
			/* A little more random delay, so the kill lands inside a transaction too. */
			struct timespec ts = { 0, (long)random_below(3000000) };
			nanosleep(&ts, NULL);
			kill(pid, SIGKILL);
		}
	}
	fclose(in);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));

	/* Reopen as the kiosk would after the power comes back. */
	struct store *st;
	char *cause = NULL;
	if (store_open(path, 0, &st, &cause) != 0)
		fail_msg("reopen: %s", cause);
	store_close(st);
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM marks WHERE session_id = ? "
	    "AND step_index = ? AND undone = 0", -1, &s, NULL), SQLITE_OK);
	for (int i = 0; i < nsaved; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, saved[i], -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, steps[i]);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		if (sqlite3_column_int(s, 0) != 1)
			fail_msg("step %d of session %s was reported saved but is missing", steps[i], saved[i]);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	/* Every mark on disk has its event, and nothing else is half there. */
	int64_t marks = test_file_sql_int(path, "SELECT count(*) FROM marks");
	assert_true(marks >= nsaved);
	assert_int_equal(test_file_sql_int(path, "SELECT count(*) FROM outbox WHERE type = 'step.marked'"),
	    marks);
	assert_int_equal(test_file_sql_int(path, "SELECT count(*) FROM outbox WHERE type = 'session.started'"),
	    test_file_sql_int(path, "SELECT count(*) FROM sessions"));
	free(saved);
	free(steps);
}

static void
test_sigkill_loses_nothing_saved(void **state)
{
	for (int r = 0; r < ROUNDS; r++) {
		struct store *st = test_store("crash.db");
		char *path = xstrdup(store_path(st));
		store_close(st);
		round_once(path);
		free(path);
	}
	(void)state;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_loses_nothing_saved),
	};
	const char *given = argc > 1 ? argv[1] : getenv("SOTAY_TEST_SEED");
	unsigned long long seed;
	char *end;

	if (given != NULL && *given != '\0') {
		seed = strtoull(given, &end, 10);
		if (*end != '\0') {
			fprintf(stderr, "usage: %s [SEED] (a whole number)\n", argv[0]);
			return 2;
		}
	} else
		randombytes_buf(&seed, sizeof seed);
	rng = seed;
	printf("crash: seed %llu (to replay: %s %llu)\n", seed, argv[0], seed);
	fflush(stdout);
	return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
