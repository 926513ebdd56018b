/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c: the kiosk's own report for a date range — people helped,
 * sessions started and finished per checklist and category, and the steps
 * most often blocked and why.
 *
 * A read model: report owns no table and writes nothing; it is the one
 * declared reader of journey's sessions and marks and content's checklists
 * (see schema.c), through read-only queries served by journey's
 * sessions_report and marks_blocked indexes alone. The range's sessions are
 * read once and counted here (totals, per checklist, per category). A change to those tables changes these queries too
 * (tests/unit/test-report.c holds them to the numbers).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>
#include <uniwidth.h>

#include "content.h"
#include "i18n.h"
#include "report.h"
#include "store.h"
#include "util.h"

#define MAX_BLOCKS 20

/* One session of the range as the report counts it (strings owned). */
struct counted {
	char	*checklist;
	char	*category;	/* NULL: its checklist version is not installed */
	char	*person;	/* the resident, or the session itself when none */
	int	 completed, blocked;
};

static const char *
counted_key(const struct counted *c, int by_category)
{
	return by_category ? c->category : c->checklist;
}

/* By key (checklist or category), then person: a group's people are runs. */
static int
cmp_key_person(const void *a, const void *b, void *by)
{
	const struct counted *x = *(const struct counted *const *)a;
	const struct counted *y = *(const struct counted *const *)b;
	int c = strcmp(counted_key(x, *(int *)by), counted_key(y, *(int *)by));

	return c != 0 ? c : strcmp(x->person, y->person);
}

/* Most started first, then by key (as SQLite's ORDER BY count(*) DESC, key). */
static int
cmp_rows(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;

	if (x->started != y->started)
		return x->started > y->started ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The rows per checklist (by_category 0) or per category (1), sorted. */
static void
group(struct counted *v, size_t n, int by_category, struct report_row **out, size_t *nout)
{
	struct counted **p = xcalloc(n + 1, sizeof *p);
	struct report_row *rows = NULL;
	size_t m = 0, len = 0;

	for (size_t i = 0; i < n; i++)
		if (counted_key(&v[i], by_category) != NULL)
			p[m++] = &v[i];
	qsort_r(p, m, sizeof *p, cmp_key_person, &by_category);
	for (size_t i = 0; i < m; i++) {
		const char *key = counted_key(p[i], by_category);

		if (i == 0 || strcmp(key, counted_key(p[i - 1], by_category)) != 0) {
			rows = xrealloc(rows, (len + 1) * sizeof *rows);
			rows[len++] = (struct report_row){ .key = xstrdup(key) };
		}
		struct report_row *r = &rows[len - 1];
		r->started++;
		r->finished += p[i]->completed;
		r->blocked += p[i]->blocked;
		if (r->started == 1 || strcmp(p[i]->person, p[i - 1]->person) != 0)
			r->people++;
	}
	if (len > 0)
		qsort(rows, len, sizeof *rows, cmp_rows);
	free(p);
	*out = rows;
	*nout = len;
}

static int
cmp_person(const void *a, const void *b)
{
	return strcmp((*(const struct counted *const *)a)->person,
	    (*(const struct counted *const *)b)->person);
}

/*
 * The sessions started in [from, to), read once (journey's sessions_report
 * index holds every column, content's checklists give the category) and
 * counted here: the totals, per checklist and per category.
 */
static int
count_sessions(struct store *st, struct report *r, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT s.checklist_id, c.category, s.outcome, "
	    "coalesce(s.resident_id, s.id) FROM sessions s LEFT JOIN checklists c "
	    "ON c.id = s.checklist_id AND c.version = s.checklist_version "
	    "WHERE s.started_at >= ? AND s.started_at < ?");
	struct counted *v = NULL, **p;
	size_t n = 0, cap = 0;
	int rc;

	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_int64(s, 1, r->from);
	sqlite3_bind_int64(s, 2, r->to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *outcome = (const char *)sqlite3_column_text(s, 2);

		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].checklist = xstrdup((const char *)sqlite3_column_text(s, 0));
		v[n].category = sqlite3_column_type(s, 1) == SQLITE_NULL ? NULL :
		    xstrdup((const char *)sqlite3_column_text(s, 1));
		v[n].person = xstrdup((const char *)sqlite3_column_text(s, 3));
		v[n].completed = outcome != NULL && strcmp(outcome, "completed") == 0;
		v[n].blocked = outcome != NULL && strcmp(outcome, "blocked") == 0;
		n++;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		/* A session without a resident record still helped one person. */
		p = xcalloc(n + 1, sizeof *p);
		for (size_t i = 0; i < n; i++) {
			p[i] = &v[i];
			r->finished += v[i].completed;
		}
		qsort(p, n, sizeof *p, cmp_person);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || strcmp(p[i]->person, p[i - 1]->person) != 0)
				r->people++;
		free(p);
		r->started = (int)n;
		group(v, n, 0, &r->by_checklist, &r->nchecklist);
		group(v, n, 1, &r->by_category, &r->ncategory);
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].checklist);
		free(v[i].category);
		free(v[i].person);
	}
	free(v);
	return rc == SQLITE_DONE ? 0 : store_fail(st, cause);
}

