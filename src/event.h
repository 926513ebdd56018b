/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.h: the events a kiosk records and the server reads, written once.
 * Each type has its wire name ("step.marked") and a payload record; the
 * kiosk builds a payload with event_build_*() and the server reads one
 * back with event_read_*(). The wire names and payload keys appear nowhere
 * else, so changing one side changes the other (sync/PROTOCOL.md documents
 * the same table for people).
 */
#ifndef SOTAY_EVENT_H
#define SOTAY_EVENT_H

#include <stdint.h>

struct json_object;

enum event_type {
	EVENT_UNKNOWN = 0,		/* a type this version does not know */
	EVENT_RESIDENT_ADDED,
	EVENT_SESSION_STARTED,
	EVENT_STEP_MARKED,
	EVENT_STEP_UNDONE,
	EVENT_SESSION_MOVED,
	EVENT_NOTE_ADDED,
	EVENT_SESSION_PAUSED,
	EVENT_SESSION_RESUMED,
	EVENT_SESSION_FINISHED,
	EVENT_VOLUNTEER_ADDED,
	EVENT_VOLUNTEER_CHANGED,
	EVENT_NTYPES
};

const char	*event_name(enum event_type);		/* "step.marked"; "" for UNKNOWN */
enum event_type	 event_type_parse(const char *);	/* EVENT_UNKNOWN if not one */

/* Values of a step's mark and of a session's outcome, as sent. */
#define EVENT_MARK_TODO		"todo"
#define EVENT_MARK_DONE		"done"
#define EVENT_MARK_SKIPPED	"skipped"
#define EVENT_MARK_BLOCKED	"blocked"
#define EVENT_OUTCOME_COMPLETED	"completed"
#define EVENT_OUTCOME_BLOCKED	"blocked"

/*
 * Payload records. Strings are borrowed: a builder copies them, a reader
 * points them into the payload it read (valid while that payload lives).
 * NULL strings and 0 numbers marked "optional" are left out or sent as null.
 */
struct event_resident {		/* resident.added: never a name or a phone */
	const char	*resident;	/* the pseudonymous id */
	int		 birth_year;	/* optional */
	const char	*sex;		/* optional: "f", "m"… */
	const char	*hamlet;	/* optional */
};

struct event_session_start {	/* session.started */
	const char	*session;
	const char	*resident;	/* optional */
	const char	*checklist;
	int		 version;
	const char	*category;
	int64_t		 volunteer;	/* optional: the kiosk-local number */
};

struct event_step {		/* step.marked and step.undone */
	const char	*session;
	const char	*checklist;
	const char	*step;		/* the step's id */
	int		 index;		/* 0-based */
	const char	*mark;		/* marked: the mark; undone: the mark taken back */
	const char	*reason;	/* optional: why blocked */
};

struct event_session {		/* session.moved, note.added, .paused, .resumed */
	const char	*session;
	int		 index;		/* moved, note.added: the step; else -1 */
};

struct event_session_finish {	/* session.finished */
	const char	*session;
	const char	*checklist;
	const char	*outcome;	/* "completed" or "blocked" */
	int		 done, skipped, blocked;
};

struct event_volunteer {	/* volunteer.added and volunteer.changed */
	int64_t		 volunteer;	/* the kiosk-local number */
	const char	*role;
	int		 disabled;
};

/* Builders: a new payload the caller owns (store_event takes it). */
struct json_object *event_build_resident(const struct event_resident *);
struct json_object *event_build_session_start(const struct event_session_start *);
struct json_object *event_build_step(const struct event_step *);
struct json_object *event_build_session(const struct event_session *);
struct json_object *event_build_session_finish(const struct event_session_finish *);
struct json_object *event_build_volunteer(const struct event_volunteer *);

/*
 * Readers: fill the record from a payload; 0, or -1 when the payload is
 * not an object or lacks a field the type requires (the ids). Optional
 * fields that are absent or of the wrong JSON type read as NULL / 0 / -1.
 * Ids a kiosk sent as numbers read as their decimal text in buf.
 */
struct event_buf { char text[6][24]; };
int	 event_read_resident(struct json_object *, struct event_resident *, struct event_buf *);
int	 event_read_session_start(struct json_object *, struct event_session_start *,
	     struct event_buf *);
int	 event_read_step(struct json_object *, struct event_step *, struct event_buf *);
int	 event_read_session(struct json_object *, struct event_session *, struct event_buf *);
int	 event_read_session_finish(struct json_object *, struct event_session_finish *,
	     struct event_buf *);
int	 event_read_volunteer(struct json_object *, struct event_volunteer *, struct event_buf *);

#endif
