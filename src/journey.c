/* SPDX-License-Identifier: Apache-2.0 */
/*
 * journey.c: the guided-checklist state machine, kept in the tables
 * sessions, marks (every mark ever made, by session, newest last, undone
 * ones flagged) and notes. Each public call that changes something is one transaction
 * that writes the new state and its outbox event; the in-memory struct is
 * updated only after the commit, so it never shows what was not saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "event.h"
#include "i18n.h"
#include "journey.h"
#include "nfc.h"
#include "people.h"
#include "store.h"

/*
 * Sessions (pinned to a checklist version: content's table), every mark
 * ever made (so undo can take back the newest one) and the notes.
 */
static const char *const journey_steps[STORE_SCHEMA_VERSION] = {
	[0] =
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY,"
	"  resident_id TEXT REFERENCES residents(id),"
	"  volunteer_id INTEGER REFERENCES volunteers(id),"
	"  checklist_id TEXT NOT NULL,"
	"  checklist_version INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'finished')),"
	"  current_step INTEGER NOT NULL DEFAULT 0,"
	"  started_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  finished_at INTEGER,"
	"  outcome TEXT,"
	"  FOREIGN KEY (checklist_id, checklist_version) REFERENCES checklists(id, version));"
	"CREATE INDEX sessions_resident ON sessions(resident_id);"
	"CREATE INDEX sessions_started ON sessions(started_at);"
	"CREATE TABLE marks ("
	"  n INTEGER PRIMARY KEY,"
	"  session_id TEXT NOT NULL REFERENCES sessions(id),"
	"  step_index INTEGER NOT NULL,"
	"  step_id TEXT NOT NULL,"
	"  mark TEXT NOT NULL CHECK (mark IN ('done', 'skipped', 'blocked')),"
	"  reason TEXT,"
	"  at INTEGER NOT NULL,"
	"  undone INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX marks_session ON marks(session_id, step_index);",
	/* 2: notes */
	[1] =
	"CREATE TABLE notes ("
	"  n INTEGER PRIMARY KEY,"
	"  session_id TEXT NOT NULL REFERENCES sessions(id),"
	"  step_index INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  at INTEGER NOT NULL);",
	/*
	 * 3: the sessions not finished, indexed (for status and the resume
	 * lists), on a column a step mark does not change.
	 */
	[2] =
	"CREATE INDEX sessions_open ON sessions(state) WHERE state <> 'finished';",
	/*
	 * 4: a month's report (report.c) read from indexes alone: the sessions
	 * by start with every column it counts (none changes at a step mark),
	 * and the blocked marks apart from the rest.
	 */
	[3] =
	"DROP INDEX sessions_started;"
	"CREATE INDEX sessions_report ON sessions(started_at, checklist_id, checklist_version, "
	"  outcome, resident_id, id);"
	"CREATE INDEX marks_blocked ON marks(session_id, step_id, reason) "
	"  WHERE mark = 'blocked' AND undone = 0;",
	/*
	 * 5: marks kept together by session, so a mark writes one page of
	 * them (and the index of blocked ones for a block) instead of a page of
	 * the table and one of marks_session. n orders a session's marks,
	 * newest largest; the old numbers keep their order.
	 */
	[4] =
	"ALTER TABLE marks RENAME TO marks_v4;"
	"CREATE TABLE marks ("
	"  session_id TEXT NOT NULL REFERENCES sessions(id),"
	"  n INTEGER NOT NULL,"
	"  step_index INTEGER NOT NULL,"
	"  step_id TEXT NOT NULL,"
	"  mark TEXT NOT NULL CHECK (mark IN ('done', 'skipped', 'blocked')),"
	"  reason TEXT,"
	"  at INTEGER NOT NULL,"
	"  undone INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (session_id, n)) WITHOUT ROWID;"
	"INSERT INTO marks SELECT session_id, n, step_index, step_id, mark, reason, at, undone "
	"  FROM marks_v4;"
	"DROP TABLE marks_v4;"
	"CREATE INDEX marks_blocked ON marks(session_id, step_id, reason) "
	"  WHERE mark = 'blocked' AND undone = 0;",
};
const struct store_schema journey_tables = { "journey", journey_steps };

