/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store.c: picks the storage implementation named by --db and
 * forwards each call to its table of operations (see server-store.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "i18n.h"
#include "nfc.h"
#include "util.h"
#include "server-store.h"
#include "server-ingest.h"

/* The schema both stores share, column for column (see server-store.h). */
static const char *const kiosk_cols[] = { "id", "province", "commune",
    "commune_code", "hamlet", "name", "token_hash", "created_at", "revoked_at",
    "held_seq", "last_seen", "install" };
static const char *const event_cols[] = { "id", "kiosk", "seq", "type", "at",
    "payload", "received_at" };
static const char *const conflict_cols[] = { "kiosk", "id", "seq", "type", "at",
    "payload", "reason", "received_at" };
static const char *const resident_cols[] = { "kiosk", "resident", "hamlet",
    "birth_year", "sex", "at" };
static const char *const session_cols[] = { "kiosk", "session", "resident",
    "checklist", "version", "category", "at" };
static const char *const finish_cols[] = { "kiosk", "session", "checklist",
    "outcome", "at" };
static const char *const block_cols[] = { "event", "kiosk", "session", "checklist",
    "step", "reason", "at" };
static const char *const cv_cols[] = { "version", "published_at" };
static const char *const checklist_cols[] = { "id", "version", "json",
    "content_version" };
/* The dashboard's officers, its audit log (without each server's own entry
 * numbers) and what each kiosk last said of itself; web sessions stay with
 * the old server (the officers log in again on the new one). */
static const char *const user_cols[] = { "login", "role", "province", "commune",
    "pwhash", "created_at", "disabled_at", "failures", "locked_until",
    "last_login" };
static const char *const audit_cols[] = { "at", "login", "action", "detail",
    "addr" };
static const char *const status_cols[] = { "kiosk", "at", "pending",
    "content_version", "program_version", "clock_offset" };
#define T(name, cols, hash, order) \
	{ name, cols, (int)(sizeof cols / sizeof cols[0]), hash, order }
const struct server_table server_tables[] = {
	T("kiosks", kiosk_cols, 6, "id"),
	T("events", event_cols, -1, "id"),
	T("conflicts", conflict_cols, -1, "kiosk, id, seq"),
	T("f_resident", resident_cols, -1, "kiosk, resident"),
	T("f_session", session_cols, -1, "kiosk, session"),
	T("f_finish", finish_cols, -1, "kiosk, session"),
	T("f_block", block_cols, -1, "event"),
	T("content_versions", cv_cols, -1, "version"),
	T("checklists", checklist_cols, -1, "id, version"),
	T("users", user_cols, -1, "login"),
	T("audit", audit_cols, -1, "n"),
	T("kiosk_status", status_cols, -1, "kiosk"),
};
#undef T
const size_t server_ntables = sizeof server_tables / sizeof server_tables[0];

/* Connections ------------------------------------------------------------ */

void
server_store_pool_init(struct server_store_pool *p, int max)
{
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->idle = xcalloc((size_t)max, sizeof *p->idle);
	p->nidle = p->n = 0;
	p->max = max;
}

void *
server_store_pool_take(struct server_store_pool *p)
{
	void *c = NULL;

	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && p->n >= p->max)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nidle > 0)
		c = p->idle[--p->nidle];
	else
		p->n++;
	pthread_mutex_unlock(&p->mu);
	return c;
}

