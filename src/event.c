/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.c: the event vocabulary — wire names, payload keys, builders and
 * readers (see event.h). Pure: json-c only, so the server links it too.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "event.h"

static const char *const names[EVENT_NTYPES] = {
	[EVENT_UNKNOWN]			= "",
	[EVENT_RESIDENT_ADDED]		= "resident.added",
	[EVENT_SESSION_STARTED]		= "session.started",
	[EVENT_STEP_MARKED]		= "step.marked",
	[EVENT_STEP_UNDONE]		= "step.undone",
	[EVENT_SESSION_MOVED]		= "session.moved",
	[EVENT_NOTE_ADDED]		= "note.added",
	[EVENT_SESSION_PAUSED]		= "session.paused",
	[EVENT_SESSION_RESUMED]		= "session.resumed",
	[EVENT_SESSION_FINISHED]	= "session.finished",
	[EVENT_VOLUNTEER_ADDED]		= "volunteer.added",
	[EVENT_VOLUNTEER_CHANGED]	= "volunteer.changed",
};

/* Payload keys. */
#define K_RESIDENT	"resident"
#define K_BIRTH_YEAR	"birth_year"
#define K_SEX		"sex"
#define K_HAMLET	"hamlet"
#define K_SESSION	"session"
#define K_CHECKLIST	"checklist"
#define K_VERSION	"version"
#define K_CATEGORY	"category"
#define K_VOLUNTEER	"volunteer"
#define K_STEP		"step"
#define K_INDEX		"index"
#define K_MARK		"mark"
#define K_REASON	"reason"
#define K_OUTCOME	"outcome"
#define K_DONE		"done"
#define K_SKIPPED	"skipped"
#define K_BLOCKED	"blocked"
#define K_ROLE		"role"
#define K_DISABLED	"disabled"

const char *
event_name(enum event_type t)
{
	return (unsigned)t < EVENT_NTYPES ? names[t] : "";
}

enum event_type
event_type_parse(const char *s)
{
	if (s == NULL)
		return EVENT_UNKNOWN;
	for (int t = EVENT_UNKNOWN + 1; t < EVENT_NTYPES; t++)
		if (strcmp(s, names[t]) == 0)
			return t;
	return EVENT_UNKNOWN;
}

/* Builders ---------------------------------------------------------------- */

/* A string, or null when there is none (the key stays, as the kiosk always sent it). */
static void
put_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v != NULL && *v != '\0' ? json_object_new_string(v) : NULL);
}

json_object *
event_build_resident(const struct event_resident *e)
{
	json_object *o = json_object_new_object();

	put_str(o, K_RESIDENT, e->resident);
	json_object_object_add(o, K_BIRTH_YEAR, e->birth_year ?
	    json_object_new_int(e->birth_year) : NULL);
	put_str(o, K_SEX, e->sex);
	put_str(o, K_HAMLET, e->hamlet);
	return o;
}

json_object *
event_build_session_start(const struct event_session_start *e)
{
	json_object *o = json_object_new_object();

	put_str(o, K_SESSION, e->session);
	put_str(o, K_RESIDENT, e->resident);
	put_str(o, K_CHECKLIST, e->checklist);
	json_object_object_add(o, K_VERSION, json_object_new_int(e->version));
	put_str(o, K_CATEGORY, e->category);
	json_object_object_add(o, K_VOLUNTEER, e->volunteer > 0 ?
	    json_object_new_int64(e->volunteer) : NULL);
	return o;
}

json_object *
event_build_step(const struct event_step *e)
{
	json_object *o = json_object_new_object();

	put_str(o, K_SESSION, e->session);
	put_str(o, K_CHECKLIST, e->checklist);
	put_str(o, K_STEP, e->step);
	json_object_object_add(o, K_INDEX, json_object_new_int(e->index));
	put_str(o, K_MARK, e->mark);
	if (e->reason != NULL)
		put_str(o, K_REASON, e->reason);
	return o;
}

json_object *
event_build_session(const struct event_session *e)
{
	json_object *o = json_object_new_object();

	put_str(o, K_SESSION, e->session);
	if (e->index >= 0)
		json_object_object_add(o, K_INDEX, json_object_new_int(e->index));
	return o;
}

json_object *
event_build_session_finish(const struct event_session_finish *e)
{
	json_object *o = json_object_new_object();

	put_str(o, K_SESSION, e->session);
	put_str(o, K_CHECKLIST, e->checklist);
	put_str(o, K_OUTCOME, e->outcome);
	json_object_object_add(o, K_DONE, json_object_new_int(e->done));
	json_object_object_add(o, K_SKIPPED, json_object_new_int(e->skipped));
	json_object_object_add(o, K_BLOCKED, json_object_new_int(e->blocked));
	return o;
}

