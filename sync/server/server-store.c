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
#include "util.h"
#include "server-store.h"
#include "server-ingest.h"

/* The schema both stores share, column for column (see server-store.h). */
static const char *const kiosk_cols[] = { "id", "province", "commune",
    "commune_code", "hamlet", "name", "token_hash", "created_at", "revoked_at",
    "held_seq", "last_seen" };
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
/* The dashboard's officers and what each kiosk last said of itself; the
 * audit log and web sessions stay with the old server. */
static const char *const user_cols[] = { "login", "role", "province", "commune",
    "pwhash", "created_at", "disabled_at", "failures", "locked_until",
    "last_login" };
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
	T("kiosk_status", status_cols, -1, "kiosk"),
};
#undef T
const size_t server_ntables = sizeof server_tables / sizeof server_tables[0];

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
	return st->ops->kiosk_add(st, k, hash, cause);
}

int
server_store_kiosk_list(struct server_store *st, struct server_kiosk **v, size_t *n,
    char **cause)
{
	return st->ops->kiosk_list(st, v, n, cause);
}

int
server_store_kiosk_revoke(struct server_store *st, const char *id, char **cause)
{
	return st->ops->kiosk_revoke(st, id, cause);
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
server_store_rollup_add(struct server_tx *tx, const struct server_rollup *r,
    char **cause)
{
	return tx->store->ops->rollup_add(tx, r, cause);
}

int
server_store_people_first(struct server_tx *tx, const struct server_rollup *key,
    const char *kiosk, const char *resident, const char *day, char **old_day,
    int *found, char **cause)
{
	*old_day = NULL;
	*found = 0;
	return tx->store->ops->people_first(tx, key, kiosk, resident, day, old_day, found,
	    cause);
}

int
server_store_people_forget(struct server_tx *tx, const struct server_rollup *key,
    const char *kiosk, const char *resident, char **old_day, int *found, char **cause)
{
	*old_day = NULL;
	*found = 0;
	return tx->store->ops->people_forget(tx, key, kiosk, resident, old_day, found,
	    cause);
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

const char *
server_store_grouping(enum server_report_by by)
{
	static const char *const names[] = {
		[SERVER_BY_COMMUNE] = "commune",
		[SERVER_BY_HAMLET] = "hamlet",
		[SERVER_BY_CHECKLIST] = "checklist",
		[SERVER_BY_CATEGORY] = "category",
		[SERVER_BY_DAY] = "day",
		[SERVER_BY_REASON] = "reason",
		[SERVER_BY_PROVINCE] = "province",
	};

	return (int)by >= 0 && (size_t)by < sizeof names / sizeof names[0] ?
	    names[by] : "?";
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
	return DASH(st, user_add, u, cause);
}

int
server_store_user_get(struct server_store *st, const char *login,
    struct server_user *u, int *found, char **cause)
{
	memset(u, 0, sizeof *u);
	*found = 0;
	return DASH(st, user_get, login, u, found, cause);
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
server_store_web_session_add(struct server_store *st,
    const unsigned char hash[SERVER_HASH_LEN], const char *login, int64_t expires,
    char **cause)
{
	return DASH(st, web_session_add, hash, login, expires, cause);
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
server_store_report_scoped(struct server_store *st, enum server_report_by by,
    int64_t from, int64_t to, const struct server_scope *scope,
    struct server_report *r, char **cause)
{
	memset(r, 0, sizeof *r);
	return DASH(st, report_scoped, by, from, to, scope, r, cause);
}

int
server_store_people_since(struct server_store *st, const struct server_scope *scope,
    const int64_t since[3], int64_t people[3], char **cause)
{
	people[0] = people[1] = people[2] = 0;
	return DASH(st, people_since, scope, since, people, cause);
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

int
server_store_report(struct server_store *st, enum server_report_by by, int64_t from,
    int64_t to, struct server_report *r, char **cause)
{
	char	 fd[16], td[16];
	int	 rc;

	/*
	 * Rollups count days, and people by the day of their first session in
	 * a key: exact from the beginning, and by day or reason for any range.
	 * A range that starts later counts distinct residents from its facts.
	 */
	if (from > 0 && by != SERVER_BY_DAY && by != SERVER_BY_REASON)
		return st->ops->report(st, by, from, to, r, cause);
	/* Days are "YYYY-MM-DD"; the all-time row's day is "" (see server-ingest.c). */
	if (from <= 0 && to == INT64_MAX) {
		snprintf(fd, sizeof fd, "%s", "");
		snprintf(td, sizeof td, "%s", "0");
	} else {
		if (from > 0)
			server_store_day(from, fd);
		else
			snprintf(fd, sizeof fd, "%s", "0");
		if (to == INT64_MAX)
			snprintf(td, sizeof td, "%s", "9999-12-31");
		else
			server_store_day(to, td);
	}
	rc = st->ops->report_rollups(st, by, fd, td, r, cause);
	r->from = from;
	r->to = to;
	if (rc == 0 && r->n > 1)
		qsort(r->rows, r->n, sizeof *r->rows, row_cmp);
	return rc;
}