void
server_store_pool_cancel(struct server_store_pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->n--;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
server_store_pool_put(struct server_store_pool *p, void *c)
{
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
server_store_pool_free(struct server_store_pool *p, void (*close)(void *))
{
	while (p->nidle > 0)
		close(p->idle[--p->nidle]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->idle);
}

int
server_store_is_pg(const char *where)
{
	return where != NULL && (strncmp(where, "postgres://", 11) == 0 ||
	    strncmp(where, "postgresql://", 13) == 0);
}

char *
server_store_redact(const char *where)
{
	const char *scheme, *at, *colon;
	char *out;

	if (!server_store_is_pg(where))
		return xstrdup(where != NULL ? where : "");
	/* postgresql://user:secret@host/db → postgresql://user:***@host/db */
	scheme = strstr(where, "://") + 3;
	at = strchr(scheme, '@');
	colon = strchr(scheme, ':');
	if (at != NULL && colon != NULL && colon < at)
		out = xasprintf("%.*s:***%s", (int)(colon - where), where, at);
	else
		out = xstrdup(where);
	/* …?password=secret as a parameter */
	{
		char *p = strstr(out, "password=");

		if (p != NULL) {
			char *end = p + 9 + strcspn(p + 9, "&");
			char *again = xasprintf("%.*s***%s", (int)(p + 9 - out), out, end);

			free(out);
			out = again;
		}
	}
	return out;
}

int
server_store_open_pool(const char *where, int pool, struct server_store **st,
    char **cause)
{
	int rc;

	*st = NULL;
	if (where == NULL || *where == '\0')
		return fail(cause, _("Chưa chỉ định cơ sở dữ liệu: dùng --db ĐƯỜNG_DẪN "
		    "hoặc biến SOTAY_SERVER_DB."));
	rc = server_store_is_pg(where) ? server_store_pg.open(where, pool, st, cause) :
	    server_store_sqlite.open(where, pool, st, cause);
	if (rc != 0)
		return rc;
	/* After an upgrade or a migrate: the rollups are made from the facts. */
	if ((rc = server_ingest_rollups_build(*st, 0, cause)) != 0) {
		server_store_close(*st);
		*st = NULL;
	}
	return rc;
}

int
server_store_open(const char *where, struct server_store **st, char **cause)
{
	return server_store_open_pool(where, 0, st, cause);
}

int
server_store_check(struct server_store *st, char **cause)
{
	return st->ops->check != NULL ? st->ops->check(st, cause) : 0;
}

int
server_store_ping(struct server_store *st, char **cause)
{
	return st->ops->ping != NULL ? st->ops->ping(st, cause) : 0;
}

void
server_store_close(struct server_store *st)
{
	if (st != NULL)
		st->ops->close(st);
}

void
server_kiosk_free(struct server_kiosk *k)
{
	if (k == NULL)
		return;
	free(k->id);
	free(k->province);
	free(k->commune);
	free(k->commune_code);
	free(k->hamlet);
	free(k->name);
	free(k->install);
	memset(k, 0, sizeof *k);
}

void
server_event_free(struct server_event *e)
{
	if (e == NULL)
		return;
	free(e->kiosk);
	free(e->type);
	free(e->payload);
	memset(e, 0, sizeof *e);
}

void
server_report_free(struct server_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->rows[i].key);
		free(r->rows[i].commune);
		free(r->rows[i].province);
		free(r->rows[i].commune_code);
		free(r->rows[i].checklist);
		free(r->rows[i].step);
		free(r->rows[i].reason);
	}
	free(r->rows);
	memset(r, 0, sizeof *r);
}

int
server_store_kiosk_add(struct server_store *st, const struct server_kiosk *k,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	struct server_kiosk	 n = *k;
	int			 rc;

	/* Names in NFC, however typed: a commune is one commune (nfc.h). */
	n.province = nfc_dup(k->province);
	n.commune = nfc_dup(k->commune);
	n.hamlet = nfc_dup(k->hamlet);
	n.name = nfc_dup(k->name);
	rc = st->ops->kiosk_add(st, &n, hash, cause);
	free(n.province);
	free(n.commune);
	free(n.hamlet);
	free(n.name);
	return rc;
}

int
server_store_kiosk_list(struct server_store *st, struct server_kiosk **v, size_t *n,
    char **cause)
{
	return st->ops->kiosk_list(st, v, n, cause);
}

static int
no_active_kiosk(const char *id, char **cause)
{
	return fail(cause, _("Không có trạm nào đang hoạt động với mã %s; xem "
	    "danh sách bằng `sotay-server kiosk list`."), id);
}

int
server_store_kiosk_revoke(struct server_store *st, const char *id, char **cause)
{
	int changed = 0, rc = st->ops->kiosk_revoke(st, id, &changed, cause);

	return rc == 0 && !changed ? no_active_kiosk(id, cause) : rc;
}

int
server_store_kiosk_bind(struct server_store *st, const char *id, const char *install,
    int *bound, char **cause)
{
	return st->ops->kiosk_bind(st, id, install, bound, cause);
}

int
server_store_kiosk_token(struct server_store *st, const char *id,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	int changed = 0, rc = st->ops->kiosk_token(st, id, hash, &changed, cause);

	return rc == 0 && !changed ? no_active_kiosk(id, cause) : rc;
}

int
server_store_kiosk_start(struct server_store *st, const char *id, int64_t first,
    char **cause)
{
	return st->ops->kiosk_start(st, id, first, cause);
}

