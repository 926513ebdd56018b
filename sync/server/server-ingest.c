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
 * What one transaction changes in the rollups, kept in memory and written
 * at its end (acc_flush) in one call per table: a rollup row however many
 * facts touch it, and a resident's seen rows read once (all of them, one
 * statement) however many sessions the batch has. Every row is the kiosk's
 * own (see server-store.h), and the batch holds the kiosk's lock, so what
 * is kept here stays true until the end. Entries are found by their key
 * (its fields joined by NULs) through an open-addressing hash table.
 */
struct keyed {
	char	*key;		/* fields, each NUL-terminated */
	size_t	 len;
};
struct table {
	size_t	*slot;		/* entry index + 1; 0 empty */
	size_t	 cap;		/* a power of two, or 0 */
};

#define SUM_KEYS	6	/* grouping, kiosk, k1, k2, k3, period */
#define SUMS		9	/* started, finished, completed, blocked,
				   first_ever, first_year, first_month, on_day,
				   last_ever */
struct sum_entry {
	struct keyed	 k;
	int64_t		 d[SUMS];
};
#define SEEN_KEYS	7	/* kiosk, resident, grouping, k1, k2, k3, period */
struct seen_entry {
	struct keyed	 k;
	char		 first[11];
	char		 last[11];	/* period "" only */
	int64_t		 n;
	int		 dirty;
};
/*
 * What the store says of a session or a resident's hamlet, read once a
 * transaction and kept as facts are put: most finishes and blocks belong
 * to a session of the same batch, and a resident has many sessions, so a
 * question per fact would mostly ask again (a round trip each on
 * PostgreSQL).
 */
#define MEMO_KEYS	2	/* kiosk, session or resident */
struct session_memo {
	struct keyed		 k;
	int			 found;
	struct server_fact_row	 row;
};
struct hamlet_memo {
	struct keyed	 k;
	int		 found;
	char		*hamlet;
};
/*
 * A session's finishes and blocks the store holds, asked for a batch's new
 * sessions at once where the store answers many as cheaply as one, and
 * kept as the batch puts more (an unblock makes them unknown again).
 */
struct deps_memo {
	struct keyed		 k;
	int			 known;
	struct server_fact_row	*v;
	size_t			 n, cap;
};
struct acc {
	struct deps_memo	*deps;
	size_t			 ndeps, capdeps;
	struct table		 tdeps;
	struct session_memo	*ses;
	size_t			 nses, capses;
	struct table		 tses;
	struct hamlet_memo	*ham;
	size_t			 nham, capham;
	struct table		 tham;
	struct sum_entry	*sum;
	size_t			 nsum, capsum;
	struct table		 tsum;
	struct seen_entry	*seen;
	size_t			 nseen, capseen;
	struct table		 tseen;
	struct keyed		*loaded;	/* kiosk, resident whose rows are in */
	size_t			 nloaded, caploaded;
	struct table		 tloaded;
	/* ms added to the kiosk's times: its clock offset, measured with the
	 * upload (server clock minus the kiosk's), so a fact's day is the
	 * corrected one, the same in its rollups and its own row. */
	int64_t			 offset;
};

static struct keyed
key_make(const char *const *f, int nf)
{
	struct keyed	k;
	size_t		l[SEEN_KEYS], i;
	char		*p;

	k.len = 0;
	for (i = 0; i < (size_t)nf; i++)
		k.len += (l[i] = strlen(f[i])) + 1;
	p = k.key = xmalloc(k.len);
	for (i = 0; i < (size_t)nf; i++) {
		memcpy(p, f[i], l[i] + 1);
		p += l[i] + 1;
	}
	return k;
}

/* The fields of a key, in order. */
static void
key_fields(const struct keyed *k, const char **f, int nf)
{
	const char	*p = k->key;
	int		 i;

	for (i = 0; i < nf; i++) {
		f[i] = p;
		p += strlen(p) + 1;
	}
}

