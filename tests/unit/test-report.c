/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-report.c: the supervisor's report, built from sessions made through
 * the journey for a few residents: people helped, sessions started and
 * completed per checklist and per skill, the steps most often blocked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "content.h"
#include "journey.h"
#include "people.h"
#include "report.h"
#include "store.h"
#include "util.h"
#include "helpers.h"

#define DAY_MS	(24LL * 60 * 60 * 1000)

struct world {
	struct store	*st;
	struct library	 lib;
	struct resident	 r1, r2, r3;
	int64_t		 from, to;
};

static struct journey *
start(struct world *w, const char *checklist, const char *resident)
{
	struct journey *j;
	char *cause = NULL;

	if (journey_start(w->st, library_find(&w->lib, checklist), resident, 0, &j, &cause) != 0)
		fail_msg("%s", cause);
	return j;
}

static void
mark(struct world *w, struct journey *j, int step, enum mark m, const char *reason)
{
	char *cause = NULL;

	if (journey_mark(w->st, j, step, m, reason, &cause) != 0)
		fail_msg("%s", cause);
}

static void
finish(struct world *w, struct journey *j)
{
	char *cause = NULL;

	if (journey_finish(w->st, j, &cause) != 0)
		fail_msg("%s", cause);
	journey_free(j);
}

/*
 * Six sessions of four people:
 *   r1  test-basic   all done                         → completed
 *   r2  test-basic   step 3 blocked (no OTP)           → ended blocked
 *   r3  test-basic   step 2 blocked then undone, step 3 blocked (no OTP), still open
 *   r1  test-next    all done                         → completed
 *   r2  test-next    step 2 blocked (QR), paused
 *   —   test-safety  all done, no resident record     → completed
 */
static int
setup(void **state)
{
	struct world *w = xcalloc(1, sizeof *w);
	struct journey *j;
	char *cause = NULL;

	w->st = test_store("report.db");
	test_library(&w->lib);
	assert_int_equal(people_resident_add(w->st, "Bà Năm", 1950, SEX_FEMALE, "Thôn 1", NULL, 1,
	    &w->r1, &cause), 0);
	assert_int_equal(people_resident_add(w->st, "Ông Sáu", 1948, SEX_MALE, "Thôn 2", NULL, 1,
	    &w->r2, &cause), 0);
	assert_int_equal(people_resident_add(w->st, "Chị Bảy", 1980, SEX_FEMALE, "Thôn 1", NULL, 1,
	    &w->r3, &cause), 0);
	w->from = util_now_ms();

	j = start(w, "test-basic", w->r1.id);
	for (int i = 0; i < 4; i++)
		mark(w, j, i, MARK_DONE, NULL);
	finish(w, j);

	j = start(w, "test-basic", w->r2.id);
	mark(w, j, 0, MARK_DONE, NULL);
	mark(w, j, 1, MARK_DONE, NULL);
	mark(w, j, 2, MARK_BLOCKED, "Không nhận được OTP");
	mark(w, j, 3, MARK_DONE, NULL);
	finish(w, j);

	j = start(w, "test-basic", w->r3.id);
	mark(w, j, 0, MARK_DONE, NULL);
	mark(w, j, 1, MARK_BLOCKED, "Hệ thống quá tải");
	assert_int_equal(journey_undo(w->st, j, &cause), 0);
	mark(w, j, 1, MARK_DONE, NULL);
	mark(w, j, 2, MARK_BLOCKED, "Không nhận được OTP");
	journey_free(j);

	j = start(w, "test-next", w->r1.id);
	for (int i = 0; i < 3; i++)
		mark(w, j, i, MARK_DONE, NULL);
	finish(w, j);

	j = start(w, "test-next", w->r2.id);
	mark(w, j, 0, MARK_DONE, NULL);
	mark(w, j, 1, MARK_BLOCKED, "Mã QR bị mờ");
	assert_int_equal(journey_pause(w->st, j, &cause), 0);
	journey_free(j);

	j = start(w, "test-safety", NULL);
	mark(w, j, 0, MARK_DONE, NULL);
	mark(w, j, 1, MARK_SKIPPED, NULL);
	finish(w, j);

	w->to = util_now_ms() + 1;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	people_resident_clear(&w->r1);
	people_resident_clear(&w->r2);
	people_resident_clear(&w->r3);
	library_free(&w->lib);
	store_close(w->st);
	free(w);
	return 0;
}