int
server_store_kiosk_by_token(struct server_store *st,
    const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *k, int *found,
    char **cause)
{
	return st->ops->kiosk_by_token(st, hash, k, found, cause);
}

int
server_store_begin(struct server_store *st, struct server_tx **tx, char **cause)
{
	return st->ops->begin(st, tx, cause);
}

int
server_store_commit(struct server_tx *tx, char **cause)
{
	return tx->store->ops->commit(tx, cause);
}

void
server_store_rollback(struct server_tx *tx)
{
	tx->store->ops->rollback(tx);
}

int
server_store_kiosk_lock(struct server_tx *tx, const char *kiosk, int64_t *held,
    char **cause)
{
	return tx->store->ops->kiosk_lock(tx, kiosk, held, cause);
}

int
server_store_kiosk_set_held(struct server_tx *tx, const char *kiosk, int64_t held,
    int64_t now, char **cause)
{
	return tx->store->ops->kiosk_set_held(tx, kiosk, held, now, cause);
}

int
server_store_kiosk_max_seq(struct server_tx *tx, const char *kiosk, int64_t *max,
    char **cause)
{
	return tx->store->ops->kiosk_max_seq(tx, kiosk, max, cause);
}

int
server_store_event_get(struct server_tx *tx, const char *id, struct server_event *e,
    int *found, char **cause)
{
	memset(e, 0, sizeof *e);
	*found = 0;
	return tx->store->ops->event_get(tx, id, e, found, cause);
}

int
server_store_seq_stored(struct server_tx *tx, const char *kiosk, int64_t seq,
    int *yes, char **cause)
{
	*yes = 0;
	return tx->store->ops->seq_stored(tx, kiosk, seq, yes, cause);
}

int
server_store_seq_held(struct server_tx *tx, const char *kiosk, int64_t seq, int *yes,
    char **cause)
{
	*yes = 0;
	return tx->store->ops->seq_held(tx, kiosk, seq, yes, cause);
}

int
server_store_event_insert(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, int64_t now, char **cause)
{
	return tx->store->ops->event_insert(tx, kiosk, e, now, cause);
}

int
server_store_events_insert_new(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, size_t n, int64_t now, const char *resolved,
    unsigned char *stored, char **cause)
{
	return tx->store->ops->events_insert_new(tx, kiosk, e, n, now, resolved, stored,
	    cause);
}

int
server_store_conflict_insert(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, const char *reason, int64_t now, char **cause)
{
	return tx->store->ops->conflict_insert(tx, kiosk, e, reason, now, cause);
}

int
server_store_conflict_delete(struct server_tx *tx, const char *kiosk, const char *id,
    const char *reason, char **cause)
{
	return tx->store->ops->conflict_delete(tx, kiosk, id, reason, cause);
}

int
server_store_fact_put(struct server_tx *tx, const struct server_fact *f, int *added,
    char **cause)
{
	*added = 0;
	return tx->store->ops->fact_put(tx, f, added, cause);
}

int
server_store_block_take(struct server_tx *tx, const char *kiosk, const char *session,
    const char *step, struct server_fact_row *r, int *found, char **cause)
{
	memset(r, 0, sizeof *r);
	*found = 0;
	return tx->store->ops->block_take(tx, kiosk, session, step, r, found, cause);
}

int
server_store_session_get(struct server_tx *tx, const char *kiosk, const char *session,
    struct server_fact_row *r, int *found, char **cause)
{
	memset(r, 0, sizeof *r);
	*found = 0;
	return tx->store->ops->session_get(tx, kiosk, session, r, found, cause);
}

int
server_store_resident_hamlet(struct server_tx *tx, const char *kiosk,
    const char *resident, char **hamlet, int *found, char **cause)
{
	*hamlet = NULL;
	*found = 0;
	return tx->store->ops->resident_hamlet(tx, kiosk, resident, hamlet, found, cause);
}

int
server_store_session_deps(struct server_tx *tx, const char *kiosk, const char *session,
    struct server_fact_row **v, size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	return tx->store->ops->session_deps(tx, kiosk, session, v, n, cause);
}

int
server_store_resident_sessions(struct server_tx *tx, const char *kiosk,
    const char *resident, struct server_fact_row **v, size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	return tx->store->ops->resident_sessions(tx, kiosk, resident, v, n, cause);
}

int
server_store_rollups_add(struct server_tx *tx, const struct server_rollup *v,
    size_t n, char **cause)
{
	return n > 0 ? tx->store->ops->rollups_add(tx, v, n, cause) : 0;
}

