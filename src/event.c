/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.c: the event vocabulary — wire names, payload keys, builders and
 * readers (see event.h). Pure: json-c only, so the server links it too.
 */
#include <stddef.h>
#include <stdint.h>
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

/* Payloads ----------------------------------------------------------------- */

/*
 * Each payload record as a table of its fields, in the order they are sent:
 * the builders and the readers walk the same table, so a key and how it is
 * sent and read are written once.
 */
enum field_kind {
	F_STR,		/* const char *: "" and NULL are sent as null */
	F_INT,		/* int */
	F_INT64,	/* int64_t, never clamped */
	F_BOOL,		/* int, sent as true or false */
};

enum field_flags {
	F_REQUIRED = 1,		/* the reader fails without it (a string) or unless > 0 */
	F_NULL_ZERO = 2,	/* sent as null when 0 */
	F_NULL_UNSET = 4,	/* sent as null when <= 0 */
	F_OMIT_UNSET = 8,	/* left out when NULL (a string) or < 0 (a number) */
	F_UNSET_NEG = 16,	/* reads as -1, not 0, when absent or out of range */
};

struct field {
	const char	*key;
	enum field_kind	 kind;
	int		 flags;
	size_t		 off;		/* in the record */
};

#define FIELD(rec, member, key, kind, flags) \
	{ key, kind, flags, offsetof(struct rec, member) }
#define NFIELDS(t)	(sizeof t / sizeof t[0])

static const struct field resident_fields[] = {
	FIELD(event_resident, resident, K_RESIDENT, F_STR, F_REQUIRED),
	FIELD(event_resident, birth_year, K_BIRTH_YEAR, F_INT, F_NULL_ZERO),
	FIELD(event_resident, sex, K_SEX, F_STR, 0),
	FIELD(event_resident, hamlet, K_HAMLET, F_STR, 0),
};

static const struct field session_start_fields[] = {
	FIELD(event_session_start, session, K_SESSION, F_STR, F_REQUIRED),
	FIELD(event_session_start, resident, K_RESIDENT, F_STR, 0),
	FIELD(event_session_start, checklist, K_CHECKLIST, F_STR, 0),
	FIELD(event_session_start, version, K_VERSION, F_INT, 0),
	FIELD(event_session_start, category, K_CATEGORY, F_STR, 0),
	FIELD(event_session_start, volunteer, K_VOLUNTEER, F_INT64, F_NULL_UNSET),
};

static const struct field step_fields[] = {
	FIELD(event_step, session, K_SESSION, F_STR, F_REQUIRED),
	FIELD(event_step, checklist, K_CHECKLIST, F_STR, 0),
	FIELD(event_step, step, K_STEP, F_STR, 0),
	FIELD(event_step, index, K_INDEX, F_INT, F_UNSET_NEG),
	FIELD(event_step, mark, K_MARK, F_STR, 0),
	FIELD(event_step, reason, K_REASON, F_STR, F_OMIT_UNSET),
};

static const struct field session_fields[] = {
	FIELD(event_session, session, K_SESSION, F_STR, F_REQUIRED),
	FIELD(event_session, index, K_INDEX, F_INT, F_OMIT_UNSET | F_UNSET_NEG),
};

static const struct field session_finish_fields[] = {
	FIELD(event_session_finish, session, K_SESSION, F_STR, F_REQUIRED),
	FIELD(event_session_finish, checklist, K_CHECKLIST, F_STR, 0),
	FIELD(event_session_finish, outcome, K_OUTCOME, F_STR, 0),
	FIELD(event_session_finish, done, K_DONE, F_INT, 0),
	FIELD(event_session_finish, skipped, K_SKIPPED, F_INT, 0),
	FIELD(event_session_finish, blocked, K_BLOCKED, F_INT, 0),
};

static const struct field volunteer_fields[] = {
	FIELD(event_volunteer, volunteer, K_VOLUNTEER, F_INT64, F_REQUIRED),
	FIELD(event_volunteer, role, K_ROLE, F_STR, 0),
	FIELD(event_volunteer, disabled, K_DISABLED, F_BOOL, 0),
};

/* Builders ---------------------------------------------------------------- */