static const char *const mark_ids[] = {
	EVENT_MARK_TODO, EVENT_MARK_DONE, EVENT_MARK_SKIPPED, EVENT_MARK_BLOCKED
};
static const char *const state_ids[] = { "active", "paused", "finished" };

const char *
mark_id(enum mark m)
{
	return m <= MARK_BLOCKED ? mark_ids[m] : "?";
}

const char *
session_state_id(enum session_state s)
{
	return s <= SESSION_FINISHED ? state_ids[s] : "?";
}

static int
parse_mark(const char *s)
{
	for (int i = 0; i <= MARK_BLOCKED; i++)
		if (strcmp(s, mark_ids[i]) == 0)
			return i;
	return MARK_TODO;
}

static int
parse_state(const char *s)
{
	for (int i = 0; i <= SESSION_FINISHED; i++)
		if (strcmp(s, state_ids[i]) == 0)
			return i;
	return SESSION_ACTIVE;
}

/* Begins a change: checks the session may take it. */
static int
need_state(const struct journey *j, enum session_state want, char **cause)
{
	if (j->state == want)
		return 0;
	if (j->state == SESSION_FINISHED)
		return fail(cause, _("Phiên này đã kết thúc; không thay đổi được nữa. Hãy bắt đầu "
		    "một phiên mới."));
	if (j->state == SESSION_PAUSED)
		return fail(cause, _("Phiên đang tạm dừng. Hãy tiếp tục phiên trước."));
	return fail(cause, _("Phiên đang diễn ra, không cần tiếp tục."));
}

static int
check_step(const struct journey *j, int step, char **cause)
{
	if (step < 0 || (size_t)step >= j->checklist->nsteps)
		return fail(cause, _("Không có bước %d (danh mục có %zu bước)."), step + 1,
		    j->checklist->nsteps);
	return 0;
}

/* The payload of an event that names only the session (and maybe a step). */
static json_object *
payload(const struct journey *j, int index)
{
	return event_build_session(&(struct event_session){ .session = j->id, .index = index });
}