int
server_store_seen_get(struct server_tx *tx, const char *kiosk, const char *resident,
    struct server_seen **v, size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	return tx->store->ops->seen_get(tx, kiosk, resident, v, n, cause);
}

int
server_store_reads_at_once(struct server_tx *tx)
{
	const struct server_store_ops *o = tx->store->ops;

	return o->sessions_facts != NULL && o->residents_hamlets != NULL &&
	    o->residents_seen != NULL;
}

int
server_store_sessions_facts(struct server_tx *tx, const char *kiosk,
    const char *const *sessions, size_t n, struct server_fact_row **v, size_t *nrows,
    char **cause)
{
	*v = NULL;
	*nrows = 0;
	return n > 0 ? tx->store->ops->sessions_facts(tx, kiosk, sessions, n, v, nrows,
	    cause) : 0;
}

int
server_store_residents_hamlets(struct server_tx *tx, const char *kiosk,
    const char *const *residents, size_t n, char **hamlets, unsigned char *found,
    char **cause)
{
	memset(hamlets, 0, n * sizeof *hamlets);
	memset(found, 0, n);
	return n > 0 ? tx->store->ops->residents_hamlets(tx, kiosk, residents, n, hamlets,
	    found, cause) : 0;
}

int
server_store_residents_seen(struct server_tx *tx, const char *kiosk,
    const char *const *residents, size_t n, struct server_seen **v, size_t *nrows,
    char **cause)
{
	*v = NULL;
	*nrows = 0;
	return n > 0 ? tx->store->ops->residents_seen(tx, kiosk, residents, n, v, nrows,
	    cause) : 0;
}

int
server_store_seen_put(struct server_tx *tx, const struct server_seen *v, size_t n,
    char **cause)
{
	return n > 0 ? tx->store->ops->seen_put(tx, v, n, cause) : 0;
}

void
server_seen_free(struct server_seen *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)v[i].kiosk);
		free((char *)v[i].resident);
		free((char *)v[i].grouping);
		free((char *)v[i].k[0]);
		free((char *)v[i].k[1]);
		free((char *)v[i].k[2]);
		free((char *)v[i].period);
		free((char *)v[i].first);
		free((char *)v[i].last);
	}
	free(v);
}

int
server_store_rollup_days(struct server_store *st, char **first, char **last,
    char **cause)
{
	*first = *last = NULL;
	return st->ops->rollup_days(st, first, last, cause);
}

int
server_store_rollups_built(struct server_store *st, int *built, char **cause)
{
	*built = 0;
	return st->ops->rollups_built(st, built, cause);
}

int
server_store_rollups_claim(struct server_tx *tx, int force, int *todo, char **cause)
{
	*todo = 0;
	return tx->store->ops->rollups_claim(tx, force, todo, cause);
}

int
server_store_rollups_done(struct server_tx *tx, char **cause)
{
	return tx->store->ops->rollups_done(tx, cause);
}

int
server_store_rollups_share(struct server_tx *tx, char **cause)
{
	return tx->store->ops->rollups_share != NULL ?
	    tx->store->ops->rollups_share(tx, cause) : 0;
}

void
server_fact_row_free(struct server_fact_row *r)
{
	if (r == NULL)
		return;
	free(r->event);
	free(r->session);
	free(r->resident);
	free(r->checklist);
	free(r->category);
	free(r->outcome);
	free(r->step);
	free(r->reason);
	memset(r, 0, sizeof *r);
}

void
server_fact_rows_free(struct server_fact_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		server_fact_row_free(&v[i]);
	free(v);
}

int
server_store_content_lock(struct server_tx *tx, char **cause)
{
	return tx->store->ops->content_lock(tx, cause);
}

int
server_store_content_version(struct server_tx *tx, int64_t *version, char **cause)
{
	*version = 0;
	return tx->store->ops->content_version(tx, version, cause);
}

int
server_store_content_version_add(struct server_tx *tx, int64_t version, int64_t now,
    char **cause)
{
	return tx->store->ops->content_version_add(tx, version, now, cause);
}

int
server_store_checklist_get(struct server_tx *tx, const char *id, int version,
    char **json, int *found, char **cause)
{
	*json = NULL;
	*found = 0;
	return tx->store->ops->checklist_get(tx, id, version, json, found, cause);
}

