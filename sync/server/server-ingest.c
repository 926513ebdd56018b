/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-ingest.c: the protocol's rules on the server side (see
 * server-ingest.h and sync/PROTOCOL.md), written once over the storage
 * primitives of server-store.h so that every store keeps the same promises.
 *
 * Exactly-once with several server processes on one database rests on two
 * things: the batch runs with the kiosk's row locked (kiosk_lock), so one
 * kiosk's batches never interleave, and an event id is unique in the store,
 * so a race between two kiosks over one id ends in SERVER_STORE_RETRY for
 * the later one, which runs its batch again and then sees the id taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "event.h"
#include "i18n.h"
#include "util.h"
#include "server-ingest.h"

/* How often a transaction that lost a race is run again before giving up. */
#define RETRIES		8

/* Why an event is refused: the reasons a kiosk and a supervisor read. */
#define WHY_OTHER_KIOSK	"id held for another kiosk"
#define WHY_OTHER_TEXT	"id held with different content"
#define WHY_SEQ_TAKEN	"seq held under another id"

/*
 * The fact a newly stored event gives reports, if any: 1 and f filled, 0
 * for none. The payload is read with event.h's typed readers, so event
 * names and payload keys live there only; strings point into p or b.
 */
static int
fact_of(const char *kiosk, const struct protocol_event *e, json_object *p,
    struct server_fact *f, struct event_buf *b)
{
	enum event_type type = event_type_parse(e->type);

	memset(f, 0, sizeof *f);
	f->kiosk = kiosk;
	f->event = e->id;
	f->at = e->at;
	switch (type) {
	case EVENT_RESIDENT_ADDED: {
		struct event_resident r;

		if (event_read_resident(p, &r, b) != 0)
			return 0;
		f->kind = SERVER_FACT_RESIDENT;
		f->resident = r.resident;
		f->hamlet = r.hamlet;
		f->sex = r.sex;
		f->has_birth_year = r.birth_year != 0;
		f->birth_year = r.birth_year;
		return 1;
	}
	case EVENT_SESSION_STARTED: {
		struct event_session_start r;

		if (event_read_session_start(p, &r, b) != 0)
			return 0;
		f->kind = SERVER_FACT_SESSION;
		f->session = r.session;
		f->resident = r.resident;
		f->checklist = r.checklist;
		f->has_version = r.version != 0;
		f->version = r.version;
		f->category = r.category;
		return 1;
	}
	case EVENT_SESSION_FINISHED: {
		struct event_session_finish r;

		if (event_read_session_finish(p, &r, b) != 0)
			return 0;
		f->kind = SERVER_FACT_FINISH;
		f->session = r.session;
		f->checklist = r.checklist;
		f->outcome = r.outcome;
		return 1;
	}
	case EVENT_STEP_MARKED:
	case EVENT_STEP_UNDONE: {
		struct event_step r;

		/* Only blocks count; an undone block stops counting. */
		if (event_read_step(p, &r, b) != 0 || r.mark == NULL ||
		    strcmp(r.mark, EVENT_MARK_BLOCKED) != 0)
			return 0;
		f->kind = type == EVENT_STEP_UNDONE ? SERVER_FACT_UNBLOCK :
		    SERVER_FACT_BLOCK;
		f->session = r.session;
		f->checklist = r.checklist;
		f->step = r.step;
		f->reason = r.reason;
		return 1;
	}
	default:
		return 0;
	}
}

/* Rollups ---------------------------------------------------------------- */

/*
 * Rollup changes of one transaction, applied at its end in key order: one
 * statement a row however many facts touch it, and two transactions that
 * touch the same rows lock them in the same order (no deadlock between
 * server processes).
 */
struct acc_entry {
	char	*k[5];		/* grouping, k1, k2, k3, day */
	int64_t	 d[5];		/* people, started, finished, completed, blocked */
};
struct acc {
	struct acc_entry	*v;
	size_t			 n, cap;
	size_t			*slot;	/* hash index of v: entry + 1, 0 for free */
	size_t			 nslot;	/* a power of two, over twice n */
};

