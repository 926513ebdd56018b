/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-journey.c: the guided checklist as a state machine — every legal
 * move and the refused ones, each change saved with exactly one outbox
 * event, and sessions pinned to the checklist version they started on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "journey.h"
#include "people.h"
#include "store.h"
#include "util.h"
#include "helpers.h"

/* One text value from what is committed to st's file; the caller frees it ("" for NULL). */
static char *
sql_text(struct store *st, const char *fmt, ...)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	va_list ap;
	char *sql, *v;

	va_start(ap, fmt);
	sql = xvasprintf(fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_open_v2(store_path(st), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("prepare: %s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = xstrdup(sqlite3_column_type(s, 0) == SQLITE_NULL ? "" :
	    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(sql);
	return v;
}

/* The newest event: its type, and its payload parsed (the caller puts it). */
static json_object *
last_event(struct store *st, const char *want_type)
{
	char *type = sql_text(st, "SELECT type FROM outbox ORDER BY seq DESC LIMIT 1");
	char *payload = sql_text(st, "SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1");
	json_object *o;

	assert_string_equal(type, want_type);
	o = json_tokener_parse(payload);
	assert_non_null(o);
	free(type);
	free(payload);
	return o;
}

static const char *
field_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("the event has no field \"%s\": %s", key, json_object_to_json_string(o));
	return json_object_get_string(v);
}

static int
field_int(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("the event has no field \"%s\": %s", key, json_object_to_json_string(o));
	return json_object_get_int(v);
}

/* Asserts a call was refused with a message containing want, and changed nothing. */
/* Refused, and no mark was written either. */
#define REFUSED_NO_MARK(st, call, want) do {					\
	int64_t marks_ = test_sql_int(st, "SELECT count(*) FROM marks");	\
	REFUSED(st, call, want);						\
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM marks"), marks_); \
} while (0)

static const struct checklist *
basic(struct library *lib, struct store *st)
{
	char *cause = NULL;

	if (content_store_load(st, lib, &cause) != 0)
		fail_msg("%s", cause);
	const struct checklist *cl = library_find(lib, "test-basic");
	assert_non_null(cl);
	return cl;
}

static void
test_start(void **state)
{
	struct store *st = test_store("journey-start.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j;
	json_object *ev;
	char *cause = NULL;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	assert_int_equal(j->state, SESSION_ACTIVE);
	assert_int_equal(j->current, 0);
	assert_int_equal(j->checklist->nsteps, 4);
	assert_int_equal(j->checklist->version, 1);
	assert_int_equal(j->nundo, 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(j->marks[i], MARK_TODO);

	assert_int_equal(test_outbox_count(st), 1);
	ev = last_event(st, "session.started");
	assert_string_equal(field_str(ev, "session"), j->id);
	assert_string_equal(field_str(ev, "checklist"), "test-basic");
	assert_int_equal(field_int(ev, "version"), 1);
	assert_string_equal(field_str(ev, "category"), "public_services");
	json_object_put(ev);

	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "state = 'active' AND current_step = 0 AND checklist_id = 'test-basic' AND "
	    "checklist_version = 1 AND resident_id IS NULL AND volunteer_id IS NULL", j->id), 1);
	journey_free(j);

	/* Someone unknown cannot start a session: nothing of it stays. */
	REFUSED_NO_MARK(st, journey_start(st, cl, "no-such-resident", 0, &j, CAUSE), "Không bắt đầu được");
	assert_null(j);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions"), 1);

	/* Neither can a checklist the kiosk has not installed. */
	struct checklist other = *cl;
	other.id = "not-installed";
	REFUSED_NO_MARK(st, journey_start(st, &other, NULL, 0, &j, CAUSE), "not-installed");
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions"), 1);

	REFUSED_NO_MARK(st, journey_load(st, "0190-none", &j, CAUSE), "0190-none");

	/* With a resident and a volunteer: both recorded, the resident by id only. */
	struct resident r;
	int64_t vid;
	assert_int_equal(people_volunteer_add(st, "Chị Lan", ROLE_VOLUNTEER, "2580", &vid, &cause), 0);
	assert_int_equal(people_resident_add(st, "Bà Chín", 1944, SEX_FEMALE, NULL, "0905111222", 1,
	    &r, &cause), 0);
	util_clock_offset_ms(5000);
	assert_int_equal(journey_start(st, cl, r.id, vid, &j, &cause), 0);
	assert_string_equal(j->resident_id, r.id);
	assert_int_equal(j->volunteer_id, vid);
	ev = last_event(st, "session.started");
	assert_string_equal(field_str(ev, "resident"), r.id);
	assert_int_equal(field_int(ev, "volunteer"), vid);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE "
	    "instr(payload, 'Chín') > 0 OR instr(payload, '0905111222') > 0"), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "resident_id = '%s' AND volunteer_id = %lld", j->id, r.id, (long long)vid), 1);
	/* Starting counts as the resident being seen (for the retention purge). */
	assert_int_equal(test_sql_int(st, "SELECT last_seen - created_at >= 5000 FROM residents "
	    "WHERE id = '%s'", r.id), 1);
	util_clock_offset_ms(-5000);
	people_resident_clear(&r);
	journey_free(j);

	library_free(&lib);
	store_close(st);
	(void)state;
}

