/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-core.c: the core's speed on a kiosk's worth of data.
 *
 * Builds a database of about 100,000 events through the real journey API
 * (spread over a year), with 50 checklists installed, then measures, side
 * by side in one run:
 *   - opening the database and loading the 50 checklists;
 *   - marking a step (one transaction: state + event) against a bare SQLite
 *     insert with the same durability settings (WAL, synchronous=FULL),
 *     interleaved so both see the same machine;
 *   - a month's report.
 * Prints medians; asserts nothing (the machine is shared and noisy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "journey.h"
#include "people.h"
#include "report.h"
#include "store.h"
#include "util.h"

#define NCHECKLISTS	50
#define NSTEPS		10
#define TARGET_EVENTS	100000
#define ROUNDS		300
#define DAY_MS		86400000LL

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[n / 2];
}

static double
pct(double *v, int n, double p)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[(int)(p * (n - 1))];
}

static void
die(const char *what, char *cause)
{
	fprintf(stderr, "bench-core: %s: %s\n", what, cause ? cause : "?");
	exit(1);
}

static char *
checklist_json(int k)
{
	size_t cap = 16384, len = 0;
	char *s = xmalloc(cap);

	len += snprintf(s + len, cap - len, "{\"format\":1,\"id\":\"bench-%02d\",\"version\":1,"
	    "\"category\":\"%s\",\"title\":{\"vi\":\"Danh mục đo %d\",\"en\":\"Bench %d\"},"
	    "\"summary\":{\"vi\":\"Dùng để đo tốc độ.\",\"en\":\"For measuring.\"},\"minutes\":20,"
	    "\"official\":{\"url\":\"https://dichvucong.gov.vn/\"},\"steps\":[",
	    k, category_id(k % CAT_COUNT), k, k);
	for (int i = 0; i < NSTEPS; i++)
		len += snprintf(s + len, cap - len, "%s{\"id\":\"step-%d\",\"title\":{\"vi\":\"Bước "
		    "thứ %d: làm theo hướng dẫn\",\"en\":\"Step %d\"},\"detail\":{\"vi\":\"Mở ứng "
		    "dụng, chọn mục cần làm, nhập thông tin theo căn cước và bấm tiếp tục.\","
		    "\"en\":\"Open the app, choose the item, enter the details from the ID card and "
		    "press continue.\"},\"tip\":{\"vi\":\"Nếu không nhận được mã, chờ một phút rồi thử "
		    "lại.\"}}", i ? "," : "", i + 1, i + 1, i + 1);
	len += snprintf(s + len, cap - len, "],\"block_reasons\":[{\"id\":\"no-otp\",\"text\":"
	    "{\"vi\":\"Không nhận được OTP\"}}],\"reviewed\":\"2026-11-01\",\"source\":\"bench\"}");
	return s;
}

static void
build(const char *path)
{
	struct library lib = { 0 };
	struct problems pr = { 0 };
	struct store *st;
	struct store_counts c = { 0 };
	char *cause = NULL;

	if (store_open(path, STORE_CREATE, &st, &cause) != 0)
		die("open", cause);
	for (int k = 0; k < NCHECKLISTS; k++) {
		char *json = checklist_json(k), where[32];
		snprintf(where, sizeof where, "bench-%02d", k);
		struct checklist *cl = checklist_parse(json, strlen(json), where, &pr);
		free(json);
		if (cl == NULL)
			die("checklist", pr.n ? pr.lines[0] : NULL);
		lib.items = xrealloc(lib.items, (lib.n + 1) * sizeof *lib.items);
		lib.items[lib.n++] = cl;
	}
	if (content_store_install(st, &lib, NULL, &cause) != 0)
		die("install", cause);
	/* Building only: the measured connections use synchronous=FULL. */
	sqlite3_exec(sqlite3_db_handle(store_stmt(st, "SELECT 1")), "PRAGMA synchronous = OFF",
	    NULL, NULL, NULL);
	/* Sessions spread over the past year, oldest first: a clock that moves forward. */
	int64_t span = 365 * DAY_MS, start_offset = -span;
	util_clock_offset_ms(start_offset);
	int64_t moved = start_offset;
	for (int n = 0; c.events < TARGET_EVENTS; n++) {
		struct resident r;
		struct journey *j;
		const struct checklist *cl = lib.items[n % NCHECKLISTS];

		if (people_resident_add(st, "Người dân", 1950 + n % 60, n % 2 ? SEX_FEMALE : SEX_MALE,
		    "Thôn 1", NULL, 1, &r, &cause) != 0 ||
		    journey_start(st, cl, r.id, 0, &j, &cause) != 0)
			die("start", cause);
		for (int i = 0; i < NSTEPS; i++)
			if (journey_mark(st, j, i, i == 7 && n % 4 == 0 ? MARK_BLOCKED : MARK_DONE,
			    "Không nhận được OTP", &cause) != 0)
				die("mark", cause);
		if (n % 5 != 0 && journey_finish(st, j, &cause) != 0)
			die("finish", cause);
		journey_free(j);
		people_resident_clear(&r);
		if (store_counts(st, &c, &cause) != 0)
			die("counts", cause);
		/* About 8,000 sessions for 100,000 events: step the clock evenly through the year. */
		int64_t step = span / 8000;
		util_clock_offset_ms(step);
		moved += step;
	}
	util_clock_offset_ms(-moved);
	printf("built %s: %lld events, %d checklists\n", path, (long long)c.events, NCHECKLISTS);
	library_free(&lib);
	store_close(st);
}