static size_t
acc_hash(const char *const k[5])
{
	size_t		 h = 14695981039346656037u;	/* FNV-1a */
	const char	*p;
	int		 j;

	for (j = 0; j < 5; j++) {
		for (p = k[j]; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211u;
		h = (h ^ 0xff) * 1099511628211u;	/* no byte of UTF-8 text */
	}
	return h;
}

/* The slot of key k: the entry's, or the free one where it would go. */
static size_t *
acc_slot(struct acc *a, const char *const k[5])
{
	size_t	 m = a->nslot - 1, i = acc_hash(k) & m, e;
	int	 j;

	for (;; i = (i + 1) & m) {
		if ((e = a->slot[i]) == 0)
			return &a->slot[i];
		for (j = 0; j < 5 && strcmp(a->v[e - 1].k[j], k[j]) == 0; j++)
			;
		if (j == 5)
			return &a->slot[i];
	}
}

/* Keeps the index over twice as large as the entries (a big batch has many). */
static void
acc_grow(struct acc *a)
{
	size_t i;

	if (a->nslot > 2 * (a->n + 1))
		return;
	free(a->slot);
	a->nslot = a->nslot ? a->nslot * 2 : 64;
	a->slot = xcalloc(a->nslot, sizeof *a->slot);
	for (i = 0; i < a->n; i++)
		*acc_slot(a, (const char *const *)a->v[i].k) = i + 1;
}

static int
acc_add(struct acc *a, const struct server_rollup *r)
{
	const char	*k[5] = { r->grouping, r->k[0], r->k[1], r->k[2], r->day };
	int64_t		 d[5] = { r->people, r->started, r->finished, r->completed,
			    r->blocked };
	size_t		 i, j, *sl;

	acc_grow(a);
	sl = acc_slot(a, k);
	if (*sl != 0)
		i = *sl - 1;
	else {
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 32;
			a->v = xrealloc(a->v, a->cap * sizeof *a->v);
		}
		i = a->n++;
		*sl = i + 1;
		for (j = 0; j < 5; j++) {
			a->v[i].k[j] = xstrdup(k[j]);
			a->v[i].d[j] = 0;
		}
	}
	for (j = 0; j < 5; j++)
		a->v[i].d[j] += d[j];
	return 0;
}

/*
 * r on its day and on the all-time row (day ""), which a report from the
 * beginning reads alone: one row a key however many days there are.
 */
static int
acc_add_all(struct acc *a, const struct server_rollup *r)
{
	struct server_rollup all = *r;

	all.day = "";
	acc_add(a, r);
	return acc_add(a, &all);
}

static int
acc_cmp(const void *pa, const void *pb)
{
	const struct acc_entry *a = pa, *b = pb;
	int j, c;

	for (j = 0; j < 5; j++)
		if ((c = strcmp(a->k[j], b->k[j])) != 0)
			return c;
	return 0;
}

static void
acc_free(struct acc *a)
{
	size_t i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < 5; j++)
			free(a->v[i].k[j]);
	free(a->v);
	free(a->slot);
	memset(a, 0, sizeof *a);
}

/* Writes the changes, in key order, and empties a. */
static int
acc_flush(struct server_tx *tx, struct acc *a, char **cause)
{
	size_t	i;
	int	rc = 0;

	if (a->n > 1)
		qsort(a->v, a->n, sizeof *a->v, acc_cmp);
	for (i = 0; i < a->n && rc == 0; i++) {
		struct acc_entry	*e = &a->v[i];
		struct server_rollup	 r;

		if (!e->d[0] && !e->d[1] && !e->d[2] && !e->d[3] && !e->d[4])
			continue;	/* moved there and back */
		r.grouping = e->k[0];
		r.k[0] = e->k[1];
		r.k[1] = e->k[2];
		r.k[2] = e->k[3];
		r.day = e->k[4];
		r.people = e->d[0];
		r.started = e->d[1];
		r.finished = e->d[2];
		r.completed = e->d[3];
		r.blocked = e->d[4];
		rc = server_store_rollup_add(tx, &r, cause);
	}
	acc_free(a);
	return rc;
}