static int
set_session(struct store *st, const struct journey *j, enum session_state state, int current,
    const char *outcome, char **cause)
{
	sqlite3_stmt *s;
	int64_t now = util_now_ms();

	/*
	 * Within a state (a mark, an undo, a note) only the step and the time
	 * move: columns no index holds, so the commit writes no index page.
	 */
	if (state == j->state && outcome == NULL) {
		s = store_stmt(st, "UPDATE sessions SET current_step = ?, updated_at = ? WHERE id = ?");
		if (s == NULL)
			return store_fail(st, cause);
		sqlite3_bind_int(s, 1, current);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_bind_text(s, 3, j->id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			return store_fail(st, cause);
		return 0;
	}
	s = store_stmt(st, "UPDATE sessions SET state = ?, current_step = ?, "
	    "updated_at = ?, outcome = coalesce(?, outcome), "
	    "finished_at = CASE WHEN ? = 'finished' THEN ? ELSE finished_at END WHERE id = ?");
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, state_ids[state], -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, current);
	sqlite3_bind_int64(s, 3, now);
	if (outcome != NULL)
		sqlite3_bind_text(s, 4, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, state_ids[state], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_text(s, 7, j->id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_fail(st, cause);
	return 0;
}

/* Ends a change: the event, the commit; on failure nothing of it stays. */
static int
finish_change(struct store *st, enum event_type type, json_object *ev, char **cause)
{
	if (store_event(st, event_name(type), ev, NULL, cause) != 0 || store_commit(st, cause) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

static int
abort_change(struct store *st, json_object *ev)
{
	json_object_put(ev);
	store_rollback(st);
	return -1;
}

int
journey_start(struct store *st, const struct checklist *cl, const char *resident_id,
    int64_t volunteer_id, struct journey **out, char **cause)
{
	char id[UUID_STR_LEN];
	sqlite3_stmt *s;
	json_object *ev;

	*out = NULL;
	util_uuid7(id);
	if (store_begin(st, cause) != 0)
		return -1;
	s = store_stmt(st, "INSERT INTO sessions (id, resident_id, volunteer_id, checklist_id, "
	    "checklist_version, state, current_step, started_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, 'active', 0, ?, ?)");
	if (s == NULL) {
		store_fail(st, cause);
		store_rollback(st);
		return -1;
	}
	int64_t now = util_now_ms();
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (resident_id != NULL && *resident_id != '\0')
		sqlite3_bind_text(s, 2, resident_id, -1, SQLITE_STATIC);
	if (volunteer_id > 0)
		sqlite3_bind_int64(s, 3, volunteer_id);
	sqlite3_bind_text(s, 4, cl->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, cl->version);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_int64(s, 7, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		if ((sqlite3_extended_errcode(sqlite3_db_handle(s)) & 0xff) == SQLITE_CONSTRAINT) {
			store_rollback(st);
			return fail(cause, _("Không bắt đầu được: danh mục %s (phiên bản %d) hoặc người "
			    "dân này không có trong %s."), cl->id, cl->version, store_path(st));
		}
		store_fail(st, cause);
		store_rollback(st);
		return -1;
	}
	if (resident_id != NULL && *resident_id != '\0' &&
	    people_resident_touch(st, resident_id, cause) != 0) {
		store_rollback(st);
		return -1;
	}
	ev = event_build_session_start(&(struct event_session_start){ .session = id,
	    .resident = resident_id, .checklist = cl->id, .version = cl->version,
	    .category = category_id(cl->category), .volunteer = volunteer_id });
	if (finish_change(st, EVENT_SESSION_STARTED, ev, cause) != 0)
		return -1;
	return journey_load(st, id, out, cause);
}

int
journey_load(struct store *st, const char *session_id, struct journey **out, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT resident_id, volunteer_id, checklist_id, "
	    "checklist_version, state, current_step, started_at, updated_at FROM sessions "
	    "WHERE id = ?");
	struct journey *j;
	char *cid;
	int version, rc;

	*out = NULL;
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, session_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return fail(cause, _("Không tìm thấy phiên %s."), session_id);
	if (rc != SQLITE_ROW)
		return store_fail(st, cause);
	j = xcalloc(1, sizeof *j);
	snprintf(j->id, sizeof j->id, "%s", session_id);
	if (sqlite3_column_type(s, 0) != SQLITE_NULL)
		snprintf(j->resident_id, sizeof j->resident_id, "%s", sqlite3_column_text(s, 0));
	j->volunteer_id = sqlite3_column_int64(s, 1);
	cid = xstrdup((const char *)sqlite3_column_text(s, 2));
	version = sqlite3_column_int(s, 3);
	j->state = parse_state((const char *)sqlite3_column_text(s, 4));
	j->current = sqlite3_column_int(s, 5);
	j->started_at = sqlite3_column_int64(s, 6);
	j->updated_at = sqlite3_column_int64(s, 7);
	sqlite3_reset(s);

	rc = content_store_get(st, cid, version, &j->checklist, cause);
	free(cid);
	if (rc != 0) {
		journey_free(j);
		return -1;
	}
	size_t n = j->checklist->nsteps;
	j->marks = xcalloc(n, sizeof *j->marks);
	j->reasons = xcalloc(n, sizeof *j->reasons);
	if (j->current < 0 || (size_t)j->current >= n)
		j->current = 0;

	/* Marks in order: the last one in force for a step wins. */
	s = store_stmt(st, "SELECT step_index, mark, reason FROM marks WHERE session_id = ? "
	    "AND undone = 0 ORDER BY n");
	if (s == NULL) {
		journey_free(j);
		return store_fail(st, cause);
	}
	sqlite3_bind_text(s, 1, session_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = sqlite3_column_int(s, 0);
		if (i < 0 || (size_t)i >= n)
			continue;
		j->marks[i] = parse_mark((const char *)sqlite3_column_text(s, 1));
		free(j->reasons[i]);
		j->reasons[i] = sqlite3_column_type(s, 2) == SQLITE_NULL ? NULL :
		    xstrdup((const char *)sqlite3_column_text(s, 2));
		j->nundo++;
	}
	if (rc != SQLITE_DONE) {
		journey_free(j);
		return store_fail(st, cause);
	}
	*out = j;
	return 0;
}

void
journey_free(struct journey *j)
{
	if (j == NULL)
		return;
	if (j->checklist != NULL)
		for (size_t i = 0; i < j->checklist->nsteps; i++)
			free(j->reasons[i]);
	free(j->reasons);
	free(j->marks);
	checklist_free(j->checklist);
	free(j);
}

/*
 * Where a session goes once step is marked m: the first step still to do,
 * or -1 when none is left (it can finish).
 */
static int
todo_after(const struct journey *j, int step, enum mark m)
{
	for (size_t i = 0; i < j->checklist->nsteps; i++)
		if ((int)i != step && j->marks[i] == MARK_TODO)
			return (int)i;
	return m == MARK_TODO ? step : -1;
}

/* The session.finished event of j were step marked m. */
static json_object *
finish_event(const struct journey *j, int step, enum mark m, const char **outcome)
{
	struct journey_counts c = { 0 };

	for (size_t i = 0; i < j->checklist->nsteps; i++) {
		enum mark k = (int)i == step ? m : j->marks[i];

		c.done += k == MARK_DONE;
		c.skipped += k == MARK_SKIPPED;
		c.blocked += k == MARK_BLOCKED;
	}
	*outcome = c.blocked > 0 ? EVENT_OUTCOME_BLOCKED : EVENT_OUTCOME_COMPLETED;
	return event_build_session_finish(&(struct event_session_finish){ .session = j->id,
	    .checklist = j->checklist->id, .outcome = *outcome, .done = c.done,
	    .skipped = c.skipped, .blocked = c.blocked });
}

/*
 * advance 0: the session moves to the step after; 1: to the first step
 * still to do, or it finishes when none is left — in the same transaction.
 */
static int
mark(struct store *st, struct journey *j, int step, enum mark m, const char *reason,
    int advance, char **cause)
{
	sqlite3_stmt *s;
	json_object *ev = NULL, *fin = NULL;
	const char *outcome = NULL;

	if (need_state(j, SESSION_ACTIVE, cause) != 0 || check_step(j, step, cause) != 0)
		return -1;
	if (m == MARK_TODO || m > MARK_BLOCKED)
		return fail(cause, _("Chỉ đánh dấu được: xong, bỏ qua hoặc vướng."));
	if (m == MARK_BLOCKED && (reason == NULL || reason[strspn(reason, " \t")] == '\0'))
		return fail(cause, _("Hãy cho biết lý do bước này bị vướng."));
	if (m != MARK_BLOCKED)
		reason = NULL;
	/* Moving on after a mark is what every caller wants; it is saved with it. */
	int next = (size_t)step + 1 < j->checklist->nsteps ? step + 1 : step;
	const struct step *sp = &j->checklist->steps[step];
	int finished = 0;

	if (advance) {
		int todo = todo_after(j, step, m);

		if (todo >= 0)
			next = todo;
		else
			finished = 1;
	}

	if (store_begin(st, cause) != 0)
		return -1;
	/* The session's next number: a look-up on the page the row goes to. */
	s = store_stmt(st, "INSERT INTO marks (session_id, n, step_index, step_id, mark, reason, at) "
	    "VALUES (?1, (SELECT coalesce(max(n), 0) + 1 FROM marks WHERE session_id = ?1), "
	    "?2, ?3, ?4, ?5, ?6)");
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, step);
	sqlite3_bind_text(s, 3, sp->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, mark_ids[m], -1, SQLITE_STATIC);
	if (reason != NULL)
		sqlite3_bind_text(s, 5, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, util_now_ms());
	if (sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	if (finished)
		fin = finish_event(j, step, m, &outcome);
	if (set_session(st, j, finished ? SESSION_FINISHED : j->state, next, outcome, cause) != 0) {
		json_object_put(fin);
		return abort_change(st, ev);
	}
	ev = event_build_step(&(struct event_step){ .session = j->id,
	    .checklist = j->checklist->id, .step = sp->id, .index = step, .mark = mark_ids[m],
	    .reason = reason });
	if (fin != NULL) {
		/* The last mark and the end of the session: one change, both events. */
		if (store_event(st, event_name(EVENT_STEP_MARKED), ev, NULL, cause) != 0) {
			json_object_put(fin);
			store_rollback(st);
			return -1;
		}
		if (finish_change(st, EVENT_SESSION_FINISHED, fin, cause) != 0)
			return -1;
		j->state = SESSION_FINISHED;
	} else if (finish_change(st, EVENT_STEP_MARKED, ev, cause) != 0)
		return -1;
	j->marks[step] = m;
	free(j->reasons[step]);
	j->reasons[step] = reason ? xstrdup(reason) : NULL;
	j->current = next;
	j->nundo++;
	return 0;
fail:
	store_fail(st, cause);
	return abort_change(st, ev);
}

/* A reason is kept in NFC, so reports group the same words typed two ways. */
static int
mark_nfc(struct store *st, struct journey *j, int step, enum mark m, const char *reason,
    int advance, char **cause)
{
	char *r = nfc_dup(reason);
	int rc = mark(st, j, step, m, r, advance, cause);

	free(r);
	return rc;
}

int
journey_mark(struct store *st, struct journey *j, int step, enum mark m, const char *reason,
    char **cause)
{
	return mark_nfc(st, j, step, m, reason, 0, cause);
}

int
journey_mark_next(struct store *st, struct journey *j, int step, enum mark m, const char *reason,
    char **cause)
{
	return mark_nfc(st, j, step, m, reason, 1, cause);
}

int
journey_undo(struct store *st, struct journey *j, char **cause)
{
	sqlite3_stmt *s;
	json_object *ev = NULL;
	int64_t n;
	int step, rc;
	enum mark prev = MARK_TODO, undone;
	char *prev_reason = NULL;

	if (need_state(j, SESSION_ACTIVE, cause) != 0)
		return -1;
	if (j->nundo == 0)
		return fail(cause, _("Không còn gì để hoàn tác."));
	if (store_begin(st, cause) != 0)
		return -1;
	s = store_stmt(st, "SELECT n, step_index, mark FROM marks WHERE session_id = ? AND undone = 0 "
	    "ORDER BY n DESC LIMIT 1");
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, j->id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE) {
			abort_change(st, ev);
			return fail(cause, _("Không còn gì để hoàn tác."));
		}
		goto fail;
	}
	n = sqlite3_column_int64(s, 0);
	step = sqlite3_column_int(s, 1);
	/* Which mark is taken back: the server's reports stop counting an undone block. */
	undone = parse_mark((const char *)sqlite3_column_text(s, 2));
	sqlite3_reset(s);
	if (check_step(j, step, cause) != 0)
		return abort_change(st, ev);
	s = store_stmt(st, "UPDATE marks SET undone = 1 WHERE session_id = ? AND n = ?");
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, n);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	/* What the step was before: the newest mark of it still in force. */
	s = store_stmt(st, "SELECT mark, reason FROM marks WHERE session_id = ? AND step_index = ? "
	    "AND undone = 0 ORDER BY n DESC LIMIT 1");
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, step);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		prev = parse_mark((const char *)sqlite3_column_text(s, 0));
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			prev_reason = xstrdup((const char *)sqlite3_column_text(s, 1));
	} else if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_reset(s);
	if (set_session(st, j, j->state, step, NULL, cause) != 0) {
		free(prev_reason);
		return abort_change(st, ev);
	}
	ev = event_build_step(&(struct event_step){ .session = j->id,
	    .checklist = j->checklist->id, .step = j->checklist->steps[step].id, .index = step,
	    .mark = mark_id(undone) });
	if (finish_change(st, EVENT_STEP_UNDONE, ev, cause) != 0) {
		free(prev_reason);
		return -1;
	}
	j->marks[step] = prev;
	free(j->reasons[step]);
	j->reasons[step] = prev_reason;
	j->current = step;
	j->nundo--;
	return 0;