static size_t
key_hash(const char *s, size_t len)
{
	size_t h = 1469598103934665603ULL, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/*
 * The index of the entry whose key is k (entries: n of them, each of size
 * esz beginning with a struct keyed), or n when there is none: then the
 * caller appends it and calls table_put.
 */
static size_t
table_find(const struct table *t, const void *entries, size_t esz, size_t n,
    const struct keyed *k, size_t *at)
{
	size_t i;

	if (t->cap == 0)
		return n;
	for (i = key_hash(k->key, k->len) & (t->cap - 1); t->slot[i] != 0;
	    i = (i + 1) & (t->cap - 1)) {
		const struct keyed *e = (const struct keyed *)((const char *)entries +
		    (t->slot[i] - 1) * esz);

		if (e->len == k->len && memcmp(e->key, k->key, k->len) == 0)
			return t->slot[i] - 1;
	}
	*at = i;
	return n;
}

/* Notes entry idx (already appended, n entries now) in t. */
static void
table_put(struct table *t, const void *entries, size_t esz, size_t n, size_t idx)
{
	size_t i, j;

	if (2 * n > t->cap) {
		free(t->slot);
		t->cap = t->cap ? t->cap * 2 : 256;
		while (2 * n > t->cap)
			t->cap *= 2;
		t->slot = xcalloc(t->cap, sizeof *t->slot);
		for (j = 0; j < n; j++) {
			const struct keyed *e = (const struct keyed *)((const char *)entries +
			    j * esz);

			for (i = key_hash(e->key, e->len) & (t->cap - 1); t->slot[i] != 0;
			    i = (i + 1) & (t->cap - 1))
				;
			t->slot[i] = j + 1;
		}
		return;
	}
	{
		const struct keyed *e = (const struct keyed *)((const char *)entries +
		    idx * esz);

		for (i = key_hash(e->key, e->len) & (t->cap - 1); t->slot[i] != 0;
		    i = (i + 1) & (t->cap - 1))
			;
		t->slot[i] = idx + 1;
	}
}

static void
table_clear(struct table *t)
{
	free(t->slot);
	t->slot = NULL;
	t->cap = 0;
}

static void
acc_add(struct acc *a, const struct server_rollup *r)
{
	const char	*f[SUM_KEYS] = { r->grouping, r->kiosk, r->k[0], r->k[1],
			    r->k[2], r->period };
	int64_t		 d[SUMS] = { r->started, r->finished, r->completed,
			    r->blocked, r->first_ever, r->first_year, r->first_month,
			    r->on_day, r->last_ever };
	struct keyed	 k = key_make(f, SUM_KEYS);
	size_t		 i, j, at = 0;

	i = table_find(&a->tsum, a->sum, sizeof *a->sum, a->nsum, &k, &at);
	if (i == a->nsum) {
		if (a->nsum == a->capsum) {
			a->capsum = a->capsum ? a->capsum * 2 : 64;
			a->sum = xrealloc(a->sum, a->capsum * sizeof *a->sum);
		}
		a->sum[i].k = k;
		memset(a->sum[i].d, 0, sizeof a->sum[i].d);
		a->nsum++;
		table_put(&a->tsum, a->sum, sizeof *a->sum, a->nsum, i);
	} else
		free(k.key);
	for (j = 0; j < SUMS; j++)
		a->sum[i].d[j] += d[j];
	/*
	 * A kiosk's day is also counted in its shard's day (SERVER_GRP_DAYS),
	 * so the nation's report by day reads SERVER_SHARDS rows a day, not a
	 * row per kiosk; kiosks share a shard's row, one in SERVER_SHARDS.
	 */
	if (strcmp(r->grouping, SERVER_GRP_KIOSK) == 0 && strlen(r->period) == 10) {
		struct server_rollup	sh = *r;
		char			id[16];

		snprintf(id, sizeof id, "%u", (unsigned)(key_hash(r->kiosk,
		    strlen(r->kiosk)) % SERVER_SHARDS));
		sh.grouping = SERVER_GRP_DAYS;
		sh.kiosk = id;
		sh.first_ever = sh.first_year = sh.first_month = sh.last_ever = 0;
		acc_add(a, &sh);
	}
}

/* The seen entry of these fields, made (empty: n 0) when missing. */
static struct seen_entry *
seen_entry(struct acc *a, const char *const *f)
{
	struct keyed	k = key_make(f, SEEN_KEYS);
	size_t		i, at = 0;

	i = table_find(&a->tseen, a->seen, sizeof *a->seen, a->nseen, &k, &at);
	if (i < a->nseen) {
		free(k.key);
		return &a->seen[i];
	}
	if (a->nseen == a->capseen) {
		a->capseen = a->capseen ? a->capseen * 2 : 64;
		a->seen = xrealloc(a->seen, a->capseen * sizeof *a->seen);
	}
	memset(&a->seen[i], 0, sizeof a->seen[i]);
	a->seen[i].k = k;
	a->nseen++;
	table_put(&a->tseen, a->seen, sizeof *a->seen, a->nseen, i);
	return &a->seen[i];
}

/* Notes that a resident's seen rows are in (1), or were already (0). */
static int
seen_loaded(struct acc *a, const char *kiosk, const char *resident)
{
	const char	*f[2] = { kiosk, resident };
	struct keyed	 k = key_make(f, 2);
	size_t		 i, at = 0;

	i = table_find(&a->tloaded, a->loaded, sizeof *a->loaded, a->nloaded, &k, &at);
	if (i < a->nloaded) {
		free(k.key);
		return 0;
	}
	if (a->nloaded == a->caploaded) {
		a->caploaded = a->caploaded ? a->caploaded * 2 : 32;
		a->loaded = xrealloc(a->loaded, a->caploaded * sizeof *a->loaded);
	}
	a->loaded[a->nloaded++] = k;
	table_put(&a->tloaded, a->loaded, sizeof *a->loaded, a->nloaded, a->nloaded - 1);
	return 1;
}

/* Seen rows as the store holds them, into a (and frees them). */
static void
seen_add(struct acc *a, struct server_seen *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char		*g[SEEN_KEYS] = { v[i].kiosk, v[i].resident,
					    v[i].grouping, v[i].k[0], v[i].k[1], v[i].k[2],
					    v[i].period };
		struct seen_entry	*e = seen_entry(a, g);

		snprintf(e->first, sizeof e->first, "%s", v[i].first);
		snprintf(e->last, sizeof e->last, "%s", v[i].last != NULL ? v[i].last : "");
		e->n = v[i].n;
	}
	server_seen_free(v, n);
}