int
server_store_checklist_newest(struct server_tx *tx, const char *id, int64_t *version,
    char **cause)
{
	*version = 0;
	return tx->store->ops->checklist_newest(tx, id, version, cause);
}

int
server_store_checklist_insert(struct server_tx *tx, const struct server_checklist *c,
    int64_t content_version, char **cause)
{
	return tx->store->ops->checklist_insert(tx, c, content_version, cause);
}

int
server_store_content_since(struct server_store *st, int64_t since, int64_t *version,
    char ***jsons, size_t *n, char **cause)
{
	return st->ops->content_since(st, since, version, jsons, n, cause);
}


void
server_store_rollup_row(enum server_report_by by, const char *k1, const char *k2,
    const char *k3, int64_t people, int64_t started, int64_t finished,
    int64_t completed, int64_t blocked, struct server_report_row *w)
{
	memset(w, 0, sizeof *w);
	k1 = k1 != NULL ? k1 : "";
	k2 = k2 != NULL ? k2 : "";
	k3 = k3 != NULL ? k3 : "";
	switch (by) {
	case SERVER_BY_REASON:
		w->checklist = xstrdup(k1);
		w->step = xstrdup(k2);
		w->reason = xstrdup(k3);
		w->count = blocked;
		return;
	case SERVER_BY_COMMUNE:
		w->province = xstrdup(k1);
		w->key = xstrdup(k2);
		w->commune_code = xstrdup(k3);
		break;
	case SERVER_BY_HAMLET:
		w->province = xstrdup(k1);
		w->commune = xstrdup(k2);
		w->key = xstrdup(k3);
		break;
	default:
		w->key = xstrdup(k1);
		break;
	}
	w->people = people;
	w->started = started;
	w->finished = finished;
	w->completed = completed;
	w->blocked = blocked;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* The facts' order: key, commune, province, code; reasons by count. */
static int
row_cmp(const void *pa, const void *pb)
{
	const struct server_report_row *a = pa, *b = pb;
	int c;

	if (a->key == NULL) {	/* by reason */
		if (a->count != b->count)
			return a->count > b->count ? -1 : 1;
		if ((c = cmp_str(a->checklist, b->checklist)) != 0 ||
		    (c = cmp_str(a->step, b->step)) != 0)
			return c;
		return cmp_str(a->reason, b->reason);
	}
	if ((c = cmp_str(a->key, b->key)) != 0 || (c = cmp_str(a->commune, b->commune)) != 0 ||
	    (c = cmp_str(a->province, b->province)) != 0)
		return c;
	return cmp_str(a->commune_code, b->commune_code);
}

void
server_store_day(int64_t ms, char out[16])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	localtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* The dashboard ---------------------------------------------------------- */

void
server_user_free(struct server_user *u)
{
	if (u == NULL)
		return;
	free(u->login);
	free(u->province);
	free(u->commune);
	free(u->pwhash);
	memset(u, 0, sizeof *u);
}

void
server_audit_free(struct server_audit *a)
{
	if (a == NULL)
		return;
	free(a->login);
	free(a->action);
	free(a->detail);
	free(a->addr);
	memset(a, 0, sizeof *a);
}

void
server_kiosk_status_free(struct server_kiosk_status *k)
{
	if (k == NULL)
		return;
	free(k->kiosk);
	free(k->program_version);
	memset(k, 0, sizeof *k);
}

void
server_conflict_free(struct server_conflict *c)
{
	if (c == NULL)
		return;
	free(c->kiosk);
	free(c->id);
	free(c->type);
	free(c->reason);
	memset(c, 0, sizeof *c);
}

/* An implementation without the dashboard's tables says so plainly. */
static int
no_dashboard(struct server_store *st, char **cause)
{
	return fail(cause, _("Trang quản lý và tài khoản chưa dùng được với cơ sở dữ "
	    "liệu %s; hãy dùng một tệp SQLite."), st->ops->name);
}

#define DASH(st, op, ...) ((st)->ops->op != NULL ? \
	(st)->ops->op((st), __VA_ARGS__) : no_dashboard((st), cause))

int
server_store_user_add(struct server_store *st, const struct server_user *u,
    char **cause)
{
	struct server_user	 n = *u;
	int			 rc;

	/* In NFC, as the kiosks' names are: the officer's commune is theirs. */
	n.login = nfc_dup(u->login);
	n.province = nfc_dup(u->province);
	n.commune = nfc_dup(u->commune);
	rc = DASH(st, user_add, &n, cause);
	free(n.login);
	free(n.province);
	free(n.commune);
	return rc;
}