fail:
	free(prev_reason);
	store_fail(st, cause);
	return abort_change(st, ev);
}

static int
note(struct store *st, struct journey *j, const char *text, char **cause)
{
	sqlite3_stmt *s;
	json_object *ev = NULL;

	if (need_state(j, SESSION_ACTIVE, cause) != 0)
		return -1;
	if (text == NULL || text[strspn(text, " \t\n")] == '\0')
		return fail(cause, _("Ghi chú đang trống."));
	if (store_begin(st, cause) != 0)
		return -1;
	s = store_stmt(st, "INSERT INTO notes (session_id, step_index, text, at) VALUES (?, ?, ?, ?)");
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, j->current);
	sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, util_now_ms());
	if (sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	if (set_session(st, j, j->state, j->current, NULL, cause) != 0)
		return abort_change(st, ev);
	ev = payload(j, j->current);
	return finish_change(st, EVENT_NOTE_ADDED, ev, cause);
fail:
	store_fail(st, cause);
	return abort_change(st, ev);
}

int
journey_note(struct store *st, struct journey *j, const char *text, char **cause)
{
	char *t = nfc_dup(text);
	int rc = note(st, j, t, cause);

	free(t);
	return rc;
}

/* A change of state or position: one row of sessions and one event. */
static int
change(struct store *st, struct journey *j, enum session_state state, int current,
    const char *outcome, enum event_type type, json_object *ev, char **cause)
{
	if (store_begin(st, cause) != 0) {
		json_object_put(ev);
		return -1;
	}
	if (set_session(st, j, state, current, outcome, cause) != 0)
		return abort_change(st, ev);
	if (finish_change(st, type, ev, cause) != 0)
		return -1;
	j->state = state;
	j->current = current;
	return 0;
}

