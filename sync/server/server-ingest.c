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

static int
derive(struct server_tx *tx, const char *kiosk, const struct protocol_event *e,
    char **cause)
{
	struct server_fact	 f;
	struct event_buf	 b;
	json_object		*p;
	int			 rc = 0;

	if (event_type_parse(e->type) == EVENT_UNKNOWN ||
	    (p = json_tokener_parse(e->payload)) == NULL)
		return 0;
	if (fact_of(kiosk, e, p, &f, &b))
		rc = server_store_fact_put(tx, &f, cause);
	json_object_put(p);
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
put_one(struct server_tx *tx, const struct server_kiosk *k,
    const struct protocol_event *e, int64_t now, struct protocol_ack *a, char **cause)
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
	return derive(tx, k->id, e, cause);
}

/* One attempt at the whole batch, in one transaction. */
static int
batch_once(struct server_store *st, const struct server_kiosk *k,
    const struct protocol_batch *b, struct protocol_ack *a, char **cause)
{
	struct server_tx	*tx;
	int64_t			 now = util_now_ms(), held = 0, taken = 0;
	size_t			 i;
	int			 rc, yes;

	memset(a, 0, sizeof *a);
	if ((rc = server_store_begin(st, &tx, cause)) != 0)
		return rc;
	if ((rc = server_store_kiosk_lock(tx, k->id, &held, cause)) != 0)
		goto bad;
	for (i = 0; i < b->n; i++) {
		if ((rc = put_one(tx, k, &b->events[i], now, a, cause)) != 0)
			goto bad;
		/*
		 * A seq held under another id: the kiosk was restored from an old
		 * backup and will renumber everything from here on, so nothing
		 * after it is stored under a number it is about to give up.
		 */
		if (a->nconflicts > 0 && a->conflicts[a->nconflicts - 1].seq_taken) {
			taken = b->events[i].seq;
			break;
		}
	}
	/* held_seq moves up while the next seq is held (stored or in conflict). */
	for (;;) {
		if ((rc = server_store_seq_held(tx, k->id, held + 1, &yes, cause)) != 0)
			goto bad;
		if (!yes)
			break;
		held++;
	}
	/* The refused event must not count as held, or the kiosk marks it sent. */
	a->held_seq = taken > 0 && held >= taken ? taken - 1 : held;
	if ((rc = server_store_kiosk_max_seq(tx, k->id, &a->max_seq, cause)) != 0)
		goto bad;
	if ((rc = server_store_kiosk_set_held(tx, k->id, held, now, cause)) != 0)
		goto bad;
	if ((rc = server_store_commit(tx, cause)) != 0) {
		protocol_ack_free(a);
		return rc;
	}
	a->kiosk = xstrdup(k->id);
	a->server_time = util_now_ms();
	return 0;
bad:
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
				add_problem(problems, nproblems, xasprintf(L("%s: phiên bản %d "
				    "đã được phát hành với nội dung khác; hãy tăng \"version\".",
				    "%s: version %d was already published with other content; "
				    "raise \"version\"."), cl[i].id, cl[i].version));
			free(json);
			continue;
		}
		if ((rc = server_store_checklist_newest(tx, cl[i].id, &newest, cause)) != 0)
			goto bad;
		if (newest > cl[i].version)
			add_problem(problems, nproblems, xasprintf(L("%s: phiên bản %d cũ hơn "
			    "bản đã phát hành (%lld).", "%s: version %d is older than the one "
			    "published (%lld)."), cl[i].id, cl[i].version, (long long)newest));
		else {
			fresh[i] = 1;
			(*added)++;
		}
	}
	if ((rc = server_store_content_version(tx, version, cause)) != 0)
		goto bad;
	if (*nproblems > 0) {
		*added = 0;
		rc = fail(cause, L("%zu lỗi; chưa phát hành gì.", "%zu problems; nothing was "
		    "published."), *nproblems);
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