/* The groupings a fact counts in; reason counts blocks only. */
static const enum server_report_by groupings[] = {
	SERVER_BY_PROVINCE, SERVER_BY_COMMUNE, SERVER_BY_HAMLET, SERVER_BY_CHECKLIST,
	SERVER_BY_CATEGORY, SERVER_BY_DAY, SERVER_BY_REASON
};
#define NGROUPINGS	(sizeof groupings / sizeof groupings[0])
#define ALL		0x7f
#define ONLY(by)	(1u << (by))

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * Adds sign times fact f's counts to its rollups in the groupings of mask,
 * keyed as reports group it: by the kiosk's province, commune (with its
 * code) and hamlet — the resident's hamlet when the session's resident
 * gives one — by checklist (the fact's own, else its session's), by the
 * session's category, by day and, for blocks, by reason. A session also
 * counts its resident once per key, on the day of their first session.
 */
static int
contrib(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const struct server_fact_row *f, int sign, unsigned mask, char **cause)
{
	struct server_fact_row	 sess;
	const struct server_fact_row *s = NULL;
	struct server_rollup	 r;
	char			 day[16], *hamlet = NULL, *old = NULL;
	size_t			 i;
	int			 rc = 0, found;

	memset(&sess, 0, sizeof sess);
	if (f->kind == SERVER_FACT_SESSION)
		s = f;
	else if (f->session != NULL) {
		if ((rc = server_store_session_get(tx, k->id, f->session, &sess, &found,
		    cause)) != 0)
			return rc;
		if (found)
			s = &sess;
	}
	if (s != NULL && s->resident != NULL && (mask & ONLY(SERVER_BY_HAMLET)) &&
	    (rc = server_store_resident_hamlet(tx, k->id, s->resident, &hamlet, &found,
	    cause)) != 0)
		goto out;
	server_store_day(f->at, day);
	for (i = 0; i < NGROUPINGS && rc == 0; i++) {
		enum server_report_by g = groupings[i];

		if (!(mask & ONLY(g)) || (g == SERVER_BY_REASON &&
		    f->kind != SERVER_FACT_BLOCK))
			continue;
		memset(&r, 0, sizeof r);
		r.grouping = server_store_grouping(g);
		r.k[0] = r.k[1] = r.k[2] = "";
		r.day = day;
		switch (g) {
		case SERVER_BY_PROVINCE:
			r.k[0] = or_empty(k->province);
			break;
		case SERVER_BY_COMMUNE:
			r.k[0] = or_empty(k->province);
			r.k[1] = or_empty(k->commune);
			r.k[2] = or_empty(k->commune_code);
			break;
		case SERVER_BY_HAMLET:
			r.k[0] = or_empty(k->province);
			r.k[1] = or_empty(k->commune);
			r.k[2] = hamlet != NULL ? hamlet : or_empty(k->hamlet);
			break;
		case SERVER_BY_CHECKLIST:
			r.k[0] = f->checklist != NULL ? f->checklist :
			    s != NULL ? or_empty(s->checklist) : "";
			break;
		case SERVER_BY_CATEGORY:
			r.k[0] = s != NULL ? or_empty(s->category) : "";
			break;
		case SERVER_BY_DAY:
			r.k[0] = day;
			break;
		case SERVER_BY_REASON:
			r.k[0] = or_empty(f->checklist);
			r.k[1] = or_empty(f->step);
			r.k[2] = or_empty(f->reason);
			break;
		}
		switch (f->kind) {
		case SERVER_FACT_SESSION:
			r.started = sign;
			break;
		case SERVER_FACT_FINISH:
			r.finished = sign;
			r.completed = f->outcome != NULL &&
			    strcmp(f->outcome, EVENT_OUTCOME_COMPLETED) == 0 ? sign : 0;
			break;
		default:
			r.blocked = sign;
			break;
		}
		if ((rc = acc_add_all(acc, &r)) != 0)
			break;
		if (f->kind != SERVER_FACT_SESSION || f->resident == NULL ||
		    g == SERVER_BY_REASON)
			continue;
		/* People: the resident counts on the first day they came, per key. */
		r.started = r.finished = r.completed = r.blocked = 0;
		if (sign > 0) {
			rc = server_store_people_first(tx, &r, k->id, f->resident, day, &old,
			    &found, cause);
			if (rc == 0 && !found) {
				r.people = 1;
				rc = acc_add_all(acc, &r);
			} else if (rc == 0 && strcmp(day, old) < 0) {
				r.people = 1;
				if ((rc = acc_add(acc, &r)) == 0) {
					r.day = old;
					r.people = -1;
					rc = acc_add(acc, &r);
				}
			}
		} else {
			/* All the resident's sessions leave this key together. */
			rc = server_store_people_forget(tx, &r, k->id, f->resident, &old,
			    &found, cause);
			if (rc == 0 && found) {
				r.day = old;
				r.people = -1;
				rc = acc_add_all(acc, &r);
			}
		}
		free(old);
		old = NULL;
	}
out:
	free(hamlet);
	server_fact_row_free(&sess);
	return rc;
}