/* Reads a resident's seen rows once a transaction (all in one statement). */
static int
seen_load(struct server_tx *tx, struct acc *a, const char *kiosk,
    const char *resident, char **cause)
{
	struct server_seen	*v;
	size_t			 n;
	int			 rc;

	if (!seen_loaded(a, kiosk, resident))
		return 0;
	if ((rc = server_store_seen_get(tx, kiosk, resident, &v, &n, cause)) != 0)
		return rc;
	seen_add(a, v, n);
	return 0;
}

/*
 * The entry of key f (MEMO_KEYS fields) in a memo of entries of size esz,
 * appended (zeroed but for its key) when missing; *fresh says which.
 */
static void *
memo_entry(void **v, size_t *n, size_t *cap, size_t esz, struct table *t,
    const char *const *f, int *fresh)
{
	struct keyed	k = key_make(f, MEMO_KEYS);
	size_t		i, at = 0;
	char		*e;

	i = table_find(t, *v, esz, *n, &k, &at);
	if (i < *n) {
		free(k.key);
		*fresh = 0;
		return (char *)*v + i * esz;
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xrealloc(*v, *cap * esz);
	}
	e = (char *)*v + i * esz;
	memset(e, 0, esz);
	*(struct keyed *)e = k;
	(*n)++;
	table_put(t, *v, esz, *n, i);
	*fresh = 1;
	return e;
}

/* The entry of key f in a memo, or NULL. */
static void *
memo_find(void *v, size_t n, size_t esz, const struct table *t, const char *const *f)
{
	struct keyed	k = key_make(f, MEMO_KEYS);
	size_t		i, at = 0;

	i = table_find(t, v, esz, n, &k, &at);
	free(k.key);
	return i < n ? (char *)v + i * esz : NULL;
}

/* The known finishes and blocks of a session, or NULL: ask the store. */
static struct deps_memo *
deps_known(struct acc *a, const char *kiosk, const char *session)
{
	const char		*f[MEMO_KEYS] = { kiosk, session };
	struct deps_memo	*e;

	e = memo_find(a->deps, a->ndeps, sizeof *a->deps, &a->tdeps, f);
	return e != NULL && e->known ? e : NULL;
}

static void
deps_forget(struct deps_memo *e)
{
	server_fact_rows_free(e->v, e->n);
	e->v = NULL;
	e->n = e->cap = 0;
	e->known = 0;
}

/* A row the store holds now for e's session (the fields copied). */
static void
deps_add(struct deps_memo *e, const struct server_fact_row *r)
{
	struct server_fact_row *x;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->v = xrealloc(e->v, e->cap * sizeof *e->v);
	}
	x = &e->v[e->n++];
	memset(x, 0, sizeof *x);
	x->kind = r->kind;
#define DUP(f)	x->f = r->f != NULL ? xstrdup(r->f) : NULL
	DUP(event);
	DUP(session);
	DUP(resident);
	DUP(checklist);
	DUP(category);
	DUP(outcome);
	DUP(step);
	DUP(reason);
#undef DUP
	x->at = r->at;
}

/* The session's fact as the store holds it now (*row borrowed: valid until a's next flush). */
static int
memo_session(struct server_tx *tx, struct acc *a, const char *kiosk, const char *session,
    struct server_fact_row *row, int *found, char **cause)
{
	const char		*f[MEMO_KEYS] = { kiosk, session };
	struct session_memo	*e;
	int			 fresh, rc;

	e = memo_entry((void **)&a->ses, &a->nses, &a->capses, sizeof *a->ses, &a->tses,
	    f, &fresh);
	/* A failed question ends the transaction, and a with it. */
	if (fresh && (rc = server_store_session_get(tx, kiosk, session, &e->row, &e->found,
	    cause)) != 0)
		return rc;
	*row = e->row;
	*found = e->found;
	return 0;
}