int
journey_goto(struct store *st, struct journey *j, int step, char **cause)
{
	if (need_state(j, SESSION_ACTIVE, cause) != 0 || check_step(j, step, cause) != 0)
		return -1;
	if (step == j->current)
		return 0;
	return change(st, j, j->state, step, NULL, EVENT_SESSION_MOVED, payload(j, step), cause);
}

int
journey_pause(struct store *st, struct journey *j, char **cause)
{
	if (need_state(j, SESSION_ACTIVE, cause) != 0)
		return -1;
	return change(st, j, SESSION_PAUSED, j->current, NULL, EVENT_SESSION_PAUSED,
	    payload(j, -1), cause);
}

int
journey_resume(struct store *st, struct journey *j, char **cause)
{
	if (need_state(j, SESSION_PAUSED, cause) != 0)
		return -1;
	return change(st, j, SESSION_ACTIVE, j->current, NULL, EVENT_SESSION_RESUMED,
	    payload(j, -1), cause);
}

int
journey_finish(struct store *st, struct journey *j, char **cause)
{
	struct journey_counts c;
	json_object *ev;

	if (need_state(j, SESSION_ACTIVE, cause) != 0)
		return -1;
	journey_count(j, &c);
	if (c.todo > 0)
		return fail(cause, _("Còn %d bước chưa làm. Hãy đánh dấu từng bước (xong, bỏ qua hoặc "
		    "vướng) trước khi kết thúc, hoặc tạm dừng để làm tiếp sau."), c.todo);
	const char *outcome = c.blocked > 0 ? EVENT_OUTCOME_BLOCKED : EVENT_OUTCOME_COMPLETED;
	ev = event_build_session_finish(&(struct event_session_finish){ .session = j->id,
	    .checklist = j->checklist->id, .outcome = outcome, .done = c.done,
	    .skipped = c.skipped, .blocked = c.blocked });
	return change(st, j, SESSION_FINISHED, j->current, outcome, EVENT_SESSION_FINISHED, ev,
	    cause);
}