int
report_build(struct store *st, int64_t from, int64_t to, struct report **out, char **cause)
{
	struct report *r = xcalloc(1, sizeof *r);
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	r->from = from;
	r->to = to;
	if (count_sessions(st, r, cause) != 0)
		goto out;

	/*
	 * A step blocked, then undone, is not counted. The blocked marks are
	 * read from their own index: the planner would as soon walk every mark
	 * of each session (the table is kept by session), which reads far more.
	 */
	s = store_stmt(st, "SELECT s.checklist_id, m.step_id, m.reason, count(*) FROM marks m "
	    "INDEXED BY marks_blocked JOIN sessions s ON s.id = m.session_id WHERE m.mark = 'blocked' AND m.undone = 0 "
	    "AND s.started_at >= ? AND s.started_at < ? GROUP BY 1, 2, 3 "
	    "ORDER BY count(*) DESC, 1, 2, 3 LIMIT ?");
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int(s, 3, MAX_BLOCKS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r->blocks = xrealloc(r->blocks, (r->nblocks + 1) * sizeof *r->blocks);
		struct report_block *b = &r->blocks[r->nblocks++];
		b->checklist_id = xstrdup((const char *)sqlite3_column_text(s, 0));
		b->step_id = xstrdup((const char *)sqlite3_column_text(s, 1));
		b->reason = xstrdup(sqlite3_column_type(s, 2) == SQLITE_NULL ? "" :
		    (const char *)sqlite3_column_text(s, 2));
		b->count = sqlite3_column_int(s, 3);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	*out = r;
	return 0;
fail:
	store_fail(st, cause);
out:
	report_free(r);
	return -1;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nchecklist; i++)
		free(r->by_checklist[i].key);
	free(r->by_checklist);
	for (size_t i = 0; i < r->ncategory; i++)
		free(r->by_category[i].key);
	free(r->by_category);
	for (size_t i = 0; i < r->nblocks; i++) {
		free(r->blocks[i].checklist_id);
		free(r->blocks[i].step_id);
		free(r->blocks[i].reason);
	}
	free(r->blocks);
	free(r);
}

static json_object *
rows_json(const struct report_row *v, size_t n, const char *keyname)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, keyname, json_object_new_string(v[i].key));
		json_object_object_add(o, "people", json_object_new_int(v[i].people));
		json_object_object_add(o, "started", json_object_new_int(v[i].started));
		json_object_object_add(o, "completed", json_object_new_int(v[i].finished));
		json_object_object_add(o, "ended_blocked", json_object_new_int(v[i].blocked));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *
report_json(const struct report *r)
{
	json_object *o = json_object_new_object(), *a;
	char day[17];

	util_format_time(r->from, day);
	day[10] = '\0';
	json_object_object_add(o, "from", json_object_new_string(day));
	/* The last day counted, as the text says and --to took it: r->to is its end. */
	util_format_time(r->to - 1, day);
	day[10] = '\0';
	json_object_object_add(o, "to", json_object_new_string(day));
	json_object_object_add(o, "people", json_object_new_int(r->people));
	json_object_object_add(o, "sessions_started", json_object_new_int(r->started));
	json_object_object_add(o, "sessions_completed", json_object_new_int(r->finished));
	json_object_object_add(o, "by_checklist", rows_json(r->by_checklist, r->nchecklist, "checklist"));
	json_object_object_add(o, "by_category", rows_json(r->by_category, r->ncategory, "category"));
	a = json_object_new_array();
	for (size_t i = 0; i < r->nblocks; i++) {
		json_object *b = json_object_new_object();
		json_object_object_add(b, "checklist", json_object_new_string(r->blocks[i].checklist_id));
		json_object_object_add(b, "step", json_object_new_string(r->blocks[i].step_id));
		json_object_object_add(b, "reason", json_object_new_string(r->blocks[i].reason));
		json_object_object_add(b, "count", json_object_new_int(r->blocks[i].count));
		json_object_array_add(a, b);
	}
	json_object_object_add(o, "blocked_steps", a);
	return o;
}

/* "  " and s, padded to width columns as a terminal shows them: "ế" is 3 bytes, 1 column. */
static void
put_label(FILE *f, const char *s, int width)
{
	int w = u8_width((const uint8_t *)s, strlen(s), "UTF-8");

	fprintf(f, "  %s", s);
	for (; w < width; w++)
		fputc(' ', f);
}

void
report_print(FILE *f, const struct report *r)
{
	char from[17], to[17];

	util_format_time(r->from, from);
	util_format_time(r->to - 1, to);
	from[10] = to[10] = '\0';
	fprintf(f, _("Báo cáo từ %s đến %s\n"), from, to);
	fprintf(f, _("  Người dân được hỗ trợ: %d\n  Phiên bắt đầu: %d, hoàn thành: %d\n"),
	    r->people, r->started, r->finished);
	if (r->ncategory > 0)
		fprintf(f, _("\nTheo kỹ năng:\n"));
	for (size_t i = 0; i < r->ncategory; i++) {
		int k = category_parse(r->by_category[i].key);
		put_label(f, k >= 0 ? category_name(k) : r->by_category[i].key, 34);
		fprintf(f, " %5d %5d\n", r->by_category[i].started, r->by_category[i].finished);
	}
	if (r->nchecklist > 0)
		fprintf(f, _("\nTheo danh mục (bắt đầu, hoàn thành, vướng):\n"));
	for (size_t i = 0; i < r->nchecklist; i++) {
		put_label(f, r->by_checklist[i].key, 34);
		fprintf(f, " %5d %5d %5d\n", r->by_checklist[i].started, r->by_checklist[i].finished,
		    r->by_checklist[i].blocked);
	}
	if (r->nblocks > 0)
		fprintf(f, _("\nBước hay bị vướng nhất:\n"));
	for (size_t i = 0; i < r->nblocks; i++)
		fprintf(f, "  %4d  %s / %s: %s\n", r->blocks[i].count, r->blocks[i].checklist_id,
		    r->blocks[i].step_id, r->blocks[i].reason);
}