int
server_store_user_get(struct server_store *st, const char *login,
    struct server_user *u, int *found, char **cause)
{
	char	*n = nfc_dup(login);
	int	 rc;

	memset(u, 0, sizeof *u);
	*found = 0;
	rc = DASH(st, user_get, n, u, found, cause);
	free(n);
	return rc;
}

int
server_store_user_list(struct server_store *st, struct server_user **v, size_t *n,
    char **cause)
{
	*v = NULL;
	*n = 0;
	return DASH(st, user_list, v, n, cause);
}

int
server_store_user_update(struct server_store *st, const struct server_user *u,
    char **cause)
{
	return DASH(st, user_update, u, cause);
}

int
server_store_user_failed(struct server_store *st, const char *login, int max,
    int64_t until, int *locked, char **cause)
{
	*locked = 0;
	return DASH(st, user_failed, login, max, until, locked, cause);
}

int
server_store_web_session_add(struct server_store *st,
    const unsigned char hash[SERVER_HASH_LEN], const char *login, int64_t expires,
    char **cause)
{
	char	*n = nfc_dup(login);	/* the users' key, as user_add kept it */
	int	 rc = DASH(st, web_session_add, hash, n, expires, cause);

	free(n);
	return rc;
}

int
server_store_web_session_get(struct server_store *st,
    const unsigned char hash[SERVER_HASH_LEN], char **login, int64_t *expires,
    int *found, char **cause)
{
	*login = NULL;
	*expires = 0;
	*found = 0;
	return DASH(st, web_session_get, hash, login, expires, found, cause);
}

int
server_store_web_session_delete(struct server_store *st,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	return DASH(st, web_session_delete, hash, cause);
}

int
server_store_audit_add(struct server_store *st, const struct server_audit *a,
    char **cause)
{
	return DASH(st, audit_add, a, cause);
}

int
server_store_audit_list(struct server_store *st, int64_t limit,
    struct server_audit **v, size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	return DASH(st, audit_list, limit, v, n, cause);
}

int
server_store_kiosk_status_set(struct server_store *st,
    const struct server_kiosk_status *k, char **cause)
{
	return DASH(st, kiosk_status_set, k, cause);
}

int
server_store_kiosk_status_list(struct server_store *st,
    struct server_kiosk_status **v, size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	return DASH(st, kiosk_status_list, v, n, cause);
}

int
server_store_conflict_list(struct server_store *st, int64_t limit,
    struct server_conflict **v, size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	return DASH(st, conflict_list, limit, v, n, cause);
}

int
server_store_rows(struct server_store *st, const struct server_table *t,
    server_row_fn each, void *arg, char **cause)
{
	if (st->ops->rows == NULL)
		return fail(cause, _("Kho %s không đọc ra được từng hàng."), st->ops->name);
	return st->ops->rows(st, t, each, arg, cause);
}

int
server_store_row_put(struct server_tx *tx, const struct server_table *t,
    const char *const *vals, int *added, char **cause)
{
	*added = 0;
	if (tx->store->ops->row_put == NULL)
		return fail(cause, _("Không chuyển được vào kho %s; hãy chuyển vào "
		    "PostgreSQL."), tx->store->ops->name);
	return tx->store->ops->row_put(tx, t, vals, added, cause);
}

/* Rollup periods ------------------------------------------------------- */

struct ymd {
	int	y, m, d;
};

static int
ymd_parse(const char *s, struct ymd *t)
{
	return sscanf(s, "%4d-%2d-%2d", &t->y, &t->m, &t->d) == 3 ? 0 : -1;
}

static int
ymd_cmp(struct ymd a, struct ymd b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	return a.d < b.d ? -1 : a.d > b.d;
}

static struct ymd
ymd_min(struct ymd a, struct ymd b)
{
	return ymd_cmp(a, b) <= 0 ? a : b;
}

static struct ymd
next_month(struct ymd t)
{
	struct ymd r = { t.y + (t.m == 12), t.m == 12 ? 1 : t.m + 1, 1 };

	return r;
}

static struct ymd
next_year(struct ymd t)
{
	struct ymd r = { t.y + 1, 1, 1 };

	return r;
}

static struct ymd
next_day(struct ymd t)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int n = len[t.m - 1] + (t.m == 2 && t.y % 4 == 0 && (t.y % 100 != 0 ||
	    t.y % 400 == 0));

	if (t.d < n) {
		t.d++;
		return t;
	}
	return next_month(t);
}