/* A fact from a payload as a row, for contrib (strings borrowed). */
static void
row_of(const struct server_fact *f, struct server_fact_row *r)
{
	memset(r, 0, sizeof *r);
	r->kind = f->kind;
	r->event = (char *)f->event;
	r->session = (char *)f->session;
	r->resident = (char *)f->resident;
	r->checklist = (char *)f->checklist;
	r->category = (char *)f->category;
	r->outcome = (char *)f->outcome;
	r->step = (char *)f->step;
	r->reason = (char *)f->reason;
	r->at = f->at;
}

/* Adds sign times the counts of every finish and block of a session. */
static int
deps_contrib(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const char *session, int sign, unsigned mask, char **cause)
{
	struct server_fact_row	*v;
	size_t			 n, i;
	int			 rc;

	if ((rc = server_store_session_deps(tx, k->id, session, &v, &n, cause)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		rc = contrib(tx, acc, k, &v[i], sign, mask, cause);
	server_fact_rows_free(v, n);
	return rc;
}

/*
 * A resident now gives a hamlet: the sessions already counted under the
 * kiosk's hamlet (and their finishes and blocks) move to the resident's.
 */
static int
resident_moves(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const char *resident, int sign, char **cause)
{
	struct server_fact_row	*v;
	size_t			 n, i;
	int			 rc;

	if ((rc = server_store_resident_sessions(tx, k->id, resident, &v, &n,
	    cause)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		if ((rc = contrib(tx, acc, k, &v[i], sign, ONLY(SERVER_BY_HAMLET), cause)) == 0)
			rc = deps_contrib(tx, acc, k, v[i].session, sign,
			    ONLY(SERVER_BY_HAMLET), cause);
	server_fact_rows_free(v, n);
	return rc;
}

/*
 * Keeps fact f and its rollups in step. A fact that arrives before the one
 * it depends on (a finish before its session's start, a session before
 * its resident) is counted under what is known, and moved when the other
 * arrives, so rollups always equal what the facts say.
 */
static int
keep_fact(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const struct server_fact *f, char **cause)
{
	struct server_fact_row	 row, old;
	char			*h;
	int			 rc, found, added, moves;

	row_of(f, &row);
	switch (f->kind) {
	case SERVER_FACT_RESIDENT:
		if ((rc = server_store_resident_hamlet(tx, k->id, f->resident, &h, &found,
		    cause)) != 0)
			return rc;
		free(h);
		if (found)
			return 0;	/* the first one counts */
		moves = f->hamlet != NULL && strcmp(f->hamlet, or_empty(k->hamlet)) != 0;
		if (moves && (rc = resident_moves(tx, acc, k, f->resident, -1, cause)) != 0)
			return rc;
		if ((rc = server_store_fact_put(tx, f, &added, cause)) != 0)
			return rc;
		return moves ? resident_moves(tx, acc, k, f->resident, +1, cause) : 0;
	case SERVER_FACT_SESSION:
		if ((rc = server_store_session_get(tx, k->id, f->session, &old, &found,
		    cause)) != 0)
			return rc;
		server_fact_row_free(&old);
		if (found)
			return 0;
		if ((rc = deps_contrib(tx, acc, k, f->session, -1, ALL, cause)) != 0 ||
		    (rc = server_store_fact_put(tx, f, &added, cause)) != 0 ||
		    (rc = contrib(tx, acc, k, &row, +1, ALL, cause)) != 0)
			return rc;
		return deps_contrib(tx, acc, k, f->session, +1, ALL, cause);
	case SERVER_FACT_FINISH:
	case SERVER_FACT_BLOCK:
		if ((rc = server_store_fact_put(tx, f, &added, cause)) != 0 || !added)
			return rc;
		return contrib(tx, acc, k, &row, +1, ALL, cause);
	case SERVER_FACT_UNBLOCK:
		/* The kiosk took a block back: its newest block of that step. */
		if ((rc = server_store_block_take(tx, k->id, f->session, f->step, &old,
		    &found, cause)) != 0 || !found)
			return rc;
		rc = contrib(tx, acc, k, &old, -1, ALL, cause);
		server_fact_row_free(&old);
		return rc;
	}
	return 0;
}

static int
derive(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const struct protocol_event *e, json_object *parsed, char **cause)
{
	struct server_fact	 f;
	struct event_buf	 b;
	json_object		*p = parsed, *own = NULL;
	int			 rc = 0;

	if (event_type_parse(e->type) == EVENT_UNKNOWN)
		return 0;
	/* The batch's decode parsed it already; else the stored text is read. */
	if (p == NULL && (p = own = json_tokener_parse(e->payload)) == NULL)
		return 0;
	if (fact_of(k->id, e, p, &f, &b))
		rc = keep_fact(tx, acc, k, &f, cause);
	json_object_put(own);
	return rc;
}

static void
add_conflict(struct protocol_ack *a, const struct protocol_event *e, const char *why)
{
	struct protocol_conflict *x;

	a->conflicts = xrealloc(a->conflicts, (a->nconflicts + 1) * sizeof *a->conflicts);
	x = &a->conflicts[a->nconflicts++];
	memcpy(x->id, e->id, PROTOCOL_ID_LEN);
	x->seq = e->seq;
	x->reason = xstrdup(why);
	x->seq_taken = strcmp(why, WHY_SEQ_TAKEN) == 0;
}

/* Handles one event of the batch inside the open transaction. */
static int
put_one(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const struct protocol_event *e, json_object *parsed, int64_t now,
    struct protocol_ack *a, int64_t *max, char **cause)
{
	struct server_event	 old;
	const char		*why = NULL;
	int			 found, rc;

	if ((rc = server_store_event_get(tx, e->id, &old, &found, cause)) != 0)
		return rc;
	if (found) {
		if (strcmp(old.kiosk, k->id) != 0)
			why = WHY_OTHER_KIOSK;
		else if (old.seq == e->seq && strcmp(old.type, e->type) == 0 &&
		    strcmp(old.payload, e->payload) == 0) {
			server_event_free(&old);
			a->duplicates++;
			return 0;
		} else
			why = WHY_OTHER_TEXT;
		server_event_free(&old);
	}
	if (why == NULL) {
		if ((rc = server_store_seq_stored(tx, k->id, e->seq, &found, cause)) != 0)
			return rc;
		if (found)
			why = WHY_SEQ_TAKEN;
	}
	if (why != NULL) {
		/*
		 * Kept, so a supervisor can see it, and so its seq counts as held
		 * (a taken seq is held anyway: by the other id).
		 */
		rc = server_store_conflict_insert(tx, k->id, e, why, now, cause);
		if (rc != 0)
			return rc;
		add_conflict(a, e, why);
		return 0;
	}
	if ((rc = server_store_event_insert(tx, k->id, e, now, cause)) != 0)
		return rc;
	/* Refused earlier for a taken seq, now renumbered and stored: resolved. */
	rc = server_store_conflict_delete(tx, k->id, e->id, WHY_SEQ_TAKEN, cause);
	if (rc != 0)
		return rc;
	a->accepted++;
	if (e->seq > *max)
		*max = e->seq;
	return derive(tx, acc, k, e, parsed, cause);
}

/* Event i's payload as the batch's decode parsed it (NULL: parse the text). */
#define PARSED(b, i)	((b)->payloads != NULL ? (b)->payloads[i] : NULL)

static int
cmp_int64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/*
 * The events of a batch whose seqs are all above the kiosk's highest
 * stored one (a kiosk sending what is new: nearly every batch) cannot be
 * duplicates nor take a held seq: the new ones are stored in one go, and
 * only those whose id is held already are looked at one by one (they are
 * conflicts). Reports' facts follow in the batch's order.
 */
static int
put_new(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const struct protocol_batch *b, int64_t now, struct protocol_ack *a, int64_t *max,
    char **cause)
{
	unsigned char	*stored = xcalloc(b->n > 0 ? b->n : 1, 1);
	size_t		 i;
	int		 rc;

	rc = server_store_events_insert_new(tx, k->id, b->events, b->n, now,
	    WHY_SEQ_TAKEN, stored, cause);
	for (i = 0; i < b->n && rc == 0; i++) {
		if (!stored[i])
			rc = put_one(tx, acc, k, &b->events[i], PARSED(b, i), now, a, max,
			    cause);
		else {
			a->accepted++;
			if (b->events[i].seq > *max)
				*max = b->events[i].seq;
			rc = derive(tx, acc, k, &b->events[i], PARSED(b, i), cause);
		}
	}
	free(stored);
	return rc;
}

/* One attempt at the whole batch, in one transaction. */
static int
batch_once(struct server_store *st, const struct server_kiosk *k,
    const struct protocol_batch *b, struct protocol_ack *a, char **cause)
{
	struct server_tx	*tx;
	struct acc		 acc = { NULL, 0, 0, NULL, 0 };
	int64_t			 now = util_now_ms(), held = 0, taken = 0, max = 0;
	int64_t			*seen = NULL;
	size_t			 i, nseen = 0, next = 0;
	int			 rc, yes, fresh = 1;

	memset(a, 0, sizeof *a);
	if ((rc = server_store_begin(st, &tx, cause)) != 0)
		return rc;
	if ((rc = server_store_kiosk_lock(tx, k->id, &held, cause)) != 0 ||
	    (rc = server_store_kiosk_max_seq(tx, k->id, &max, cause)) != 0)
		goto bad;
	for (i = 0; i < b->n; i++)
		if (b->events[i].seq <= max)
			fresh = 0;
	if (fresh) {
		if ((rc = put_new(tx, &acc, k, b, now, a, &max, cause)) != 0)
			goto bad;
		i = b->n;
	} else
		for (i = 0; i < b->n; i++) {
			if ((rc = put_one(tx, &acc, k, &b->events[i], PARSED(b, i), now, a,
			    &max, cause)) != 0)
				goto bad;
			/*
			 * A seq held under another id: the kiosk was restored from an
			 * old backup and will renumber everything from here on, so
			 * nothing after it is stored under a number it is about to
			 * give up.
			 */
			if (a->nconflicts > 0 && a->conflicts[a->nconflicts - 1].seq_taken) {
				taken = b->events[i].seq;
				break;
			}
		}
	/*
	 * Every event before i is held now: stored, a duplicate, or kept as a
	 * conflict (i stops at an event refused for a taken seq: not held).
	 */
	nseen = i;
	seen = xcalloc(nseen > 0 ? nseen : 1, sizeof *seen);
	for (i = 0; i < nseen; i++)
		seen[i] = b->events[i].seq;
	qsort(seen, nseen, sizeof *seen, cmp_int64);
	/*
	 * held_seq moves up while the next seq is held (stored or in conflict):
	 * the batch's own seqs need no question to the store.
	 */
	for (;;) {
		while (next < nseen && seen[next] <= held)
			next++;
		if (next < nseen && seen[next] == held + 1) {
			held++;
			continue;
		}
		if ((rc = server_store_seq_held(tx, k->id, held + 1, &yes, cause)) != 0)
			goto bad;
		if (!yes)
			break;
		held++;
	}
	/* The refused event must not count as held, or the kiosk marks it sent. */
	a->held_seq = taken > 0 && held >= taken ? taken - 1 : held;
	a->max_seq = max;
	if ((rc = server_store_kiosk_set_held(tx, k->id, held, now, cause)) != 0)
		goto bad;
	/* Last, so the rows every batch shares are locked for the least time. */
	if ((rc = acc_flush(tx, &acc, cause)) != 0)
		goto bad;
	free(seen);
	if ((rc = server_store_commit(tx, cause)) != 0) {
		protocol_ack_free(a);
		return rc;
	}
	a->kiosk = xstrdup(k->id);
	a->server_time = util_now_ms();
	return 0;
bad:
	free(seen);
	acc_free(&acc);
	server_store_rollback(tx);
	protocol_ack_free(a);
	return rc;
}

int
server_ingest_batch(struct server_store *st, const struct server_kiosk *k,
    const struct protocol_batch *b, struct protocol_ack *a, char **cause)
{
	int i, rc = SERVER_STORE_FAIL;

	for (i = 0; i < RETRIES; i++) {
		free(*cause);
		*cause = NULL;
		if ((rc = batch_once(st, k, b, a, cause)) != SERVER_STORE_RETRY)
			return rc;
	}
	/* Lost the race every time: the kiosk tries again later. */
	return SERVER_STORE_BUSY;
}

/* Content --------------------------------------------------------------- */

static void
add_problem(char ***v, size_t *n, char *line)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = line;
}

static void
problems_free(char ***v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

static int
publish_once(struct server_store *st, const struct server_checklist *cl, size_t n,
    int64_t *version, size_t *added, char ***problems, size_t *nproblems,
    char **cause)
{
	struct server_tx	*tx;
	char			*fresh, *json;
	size_t			 i;
	int			 rc, found;

	*version = 0;
	*added = 0;
	*problems = NULL;
	*nproblems = 0;
	if ((rc = server_store_begin(st, &tx, cause)) != 0)
		return rc;
	fresh = xcalloc(n > 0 ? n : 1, 1);
	if ((rc = server_store_content_lock(tx, cause)) != 0)
		goto bad;
	for (i = 0; i < n; i++) {
		int64_t newest = 0;

		rc = server_store_checklist_get(tx, cl[i].id, cl[i].version, &json, &found,
		    cause);
		if (rc != 0)
			goto bad;
		if (found) {
			if (strcmp(json, cl[i].json) != 0)
				add_problem(problems, nproblems, xasprintf(_("%s: phiên bản %d "
				    "đã được phát hành với nội dung khác; hãy tăng \"version\"."), cl[i].id, cl[i].version));
			free(json);
			continue;
		}
		if ((rc = server_store_checklist_newest(tx, cl[i].id, &newest, cause)) != 0)
			goto bad;
		if (newest > cl[i].version)
			add_problem(problems, nproblems, xasprintf(_("%s: phiên bản %d cũ hơn "
			    "bản đã phát hành (%lld)."), cl[i].id, cl[i].version, (long long)newest));
		else {
			fresh[i] = 1;
			(*added)++;
		}
	}
	if ((rc = server_store_content_version(tx, version, cause)) != 0)
		goto bad;
	if (*nproblems > 0) {
		*added = 0;
		rc = fail(cause, _("%zu lỗi; chưa phát hành gì."), *nproblems);
		server_store_rollback(tx);
		free(fresh);
		return rc;
	}
	if (*added == 0) {
		server_store_rollback(tx);
		free(fresh);
		return 0;
	}
	(*version)++;
	if ((rc = server_store_content_version_add(tx, *version, util_now_ms(),
	    cause)) != 0)
		goto bad;
	for (i = 0; i < n; i++)
		if (fresh[i] &&
		    (rc = server_store_checklist_insert(tx, &cl[i], *version, cause)) != 0)
			goto bad;
	free(fresh);
	return server_store_commit(tx, cause);
bad:
	server_store_rollback(tx);
	free(fresh);
	problems_free(problems, nproblems);
	*added = 0;
	return rc;
}

int
server_ingest_publish(struct server_store *st, const struct server_checklist *cl,
    size_t n, int64_t *version, size_t *added, char ***problems, size_t *nproblems,
    char **cause)
{
	int i, rc = SERVER_STORE_FAIL;

	for (i = 0; i < RETRIES; i++) {
		free(*cause);
		*cause = NULL;
		rc = publish_once(st, cl, n, version, added, problems, nproblems, cause);
		if (rc != SERVER_STORE_RETRY)
			return rc;
	}
	return SERVER_STORE_BUSY;
}

/* Building the rollups from the facts ------------------------------------ */

struct build {
	struct server_tx		*tx;
	struct acc			 acc;
	const struct server_table	*t;
	struct server_kiosk		*kiosks;
	size_t				 nkiosks;
	enum server_fact_kind		 kind;
	long long			 n;
	char				**cause;
};

static int
kiosk_cmp(const void *a, const void *b)
{
	return strcmp(((const struct server_kiosk *)a)->id,
	    ((const struct server_kiosk *)b)->id);
}

static const char *
col(const struct server_table *t, const char *const *vals, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return vals[i];
	return NULL;
}

static int
build_one(void *arg, const char *const *vals)
{
	struct build		*b = arg;
	struct server_kiosk	 key, *k;
	struct server_fact_row	 r;
	const char		*at = col(b->t, vals, "at");
	int			 rc;

	memset(&key, 0, sizeof key);
	key.id = (char *)col(b->t, vals, "kiosk");
	if (key.id == NULL || b->nkiosks == 0 || (k = bsearch(&key, b->kiosks,
	    b->nkiosks, sizeof *k, kiosk_cmp)) == NULL)
		return 0;	/* a fact of no kiosk: reports never showed it */
	memset(&r, 0, sizeof r);
	r.kind = b->kind;
	r.event = (char *)col(b->t, vals, "event");
	r.session = (char *)col(b->t, vals, "session");
	r.resident = (char *)col(b->t, vals, "resident");
	r.checklist = (char *)col(b->t, vals, "checklist");
	r.category = (char *)col(b->t, vals, "category");
	r.outcome = (char *)col(b->t, vals, "outcome");
	r.step = (char *)col(b->t, vals, "step");
	r.reason = (char *)col(b->t, vals, "reason");
	r.at = at != NULL ? strtoll(at, NULL, 10) : 0;
	b->n++;
	if ((rc = contrib(b->tx, &b->acc, k, &r, +1, ALL, b->cause)) != 0)
		return rc;
	/* Bounded: the changes of a few hundred facts at a time. */
	return b->n % 500 == 0 ? acc_flush(b->tx, &b->acc, b->cause) : 0;
}

static const struct server_table *
table(const char *name)
{
	size_t i;

	for (i = 0; i < server_ntables; i++)
		if (strcmp(server_tables[i].name, name) == 0)
			return &server_tables[i];
	return NULL;
}

int
server_ingest_rollups_build(struct server_store *st, int force, char **cause)
{
	static const struct {
		const char		*table;
		enum server_fact_kind	 kind;
	} order[] = {
		/* Sessions first: then no finish or block waits for its session. */
		{ "f_session", SERVER_FACT_SESSION },
		{ "f_finish", SERVER_FACT_FINISH },
		{ "f_block", SERVER_FACT_BLOCK },
	};
	struct build	 b;
	size_t		 i;
	int		 rc, built, todo;

	if (!force) {
		if ((rc = server_store_rollups_built(st, &built, cause)) != 0 || built)
			return rc;
	}
	memset(&b, 0, sizeof b);
	b.cause = cause;
	if ((rc = server_store_kiosk_list(st, &b.kiosks, &b.nkiosks, cause)) != 0)
		return rc;
	if (b.nkiosks > 1)
		qsort(b.kiosks, b.nkiosks, sizeof *b.kiosks, kiosk_cmp);
	if ((rc = server_store_begin(st, &b.tx, cause)) != 0)
		goto out;
	/* Another process may have built them meanwhile: claim says. */
	if ((rc = server_store_rollups_claim(b.tx, force, &todo, cause)) != 0 || !todo)
		goto end;
	for (i = 0; i < sizeof order / sizeof order[0] && rc == 0; i++) {
		b.t = table(order[i].table);
		b.kind = order[i].kind;
		rc = server_store_rows(st, b.t, build_one, &b, cause);
	}
	if (rc == 0)
		rc = acc_flush(b.tx, &b.acc, cause);
	acc_free(&b.acc);
	if (rc == 0)
		rc = server_store_rollups_done(b.tx, cause);
end:
	if (rc == 0)
		rc = server_store_commit(b.tx, cause);
	else
		server_store_rollback(b.tx);
out:
	for (i = 0; i < b.nkiosks; i++)
		server_kiosk_free(&b.kiosks[i]);
	free(b.kiosks);
	return rc;
}