int
main(int argc, char **argv)
{
	const char *tmp = getenv("TEST_TMP");
	char *path, *bare;
	char *cause = NULL;
	double open_us[30], mark_us[ROUNDS], bare_us[ROUNDS], report_us[30];
	struct store *st;

	(void)argc;
	(void)argv;
	path = xasprintf("%s/bench-core.db", tmp && *tmp ? tmp : "/tmp");
	bare = xasprintf("%s/bench-bare.db", tmp && *tmp ? tmp : "/tmp");
	unlink(path);
	unlink(bare);
	build(path);

	/* Open and load 50 checklists, from a closed database each time. */
	for (int i = 0; i < 30; i++) {
		struct library lib;
		double t0 = now_us();
		if (store_open(path, 0, &st, &cause) != 0 || content_store_load(st, &lib, &cause) != 0)
			die("open", cause);
		open_us[i] = now_us() - t0;
		if (lib.n != NCHECKLISTS)
			die("load", "wrong number of checklists");
		library_free(&lib);
		store_close(st);
	}

	/* Mark vs bare insert, interleaved. */
	sqlite3 *db;
	if (sqlite3_open(bare, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
	    "CREATE TABLE t (id TEXT, type TEXT, payload TEXT, at INTEGER)", NULL, NULL, NULL) != SQLITE_OK)
		die("bare", (char *)sqlite3_errmsg(db));
	sqlite3_stmt *ins;
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, 'step.marked', ?, ?)", -1, &ins, NULL);
	if (store_open(path, 0, &st, &cause) != 0)
		die("open", cause);
	struct library lib;
	if (content_store_load(st, &lib, &cause) != 0)
		die("load", cause);
	struct journey *j = NULL;
	for (int i = 0; i < ROUNDS; i++) {
		if (j == NULL || journey_next_todo(j) < 0) {
			journey_free(j);
			if (journey_start(st, lib.items[i % lib.n], NULL, 0, &j, &cause) != 0)
				die("start", cause);
		}
		double t0 = now_us();
		if (journey_mark(st, j, journey_next_todo(j), MARK_DONE, NULL, &cause) != 0)
			die("mark", cause);
		mark_us[i] = now_us() - t0;

		char id[UUID_STR_LEN];
		util_uuid7(id);
		t0 = now_us();
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, "{\"session\":\"0190f000-0000-7000-8000-000000000000\","
		    "\"step\":\"step-1\",\"index\":0,\"mark\":\"done\"}", -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, util_now_ms());
		sqlite3_step(ins);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		bare_us[i] = now_us() - t0;
	}
	journey_free(j);
	library_free(&lib);
	sqlite3_finalize(ins);
	sqlite3_close(db);

	/* A month's report. */
	for (int i = 0; i < 30; i++) {
		struct report *r;
		int64_t to = util_now_ms();
		double t0 = now_us();
		if (report_build(st, to - 30 * DAY_MS, to, &r, &cause) != 0)
			die("report", cause);
		report_us[i] = now_us() - t0;
		if (i == 0)
			printf("month report: %d people, %d sessions started, %d completed\n",
			    r->people, r->started, r->finished);
		report_free(r);
	}
	store_close(st);

	double mm = median(mark_us, ROUNDS), bm = median(bare_us, ROUNDS);
	printf("\n%-44s %10s %10s\n", "measure (100,000-event database)", "median", "p90");
	printf("%-44s %8.2f ms %8.2f ms\n", "open + load 50 checklists", median(open_us, 30) / 1000,
	    pct(open_us, 30, 0.9) / 1000);
	printf("%-44s %8.3f ms %8.3f ms\n", "mark a step (state + event, one tx)", mm / 1000,
	    pct(mark_us, ROUNDS, 0.9) / 1000);
	printf("%-44s %8.3f ms %8.3f ms\n", "bare SQLite insert (WAL, synchronous=FULL)", bm / 1000,
	    pct(bare_us, ROUNDS, 0.9) / 1000);
	printf("%-44s %8.2fx\n", "mark / bare insert (medians)", mm / bm);
	printf("%-44s %8.2f ms %8.2f ms\n", "month report", median(report_us, 30) / 1000,
	    pct(report_us, 30, 0.9) / 1000);
	printf("goals: open+load < 30 ms; mark within 1.5x of a bare insert; month report < 50 ms\n");
	unlink(path);
	unlink(bare);
	free(path);
	free(bare);
	return 0;
}