/* The period of t at lvl (1 year, 2 month, 3 day) as a rollup names it. */
static void
ymd_fmt(struct ymd t, int lvl, char out[11])
{
	char buf[32];

	snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.y % 10000, t.m % 100, t.d % 100);
	snprintf(out, 11, "%.*s", lvl == 1 ? 4 : lvl == 2 ? 7 : 10, buf);
}

static void
cover_add(struct server_cover *c, int lvl, struct ymd lo, struct ymd hi)
{
	c->r[c->n].lvl = lvl;
	ymd_fmt(lo, lvl, c->r[c->n].lo);
	ymd_fmt(hi, lvl, c->r[c->n].hi);
	c->n++;
}

/*
 * The fewest periods whose days are [a, b): days up to a month's start,
 * months up to a year's, whole years, then months and days up to b.
 */
static void
cover_days(struct server_cover *c, struct ymd a, struct ymd b)
{
	struct ymd cur = a, e, mb = { b.y, b.m, 1 }, yb = { b.y, 1, 1 };

	if (ymd_cmp(cur, b) < 0 && cur.d != 1) {
		e = ymd_min(b, next_month(cur));
		cover_add(c, 3, cur, e);
		cur = e;
	}
	if (ymd_cmp(cur, b) < 0 && cur.d == 1 && cur.m != 1) {
		e = ymd_min(next_year(cur), mb);
		if (ymd_cmp(e, cur) > 0) {
			cover_add(c, 2, cur, e);
			cur = e;
		}
	}
	if (ymd_cmp(cur, b) < 0 && cur.d == 1 && cur.m == 1 && ymd_cmp(yb, cur) > 0) {
		cover_add(c, 1, cur, yb);
		cur = yb;
	}
	if (ymd_cmp(cur, b) < 0 && cur.d == 1 && ymd_cmp(mb, cur) > 0) {
		cover_add(c, 2, cur, mb);
		cur = mb;
	}
	if (ymd_cmp(cur, b) < 0)
		cover_add(c, 3, cur, b);
}

/*
 * The cover of [from, to) for grouping by, and how it counts people; *empty
 * is 1 when the rollups hold nothing in it. The range is first narrowed to
 * the days the rollups hold, so "from the beginning" and "until now" read
 * whole years and months.
 */
static int
cover_of(struct server_store *st, enum server_report_by by, int64_t from,
    int64_t to, struct server_cover *c, int *empty, char **cause)
{
	char		*first, *last, day[16];
	struct ymd	 a, b, lo, hi;
	int		 rc;

	memset(c, 0, sizeof *c);
	*empty = 1;
	if ((rc = server_store_rollup_days(st, &first, &last, cause)) != 0)
		return rc;
	if (first == NULL || last == NULL || ymd_parse(first, &lo) != 0 ||
	    ymd_parse(last, &hi) != 0) {
		free(first);
		free(last);
		return 0;
	}
	free(first);
	free(last);
	hi = next_day(hi);
	if (from > 0) {
		server_store_day(from, day);
		if (ymd_parse(day, &a) != 0)
			return fail(cause, "report: bad day %s", day);
	} else
		a = lo;
	b = hi;
	if (to < INT64_MAX) {
		server_store_day(to, day);
		if (ymd_parse(day, &b) != 0)
			return fail(cause, "report: bad day %s", day);
		b = ymd_min(b, hi);
	}
	if (ymd_cmp(a, lo) <= 0) {
		/* Nothing before the first day: from the beginning, whole years. */
		a.y = lo.y;
		a.m = a.d = 1;
		c->people = SERVER_PEOPLE_EVER;
	} else if (ymd_cmp(b, hi) == 0 && by != SERVER_BY_DAY)
		/* Until the last day held: by each resident's last day. */
		c->people = SERVER_PEOPLE_LAST;
	else if (a.m == 1 && a.d == 1 && ymd_cmp(b, next_year(a)) <= 0)
		c->people = SERVER_PEOPLE_YEAR;
	else if (a.d == 1 && ymd_cmp(b, next_month(a)) <= 0)
		c->people = SERVER_PEOPLE_MONTH;
	else if (ymd_cmp(b, next_day(a)) <= 0)
		c->people = SERVER_PEOPLE_DAY;
	else
		c->people = SERVER_PEOPLE_DISTINCT;
	if (ymd_cmp(a, b) >= 0)
		return 0;
	*empty = 0;
	/* Nothing lies after the last day: up to the end of its year (or its
	 * month, for a month's people) is the same range in fewer periods. */
	if (ymd_cmp(b, hi) == 0 && c->people != SERVER_PEOPLE_DAY)
		b = c->people == SERVER_PEOPLE_MONTH ? next_month(a) : next_year(b);
	ymd_fmt(a, 3, c->from_day);
	ymd_fmt(b, 3, c->to_day);
	if (by == SERVER_BY_DAY) {
		/* One row a day, each its own people. */
		cover_add(c, 3, a, b);
		c->people = SERVER_PEOPLE_DAY;
	} else
		cover_days(c, a, b);
	return 0;
}