static void
row_is(const struct report_row *r, const char *key, int started, int finished, int blocked,
    int people)
{
	assert_string_equal(r->key, key);
	assert_int_equal(r->started, started);
	assert_int_equal(r->finished, finished);
	assert_int_equal(r->blocked, blocked);
	assert_int_equal(r->people, people);
}

static void
test_counts(void **state)
{
	struct world *w = *state;
	struct report *r;
	char *cause = NULL;

	assert_int_equal(report_build(w->st, w->from, w->to, &r, &cause), 0);
	assert_int_equal(r->from, w->from);
	assert_int_equal(r->to, w->to);
	assert_int_equal(r->people, 4);
	assert_int_equal(r->started, 6);
	assert_int_equal(r->finished, 3);

	assert_int_equal(r->nchecklist, 3);
	row_is(&r->by_checklist[0], "test-basic", 3, 1, 1, 3);
	row_is(&r->by_checklist[1], "test-next", 2, 1, 0, 2);
	row_is(&r->by_checklist[2], "test-safety", 1, 1, 0, 1);

	assert_int_equal(r->ncategory, 3);
	row_is(&r->by_category[0], "public_services", 3, 1, 1, 3);
	row_is(&r->by_category[1], "payment", 2, 1, 0, 2);
	row_is(&r->by_category[2], "safety", 1, 1, 0, 1);

	/* Blocks in force, most frequent first; the undone one is not there. */
	assert_int_equal(r->nblocks, 2);
	assert_string_equal(r->blocks[0].checklist_id, "test-basic");
	assert_string_equal(r->blocks[0].step_id, "get-otp");
	assert_string_equal(r->blocks[0].reason, "Không nhận được OTP");
	assert_int_equal(r->blocks[0].count, 2);
	assert_string_equal(r->blocks[1].checklist_id, "test-next");
	assert_string_equal(r->blocks[1].step_id, "scan-qr");
	assert_string_equal(r->blocks[1].reason, "Mã QR bị mờ");
	assert_int_equal(r->blocks[1].count, 1);
	report_free(r);
}

static void
test_range(void **state)
{
	struct world *w = *state;
	struct report *r;
	struct journey *j;
	char *cause = NULL;

	/* Before the sessions: nothing. */
	assert_int_equal(report_build(w->st, w->from - DAY_MS, w->from, &r, &cause), 0);
	assert_int_equal(r->people + r->started + r->finished, 0);
	assert_int_equal(r->nchecklist + r->ncategory + r->nblocks, 0);
	report_free(r);

	/* Three days later, the day's report holds only that day's session. */
	util_clock_offset_ms(3 * DAY_MS);
	int64_t now = util_now_ms();
	assert_int_equal(report_build(w->st, now - DAY_MS, now + DAY_MS, &r, &cause), 0);
	assert_int_equal(r->people + r->started + r->finished, 0);
	assert_int_equal(r->nchecklist + r->ncategory + r->nblocks, 0);
	report_free(r);

	j = start(w, "test-next", w->r3.id);
	mark(w, j, 0, MARK_BLOCKED, "Quên mật khẩu ví");
	journey_free(j);
	assert_int_equal(report_build(w->st, now - DAY_MS, now + DAY_MS, &r, &cause), 0);
	assert_int_equal(r->people, 1);
	assert_int_equal(r->started, 1);
	assert_int_equal(r->finished, 0);
	assert_int_equal(r->nchecklist, 1);
	row_is(&r->by_checklist[0], "test-next", 1, 0, 0, 1);
	assert_int_equal(r->nblocks, 1);
	assert_string_equal(r->blocks[0].reason, "Quên mật khẩu ví");
	report_free(r);

	/* The first range is unchanged by it. */
	assert_int_equal(report_build(w->st, w->from, w->to, &r, &cause), 0);
	assert_int_equal(r->started, 6);
	assert_int_equal(r->nblocks, 2);
	report_free(r);

	/* Both together. */
	assert_int_equal(report_build(w->st, w->from, now + DAY_MS, &r, &cause), 0);
	assert_int_equal(r->started, 7);
	assert_int_equal(r->people, 4);
	assert_int_equal(r->ncategory, 3);
	for (size_t i = 0; i < r->ncategory; i++) {
		if (strcmp(r->by_category[i].key, "public_services") == 0)
			row_is(&r->by_category[i], "public_services", 3, 1, 1, 3);
		else if (strcmp(r->by_category[i].key, "payment") == 0)
			row_is(&r->by_category[i], "payment", 3, 1, 0, 3);
		else
			row_is(&r->by_category[i], "safety", 1, 1, 0, 1);
	}
	report_free(r);
	util_clock_offset_ms(-3 * DAY_MS);
}