/* A session's fact was put: what the memo says from now on. */
static void
memo_session_put(struct acc *a, const struct server_fact *f)
{
	const char		*k[MEMO_KEYS] = { f->kiosk, f->session };
	struct session_memo	*e;
	int			 fresh;

	e = memo_entry((void **)&a->ses, &a->nses, &a->capses, sizeof *a->ses, &a->tses,
	    k, &fresh);
	server_fact_row_free(&e->row);
	e->found = 1;
	e->row.kind = SERVER_FACT_SESSION;
	e->row.session = xstrdup(f->session);
	e->row.resident = f->resident != NULL ? xstrdup(f->resident) : NULL;
	e->row.checklist = f->checklist != NULL ? xstrdup(f->checklist) : NULL;
	e->row.category = f->category != NULL ? xstrdup(f->category) : NULL;
	e->row.at = f->at;
}

/* A resident's hamlet as the store holds it now (*hamlet borrowed, as above). */
static int
memo_hamlet(struct server_tx *tx, struct acc *a, const char *kiosk, const char *resident,
    const char **hamlet, int *found, char **cause)
{
	const char		*f[MEMO_KEYS] = { kiosk, resident };
	struct hamlet_memo	*e;
	int			 fresh, rc;

	e = memo_entry((void **)&a->ham, &a->nham, &a->capham, sizeof *a->ham, &a->tham,
	    f, &fresh);
	if (fresh && (rc = server_store_resident_hamlet(tx, kiosk, resident, &e->hamlet,
	    &e->found, cause)) != 0)
		return rc;
	*hamlet = e->hamlet;
	*found = e->found;
	return 0;
}

/* A resident's fact was put (the first one counts): its hamlet from now on. */
static void
memo_hamlet_put(struct acc *a, const struct server_fact *f)
{
	const char		*k[MEMO_KEYS] = { f->kiosk, f->resident };
	struct hamlet_memo	*e;
	int			 fresh;

	e = memo_entry((void **)&a->ham, &a->nham, &a->capham, sizeof *a->ham, &a->tham,
	    k, &fresh);
	free(e->hamlet);
	e->found = 1;
	e->hamlet = f->hamlet != NULL ? xstrdup(f->hamlet) : NULL;
}

static void
acc_free(struct acc *a)
{
	size_t i;

	for (i = 0; i < a->ndeps; i++) {
		free(a->deps[i].k.key);
		server_fact_rows_free(a->deps[i].v, a->deps[i].n);
	}
	free(a->deps);
	table_clear(&a->tdeps);
	a->deps = NULL;
	a->ndeps = a->capdeps = 0;
	for (i = 0; i < a->nses; i++) {
		free(a->ses[i].k.key);
		server_fact_row_free(&a->ses[i].row);
	}
	for (i = 0; i < a->nham; i++) {
		free(a->ham[i].k.key);
		free(a->ham[i].hamlet);
	}
	free(a->ses);
	free(a->ham);
	table_clear(&a->tses);
	table_clear(&a->tham);
	a->ses = NULL;
	a->ham = NULL;
	a->nses = a->capses = a->nham = a->capham = 0;

	for (i = 0; i < a->nsum; i++)
		free(a->sum[i].k.key);
	for (i = 0; i < a->nseen; i++)
		free(a->seen[i].k.key);
	for (i = 0; i < a->nloaded; i++)
		free(a->loaded[i].key);
	free(a->sum);
	free(a->seen);
	free(a->loaded);
	table_clear(&a->tsum);
	table_clear(&a->tseen);
	table_clear(&a->tloaded);
	a->sum = NULL;
	a->seen = NULL;
	a->loaded = NULL;
	a->nsum = a->capsum = a->nseen = a->capseen = a->nloaded = a->caploaded = 0;
}

static int
sum_cmp(const void *pa, const void *pb)
{
	const struct sum_entry *a = pa, *b = pb;
	size_t n = a->k.len < b->k.len ? a->k.len : b->k.len;
	int c = memcmp(a->k.key, b->k.key, n);

	return c != 0 ? c : a->k.len < b->k.len ? -1 : a->k.len > b->k.len;
}