static json_object *
build(const struct field *f, size_t n, const void *rec)
{
	json_object *o = json_object_new_object(), *v;

	for (; n > 0; f++, n--) {
		const char *at = (const char *)rec + f->off;
		int64_t x = 0;

		if (f->kind == F_STR) {
			const char *s = *(const char *const *)at;

			if (s == NULL && (f->flags & F_OMIT_UNSET))
				continue;
			/* The key stays when there is no value, as the kiosk always sent it. */
			json_object_object_add(o, f->key, s != NULL && *s != '\0' ?
			    json_object_new_string(s) : NULL);
			continue;
		}
		x = f->kind == F_INT64 ? *(const int64_t *)at : *(const int *)at;
		if (x < 0 && (f->flags & F_OMIT_UNSET))
			continue;
		if ((x == 0 && (f->flags & F_NULL_ZERO)) || (x <= 0 && (f->flags & F_NULL_UNSET)))
			v = NULL;
		else if (f->kind == F_INT64)
			v = json_object_new_int64(x);
		else if (f->kind == F_BOOL)
			v = json_object_new_boolean((json_bool)x);
		else
			v = json_object_new_int((int32_t)x);
		json_object_object_add(o, f->key, v);
	}
	return o;
}

json_object *
event_build_resident(const struct event_resident *e)
{
	return build(resident_fields, NFIELDS(resident_fields), e);
}

json_object *
event_build_session_start(const struct event_session_start *e)
{
	return build(session_start_fields, NFIELDS(session_start_fields), e);
}

json_object *
event_build_step(const struct event_step *e)
{
	return build(step_fields, NFIELDS(step_fields), e);
}

json_object *
event_build_session(const struct event_session *e)
{
	return build(session_fields, NFIELDS(session_fields), e);
}

json_object *
event_build_session_finish(const struct event_session_finish *e)
{
	return build(session_finish_fields, NFIELDS(session_finish_fields), e);
}

json_object *
event_build_volunteer(const struct event_volunteer *e)
{
	return build(volunteer_fields, NFIELDS(volunteer_fields), e);
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

/*
 * Fills the record (size bytes) from o by the table; strings that were
 * numbers go to b's slots in turn. -1 when o is not an object or a
 * required field is missing.
 */
static int
read_fields(json_object *o, const struct field *f, size_t n, void *rec, size_t size,
    struct event_buf *b)
{
	json_object *v;
	size_t slot = 0;
	int ok = 1;

	memset(rec, 0, size);
	if (o == NULL || !json_object_is_type(o, json_type_object))
		return -1;
	for (; n > 0; f++, n--) {
		char *at = (char *)rec + f->off;
		int dflt = f->flags & F_UNSET_NEG ? -1 : 0;

		switch (f->kind) {
		case F_STR:
			*(const char **)at = get_str(o, f->key, b->text[slot++]);
			if ((f->flags & F_REQUIRED) && *(const char **)at == NULL)
				ok = 0;
			break;
		case F_INT:
			*(int *)at = clamp_int(get_int(o, f->key, dflt), dflt);
			break;
		case F_INT64:
			*(int64_t *)at = get_int(o, f->key, 0);
			if ((f->flags & F_REQUIRED) && *(int64_t *)at <= 0)
				ok = 0;
			break;
		case F_BOOL:
			*(int *)at = json_object_object_get_ex(o, f->key, &v) &&
			    json_object_get_boolean(v);
			break;
		}
	}
	return ok ? 0 : -1;
}

int
event_read_resident(json_object *o, struct event_resident *e, struct event_buf *b)
{
	return read_fields(o, resident_fields, NFIELDS(resident_fields), e, sizeof *e, b);
}

int
event_read_session_start(json_object *o, struct event_session_start *e, struct event_buf *b)
{
	return read_fields(o, session_start_fields, NFIELDS(session_start_fields), e,
	    sizeof *e, b);
}

int
event_read_step(json_object *o, struct event_step *e, struct event_buf *b)
{
	return read_fields(o, step_fields, NFIELDS(step_fields), e, sizeof *e, b);
}

int
event_read_session(json_object *o, struct event_session *e, struct event_buf *b)
{
	return read_fields(o, session_fields, NFIELDS(session_fields), e, sizeof *e, b);
}

int
event_read_session_finish(json_object *o, struct event_session_finish *e, struct event_buf *b)
{
	return read_fields(o, session_finish_fields, NFIELDS(session_finish_fields), e,
	    sizeof *e, b);
}

int
event_read_volunteer(json_object *o, struct event_volunteer *e, struct event_buf *b)
{
	return read_fields(o, volunteer_fields, NFIELDS(volunteer_fields), e, sizeof *e, b);
}