static json_object *
get(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static void
local_day(int64_t ms, char out[11])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void
test_json_and_text(void **state)
{
	struct world *w = *state;
	struct report *r;
	char *cause = NULL, day[11];
	json_object *o, *a, *e;

	assert_int_equal(report_build(w->st, w->from, w->to, &r, &cause), 0);
	o = report_json(r);
	local_day(w->from, day);
	assert_string_equal(json_object_get_string(get(o, "from")), day);
	local_day(w->to - 1, day);	/* the last day counted: w->to is its end */
	assert_string_equal(json_object_get_string(get(o, "to")), day);
	assert_int_equal(json_object_get_int(get(o, "people")), 4);
	assert_int_equal(json_object_get_int(get(o, "sessions_started")), 6);
	assert_int_equal(json_object_get_int(get(o, "sessions_completed")), 3);

	a = get(o, "by_checklist");
	assert_int_equal(json_object_array_length(a), 3);
	e = json_object_array_get_idx(a, 0);
	assert_string_equal(json_object_get_string(get(e, "checklist")), "test-basic");
	assert_int_equal(json_object_get_int(get(e, "people")), 3);
	assert_int_equal(json_object_get_int(get(e, "started")), 3);
	assert_int_equal(json_object_get_int(get(e, "completed")), 1);
	assert_int_equal(json_object_get_int(get(e, "ended_blocked")), 1);

	a = get(o, "by_category");
	assert_int_equal(json_object_array_length(a), 3);
	e = json_object_array_get_idx(a, 1);
	assert_string_equal(json_object_get_string(get(e, "category")), "payment");
	assert_int_equal(json_object_get_int(get(e, "started")), 2);

	a = get(o, "blocked_steps");
	assert_int_equal(json_object_array_length(a), 2);
	e = json_object_array_get_idx(a, 0);
	assert_string_equal(json_object_get_string(get(e, "checklist")), "test-basic");
	assert_string_equal(json_object_get_string(get(e, "step")), "get-otp");
	assert_string_equal(json_object_get_string(get(e, "reason")), "Không nhận được OTP");
	assert_int_equal(json_object_get_int(get(e, "count")), 2);
	/* A report leaves the kiosk: no resident's name in it. */
	assert_null(strstr(json_object_to_json_string(o), "Bà Năm"));
	json_object_put(o);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	report_print(f, r);
	fclose(f);
	assert_non_null(strstr(text, "Người dân được hỗ trợ: 4"));
	assert_non_null(strstr(text, "Phiên bắt đầu: 6, hoàn thành: 3"));
	assert_non_null(strstr(text, "Dịch vụ công trực tuyến"));
	assert_non_null(strstr(text, "test-basic / get-otp: Không nhận được OTP"));
	/*
	 * The numbers stand in one column as a terminal shows the names, each
	 * letter one column however many bytes it takes ("ự" is three).
	 */
	{
		char *sec = strstr(text, "Theo kỹ năng:\n"), *line, *end;
		size_t want = 0, cols, rows = 0;

		assert_non_null(sec);
		for (line = strchr(sec, '\n') + 1; *line != '\n' && *line != '\0'; line = end + 1) {
			end = strchr(line, '\n');
			assert_non_null(end);
			cols = 0;
			for (char *p = line; p < end; p++)
				cols += ((unsigned char)*p & 0xc0) != 0x80;
			if (rows++ == 0)
				want = cols;
			assert_int_equal(cols, want);
		}
		assert_int_equal(rows, 3);
	}
	free(text);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_json_and_text),
	};
	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