/* Writes the changes, seen rows then rollups, one call each, and empties a. */
static int
acc_flush(struct server_tx *tx, struct acc *a, char **cause)
{
	struct server_seen	*sv;
	struct server_rollup	*rv;
	const char		*f[SEEN_KEYS];
	size_t			 i, j, n = 0;
	int			 rc;

	sv = xcalloc(a->nseen > 0 ? a->nseen : 1, sizeof *sv);
	for (i = 0; i < a->nseen; i++) {
		if (!a->seen[i].dirty)
			continue;
		key_fields(&a->seen[i].k, f, SEEN_KEYS);
		sv[n].kiosk = f[0];
		sv[n].resident = f[1];
		sv[n].grouping = f[2];
		sv[n].k[0] = f[3];
		sv[n].k[1] = f[4];
		sv[n].k[2] = f[5];
		sv[n].period = f[6];
		sv[n].first = a->seen[i].first;
		sv[n].last = a->seen[i].last;
		sv[n].n = a->seen[i].n;
		n++;
	}
	rc = server_store_seen_put(tx, sv, n, cause);
	free(sv);
	if (rc != 0) {
		acc_free(a);
		return rc;
	}
	/* In key order: the same rows always in the same order. */
	if (a->nsum > 1)
		qsort(a->sum, a->nsum, sizeof *a->sum, sum_cmp);
	rv = xcalloc(a->nsum > 0 ? a->nsum : 1, sizeof *rv);
	for (i = n = 0; i < a->nsum; i++) {
		struct sum_entry *e = &a->sum[i];

		for (j = 0; j < SUMS && e->d[j] == 0; j++)
			;
		if (j == SUMS)
			continue;	/* moved there and back */
		key_fields(&e->k, f, SUM_KEYS);
		rv[n].grouping = f[0];
		rv[n].kiosk = f[1];
		rv[n].k[0] = f[2];
		rv[n].k[1] = f[3];
		rv[n].k[2] = f[4];
		rv[n].period = f[5];
		rv[n].started = e->d[0];
		rv[n].finished = e->d[1];
		rv[n].completed = e->d[2];
		rv[n].blocked = e->d[3];
		rv[n].first_ever = e->d[4];
		rv[n].first_year = e->d[5];
		rv[n].first_month = e->d[6];
		rv[n].on_day = e->d[7];
		rv[n].last_ever = e->d[8];
		n++;
	}
	rc = server_store_rollups_add(tx, rv, n, cause);
	free(rv);
	acc_free(a);
	return rc;
}

/* The period of day at level lvl: "" (ever), "YYYY", "YYYY-MM", the day. */
static void
period_of(const char *day, int lvl, char out[11])
{
	static const int len[] = { 0, 4, 7, 10 };

	snprintf(out, 11, "%.*s", len[lvl], day);
}

/* Adds r's counts (and nothing else) to its year, month and day. */
static void
acc_add_periods(struct acc *a, struct server_rollup *r, const char *day)
{
	char	p[11];
	int	lvl;

	for (lvl = 1; lvl <= 3; lvl++) {
		period_of(day, lvl, p);
		r->period = p;
		acc_add(a, r);
	}
	r->period = NULL;
}

/*
 * A resident's day in key's people moves from old to day (either NULL:
 * none): its first day in a period of level lvl (0 ever, 1 its year, 2 its
 * month, 3 the day itself), counted as first_ever, first_year, first_month
 * or on_day, or with lvl LAST_EVER its last day ever (last_ever). The rows
 * of both days change, in that day's periods at lvl and below.
 */
#define LAST_EVER	4
static void
day_move(struct acc *a, const struct server_rollup *key, int lvl, const char *old,
    const char *day)
{
	struct server_rollup	r;
	char			p[11];
	int			i, at;

	for (i = 0; i < 2; i++) {
		const char	*d = i == 0 ? old : day;
		int64_t		 v = i == 0 ? -1 : 1;

		if (d == NULL)
			continue;
		memset(&r, 0, sizeof r);
		r.grouping = key->grouping;
		r.kiosk = key->kiosk;
		memcpy(r.k, key->k, sizeof r.k);
		for (at = lvl == 2 || lvl == 3 ? lvl : 1; at <= 3; at++) {
			period_of(d, at, p);
			r.period = p;
			r.first_ever = lvl == 0 ? v : 0;
			r.first_year = lvl == 1 ? v : 0;
			r.first_month = lvl == 2 ? v : 0;
			r.on_day = lvl == 3 ? v : 0;
			r.last_ever = lvl == LAST_EVER ? v : 0;
			acc_add(a, &r);
		}
	}
}

/*
 * Counts sign times a session of resident on day in key's people: in each
 * period of the day (ever, its year, month, the day) the resident's first
 * day there is kept (and ever, the last). A seen row is written only when
 * it comes, goes or its days move, not at every session: n is 1 while the
 * resident is there (rows from before may hold a count: any n > 0 is
 * there). Sessions leave a key only when a hamlet move takes all of the
 * resident's at once (resident_moves), so the first to leave empties it.
 */