/*
 * By commune, a commune's kiosks added with and without --commune-code
 * are one commune: the rows without a code are added to the row with one
 * (sorted, they come just before it). Two different codes are two
 * communes of one name in one province, kept apart; a row without a code
 * then stays on its own, as nothing says which of the two it is.
 */
static void
communes_merge(struct server_report *r)
{
	size_t	i, j, k, n, coded, out = 0;

	if (r->by != SERVER_BY_COMMUNE)
		return;
	for (i = 0; i < r->n; i = j) {
		for (j = i, coded = 0, k = 0; j < r->n && cmp_str(r->rows[j].key,
		    r->rows[i].key) == 0 && cmp_str(r->rows[j].province,
		    r->rows[i].province) == 0; j++)
			if (r->rows[j].commune_code != NULL && *r->rows[j].commune_code != '\0') {
				coded++;
				k = j;
			}
		n = j - i;
		if (n == 2 && coded == 1) {
			struct server_report_row *to = &r->rows[k], *from = &r->rows[k == i ?
			    i + 1 : i];

			to->people += from->people;
			to->started += from->started;
			to->finished += from->finished;
			to->completed += from->completed;
			to->blocked += from->blocked;
			free(from->key);
			free(from->commune);
			free(from->province);
			free(from->commune_code);
			r->rows[out++] = *to;
			continue;
		}
		for (k = i; k < j; k++)
			r->rows[out++] = r->rows[k];
	}
	r->n = out;
}

static int
report_read(struct server_store *st, enum server_report_by by, int64_t from,
    int64_t to, const struct server_scope *scope, struct server_report *r,
    char **cause)
{
	struct server_cover	 c;
	int			 rc, empty;

	memset(r, 0, sizeof *r);
	if ((rc = cover_of(st, by, from, to, &c, &empty, cause)) != 0)
		return rc;
	if (!empty)
		rc = st->ops->report_rollups(st, by, &c, scope, r, cause);
	r->by = by;
	r->from = from;
	r->to = to;
	if (rc == 0 && r->n > 1) {
		qsort(r->rows, r->n, sizeof *r->rows, row_cmp);
		communes_merge(r);
	}
	return rc;
}

int
server_store_report(struct server_store *st, enum server_report_by by, int64_t from,
    int64_t to, struct server_report *r, char **cause)
{
	return report_read(st, by, from, to, NULL, r, cause);
}

int
server_store_report_facts(struct server_store *st, enum server_report_by by,
    int64_t from, int64_t to, struct server_report *r, char **cause)
{
	int rc;

	memset(r, 0, sizeof *r);
	rc = st->ops->report(st, by, from, to, r, cause);
	if (rc == 0 && r->n > 1) {
		qsort(r->rows, r->n, sizeof *r->rows, row_cmp);
		communes_merge(r);
	}
	return rc;
}

int
server_store_report_scoped(struct server_store *st, enum server_report_by by,
    int64_t from, int64_t to, const struct server_scope *scope,
    struct server_report *r, char **cause)
{
	return report_read(st, by, from, to, scope, r, cause);
}

int
server_store_people_since(struct server_store *st, const struct server_scope *scope,
    const int64_t since[3], int64_t people[3], char **cause)
{
	struct server_report	 r;
	size_t			 j;
	int			 i, rc;

	people[0] = people[1] = people[2] = 0;
	for (i = 0; i < 3; i++) {
		if ((rc = report_read(st, SERVER_BY_PROVINCE, since[i], INT64_MAX, scope,
		    &r, cause)) != 0)
			return rc;
		for (j = 0; j < r.n; j++)
			people[i] += r.rows[j].people;
		server_report_free(&r);
	}
	return 0;
}