static void
test_marks(void **state)
{
	struct store *st = test_store("journey-marks.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j;
	json_object *ev;
	char *cause = NULL;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);

	/* done: the mark is saved, the screen moves on, one event. */
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, "ignored", &cause), 0);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_null(j->reasons[0]);
	assert_int_equal(j->current, 1);
	assert_int_equal(test_outbox_count(st), 2);
	ev = last_event(st, "step.marked");
	assert_string_equal(field_str(ev, "session"), j->id);
	assert_string_equal(field_str(ev, "checklist"), "test-basic");
	assert_string_equal(field_str(ev, "step"), "open-app");
	assert_int_equal(field_int(ev, "index"), 0);
	assert_string_equal(field_str(ev, "mark"), "done");
	assert_false(json_object_object_get_ex(ev, "reason", NULL));
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM marks WHERE session_id = '%s' AND "
	    "step_index = 0 AND step_id = 'open-app' AND mark = 'done' AND reason IS NULL "
	    "AND undone = 0", j->id), 1);
	assert_int_equal(test_sql_int(st, "SELECT current_step FROM sessions WHERE id = '%s'", j->id), 1);

	/* skipped */
	assert_int_equal(journey_mark(st, j, 1, MARK_SKIPPED, NULL, &cause), 0);
	assert_int_equal(j->marks[1], MARK_SKIPPED);
	assert_int_equal(j->current, 2);
	assert_int_equal(test_outbox_count(st), 3);
	ev = last_event(st, "step.marked");
	assert_string_equal(field_str(ev, "step"), "enter-number");
	assert_string_equal(field_str(ev, "mark"), "skipped");
	json_object_put(ev);

	/* blocked needs a reason; only done, skipped and blocked are marks; steps exist. */
	REFUSED_NO_MARK(st, journey_mark(st, j, 2, MARK_BLOCKED, NULL, CAUSE), "lý do");
	REFUSED_NO_MARK(st, journey_mark(st, j, 2, MARK_BLOCKED, "  ", CAUSE), "lý do");
	REFUSED_NO_MARK(st, journey_mark(st, j, 2, MARK_TODO, NULL, CAUSE), "xong, bỏ qua hoặc vướng");
	REFUSED_NO_MARK(st, journey_mark(st, j, 4, MARK_DONE, NULL, CAUSE), "Không có bước 5 (danh mục có 4 bước)");
	REFUSED_NO_MARK(st, journey_mark(st, j, -1, MARK_DONE, NULL, CAUSE), "Không có bước 0");
	assert_int_equal(j->marks[2], MARK_TODO);
	assert_int_equal(j->current, 2);
	assert_int_equal(test_sql_int(st, "SELECT current_step FROM sessions WHERE id = '%s'", j->id), 2);

	assert_int_equal(journey_mark(st, j, 2, MARK_BLOCKED, "Không nhận được OTP", &cause), 0);
	assert_int_equal(j->marks[2], MARK_BLOCKED);
	assert_string_equal(j->reasons[2], "Không nhận được OTP");
	assert_int_equal(j->current, 3);
	ev = last_event(st, "step.marked");
	assert_string_equal(field_str(ev, "step"), "get-otp");
	assert_string_equal(field_str(ev, "mark"), "blocked");
	assert_string_equal(field_str(ev, "reason"), "Không nhận được OTP");
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM marks WHERE session_id = '%s' AND "
	    "step_id = 'get-otp' AND mark = 'blocked' AND reason = 'Không nhận được OTP'", j->id), 1);

	/* The last step stays on screen after its mark. */
	assert_int_equal(journey_mark(st, j, 3, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(j->current, 3);
	assert_int_equal(test_outbox_count(st), 5);

	struct journey_counts c;
	journey_count(j, &c);
	assert_int_equal(c.todo, 0);
	assert_int_equal(c.done, 2);
	assert_int_equal(c.skipped, 1);
	assert_int_equal(c.blocked, 1);
	assert_int_equal(journey_next_todo(j), -1);

	/* What is on disk is what was shown. */
	struct journey *again;
	assert_int_equal(journey_load(st, j->id, &again, &cause), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(again->marks[i], j->marks[i]);
	assert_string_equal(again->reasons[2], "Không nhận được OTP");
	assert_int_equal(again->current, 3);
	assert_int_equal(again->nundo, 4);
	journey_free(again);

	journey_free(j);
	library_free(&lib);
	store_close(st);
	(void)state;
}

static void
test_undo(void **state)
{
	struct store *st = test_store("journey-undo.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j;
	json_object *ev;
	char *cause = NULL;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	REFUSED_NO_MARK(st, journey_undo(st, j, CAUSE), "Không còn gì để hoàn tác");

	/* Step 1 done, then re-marked skipped: undo brings back "done". */
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, j, 0, MARK_SKIPPED, NULL, &cause), 0);
	assert_int_equal(j->marks[0], MARK_SKIPPED);
	int64_t n = test_outbox_count(st);
	assert_int_equal(journey_undo(st, j, &cause), 0);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->current, 0);
	assert_int_equal(test_outbox_count(st), n + 1);
	ev = last_event(st, "step.undone");
	assert_string_equal(field_str(ev, "session"), j->id);
	assert_string_equal(field_str(ev, "step"), "open-app");
	assert_int_equal(field_int(ev, "index"), 0);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM marks WHERE session_id = '%s' AND "
	    "undone = 1 AND mark = 'skipped'", j->id), 1);
	assert_int_equal(test_sql_int(st, "SELECT current_step FROM sessions WHERE id = '%s'", j->id), 0);

	/* Blocked twice with different reasons: undo restores the first reason. */
	assert_int_equal(journey_mark(st, j, 2, MARK_BLOCKED, "Không nhận được OTP", &cause), 0);
	assert_int_equal(journey_mark(st, j, 2, MARK_BLOCKED, "Hệ thống quá tải", &cause), 0);
	assert_int_equal(journey_undo(st, j, &cause), 0);
	assert_int_equal(j->marks[2], MARK_BLOCKED);
	assert_string_equal(j->reasons[2], "Không nhận được OTP");
	assert_int_equal(j->current, 2);

	/* The same after a restart. */
	struct journey *again;
	assert_int_equal(journey_load(st, j->id, &again, &cause), 0);
	assert_int_equal(again->marks[0], MARK_DONE);
	assert_int_equal(again->marks[2], MARK_BLOCKED);
	assert_string_equal(again->reasons[2], "Không nhận được OTP");
	assert_int_equal(again->nundo, j->nundo);
	journey_free(again);

	/* Undo to the very beginning, newest first, then nothing is left. */
	assert_int_equal(journey_undo(st, j, &cause), 0);
	assert_int_equal(j->marks[2], MARK_TODO);
	assert_null(j->reasons[2]);
	assert_int_equal(journey_undo(st, j, &cause), 0);
	assert_int_equal(j->marks[0], MARK_TODO);
	assert_int_equal(j->nundo, 0);
	REFUSED_NO_MARK(st, journey_undo(st, j, CAUSE), "Không còn gì để hoàn tác");
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM marks WHERE session_id = '%s' AND "
	    "undone = 0", j->id), 0);

	journey_free(j);
	library_free(&lib);
	store_close(st);
	(void)state;
}

