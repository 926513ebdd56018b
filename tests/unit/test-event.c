/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-event.c: the event vocabulary — the wire names kiosks in the field
 * already send (they must never change), and every payload read back as it
 * was built, including what an older or broken kiosk may send.
 */
#include <string.h>

#include <json-c/json.h>

#include "event.h"
#include "helpers.h"

/* The names on the wire, as sync/PROTOCOL.md lists them. */
static void
test_names(void **state)
{
	static const struct { enum event_type t; const char *name; } want[] = {
		{ EVENT_RESIDENT_ADDED, "resident.added" },
		{ EVENT_SESSION_STARTED, "session.started" },
		{ EVENT_STEP_MARKED, "step.marked" },
		{ EVENT_STEP_UNDONE, "step.undone" },
		{ EVENT_SESSION_MOVED, "session.moved" },
		{ EVENT_NOTE_ADDED, "note.added" },
		{ EVENT_SESSION_PAUSED, "session.paused" },
		{ EVENT_SESSION_RESUMED, "session.resumed" },
		{ EVENT_SESSION_FINISHED, "session.finished" },
		{ EVENT_VOLUNTEER_ADDED, "volunteer.added" },
		{ EVENT_VOLUNTEER_CHANGED, "volunteer.changed" },
	};

	assert_int_equal(sizeof want / sizeof want[0], EVENT_NTYPES - 1);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(event_name(want[i].t), want[i].name);
		assert_int_equal(event_type_parse(want[i].name), want[i].t);
	}
	assert_int_equal(event_type_parse("step.marked2"), EVENT_UNKNOWN);
	assert_int_equal(event_type_parse(""), EVENT_UNKNOWN);
	assert_int_equal(event_type_parse(NULL), EVENT_UNKNOWN);
	assert_string_equal(event_name(EVENT_NTYPES), "");
	(void)state;
}

/* A payload as the server receives it: through its JSON text. */
static json_object *
wire(json_object *o)
{
	json_object *back = json_tokener_parse(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));

	json_object_put(o);
	assert_non_null(back);
	return back;
}

static void
test_resident(void **state)
{
	struct event_resident r;
	struct event_buf b;
	json_object *o = wire(event_build_resident(&(struct event_resident){ .resident = "r-1",
	    .birth_year = 1957, .sex = "f", .hamlet = "Thôn Đông" }));

	assert_int_equal(event_read_resident(o, &r, &b), 0);
	assert_string_equal(r.resident, "r-1");
	assert_int_equal(r.birth_year, 1957);
	assert_string_equal(r.sex, "f");
	assert_string_equal(r.hamlet, "Thôn Đông");
	/* Never a name or a phone on the wire. */
	assert_int_equal(json_object_object_length(o), 4);
	json_object_put(o);

	/* Optional fields left out travel as null and read back as none. */
	o = wire(event_build_resident(&(struct event_resident){ .resident = "r-2", .sex = "" }));
	assert_int_equal(event_read_resident(o, &r, &b), 0);
	assert_int_equal(r.birth_year, 0);
	assert_null(r.sex);
	assert_null(r.hamlet);
	json_object_put(o);
	(void)state;
}

static void
test_session_start(void **state)
{
	struct event_session_start r;
	struct event_buf b;
	json_object *o = wire(event_build_session_start(&(struct event_session_start){
	    .session = "s-1", .resident = "r-1", .checklist = "vneid", .version = 3,
	    .category = "public_services", .volunteer = 7 }));

	assert_int_equal(event_read_session_start(o, &r, &b), 0);
	assert_string_equal(r.session, "s-1");
	assert_string_equal(r.resident, "r-1");
	assert_string_equal(r.checklist, "vneid");
	assert_int_equal(r.version, 3);
	assert_string_equal(r.category, "public_services");
	assert_int_equal(r.volunteer, 7);
	json_object_put(o);

	/* Someone working alone, no volunteer logged in. */
	o = wire(event_build_session_start(&(struct event_session_start){ .session = "s-2",
	    .checklist = "vneid", .version = 1, .category = "public_services" }));
	assert_int_equal(event_read_session_start(o, &r, &b), 0);
	assert_null(r.resident);
	assert_int_equal(r.volunteer, 0);
	json_object_put(o);
	(void)state;
}