json_object *
event_build_volunteer(const struct event_volunteer *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, K_VOLUNTEER, json_object_new_int64(e->volunteer));
	put_str(o, K_ROLE, e->role);
	json_object_object_add(o, K_DISABLED, json_object_new_boolean(e->disabled));
	return o;
}

/* Readers ----------------------------------------------------------------- */

/* A field as text, whether the kiosk sent a string or a number (kept in slot). */
static const char *
get_str(json_object *o, const char *key, char slot[24])
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (json_object_is_type(v, json_type_int)) {
		snprintf(slot, 24, "%lld", (long long)json_object_get_int64(v));
		return slot;
	}
	return NULL;
}

/* A whole number, or dflt when absent or not a number. */
static int64_t
get_int(json_object *o, const char *key, int64_t dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL ||
	    !json_object_is_type(v, json_type_int))
		return dflt;
	return json_object_get_int64(v);
}

static int
clamp_int(int64_t v, int dflt)
{
	return v < -2147483647 || v > 2147483647 ? dflt : (int)v;
}

static int
is_object(json_object *o)
{
	return o != NULL && json_object_is_type(o, json_type_object);
}

int
event_read_resident(json_object *o, struct event_resident *e, struct event_buf *b)
{
	memset(e, 0, sizeof *e);
	if (!is_object(o))
		return -1;
	e->resident = get_str(o, K_RESIDENT, b->text[0]);
	e->birth_year = clamp_int(get_int(o, K_BIRTH_YEAR, 0), 0);
	e->sex = get_str(o, K_SEX, b->text[1]);
	e->hamlet = get_str(o, K_HAMLET, b->text[2]);
	return e->resident != NULL ? 0 : -1;
}

int
event_read_session_start(json_object *o, struct event_session_start *e, struct event_buf *b)
{
	memset(e, 0, sizeof *e);
	if (!is_object(o))
		return -1;
	e->session = get_str(o, K_SESSION, b->text[0]);
	e->resident = get_str(o, K_RESIDENT, b->text[1]);
	e->checklist = get_str(o, K_CHECKLIST, b->text[2]);
	e->version = clamp_int(get_int(o, K_VERSION, 0), 0);
	e->category = get_str(o, K_CATEGORY, b->text[3]);
	e->volunteer = get_int(o, K_VOLUNTEER, 0);
	return e->session != NULL ? 0 : -1;
}

int
event_read_step(json_object *o, struct event_step *e, struct event_buf *b)
{
	memset(e, 0, sizeof *e);
	if (!is_object(o))
		return -1;
	e->session = get_str(o, K_SESSION, b->text[0]);
	e->checklist = get_str(o, K_CHECKLIST, b->text[1]);
	e->step = get_str(o, K_STEP, b->text[2]);
	e->index = clamp_int(get_int(o, K_INDEX, -1), -1);
	e->mark = get_str(o, K_MARK, b->text[3]);
	e->reason = get_str(o, K_REASON, b->text[4]);
	return e->session != NULL ? 0 : -1;
}

int
event_read_session(json_object *o, struct event_session *e, struct event_buf *b)
{
	memset(e, 0, sizeof *e);
	if (!is_object(o))
		return -1;
	e->session = get_str(o, K_SESSION, b->text[0]);
	e->index = clamp_int(get_int(o, K_INDEX, -1), -1);
	return e->session != NULL ? 0 : -1;
}

int
event_read_session_finish(json_object *o, struct event_session_finish *e, struct event_buf *b)
{
	memset(e, 0, sizeof *e);
	if (!is_object(o))
		return -1;
	e->session = get_str(o, K_SESSION, b->text[0]);
	e->checklist = get_str(o, K_CHECKLIST, b->text[1]);
	e->outcome = get_str(o, K_OUTCOME, b->text[2]);
	e->done = clamp_int(get_int(o, K_DONE, 0), 0);
	e->skipped = clamp_int(get_int(o, K_SKIPPED, 0), 0);
	e->blocked = clamp_int(get_int(o, K_BLOCKED, 0), 0);
	return e->session != NULL ? 0 : -1;
}

int
event_read_volunteer(json_object *o, struct event_volunteer *e, struct event_buf *b)
{
	json_object *v;

	memset(e, 0, sizeof *e);
	if (!is_object(o))
		return -1;
	e->volunteer = get_int(o, K_VOLUNTEER, 0);
	e->role = get_str(o, K_ROLE, b->text[0]);
	e->disabled = json_object_object_get_ex(o, K_DISABLED, &v) && json_object_get_boolean(v);
	return e->volunteer > 0 ? 0 : -1;
}