static void
test_note_and_goto(void **state)
{
	struct store *st = test_store("journey-note.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j;
	struct journey_note *notes;
	json_object *ev;
	size_t n;
	char *cause = NULL;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	REFUSED_NO_MARK(st, journey_note(st, j, "", CAUSE), "Ghi chú đang trống");
	REFUSED_NO_MARK(st, journey_note(st, j, " \n\t", CAUSE), "Ghi chú đang trống");
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM notes"), 0);

	assert_int_equal(journey_goto(st, j, 2, &cause), 0);
	assert_int_equal(j->current, 2);
	assert_int_equal(test_sql_int(st, "SELECT current_step FROM sessions WHERE id = '%s'", j->id), 2);
	ev = last_event(st, "session.moved");
	assert_string_equal(field_str(ev, "session"), j->id);
	assert_int_equal(field_int(ev, "index"), 2);
	json_object_put(ev);
	REFUSED_NO_MARK(st, journey_goto(st, j, 4, CAUSE), "Không có bước 5");
	REFUSED_NO_MARK(st, journey_goto(st, j, -1, CAUSE), "Không có bước 0");
	assert_int_equal(j->current, 2);

	int64_t before = test_outbox_count(st);
	assert_int_equal(journey_note(st, j, "Bà cần mang kính lần sau", &cause), 0);
	assert_int_equal(test_outbox_count(st), before + 1);
	ev = last_event(st, "note.added");
	assert_int_equal(field_int(ev, "index"), 2);
	json_object_put(ev);
	/* Only that a note exists leaves the kiosk, never its words. */
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE instr(payload, 'kính') > 0"), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM notes WHERE session_id = '%s' AND "
	    "step_index = 2 AND text = 'Bà cần mang kính lần sau'", j->id), 1);

	assert_int_equal(journey_notes(st, j->id, &notes, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(notes[0].step, 2);
	assert_string_equal(notes[0].text, "Bà cần mang kính lần sau");
	journey_notes_free(notes, n);

	journey_free(j);
	library_free(&lib);
	store_close(st);
	(void)state;
}

static void
test_pause_resume(void **state)
{
	struct store *st = test_store("journey-pause.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j, *again;
	json_object *ev;
	char *cause = NULL;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	REFUSED_NO_MARK(st, journey_resume(st, j, CAUSE), "đang diễn ra");
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, NULL, &cause), 0);

	int64_t before = test_outbox_count(st);
	assert_int_equal(journey_pause(st, j, &cause), 0);
	assert_int_equal(j->state, SESSION_PAUSED);
	assert_int_equal(test_outbox_count(st), before + 1);
	ev = last_event(st, "session.paused");
	assert_string_equal(field_str(ev, "session"), j->id);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "state = 'paused' AND current_step = 1", j->id), 1);

	/* Nothing changes a paused session but resuming it. */
	REFUSED_NO_MARK(st, journey_mark(st, j, 1, MARK_DONE, NULL, CAUSE), "tạm dừng");
	REFUSED_NO_MARK(st, journey_undo(st, j, CAUSE), "tạm dừng");
	REFUSED_NO_MARK(st, journey_note(st, j, "ghi chú", CAUSE), "tạm dừng");
	REFUSED_NO_MARK(st, journey_goto(st, j, 2, CAUSE), "tạm dừng");
	REFUSED_NO_MARK(st, journey_pause(st, j, CAUSE), "tạm dừng");
	REFUSED_NO_MARK(st, journey_finish(st, j, CAUSE), "tạm dừng");
	assert_int_equal(j->marks[1], MARK_TODO);

	/* Paused survives a restart. */
	assert_int_equal(journey_load(st, j->id, &again, &cause), 0);
	assert_int_equal(again->state, SESSION_PAUSED);
	assert_int_equal(again->current, 1);
	REFUSED_NO_MARK(st, journey_mark(st, again, 1, MARK_DONE, NULL, CAUSE), "tạm dừng");

	before = test_outbox_count(st);
	assert_int_equal(journey_resume(st, again, &cause), 0);
	assert_int_equal(again->state, SESSION_ACTIVE);
	assert_int_equal(test_outbox_count(st), before + 1);
	ev = last_event(st, "session.resumed");
	assert_string_equal(field_str(ev, "session"), j->id);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "state = 'active'", j->id), 1);
	REFUSED_NO_MARK(st, journey_resume(st, again, CAUSE), "đang diễn ra");
	assert_int_equal(journey_mark(st, again, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(again->current, 2);

	journey_free(again);
	journey_free(j);
	library_free(&lib);
	store_close(st);
	(void)state;
}

static void
test_finish(void **state)
{
	struct store *st = test_store("journey-finish.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j;
	json_object *ev;
	char *cause = NULL;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	REFUSED_NO_MARK(st, journey_finish(st, j, CAUSE), "Còn 4 bước chưa làm");
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, NULL, &cause), 0);
	REFUSED_NO_MARK(st, journey_finish(st, j, CAUSE), "Còn 3 bước chưa làm");
	assert_int_equal(j->state, SESSION_ACTIVE);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "state = 'active' AND finished_at IS NULL AND outcome IS NULL", j->id), 1);

	assert_int_equal(journey_mark(st, j, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, j, 2, MARK_SKIPPED, NULL, &cause), 0);
	REFUSED_NO_MARK(st, journey_finish(st, j, CAUSE), "Còn 1 bước chưa làm");
	assert_int_equal(journey_mark(st, j, 3, MARK_DONE, NULL, &cause), 0);
	int64_t before = test_outbox_count(st);
	assert_int_equal(journey_finish(st, j, &cause), 0);
	assert_int_equal(j->state, SESSION_FINISHED);
	assert_int_equal(test_outbox_count(st), before + 1);
	ev = last_event(st, "session.finished");
	assert_string_equal(field_str(ev, "session"), j->id);
	assert_string_equal(field_str(ev, "checklist"), "test-basic");
	assert_string_equal(field_str(ev, "outcome"), "completed");
	assert_int_equal(field_int(ev, "done"), 3);
	assert_int_equal(field_int(ev, "skipped"), 1);
	assert_int_equal(field_int(ev, "blocked"), 0);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "state = 'finished' AND outcome = 'completed' AND finished_at IS NOT NULL", j->id), 1);

	/* A finished session takes nothing more. */
	REFUSED_NO_MARK(st, journey_mark(st, j, 0, MARK_SKIPPED, NULL, CAUSE), "đã kết thúc");
	REFUSED_NO_MARK(st, journey_undo(st, j, CAUSE), "đã kết thúc");
	REFUSED_NO_MARK(st, journey_note(st, j, "ghi chú", CAUSE), "đã kết thúc");
	REFUSED_NO_MARK(st, journey_goto(st, j, 0, CAUSE), "đã kết thúc");
	REFUSED_NO_MARK(st, journey_pause(st, j, CAUSE), "đã kết thúc");
	REFUSED_NO_MARK(st, journey_resume(st, j, CAUSE), "đã kết thúc");
	REFUSED_NO_MARK(st, journey_finish(st, j, CAUSE), "đã kết thúc");
	journey_free(j);

	/* Also after a restart. */
	char *id = sql_text(st, "SELECT id FROM sessions");
	assert_int_equal(journey_load(st, id, &j, &cause), 0);
	free(id);
	assert_int_equal(j->state, SESSION_FINISHED);
	REFUSED_NO_MARK(st, journey_mark(st, j, 0, MARK_SKIPPED, NULL, CAUSE), "đã kết thúc");
	journey_free(j);

	/* A step still blocked at the end: the outcome says so. */
	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, j, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, j, 2, MARK_BLOCKED, "Hệ thống quá tải", &cause), 0);
	assert_int_equal(journey_mark(st, j, 3, MARK_SKIPPED, NULL, &cause), 0);
	assert_int_equal(journey_finish(st, j, &cause), 0);
	ev = last_event(st, "session.finished");
	assert_string_equal(field_str(ev, "outcome"), "blocked");
	assert_int_equal(field_int(ev, "done"), 2);
	assert_int_equal(field_int(ev, "skipped"), 1);
	assert_int_equal(field_int(ev, "blocked"), 1);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "outcome = 'blocked' AND state = 'finished'", j->id), 1);
	journey_free(j);

	library_free(&lib);
	store_close(st);
	(void)state;
}