static void
test_step(void **state)
{
	struct event_step r;
	struct event_buf b;
	json_object *o = wire(event_build_step(&(struct event_step){ .session = "s-1",
	    .checklist = "vneid", .step = "otp", .index = 4, .mark = EVENT_MARK_BLOCKED,
	    .reason = "Không có sóng" }));

	assert_int_equal(event_read_step(o, &r, &b), 0);
	assert_string_equal(r.session, "s-1");
	assert_string_equal(r.checklist, "vneid");
	assert_string_equal(r.step, "otp");
	assert_int_equal(r.index, 4);
	assert_string_equal(r.mark, "blocked");
	assert_string_equal(r.reason, "Không có sóng");
	json_object_put(o);

	/* A mark without a reason has no reason key at all. */
	o = wire(event_build_step(&(struct event_step){ .session = "s-1", .checklist = "c",
	    .step = "a", .index = 0, .mark = EVENT_MARK_DONE }));
	assert_false(json_object_object_get_ex(o, "reason", NULL));
	assert_int_equal(event_read_step(o, &r, &b), 0);
	assert_null(r.reason);
	json_object_put(o);
	(void)state;
}

static void
test_session_and_finish(void **state)
{
	struct event_session r;
	struct event_session_finish f;
	struct event_buf b;
	json_object *o = wire(event_build_session(&(struct event_session){ .session = "s-1",
	    .index = 2 }));

	assert_int_equal(event_read_session(o, &r, &b), 0);
	assert_string_equal(r.session, "s-1");
	assert_int_equal(r.index, 2);
	json_object_put(o);
	/* Pause and resume carry no step. */
	o = wire(event_build_session(&(struct event_session){ .session = "s-1", .index = -1 }));
	assert_int_equal(json_object_object_length(o), 1);
	assert_int_equal(event_read_session(o, &r, &b), 0);
	assert_int_equal(r.index, -1);
	json_object_put(o);

	o = wire(event_build_session_finish(&(struct event_session_finish){ .session = "s-1",
	    .checklist = "vneid", .outcome = EVENT_OUTCOME_COMPLETED, .done = 5, .skipped = 1,
	    .blocked = 0 }));
	assert_int_equal(event_read_session_finish(o, &f, &b), 0);
	assert_string_equal(f.outcome, "completed");
	assert_int_equal(f.done, 5);
	assert_int_equal(f.skipped, 1);
	assert_int_equal(f.blocked, 0);
	json_object_put(o);
	(void)state;
}

static void
test_volunteer(void **state)
{
	struct event_volunteer r;
	struct event_buf b;
	json_object *o = wire(event_build_volunteer(&(struct event_volunteer){ .volunteer = 3,
	    .role = "supervisor", .disabled = 1 }));

	assert_int_equal(event_read_volunteer(o, &r, &b), 0);
	assert_int_equal(r.volunteer, 3);
	assert_string_equal(r.role, "supervisor");
	assert_int_equal(r.disabled, 1);
	json_object_put(o);
	(void)state;
}

/* What a broken or older kiosk may send: the reader says so, or reads what it can. */
static void
test_read_odd_payloads(void **state)
{
	struct event_step s;
	struct event_session_start ss;
	struct event_resident r;
	struct event_buf b;
	json_object *o;

	/* Not an object, or no session: refused. */
	o = json_tokener_parse("[1, 2]");
	assert_int_equal(event_read_step(o, &s, &b), -1);
	json_object_put(o);
	assert_int_equal(event_read_step(NULL, &s, &b), -1);
	o = json_tokener_parse("{\"step\": \"a\", \"mark\": \"blocked\"}");
	assert_int_equal(event_read_step(o, &s, &b), -1);
	json_object_put(o);
	o = json_tokener_parse("{\"resident\": null}");
	assert_int_equal(event_read_resident(o, &r, &b), -1);
	json_object_put(o);

	/* Ids sent as numbers read as their text; fields of the wrong type as none. */
	o = json_tokener_parse("{\"session\": 42, \"checklist\": 7, \"step\": 12, \"mark\": true,"
	    " \"index\": \"3\", \"reason\": 5}");
	assert_int_equal(event_read_step(o, &s, &b), 0);
	assert_string_equal(s.session, "42");
	assert_string_equal(s.checklist, "7");
	assert_string_equal(s.step, "12");
	assert_string_equal(s.reason, "5");
	assert_null(s.mark);
	assert_int_equal(s.index, -1);
	json_object_put(o);

	/* A version past what an int holds is no version. */
	o = json_tokener_parse("{\"session\": \"s\", \"version\": 99999999999, \"volunteer\": \"x\"}");
	assert_int_equal(event_read_session_start(o, &ss, &b), 0);
	assert_int_equal(ss.version, 0);
	assert_int_equal(ss.volunteer, 0);
	json_object_put(o);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_resident),
		cmocka_unit_test(test_session_start),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_session_and_finish),
		cmocka_unit_test(test_volunteer),
		cmocka_unit_test(test_read_odd_payloads),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