static int
people(struct server_tx *tx, struct acc *a, const struct server_rollup *key,
    const char *resident, const char *day, int sign, char **cause)
{
	char	p[11], old[11];
	int	lvl, rc;

	if ((rc = seen_load(tx, a, key->kiosk, resident, cause)) != 0)
		return rc;
	for (lvl = 0; lvl <= 3; lvl++) {
		const char		*f[SEEN_KEYS] = { key->kiosk, resident, key->grouping,
					    key->k[0], key->k[1], key->k[2], p };
		struct seen_entry	*e;
		int			 had;

		period_of(day, lvl, p);
		e = seen_entry(a, f);
		had = e->n > 0;
		snprintf(old, sizeof old, "%s", e->first);
		if (sign > 0) {
			int moved = 0;

			if (!had || strcmp(day, old) < 0) {
				day_move(a, key, lvl, had ? old : NULL, day);
				snprintf(e->first, sizeof e->first, "%.10s", day);
				e->n = 1;
				moved = 1;
			}
			/* Ever: the last day too. */
			if (lvl == 0 && (!had || strcmp(day, e->last) > 0)) {
				day_move(a, key, LAST_EVER, had ? e->last : NULL, day);
				snprintf(e->last, sizeof e->last, "%.10s", day);
				moved = 1;
			}
			if (!moved)
				continue;
		} else if (had) {
			e->n = 0;
			day_move(a, key, lvl, old, NULL);
			if (lvl == 0)
				day_move(a, key, LAST_EVER, e->last, NULL);
		} else
			continue;
		e->dirty = 1;
	}
	return 0;
}

/* The groupings a fact counts in; reason counts blocks only. */
enum grouping { G_KIOSK, G_HAMLET, G_CHECKLIST, G_CATEGORY, G_REASON, NGROUPINGS };
static const char *const grouping_name[NGROUPINGS] = {
	SERVER_GRP_KIOSK, SERVER_GRP_HAMLET, SERVER_GRP_CHECKLIST, SERVER_GRP_CATEGORY,
	SERVER_GRP_REASON
};
#define ALL		0x1f
#define ONLY(g)		(1u << (g))

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * Whom a session counts in people: its resident, or, for a resident who
 * kept no record (the kiosk asks; they may say no), the session itself —
 * one person, as the kiosk's own report counts them. Session and resident
 * ids are both UUIDs, so the two never meet.
 */
static const char *
fact_person(const struct server_fact_row *f)
{
	return f->resident != NULL ? f->resident : f->session;
}

/*
 * Adds sign times fact f's counts to its kiosk's rollups in the groupings
 * of mask, keyed as reports group it: the kiosk itself (its commune,
 * province and the day come from it), the hamlet — the resident's when the
 * session's resident gives one, else the kiosk's — the checklist (the
 * fact's own, else its session's), the session's category and, for
 * blocks, the reason. A session also counts its resident in each key's
 * people (see people()).
 */