/* test-basic as version 2, with a fifth step. */
static struct checklist *
basic_v2(void)
{
	size_t len;
	char *text = util_read_file("tests/data/checklists/test-basic.json", &len);
	struct problems pr = { 0 };

	assert_non_null(text);
	json_object *o = json_tokener_parse(text), *steps, *step, *t;
	free(text);
	assert_non_null(o);
	json_object_object_add(o, "version", json_object_new_int(2));
	assert_true(json_object_object_get_ex(o, "steps", &steps));
	step = json_object_new_object();
	json_object_object_add(step, "id", json_object_new_string("check-result"));
	t = json_object_new_object();
	json_object_object_add(t, "vi", json_object_new_string("Kiểm tra kết quả"));
	json_object_object_add(step, "title", t);
	t = json_object_new_object();
	json_object_object_add(t, "vi", json_object_new_string("Xem thông báo đã đăng ký thành công."));
	json_object_object_add(step, "detail", t);
	json_object_array_add(steps, step);
	const char *json = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	struct checklist *cl = checklist_parse(json, strlen(json), "test-basic v2", &pr);
	for (size_t i = 0; i < pr.n; i++)
		fprintf(stderr, "%s\n", pr.lines[i]);
	assert_int_equal(pr.n, 0);
	assert_non_null(cl);
	json_object_put(o);
	return cl;
}

