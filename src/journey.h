/* SPDX-License-Identifier: Apache-2.0 */
/*
 * journey.h: the guided checklist as a state machine. A session is one
 * resident working through one checklist, pinned to the checklist version
 * it started with.
 *
 *   active ──pause──▶ paused ──resume──▶ active
 *   active ──finish (every step marked)──▶ finished
 *
 * In an active session each step is todo, done, skipped or blocked (with a
 * reason); marks can be undone one by one, newest first. Every call that
 * changes a session is one transaction with its outbox event.
 */
#ifndef SOTAY_JOURNEY_H
#define SOTAY_JOURNEY_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct store;
struct store_schema;

extern const struct store_schema journey_tables;	/* sessions, marks, notes */
struct checklist;

enum mark { MARK_TODO, MARK_DONE, MARK_SKIPPED, MARK_BLOCKED };
enum session_state { SESSION_ACTIVE, SESSION_PAUSED, SESSION_FINISHED };

const char *mark_id(enum mark);			/* "todo", "done"… */
const char *session_state_id(enum session_state);

/* A session as loaded; the caller frees it with journey_free. */
struct journey {
	char			 id[UUID_STR_LEN];
	char			 resident_id[UUID_STR_LEN];	/* "" if none */
	int64_t			 volunteer_id;			/* 0 if none */
	enum session_state	 state;
	int			 current;	/* the step on screen, 0-based */
	struct checklist	*checklist;	/* the pinned version; owned */
	enum mark		*marks;		/* nsteps of them */
	char			**reasons;	/* for blocked steps, else NULL */
	int64_t			 started_at;
	int64_t			 updated_at;
	int			 nundo;		/* marks that can be undone */
};

/*
 * Starts a session on the checklist for a resident (resident_id may be
 * NULL for someone working alone without a record; volunteer_id 0 when no
 * volunteer is logged in). The checklist must be installed in the store.
 */
int	 journey_start(struct store *, const struct checklist *, const char *resident_id,
	     int64_t volunteer_id, struct journey **, char **cause);
int	 journey_load(struct store *, const char *session_id, struct journey **, char **cause);
void	 journey_free(struct journey *);

/* Marks a step; reason is required for MARK_BLOCKED and ignored otherwise. */
int	 journey_mark(struct store *, struct journey *, int step, enum mark,
	     const char *reason, char **cause);
/*
 * Marks a step and moves on, as one change: to the first step still to do
 * (j->current), or, when none is left, the session finishes (j->state).
 * A person's one key on a step is this one call.
 */
int	 journey_mark_next(struct store *, struct journey *, int step, enum mark,
	     const char *reason, char **cause);
/* Takes back the newest mark still in force. */
int	 journey_undo(struct store *, struct journey *, char **cause);
/* A note on the current step (kept on the kiosk; only its existence is uploaded). */
int	 journey_note(struct store *, struct journey *, const char *text, char **cause);
/* Moves to another step (0 … nsteps-1). */
int	 journey_goto(struct store *, struct journey *, int step, char **cause);
int	 journey_pause(struct store *, struct journey *, char **cause);
int	 journey_resume(struct store *, struct journey *, char **cause);
/* Every step must be marked (done, skipped or blocked). */
int	 journey_finish(struct store *, struct journey *, char **cause);

struct journey_counts { int todo, done, skipped, blocked; };
void	 journey_count(const struct journey *, struct journey_counts *);
/* The first step still todo, or -1. */
int	 journey_next_todo(const struct journey *);

/* Notes of a session, oldest first; the caller frees with journey_notes_free. */
struct journey_note { int step; char *text; int64_t at; };
int	 journey_notes(struct store *, const char *session_id, struct journey_note **,
	     size_t *n, char **cause);
void	 journey_notes_free(struct journey_note *, size_t n);

/* Sessions not finished, newest first (resident_id NULL: every resident). */
struct journey_brief {
	char			 id[UUID_STR_LEN];
	char			 resident_id[UUID_STR_LEN];
	char			*checklist_id;
	int			 version;	/* of the checklist, pinned */
	enum session_state	 state;
	int			 done;		/* steps marked */
	int			 nsteps;
	int64_t			 updated_at;
};
int	 journey_list_open(struct store *, const char *resident_id, struct journey_brief **,
	     size_t *n, char **cause);
void	 journey_briefs_free(struct journey_brief *, size_t n);
/* How many sessions are not finished (all of them, not only the newest 200). */
int	 journey_count_open(struct store *, int64_t *n, char **cause);

#endif