static int
contrib(struct server_tx *tx, struct acc *acc, const struct server_kiosk *k,
    const struct server_fact_row *f, int sign, unsigned mask, char **cause)
{
	struct server_fact_row	 sess;
	const struct server_fact_row *s = NULL;
	struct server_rollup	 r;
	const char		*hamlet = NULL;
	char			 day[16];
	int			 g, rc = 0, found;

	if (f->kind == SERVER_FACT_SESSION)
		s = f;
	else if (f->session != NULL) {
		if ((rc = memo_session(tx, acc, k->id, f->session, &sess, &found, cause)) != 0)
			return rc;
		if (found)
			s = &sess;
	}
	if (s != NULL && s->resident != NULL && (mask & ONLY(G_HAMLET)) &&
	    (rc = memo_hamlet(tx, acc, k->id, s->resident, &hamlet, &found, cause)) != 0)
		return rc;
	server_store_day(f->at, day);
	for (g = 0; g < NGROUPINGS && rc == 0; g++) {
		if (!(mask & ONLY(g)) || (g == G_REASON && f->kind != SERVER_FACT_BLOCK))
			continue;
		memset(&r, 0, sizeof r);
		r.grouping = grouping_name[g];
		r.kiosk = k->id;
		r.k[0] = r.k[1] = r.k[2] = "";
		switch (g) {
		case G_HAMLET:
			r.k[0] = hamlet != NULL ? hamlet : or_empty(k->hamlet);
			break;
		case G_CHECKLIST:
			r.k[0] = f->checklist != NULL ? f->checklist :
			    s != NULL ? or_empty(s->checklist) : "";
			break;
		case G_CATEGORY:
			r.k[0] = s != NULL ? or_empty(s->category) : "";
			break;
		case G_REASON:
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
		acc_add_periods(acc, &r, day);
		if (f->kind == SERVER_FACT_SESSION && g != G_REASON)
			rc = people(tx, acc, &r, fact_person(f), day, sign, cause);
	}
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
		if ((rc = contrib(tx, acc, k, &v[i], sign, ONLY(G_HAMLET), cause)) == 0)
			rc = deps_contrib(tx, acc, k, v[i].session, sign, ONLY(G_HAMLET),
			    cause);
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
	struct server_fact_row	 row, old, *deps = NULL;
	struct deps_memo	*dm = NULL;
	const char		*h;
	size_t			 ndeps = 0, i;
	int			 rc, found, added, moves;

	row_of(f, &row);
	switch (f->kind) {
	case SERVER_FACT_RESIDENT:
		if ((rc = memo_hamlet(tx, acc, k->id, f->resident, &h, &found, cause)) != 0)
			return rc;
		if (found)
			return 0;	/* the first one counts */
		moves = f->hamlet != NULL && strcmp(f->hamlet, or_empty(k->hamlet)) != 0;
		if (moves && (rc = resident_moves(tx, acc, k, f->resident, -1, cause)) != 0)
			return rc;
		if ((rc = server_store_fact_put(tx, f, &added, cause)) != 0)
			return rc;
		memo_hamlet_put(acc, f);
		return moves ? resident_moves(tx, acc, k, f->resident, +1, cause) : 0;
	case SERVER_FACT_SESSION:
		if ((rc = memo_session(tx, acc, k->id, f->session, &old, &found, cause)) != 0)
			return rc;
		if (found)
			return 0;
		/*
		 * Its finishes and blocks that came first were counted without
		 * it: they move under it (one question for both moves).
		 */
		if ((dm = deps_known(acc, k->id, f->session)) != NULL) {
			deps = dm->v;	/* nothing below adds to it */
			ndeps = dm->n;
		} else if ((rc = server_store_session_deps(tx, k->id, f->session, &deps,
		    &ndeps, cause)) != 0)
			return rc;
		for (i = 0; i < ndeps && rc == 0; i++)
			rc = contrib(tx, acc, k, &deps[i], -1, ALL, cause);
		if (rc == 0 && (rc = server_store_fact_put(tx, f, &added, cause)) == 0) {
			memo_session_put(acc, f);
			rc = contrib(tx, acc, k, &row, +1, ALL, cause);
		}
		for (i = 0; i < ndeps && rc == 0; i++)
			rc = contrib(tx, acc, k, &deps[i], +1, ALL, cause);
		if (dm == NULL)
			server_fact_rows_free(deps, ndeps);
		return rc;
	case SERVER_FACT_FINISH:
	case SERVER_FACT_BLOCK:
		if ((rc = server_store_fact_put(tx, f, &added, cause)) != 0 || !added)
			return rc;
		if ((dm = deps_known(acc, k->id, f->session)) != NULL)
			deps_add(dm, &row);
		return contrib(tx, acc, k, &row, +1, ALL, cause);
	case SERVER_FACT_UNBLOCK:
		/* The kiosk took a block back: its newest block of that step. */
		if ((rc = server_store_block_take(tx, k->id, f->session, f->step, &old,
		    &found, cause)) != 0 || !found)
			return rc;
		if ((dm = deps_known(acc, k->id, f->session)) != NULL)
			deps_forget(dm);
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
	if (fact_of(k->id, e, p, &f, &b)) {
		f.at += acc->offset;
		rc = keep_fact(tx, acc, k, &f, cause);
	}
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

/* The field after the kiosk in a memo entry's key: its session or resident. */
static const char *
memo_key2(const struct keyed *k)
{
	return k->key + strlen(k->key) + 1;
}

/*
 * Asks the store at once what the batch's facts would ask one by one (see
 * server_store_reads_at_once): the facts of its sessions, the hamlets and
 * seen rows of its residents (and of its sessions' residents), into a's
 * memos, which then answer without a round trip.
 */
static int
prefetch(struct server_tx *tx, struct acc *a, const struct server_kiosk *k,
    const struct protocol_batch *b, char **cause)
{
	struct server_fact_row	*rows = NULL;
	struct server_seen	*seen = NULL;
	const char		**ses, **res, **anon, **who;
	char			**hamlets = NULL;
	unsigned char		*found = NULL;
	size_t			 nses = 0, nres = 0, nanon = 0, nrows = 0, nseen = 0, cap, i;
	int			 rc, fresh;

	if (b->payloads == NULL || b->n == 0 || !server_store_reads_at_once(tx))
		return 0;
	/*
	 * Enough for every key: a fact names at most one session and one
	 * resident, and each session found brings at most one resident more.
	 */
	cap = 2 * b->n;
	ses = xcalloc(cap, sizeof *ses);
	res = xcalloc(cap, sizeof *res);
	anon = xcalloc(cap, sizeof *anon);
	/* Each asked once: a fresh memo entry is a question not asked yet. */
#define ASK(list, nlist, memo, nmemo, capmemo, tmemo, key) do {			\
	const char *f_[MEMO_KEYS] = { k->id, (key) };				\
	struct keyed *e_ = memo_entry((void **)&a->memo, &a->nmemo, &a->capmemo,	\
	    sizeof *a->memo, &a->tmemo, f_, &fresh);				\
	if (fresh && nlist < cap)						\
		list[nlist++] = memo_key2(e_);					\
} while (0)
	for (i = 0; i < b->n; i++) {
		struct server_fact	f;
		struct event_buf	eb;

		if (b->payloads[i] == NULL || !fact_of(k->id, &b->events[i], b->payloads[i],
		    &f, &eb))
			continue;
		if (f.session != NULL)
			ASK(ses, nses, ses, nses, capses, tses, f.session);
		if (f.resident != NULL && (f.kind == SERVER_FACT_RESIDENT ||
		    f.kind == SERVER_FACT_SESSION))
			ASK(res, nres, ham, nham, capham, tham, f.resident);
		else if (f.kind == SERVER_FACT_SESSION && f.session != NULL && nanon < cap)
			anon[nanon++] = f.session;	/* counted as a person: its seen rows */
	}
	/* Entries appended since may have moved: the keys themselves did not. */
	rc = server_store_sessions_facts(tx, k->id, ses, nses, &rows, &nrows, cause);
	for (i = 0; i < nses && rc == 0; i++) {
		const char		*f[MEMO_KEYS] = { k->id, ses[i] };
		struct deps_memo	*d = memo_entry((void **)&a->deps, &a->ndeps,
					    &a->capdeps, sizeof *a->deps, &a->tdeps, f, &fresh);

		d->known = 1;
	}
	for (i = 0; i < nrows && rc == 0; i++) {
		const char *f[MEMO_KEYS] = { k->id, rows[i].session };

		if (rows[i].kind == SERVER_FACT_SESSION) {
			struct session_memo *e = memo_find(a->ses, a->nses, sizeof *a->ses,
			    &a->tses, f);

			if (e != NULL && !e->found) {
				e->found = 1;
				e->row = rows[i];
				memset(&rows[i], 0, sizeof rows[i]);
				/* Its resident's hamlet counts its later finishes. */
				if (e->row.resident != NULL)
					ASK(res, nres, ham, nham, capham, tham, e->row.resident);
			}
		} else {
			struct deps_memo *d = memo_find(a->deps, a->ndeps, sizeof *a->deps,
			    &a->tdeps, f);

			if (d != NULL)
				deps_add(d, &rows[i]);
		}
	}
#undef ASK
	server_fact_rows_free(rows, nrows);
	if (rc == 0 && nres > 0) {
		hamlets = xcalloc(nres, sizeof *hamlets);
		found = xcalloc(nres, 1);
		rc = server_store_residents_hamlets(tx, k->id, res, nres, hamlets, found,
		    cause);
		for (i = 0; i < nres; i++) {
			const char		*f[MEMO_KEYS] = { k->id, res[i] };
			struct hamlet_memo	*e = memo_find(a->ham, a->nham, sizeof *a->ham,
						    &a->tham, f);

			if (rc == 0 && e != NULL) {
				e->found = found[i];
				e->hamlet = hamlets[i];
			} else
				free(hamlets[i]);
		}
		free(hamlets);
		free(found);
	}
	/* The people counted: residents, and sessions of none (fact_person). */
	who = xcalloc(nres + nanon + 1, sizeof *who);
	memcpy(who, res, nres * sizeof *who);
	memcpy(who + nres, anon, nanon * sizeof *who);
	if (rc == 0 && nres + nanon > 0 &&
	    (rc = server_store_residents_seen(tx, k->id, who, nres + nanon, &seen, &nseen,
	    cause)) == 0) {
		for (i = 0; i < nres + nanon; i++)
			seen_loaded(a, k->id, who[i]);
		seen_add(a, seen, nseen);
	}
	free(who);
	free(ses);
	free(res);
	free(anon);
	return rc;
}

/* One attempt at the whole batch, in one transaction. */
static int
batch_once(struct server_store *st, const struct server_kiosk *k,
    const struct protocol_batch *b, struct protocol_ack *a, char **cause)
{
	struct server_tx	*tx;
	struct acc		 acc;
	int64_t			 now = util_now_ms(), held = 0, taken = 0, max = 0;
	int64_t			*seen = NULL;
	size_t			 i, nseen = 0, next = 0;
	int			 rc, yes, fresh = 1;

	memset(a, 0, sizeof *a);
	memset(&acc, 0, sizeof acc);
	if (b->status.present)
		acc.offset = now - b->status.clock;
	if ((rc = server_store_begin(st, &tx, cause)) != 0)
		return rc;
	/* The rollups' lock before the kiosk's: a rebuild takes them in that order. */
	if ((rc = server_store_rollups_share(tx, cause)) != 0 ||
	    (rc = server_store_kiosk_lock(tx, k->id, &held, cause)) != 0 ||
	    (rc = server_store_kiosk_max_seq(tx, k->id, &max, cause)) != 0 ||
	    (rc = prefetch(tx, &acc, k, b, cause)) != 0)
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
	/* Last, in key order: one statement a row (the kiosk's own rows). */
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