/*
 * A person's one key on a step is one change: the mark and where the
 * session goes (the first step still to do, not merely the next), and with
 * the last step the end of the session — no separate move or finish.
 */
static void
test_mark_next(void **state)
{
	struct store *st = test_store("journey-mark-next.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct journey *j;
	json_object *ev;
	char *cause = NULL;
	int64_t before;

	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	assert_int_equal(journey_mark(st, j, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_goto(st, j, 0, &cause), 0);
	before = test_outbox_count(st);
	assert_int_equal(journey_mark_next(st, j, 0, MARK_DONE, NULL, &cause), 0);
	/* Step 2 is done already: on to step 3, with the mark's one event and nothing else. */
	assert_int_equal(j->current, 2);
	assert_int_equal(test_outbox_count(st), before + 1);
	json_object_put(last_event(st, "step.marked"));
	assert_int_equal(test_sql_int(st, "SELECT current_step FROM sessions WHERE id = '%s'", j->id), 2);
	assert_int_equal(journey_mark_next(st, j, 2, MARK_SKIPPED, NULL, &cause), 0);
	assert_int_equal(j->current, 3);
	REFUSED_NO_MARK(st, journey_mark_next(st, j, 3, MARK_BLOCKED, NULL, CAUSE), "lý do");
	assert_int_equal(j->state, SESSION_ACTIVE);

	/* The last step: marked and finished together. */
	before = test_outbox_count(st);
	assert_int_equal(journey_mark_next(st, j, 3, MARK_BLOCKED, "Không nhận được OTP", &cause), 0);
	assert_int_equal(j->state, SESSION_FINISHED);
	assert_int_equal(j->marks[3], MARK_BLOCKED);
	assert_int_equal(test_outbox_count(st), before + 2);
	ev = last_event(st, "session.finished");
	assert_string_equal(field_str(ev, "outcome"), "blocked");
	assert_int_equal(field_int(ev, "done"), 2);
	assert_int_equal(field_int(ev, "skipped"), 1);
	assert_int_equal(field_int(ev, "blocked"), 1);
	json_object_put(ev);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "state = 'finished' AND outcome = 'blocked' AND finished_at IS NOT NULL", j->id), 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM marks WHERE session_id = '%s' AND "
	    "step_index = 3 AND mark = 'blocked'", j->id), 1);
	REFUSED_NO_MARK(st, journey_mark_next(st, j, 3, MARK_DONE, NULL, CAUSE), "");
	journey_free(j);
	library_free(&lib);
	store_close(st);
}

