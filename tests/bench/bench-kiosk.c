/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-kiosk.c: the kiosk's own work on a realistic database of 1,000,000
 * events (bench-gen: the real checklists, residents, sessions over years),
 * each figure beside a floor measured in the same run by another program:
 *   - a step mark (journey_mark: the mark, the session, the event, one
 *     durable transaction) against bench-floor's durable commit of one row
 *     with the same settings (WAL, synchronous=FULL), one of each in turn
 *     (bench-floor paced) so both see the same moments of the machine and
 *     disk;
 *   - `sotay status` and a month's `sotay report`, the real program run to
 *     its end, against `sotay --version` (the same program starting and
 *     doing nothing), in rounds of one each.
 * Medians; nothing asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "content.h"
#include "content-store.h"
#include "journey.h"
#include "store.h"
#include "util.h"

#define WARMUP		150	/* marks: past the first fill of the write-ahead log, as the floor */
#define MARKS		1000	/* each beside one floor commit */
#define RUNS		21
#define DATA		"1M events, real checklists"

static void
die(const char *what, const char *cause)
{
	fprintf(stderr, "bench-kiosk: %s: %s\n", what, cause ? cause : "?");
	exit(1);
}

/* bench-floor paced: one durable commit for each line written to it, its µs read back. */
struct floor {
	pid_t	 pid;
	FILE	*to, *from;
};

static void
floor_start(struct floor *fl, const char *bin, const char *db)
{
	int in[2], out[2];

	if (pipe(in) != 0 || pipe(out) != 0 || (fl->pid = fork()) < 0)
		die("floor", "pipe/fork");
	if (fl->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(bin, bin, "paced", db, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	fl->to = fdopen(in[1], "w");
	fl->from = fdopen(out[0], "r");
}

static double
floor_commit(struct floor *fl, const char *bin)
{
	char line[64];

	if (fputs("\n", fl->to) == EOF || fflush(fl->to) != 0 ||
	    fgets(line, sizeof line, fl->from) == NULL)
		die("floor", bin);
	return atof(line);
}

static void
floor_stop(struct floor *fl)
{
	int status;

	fclose(fl->to);
	fclose(fl->from);
	waitpid(fl->pid, &status, 0);
}

/*
 * One step mark, moving to the next session's first step when one ends
 * (every session of the real checklists in turn); returns its µs.
 */
static double
one_mark(struct store *st, struct library *lib, struct journey **j, int *k)
{
	char *cause = NULL;

	if (*j == NULL || journey_next_todo(*j) < 0) {
		if (*j != NULL && journey_finish(st, *j, &cause) != 0)
			die("finish", cause);
		journey_free(*j);
		if (journey_start(st, lib->items[(*k)++ % lib->n], NULL, 0, j, &cause) != 0)
			die("start", cause);
	}
	double t0 = bench_now_us();
	if (journey_mark(st, *j, journey_next_todo(*j), MARK_DONE, NULL, &cause) != 0)
		die("mark", cause);
	return bench_now_us() - t0;
}

static void
bench_mark(const char *db, const char *tmp, const char *floor_bin)
{
	struct store *st;
	struct library lib;
	struct journey *j = NULL;
	struct floor fl;
	char *cause = NULL, *fdb = xasprintf("%s/floor.db", tmp);
	static double mark[MARKS], flo[MARKS];
	int k = 0;

	if (store_open(db, 0, &st, &cause) != 0 || content_store_load(st, &lib, &cause) != 0)
		die(db, cause);
	floor_start(&fl, floor_bin, fdb);
	/*
	 * Both warm before anything counts: statements prepared, caches
	 * filled, and each write-ahead log filled once and being written over,
	 * as in a kiosk that has been running (bench-floor fills its own).
	 */
	for (int i = 0; i < WARMUP; i++)
		one_mark(st, &lib, &j, &k);
	/* One and one, the order swapped each time: neither always follows the other. */
	for (int i = 0; i < MARKS; i++) {
		if (i % 2 == 0) {
			flo[i] = floor_commit(&fl, floor_bin);
			mark[i] = one_mark(st, &lib, &j, &k);
		} else {
			mark[i] = one_mark(st, &lib, &j, &k);
			flo[i] = floor_commit(&fl, floor_bin);
		}
	}
	floor_stop(&fl);
	journey_free(j);
	library_free(&lib);
	store_close(st);
	double m = bench_median(mark, MARKS), f = bench_median(flo, MARKS);
	bench_row("step mark (state + event, one durable tx)", DATA, m / 1e3, "ms",
	    "1-row durable commit", f / 1e3, "≤ 1.2× floor", m <= 1.2 * f);
	unlink(fdb);
	free(fdb);
}

static double
timed_run(char *const argv[])
{
	double us = bench_run(argv, NULL);

	if (us < 0)
		die("run", argv[0]);
	return us;
}

static void
bench_commands(const char *db, const char *tmp)
{
	const char *build = getenv("BUILD");
	char *sotay = xasprintf("%s/sotay", build ? build : "build");
	char *conf = xasprintf("%s/sotay.conf", tmp), from[16];
	FILE *fp = fopen(conf, "w");
	time_t t = time(NULL) - 30 * 86400;
	struct tm tm;

	if (fp == NULL)
		die("settings", conf);
	fprintf(fp, "province = Quảng Ngãi\ncommune = Xã Tịnh Sơn\nretention_days = 365\n");
	fclose(fp);
	setenv("SOTAY_CONFIG", conf, 1);
	setenv("SOTAY_CONTENT", "assets/checklists", 1);
	localtime_r(&t, &tm);
	strftime(from, sizeof from, "%Y-%m-%d", &tm);

	char *version[] = { sotay, "--version", NULL };
	char *status[] = { sotay, "--db", (char *)db, "status", NULL };
	char *report[] = { sotay, "--db", (char *)db, "report", "--from", from, NULL };
	/* Once each first: the first open installs the bundled checklists' stamp. */
	bench_run(status, NULL);
	bench_run(report, NULL);
	/* In rounds, one of each: the three see the same moments of a shared machine. */
	double vv[RUNS], sv[RUNS], rv[RUNS];
	for (int i = 0; i < RUNS; i++) {
		vv[i] = timed_run(version);
		sv[i] = timed_run(status);
		rv[i] = timed_run(report);
	}
	double v = bench_median(vv, RUNS), s = bench_median(sv, RUNS), r = bench_median(rv, RUNS);
	bench_row("`sotay status`, whole command", DATA, s / 1e3, "ms", "sotay --version",
	    v / 1e3, "< 20 ms", s < 20e3);
	bench_row("`sotay report` of the last 30 days", DATA, r / 1e3, "ms", "sotay --version",
	    v / 1e3, "< 20 ms", r < 20e3);
	free(sotay);
	free(conf);
}

int
main(void)
{
	const char *src = bench_env("BENCH_DB_1M"), *tmp = bench_env("TEST_TMP");
	const char *build = getenv("BUILD");
	char *db = xasprintf("%s/kiosk.db", tmp);
	char *floor_bin = xasprintf("%s/tests/bench-floor", build ? build : "build");

	printf("bench-kiosk: on a copy of %s\n", src);
	bench_copy_db(src, db);
	bench_commands(db, tmp);
	bench_mark(db, tmp, floor_bin);
	free(db);
	free(floor_bin);
	return 0;
}