void
journey_count(const struct journey *j, struct journey_counts *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < j->checklist->nsteps; i++) {
		switch (j->marks[i]) {
		case MARK_TODO: c->todo++; break;
		case MARK_DONE: c->done++; break;
		case MARK_SKIPPED: c->skipped++; break;
		case MARK_BLOCKED: c->blocked++; break;
		}
	}
}

int
journey_next_todo(const struct journey *j)
{
	for (size_t i = 0; i < j->checklist->nsteps; i++)
		if (j->marks[i] == MARK_TODO)
			return (int)i;
	return -1;
}

static void
note_read(sqlite3_stmt *s, void *elem)
{
	struct journey_note *note = elem;

	note->step = sqlite3_column_int(s, 0);
	note->text = xstrdup((const char *)sqlite3_column_text(s, 1));
	note->at = sqlite3_column_int64(s, 2);
}

static void
note_clear(void *elem)
{
	free(((struct journey_note *)elem)->text);
}

int
journey_notes(struct store *st, const char *session_id, struct journey_note **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT step_index, text, at FROM notes "
	    "WHERE session_id = ? ORDER BY n");
	void *v;
	int rc;

	if (s != NULL)
		sqlite3_bind_text(s, 1, session_id, -1, SQLITE_STATIC);
	rc = store_rows(st, s, sizeof **out, note_read, note_clear, &v, n, cause);
	*out = v;
	return rc;
}