/*
 * A resident and their first session from one key: changes made inside an
 * open transaction join it, show nowhere until the outer commit, and a
 * rollback takes all of them back.
 */
static void
test_joined_change(void **state)
{
	struct store *st = test_store("journey-joined.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	struct resident r = { 0 };
	struct journey *j = NULL;
	char *cause = NULL;
	int64_t before = test_outbox_count(st);

	assert_int_equal(store_begin(st, &cause), 0);
	assert_int_equal(people_resident_add(st, "Bà Hai", 0, SEX_UNSAID, NULL, NULL, 1, &r, &cause), 0);
	assert_int_equal(journey_start(st, cl, r.id, 0, &j, &cause), 0);
	/* Nothing is committed yet: another reader sees neither. */
	assert_int_equal(test_outbox_count(st), before);
	store_rollback(st);
	assert_int_equal(test_outbox_count(st), before);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents"), 0);
	journey_free(j);
	people_resident_clear(&r);

	assert_int_equal(store_begin(st, &cause), 0);
	assert_int_equal(people_resident_add(st, "Bà Hai", 0, SEX_UNSAID, NULL, NULL, 1, &r, &cause), 0);
	assert_int_equal(journey_start(st, cl, r.id, 0, &j, &cause), 0);
	assert_int_equal(store_commit(st, &cause), 0);
	assert_int_equal(test_outbox_count(st), before + 2);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE resident_id = '%s'", r.id), 1);
	/* And a plain change after it is its own transaction again. */
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(test_outbox_count(st), before + 3);
	journey_free(j);
	people_resident_clear(&r);
	library_free(&lib);
	store_close(st);
}

static void
test_pinned_version(void **state)
{
	struct store *st = test_store("journey-pinned.db");
	struct library lib, v2 = { 0 }, newest;
	const struct checklist *cl = basic(&lib, st);
	struct journey *old, *fresh;
	char *cause = NULL, id[UUID_STR_LEN];
	int added;

	assert_int_equal(journey_start(st, cl, NULL, 0, &old, &cause), 0);
	assert_int_equal(journey_mark(st, old, 0, MARK_DONE, NULL, &cause), 0);
	memcpy(id, old->id, sizeof id);
	journey_free(old);

	v2.items = xmalloc(sizeof *v2.items);
	v2.items[0] = basic_v2();
	v2.n = 1;
	assert_int_equal(content_store_install(st, &v2, &added, &cause), 0);
	assert_int_equal(added, 1);
	library_free(&v2);

	/* The running session keeps the version it started on. */
	assert_int_equal(journey_load(st, id, &old, &cause), 0);
	assert_int_equal(old->checklist->version, 1);
	assert_int_equal(old->checklist->nsteps, 4);
	assert_int_equal(old->marks[0], MARK_DONE);

	/* A new session takes the newest. */
	assert_int_equal(content_store_load(st, &newest, &cause), 0);
	const struct checklist *cl2 = library_find(&newest, "test-basic");
	assert_non_null(cl2);
	assert_int_equal(cl2->version, 2);
	assert_int_equal(journey_start(st, cl2, NULL, 0, &fresh, &cause), 0);
	assert_int_equal(fresh->checklist->version, 2);
	assert_int_equal(fresh->checklist->nsteps, 5);
	assert_int_equal(test_sql_int(st, "SELECT checklist_version FROM sessions WHERE id = '%s'",
	    fresh->id), 2);
	assert_int_equal(journey_mark(st, fresh, 4, MARK_DONE, NULL, &cause), 0);

	/* The old one can still be finished with its four steps. */
	REFUSED_NO_MARK(st, journey_mark(st, old, 4, MARK_DONE, NULL, CAUSE), "danh mục có 4 bước");
	for (int i = 1; i < 4; i++)
		assert_int_equal(journey_mark(st, old, i, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_finish(st, old, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "outcome = 'completed'", id), 1);

	journey_free(fresh);
	journey_free(old);
	library_free(&newest);
	library_free(&lib);
	store_close(st);
	(void)state;
}

static void
test_list_open(void **state)
{
	struct store *st = test_store("journey-list.db");
	struct library lib;
	const struct checklist *cl = basic(&lib, st);
	const struct checklist *next = library_find(&lib, "test-next");
	struct resident r1, r2;
	struct journey *a, *b, *c;
	struct journey_brief *v;
	size_t n;
	char *cause = NULL;

	assert_non_null(next);
	assert_int_equal(people_resident_add(st, "Bà Năm", 1950, SEX_FEMALE, NULL, NULL, 1, &r1,
	    &cause), 0);
	assert_int_equal(people_resident_add(st, "Ông Sáu", 1948, SEX_MALE, NULL, NULL, 1, &r2,
	    &cause), 0);

	/* r1: test-basic with two steps marked (one re-marked, one undone); r1: test-next paused. */
	assert_int_equal(journey_start(st, cl, r1.id, 0, &a, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM sessions WHERE id = '%s' AND "
	    "resident_id = '%s'", a->id, r1.id), 1);
	assert_int_equal(journey_mark(st, a, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, a, 0, MARK_SKIPPED, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, a, 1, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_mark(st, a, 2, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_undo(st, a, &cause), 0);
	util_clock_offset_ms(1000);
	assert_int_equal(journey_start(st, next, r1.id, 0, &b, &cause), 0);
	assert_int_equal(journey_mark(st, b, 0, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_pause(st, b, &cause), 0);
	/* r2: finished, so not open. */
	util_clock_offset_ms(1000);
	assert_int_equal(journey_start(st, cl, r2.id, 0, &c, &cause), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(journey_mark(st, c, i, MARK_DONE, NULL, &cause), 0);
	assert_int_equal(journey_finish(st, c, &cause), 0);

	assert_int_equal(journey_list_open(st, NULL, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	/* Newest first. */
	assert_string_equal(v[0].id, b->id);
	assert_string_equal(v[0].resident_id, r1.id);
	assert_string_equal(v[0].checklist_id, "test-next");
	assert_int_equal(v[0].version, 2);
	assert_int_equal(v[0].state, SESSION_PAUSED);
	assert_int_equal(v[0].done, 1);
	assert_int_equal(v[0].nsteps, 3);
	assert_string_equal(v[1].id, a->id);
	assert_string_equal(v[1].checklist_id, "test-basic");
	assert_int_equal(v[1].state, SESSION_ACTIVE);
	assert_int_equal(v[1].done, 2);
	assert_int_equal(v[1].nsteps, 4);
	journey_briefs_free(v, n);

	assert_int_equal(journey_list_open(st, r1.id, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	journey_briefs_free(v, n);
	assert_int_equal(journey_list_open(st, r2.id, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	journey_briefs_free(v, n);

	/* The count is of every open session, past the 200 the list shows. */
	int64_t open = 0;
	assert_int_equal(journey_count_open(st, &open, &cause), 0);
	assert_int_equal(open, 2);
	util_clock_offset_ms(-10000);	/* older than a and b */
	for (int i = 0; i < 250; i++) {
		struct journey *o;
		assert_int_equal(journey_start(st, cl, NULL, 0, &o, &cause), 0);
		journey_free(o);
	}
	util_clock_offset_ms(10000);
	assert_int_equal(journey_count_open(st, &open, &cause), 0);
	assert_int_equal(open, 252);
	assert_int_equal(journey_list_open(st, NULL, &v, &n, &cause), 0);
	assert_int_equal(n, 200);
	assert_string_equal(v[0].id, b->id);	/* still the newest first */
	assert_int_equal(v[199].nsteps, 4);
	journey_briefs_free(v, n);

	util_clock_offset_ms(-2000);
	journey_free(a);
	journey_free(b);
	journey_free(c);
	people_resident_clear(&r1);
	people_resident_clear(&r2);
	library_free(&lib);
	store_close(st);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_note_and_goto),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_mark_next),
		cmocka_unit_test(test_joined_change),
		cmocka_unit_test(test_pinned_version),
		cmocka_unit_test(test_list_open),
	};
	return cmocka_run_group_tests_name("journey", tests, NULL, NULL);
}