void
journey_notes_free(struct journey_note *v, size_t n)
{
	store_rows_free(v, n, sizeof *v, note_clear);
}

static void
brief_read(sqlite3_stmt *s, void *elem)
{
	struct journey_brief *b = elem;

	snprintf(b->id, sizeof b->id, "%s", sqlite3_column_text(s, 0));
	snprintf(b->resident_id, sizeof b->resident_id, "%s", sqlite3_column_text(s, 1));
	b->checklist_id = xstrdup((const char *)sqlite3_column_text(s, 2));
	b->version = sqlite3_column_int(s, 3);
	b->state = parse_state((const char *)sqlite3_column_text(s, 4));
	b->updated_at = sqlite3_column_int64(s, 5);
	b->done = sqlite3_column_int(s, 6);
}

static void
brief_clear(void *elem)
{
	free(((struct journey_brief *)elem)->checklist_id);
}

int
journey_list_open(struct store *st, const char *resident_id, struct journey_brief **out,
    size_t *n, char **cause)
{
	/* The open sessions through their index; marks are counted only for the 200 shown. */
	sqlite3_stmt *s = store_stmt(st, "SELECT s.id, coalesce(s.resident_id, ''), "
	    "s.checklist_id, s.checklist_version, s.state, s.updated_at, "
	    "(SELECT count(DISTINCT step_index) FROM marks m WHERE m.session_id = s.id "
	    "AND m.undone = 0) FROM (SELECT * FROM sessions WHERE state <> 'finished' "
	    "AND (?1 IS NULL OR resident_id = ?1) ORDER BY updated_at DESC LIMIT 200) s "
	    "ORDER BY s.updated_at DESC");
	struct journey_brief *v;
	void *rows;
	size_t len;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return store_fail(st, cause);
	if (resident_id != NULL)
		sqlite3_bind_text(s, 1, resident_id, -1, SQLITE_STATIC);
	if (store_rows(st, s, sizeof *v, brief_read, brief_clear, &rows, &len, cause) != 0)
		return -1;
	v = rows;
	/* The step count lives in the pinned checklist; parse each version once. */
	for (size_t i = 0; i < len; i++) {
		struct checklist *cl;
		size_t k;

		for (k = 0; k < i; k++)
			if (v[k].version == v[i].version &&
			    strcmp(v[k].checklist_id, v[i].checklist_id) == 0)
				break;
		if (k < i)
			v[i].nsteps = v[k].nsteps;
		else if (content_store_get(st, v[i].checklist_id, v[i].version, &cl, NULL) == 0) {
			v[i].nsteps = (int)cl->nsteps;
			checklist_free(cl);
		}
	}
	*out = v;
	*n = len;
	return 0;
}

int
journey_count_open(struct store *st, int64_t *n, char **cause)
{
	/* Through the index of open sessions (schema 3): no scan of the finished ones. */
	return store_int64(st, "SELECT count(*) FROM sessions WHERE state <> 'finished'", n, cause);
}

void
journey_briefs_free(struct journey_brief *v, size_t n)
{
	store_rows_free(v, n, sizeof *v, brief_clear);
}
