/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-servers.c: two sotay-server processes in front of one database, as
 * a nation runs them behind a load balancer. Kiosks are spread over both,
 * and every batch is sent to one server and, at the same moment, resent to
 * the other (a kiosk whose first answer was lost in transit, retried
 * through the balancer while the first process still commits). Every event
 * must be stored exactly once and accepted exactly once. Also: reports
 * read from the rollups equal the same reports counted from the facts
 * (events in order, backwards, late, taken back), and a province's SQLite
 * file migrated into PostgreSQL compares row for row and report for
 * report. Runs on SQLite and, under tests/lib/pg-cluster.sh, on PostgreSQL.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "event.h"
#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"
#include "test-db.h"
#include "server/server.h"

#define KIOSKS		8
#define EVENTS		240	/* per kiosk */
#define BATCH		40

struct kiosk {
	char			 id[64], token[64];
	struct protocol_event	 ev[EVENTS];
};

struct sender {
	const struct srv	*s;
	struct kiosk		*k;
	int64_t			 accepted, duplicates, conflicts, failures;
	int64_t			 errors;	/* answers other than 200 and 503 */
};

static void	rollups_match_facts(const char *db);

/* Sends every batch of k in order to one server, resending on a 503. */
static void *
send_all(void *arg)
{
	struct sender	*x = arg;
	size_t		 i;

	for (i = 0; i < EVENTS; i += BATCH) {
		int tries;

		for (tries = 0; tries < 50; tries++) {
			struct resp		 r;
			struct protocol_ack	 a;
			char			*body = NULL, *cause = NULL;
			int			 ok = 0;

			protocol_batch_encode(x->k->id, x->k->ev + i, BATCH, &body, &cause);
			if (th_http(x->s, "POST", PROTOCOL_PATH_EVENTS, x->k->token, NULL,
			    body, strlen(body), &r) == 0 && r.status == 200 &&
			    protocol_ack_parse(r.body, r.len, &a, &cause) == 0) {
				x->accepted += a.accepted;
				x->duplicates += a.duplicates;
				x->conflicts += (int64_t)a.nconflicts;
				protocol_ack_free(&a);
				ok = 1;
			} else if (r.status != 503) {
				fprintf(stderr, "# upload: %ld %s\n", r.status,
				    r.body != NULL ? r.body : "");
				x->errors++;
			}
			th_resp_free(&r);
			free(body);
			free(cause);
			if (ok)
				break;
			x->failures++;
		}
	}
	return NULL;
}

static void
two_servers_crossing_resends(void **state)
{
	static struct kiosk	 ks[KIOSKS];
	struct sender		 sd[KIOSKS][2];
	pthread_t		 t[KIOSKS][2];
	struct srv		 a, b;
	char			*db = th_tmp_path("nation.db"), prefix[9];
	int64_t			 accepted = 0, duplicates = 0;
	int			 i, j;

	unlink(db);
	for (i = 0; i < KIOSKS; i++) {
		assert_int_equal(th_kiosk_add(db, i % 2 ? "Tịnh Khê" : "Nghĩa Hành",
		    "Thôn 1", ks[i].id, ks[i].token), 0);
		snprintf(prefix, sizeof prefix, "5e%06x", i);
		th_events_make(ks[i].ev, EVENTS, 1, prefix);
	}
	assert_int_equal(th_srv_start(&a, db), 0);
	assert_int_equal(th_srv_start(&b, db), 0);
	/* Kiosk i's home is server i % 2; each batch is resent to the other. */
	for (i = 0; i < KIOSKS; i++)
		for (j = 0; j < 2; j++) {
			memset(&sd[i][j], 0, sizeof sd[i][j]);
			sd[i][j].s = (i + j) % 2 ? &b : &a;
			sd[i][j].k = &ks[i];
			pthread_create(&t[i][j], NULL, send_all, &sd[i][j]);
		}
	for (i = 0; i < KIOSKS; i++)
		for (j = 0; j < 2; j++) {
			pthread_join(t[i][j], NULL);
			accepted += sd[i][j].accepted;
			duplicates += sd[i][j].duplicates;
			assert_int_equal(sd[i][j].conflicts, 0);
			/* A race between the servers is theirs to settle, never a 500. */
			assert_int_equal(sd[i][j].errors, 0);
		}
	assert_int_equal(th_srv_stop(&a, SIGTERM), 0);
	assert_int_equal(th_srv_stop(&b, SIGTERM), 0);

	/* Each event accepted once, and once a duplicate, over both servers. */
	assert_int_equal(accepted, KIOSKS * EVENTS);
	assert_int_equal(duplicates, KIOSKS * EVENTS);
	assert_int_equal(th_sql_int(db, "SELECT count(*) FROM events", NULL),
	    KIOSKS * EVENTS);
	assert_int_equal(th_sql_int(db, "SELECT count(*) FROM conflicts", NULL), 0);
	for (i = 0; i < KIOSKS; i++) {
		assert_int_equal(th_sql_int(db, "SELECT count(DISTINCT seq) FROM events"
		    " WHERE kiosk = ?", ks[i].id), EVENTS);
		assert_int_equal(th_sql_int(db, "SELECT held_seq FROM kiosks WHERE id = ?",
		    ks[i].id), EVENTS);
		/* Facts once per event too: one session fact per session started. */
		{
			int64_t	 started = 0;
			int	 e;

			for (e = 0; e < EVENTS; e++)
				started += strcmp(ks[i].ev[e].type,
				    event_name(EVENT_SESSION_STARTED)) == 0;
			assert_true(started > 0);
			assert_int_equal(th_sql_int(db, "SELECT count(*) FROM f_session"
			    " WHERE kiosk = ?", ks[i].id), started);
		}
		th_events_free(ks[i].ev, EVENTS);
	}
	printf("# %s: %d kiosks x %d events over two servers, each once\n",
	    th_store_is_pg() ? "PostgreSQL" : "SQLite", KIOSKS, EVENTS);
	/* The rollups both servers wrote at once equal the facts. */
	rollups_match_facts(db);
	free(db);
}

static void upload_batch(const struct srv *, struct kiosk *, struct protocol_event *,
    size_t, struct protocol_ack *);

/* Rollups --------------------------------------------------------------- */

static const char *const bys[] = { "province", "commune", "hamlet", "checklist",
    "category", "day", "reason" };

/* The rows of GET /v1/reports?QUERY (a new JSON array, the caller's). */
static json_object *
report_rows(const struct srv *s, const char *query)
{
	struct resp	 r;
	char		*path = xasprintf("%s?%s", PROTOCOL_PATH_REPORTS, query);
	json_object	*o, *rows = NULL;

	assert_int_equal(th_http(s, "GET", path, TEST_ADMIN_TOKEN, NULL, NULL, 0, &r), 0);
	if (r.status != 200)
		fail_msg("%s: %ld %s", path, r.status, r.body);
	o = json_tokener_parse(r.body);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "rows", &rows));
	json_object_get(rows);
	json_object_put(o);
	th_resp_free(&r);
	free(path);
	return rows;
}

/*
 * Over the API: every grouping from the beginning equals the same report
 * from a date before any event and one up to a far date (other covers of
 * the same days). rollups_match_facts compares with the facts themselves.
 */
static void
api_covers_agree(const struct srv *s)
{
	size_t i;

	for (i = 0; i < sizeof bys / sizeof bys[0]; i++) {
		char		*q1 = xasprintf("by=%s", bys[i]);
		char		*q2 = xasprintf("by=%s&from=2000-01-01", bys[i]);
		char		*q3 = xasprintf("by=%s&to=2100-01-01", bys[i]);
		json_object	*a = report_rows(s, q1), *b = report_rows(s, q2);
		json_object	*c = report_rows(s, q3);

		assert_true(json_object_array_length(a) > 0);
		if (!json_object_equal(a, b))
			fail_msg("by=%s: from the beginning %s\nfrom 2000-01-01 %s", bys[i],
			    json_object_to_json_string(a), json_object_to_json_string(b));
		/* Up to a far day: another cover of the same days. */
		if (!json_object_equal(a, c))
			fail_msg("by=%s: all time %s\nday by day %s", bys[i],
			    json_object_to_json_string(a), json_object_to_json_string(c));
		json_object_put(a);
		json_object_put(b);
		json_object_put(c);
		free(q1);
		free(q2);
		free(q3);
	}
}

static int
row_same(const struct server_report_row *a, const struct server_report_row *b)
{
#define SAME(f) ((a->f == NULL) == (b->f == NULL) && (a->f == NULL || \
	strcmp(a->f, b->f) == 0))
	return SAME(key) && SAME(checklist) && SAME(step) && SAME(reason) &&
	    (a->key == NULL || (a->people == b->people && a->started == b->started &&
	    a->finished == b->finished && a->completed == b->completed &&
	    a->blocked == b->blocked)) && a->count == b->count;
#undef SAME
}

static void
report_print(const char *what, const struct server_report *r)
{
	size_t i;

	fprintf(stderr, "  %s:\n", what);
	for (i = 0; i < r->n; i++)
		fprintf(stderr, "    %s/%s/%s %s %s %s people %lld started %lld finished"
		    " %lld completed %lld blocked %lld count %lld\n",
		    r->rows[i].province ? r->rows[i].province : "-",
		    r->rows[i].commune ? r->rows[i].commune : "-",
		    r->rows[i].key ? r->rows[i].key : "-",
		    r->rows[i].checklist ? r->rows[i].checklist : "",
		    r->rows[i].step ? r->rows[i].step : "",
		    r->rows[i].reason ? r->rows[i].reason : "",
		    (long long)r->rows[i].people, (long long)r->rows[i].started,
		    (long long)r->rows[i].finished, (long long)r->rows[i].completed,
		    (long long)r->rows[i].blocked, (long long)r->rows[i].count);
}

/*
 * In-process, on the database itself: every grouping over ranges of every
 * shape a report can ask — from the beginning, from a 1 January, from a
 * 1st, one day, any span of days, open or closed, with days around month
 * and year ends — read from the rollups equals the same report counted from
 * the facts. Also a scope: a province's report is the province's rows.
 */
static void
rollups_match_facts(const char *db)
{
	static const enum server_report_by by[] = { SERVER_BY_PROVINCE,
	    SERVER_BY_COMMUNE, SERVER_BY_HAMLET, SERVER_BY_CHECKLIST,
	    SERVER_BY_CATEGORY, SERVER_BY_DAY, SERVER_BY_REASON };
	struct server_store	*st;
	struct server_report	 days, a, b;
	struct server_scope	 scope = { "Hà Tĩnh", NULL };
	char			*cause = NULL, *where = tdb_db(db, 0), d[16];
	int64_t			 first, last, from[12], to[12], day = 86400000LL;
	size_t			 i, j, k, nr = 0;
	int			 bad = 0;

	if (server_store_open(where, &st, &cause) != 0)
		fail_msg("open %s: %s", where, cause);
	assert_int_equal(server_store_report_facts(st, SERVER_BY_DAY, 0, INT64_MAX,
	    &days, &cause), 0);
	assert_true(days.n >= 1);
	first = util_parse_date(days.rows[0].key);
	last = util_parse_date(days.rows[days.n - 1].key);
	server_report_free(&days);
	server_store_day(last, d);
#define RANGE(f, t) do { from[nr] = (f); to[nr] = (t); nr++; } while (0)
	RANGE(0, INT64_MAX);
	RANGE(first, last + day);			/* the first day to the last */
	RANGE(first + day, INT64_MAX);			/* from a later day: any span */
	RANGE(first + day, last);
	RANGE(last, last + day);			/* one day */
	memcpy(d + 8, "01", 2);				/* from its 1st */
	RANGE(util_parse_date(d), INT64_MAX);
	memcpy(d + 5, "01", 2);				/* from its 1 January */
	RANGE(util_parse_date(d), INT64_MAX);
	RANGE(util_parse_date(d), last);
	RANGE(first - 40 * day, first + 2 * day);	/* across a month's end */
	RANGE(last + day, INT64_MAX);			/* nothing */
	for (i = 0; i < sizeof by / sizeof by[0]; i++)
		for (j = 0; j < nr; j++) {
			assert_int_equal(server_store_report(st, by[i], from[j], to[j], &a,
			    &cause), 0);
			assert_int_equal(server_store_report_facts(st, by[i], from[j], to[j],
			    &b, &cause), 0);
			for (k = 0; k < a.n && a.n == b.n && row_same(&a.rows[k], &b.rows[k]);
			    k++)
				;
			if (a.n != b.n || k < a.n) {
				fprintf(stderr, "by=%s, range %zu [%lld, %lld): rollups and facts"
				    " differ\n", server_report_by_name(by[i]), j,
				    (long long)from[j], (long long)to[j]);
				report_print("rollups", &a);
				report_print("facts", &b);
				bad = 1;
			}
			/* A province's own rows, and no other's. */
			if (by[i] == SERVER_BY_COMMUNE || by[i] == SERVER_BY_PROVINCE) {
				struct server_report	c;
				size_t			m = 0, x;

				assert_int_equal(server_store_report_scoped(st, by[i], from[j],
				    to[j], &scope, &c, &cause), 0);
				for (x = 0; x < b.n; x++) {
					const char *p = by[i] == SERVER_BY_PROVINCE ? b.rows[x].key :
					    b.rows[x].province;

					if (strcmp(p, scope.province) != 0)
						continue;
					if (m >= c.n || c.rows[m].people != b.rows[x].people ||
					    c.rows[m].started != b.rows[x].started)
						bad = 1;
					m++;
				}
				if (m != c.n) {
					fprintf(stderr, "by=%s, range %zu: scoped rows differ\n",
					    server_report_by_name(by[i]), j);
					bad = 1;
				}
				server_report_free(&c);
			}
			server_report_free(&a);
			server_report_free(&b);
		}
#undef RANGE
	server_store_close(st);
	free(where);
	assert_false(bad);
}

static void
event_json(struct protocol_event *e, const char *id, int64_t seq, int64_t at,
    const char *type, const char *payload)
{
	memset(e, 0, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", id);
	e->seq = seq;
	e->at = at;
	e->type = xstrdup(type);
	e->payload = xstrdup(payload);
}

static void
kiosk_add_in(const char *db, const char *province, const char *commune,
    const char *code, struct kiosk *k)
{
	char *out = NULL;

	assert_int_equal(th_cli(db, &out, NULL, "kiosk", "add", "--province", province,
	    "--commune", commune, "--hamlet", "Thôn 1", "--name", "NVH",
	    code != NULL ? "--commune-code" : (char *)NULL, code, (char *)NULL), 0);
	assert_int_equal(sscanf(out, "kiosk: %36s\ntoken: %63s", k->id, k->token), 2);
	free(out);
}

/*
 * A server of the previous version (schema 4: rollups shared by every
 * kiosk, days of the kiosk's own clock) upgraded: its facts move to the
 * kiosk's corrected time, by the offset the kiosk last gave, and the new
 * rollups are made from them at the first open.
 */
static void
upgrade_from_4(const char *db, const char *kiosk)
{
	const int64_t	offset = 2 * 86400000LL;	/* two days behind */
	int64_t		before, n, after;
	char		*sql;
	sqlite3		*h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "DROP TABLE r_sums; DROP TABLE r_seen;"
	    "CREATE TABLE r_counts (grp TEXT NOT NULL, k1 TEXT NOT NULL,"
	    " k2 TEXT NOT NULL, k3 TEXT NOT NULL, day TEXT NOT NULL,"
	    " people INTEGER NOT NULL DEFAULT 0, started INTEGER NOT NULL DEFAULT 0,"
	    " finished INTEGER NOT NULL DEFAULT 0, completed INTEGER NOT NULL DEFAULT 0,"
	    " blocked INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (grp, k1, k2, k3, day));"
	    "CREATE TABLE r_people (grp TEXT NOT NULL, k1 TEXT NOT NULL,"
	    " k2 TEXT NOT NULL, k3 TEXT NOT NULL, kiosk TEXT NOT NULL,"
	    " resident TEXT NOT NULL, day TEXT NOT NULL,"
	    " PRIMARY KEY (grp, k1, k2, k3, kiosk, resident));"
	    "ALTER TABLE kiosks DROP COLUMN install;"
	    "UPDATE r_state SET built = 1; PRAGMA user_version = 4", NULL, NULL, NULL),
	    SQLITE_OK);
	sql = sqlite3_mprintf("INSERT OR REPLACE INTO kiosk_status VALUES (%Q, 1, 0, 1,"
	    " '0.1', %lld)", kiosk, (long long)offset);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(h);
	before = th_sql_int(db, "SELECT sum(at) FROM f_session WHERE kiosk = ?", kiosk);
	n = th_sql_int(db, "SELECT count(*) FROM f_session WHERE kiosk = ?", kiosk);
	assert_true(n > 0);
	rollups_match_facts(db);	/* opens it: the migration runs */
	assert_int_equal(th_sql_int(db, "PRAGMA user_version", NULL), 7);
	after = th_sql_int(db, "SELECT sum(at) FROM f_session WHERE kiosk = ?", kiosk);
	assert_int_equal(after - before, n * offset);
	assert_true(th_sql_int(db, "SELECT count(*) FROM r_sums", NULL) > 0);
}

static void
reports_from_rollups(void **state)
{
	static struct kiosk	 ks[4];
	struct protocol_event	 extra[4], rev[62];
	struct protocol_ack	 a;
	struct srv		 s;
	char			*db = th_tmp_path("rollups.db");
	json_object		*rows, *row, *v;
	int64_t			 day = 86400000LL;
	int			 i, n;

	unlink(db);
	/* Two communes of one name in two provinces, one without a code. */
	kiosk_add_in(db, "Quảng Ngãi", "Tịnh Khê", "21079", &ks[0]);
	kiosk_add_in(db, "Hà Tĩnh", "Tịnh Khê", "18001", &ks[1]);
	kiosk_add_in(db, "Hà Tĩnh", "Kỳ Anh", NULL, &ks[2]);
	kiosk_add_in(db, "Hà Tĩnh", "Kỳ Anh", NULL, &ks[3]);
	for (i = 0; i < 4; i++) {
		char prefix[9];

		snprintf(prefix, sizeof prefix, "c0%06x", i);
		th_events_make(ks[i].ev, 60, 1, prefix);
	}
	assert_int_equal(th_srv_start(&s, db), 0);
	/* Kiosk 0: a later session of resident r1 arrives first, then the rest. */
	event_json(&extra[0], "c0000000-0000-7000-8000-0000000000a1", 61,
	    1764400000000LL + 3 * day, "session.started", "{\"session\":\"s61\","
	    "\"resident\":\"r1\",\"checklist\":\"test-basic\",\"version\":1,"
	    "\"category\":\"public_services\"}");
	upload_batch(&s, &ks[0], &extra[0], 1, &a);
	protocol_ack_free(&a);
	upload_batch(&s, &ks[0], ks[0].ev, 60, &a);
	assert_int_equal(a.held_seq, 61);
	protocol_ack_free(&a);
	/* ... and takes a block back. */
	event_json(&extra[1], "c0000000-0000-7000-8000-0000000000a2", 62,
	    1764400000000LL + 70000, "step.undone", "{\"session\":\"s2\","
	    "\"checklist\":\"test-basic\",\"step\":\"get-otp\",\"index\":2,"
	    "\"mark\":\"blocked\"}");
	upload_batch(&s, &ks[0], &extra[1], 1, &a);
	protocol_ack_free(&a);
	/* Kiosk 1 in order; kiosk 2 backwards, one event at a time: finishes
	 * before their sessions, sessions before their residents. */
	upload_batch(&s, &ks[1], ks[1].ev, 60, &a);
	protocol_ack_free(&a);
	for (i = 59; i >= 0; i--) {
		upload_batch(&s, &ks[2], &ks[2].ev[i], 1, &a);
		protocol_ack_free(&a);
	}
	/*
	 * Kiosk 3 backwards in one batch: what one transaction learns as it
	 * goes. Resident r1 has two more sessions, days and a month apart, so
	 * three sessions move to its hamlet together when it comes, last.
	 */
	event_json(&extra[2], "c3000000-0000-7000-8000-0000000000b1", 61,
	    1764400000000LL + 2 * day, "session.started", "{\"session\":\"s61\","
	    "\"resident\":\"r1\",\"checklist\":\"test-basic\",\"version\":1,"
	    "\"category\":\"public_services\"}");
	event_json(&extra[3], "c3000000-0000-7000-8000-0000000000b2", 62,
	    1764400000000LL + 40 * day, "session.started", "{\"session\":\"s62\","
	    "\"resident\":\"r1\",\"checklist\":\"test-basic\",\"version\":1,"
	    "\"category\":\"public_services\"}");
	rev[0] = extra[3];
	rev[1] = extra[2];
	for (i = 0; i < 60; i++)
		rev[2 + i] = ks[3].ev[59 - i];
	upload_batch(&s, &ks[3], rev, 62, &a);
	assert_int_equal(a.held_seq, 62);
	protocol_ack_free(&a);
	api_covers_agree(&s);
	rollups_match_facts(db);

	/* by=province: two provinces. */
	rows = report_rows(&s, "by=province");
	assert_int_equal(json_object_array_length(rows), 2);
	json_object_put(rows);
	/* by=commune: "Tịnh Khê" twice, told apart by province and code. */
	rows = report_rows(&s, "by=commune");
	n = 0;
	for (i = 0; i < (int)json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		assert_true(json_object_object_get_ex(row, "commune", &v));
		if (strcmp(json_object_get_string(v), "Tịnh Khê") != 0)
			continue;
		n++;
		assert_true(json_object_object_get_ex(row, "province", &v));
		if (strcmp(json_object_get_string(v), "Quảng Ngãi") == 0) {
			assert_true(json_object_object_get_ex(row, "commune_code", &v));
			assert_string_equal(json_object_get_string(v), "21079");
			/* 12 sessions and one more, of 12 residents; a block taken back. */
			assert_true(json_object_object_get_ex(row, "sessions_started", &v));
			assert_int_equal(json_object_get_int64(v), 13);
			assert_true(json_object_object_get_ex(row, "people", &v));
			assert_int_equal(json_object_get_int64(v), 12);
			assert_true(json_object_object_get_ex(row, "steps_blocked", &v));
			assert_int_equal(json_object_get_int64(v), 11);
		} else {
			assert_true(json_object_object_get_ex(row, "commune_code", &v));
			assert_string_equal(json_object_get_string(v), "18001");
		}
	}
	assert_int_equal(n, 2);
	json_object_put(rows);
	assert_int_equal(th_srv_stop(&s, SIGTERM), 0);

	/* Rollups made afresh from the facts (an upgrade, a migrate) agree. */
	if (!th_store_is_pg()) {
		sqlite3 *h;

		assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, "DELETE FROM r_sums; DELETE FROM"
		    " r_seen; UPDATE r_state SET built = 0", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
		assert_int_equal(th_srv_start(&s, db), 0);
		api_covers_agree(&s);
		rollups_match_facts(db);
		assert_int_equal(th_srv_stop(&s, SIGTERM), 0);
		upgrade_from_4(db, ks[1].id);
	}
	for (i = 0; i < 4; i++)
		th_events_free(ks[i].ev, 60);
	th_events_free(extra, 4);
	free(db);
}

/* Migration ------------------------------------------------------------- */

/* Each table's rows in key order, the same text from either store. */
static const struct {
	const char *sqlite, *pg;
} tables[] = {
	{ "SELECT id, province, commune, commune_code, hamlet, name,"
	  " lower(hex(token_hash)), created_at, revoked_at, held_seq, last_seen,"
	  " install FROM kiosks ORDER BY id",
	  "SELECT id, province, commune, commune_code, hamlet, name,"
	  " encode(token_hash, 'hex'), created_at, revoked_at, held_seq, last_seen,"
	  " install FROM kiosks ORDER BY id" },
	{ "SELECT id, kiosk, seq, type, at, payload, received_at FROM events"
	  " ORDER BY id", NULL },
	{ "SELECT kiosk, id, seq, type, at, payload, reason, received_at FROM"
	  " conflicts ORDER BY kiosk, id, seq", NULL },
	{ "SELECT kiosk, resident, hamlet, birth_year, sex, at FROM f_resident"
	  " ORDER BY kiosk, resident", NULL },
	{ "SELECT kiosk, session, resident, checklist, version, category, at FROM"
	  " f_session ORDER BY kiosk, session", NULL },
	{ "SELECT kiosk, session, checklist, outcome, at FROM f_finish"
	  " ORDER BY kiosk, session", NULL },
	{ "SELECT event, kiosk, session, checklist, step, reason, at FROM f_block"
	  " ORDER BY event", NULL },
	{ "SELECT version, published_at FROM content_versions ORDER BY version",
	  NULL },
	{ "SELECT id, version, json, content_version FROM checklists"
	  " ORDER BY id, version", NULL },
};

static void
same_rows(const char *src, const char *dst)
{
	size_t i;

	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char *a = tdb_rows(src, tables[i].sqlite);
		char *b = tdb_rows(dst, tables[i].pg != NULL ? tables[i].pg :
		    tables[i].sqlite);

		assert_non_null(a);
		assert_non_null(b);
		assert_true(strlen(a) > 0);	/* every table has rows to compare */
		if (strcmp(a, b) != 0)
			fail_msg("%s differs after migrate:\n--- SQLite\n%.2000s\n"
			    "--- PostgreSQL\n%.2000s", tables[i].sqlite, a, b);
		free(a);
		free(b);
	}
}

static void
upload_batch(const struct srv *s, struct kiosk *k, struct protocol_event *ev,
    size_t n, struct protocol_ack *a)
{
	struct resp	 r;
	char		*body = NULL, *cause = NULL;

	assert_int_equal(protocol_batch_encode(k->id, ev, n, &body, &cause), 0);
	assert_int_equal(th_http(s, "POST", PROTOCOL_PATH_EVENTS, k->token, NULL, body,
	    strlen(body), &r), 0);
	if (r.status != 200)
		fail_msg("upload: %ld %s", r.status, r.body);
	assert_int_equal(protocol_ack_parse(r.body, r.len, a, &cause), 0);
	th_resp_free(&r);
	free(body);
}

static void
migrate_row_for_row(void **state)
{
	static struct kiosk	 ks[3];
	struct protocol_event	 odd;
	struct protocol_ack	 a;
	struct srv		 s;
	char			*src, *dst, *out = NULL, *err = NULL;
	int			 i;

	if (!th_store_is_pg())
		skip();	/* PostgreSQL is where a migration goes */
	src = th_tmp_path("province.sqlite");
	dst = th_tmp_path("national.db");
	unlink(src);
	for (i = 0; i < 3; i++) {
		char prefix[9];

		assert_int_equal(th_kiosk_add(src, i ? "Tịnh Khê" : "Nghĩa Hành", "Thôn 2",
		    ks[i].id, ks[i].token), 0);
		snprintf(prefix, sizeof prefix, "a1%06x", i);
		th_events_make(ks[i].ev, 60, 1, prefix);
	}
	assert_int_equal(th_cli(src, NULL, NULL, "content", "publish",
	    "tests/data/checklists", (char *)NULL), 0);
	assert_int_equal(th_srv_start(&s, src), 0);
	for (i = 0; i < 3; i++) {
		upload_batch(&s, &ks[i], ks[i].ev, 60, &a);
		assert_int_equal(a.accepted, 60);
		protocol_ack_free(&a);
	}
	/* A conflict to carry over: seq 5 again under another id. */
	odd = ks[0].ev[4];
	memcpy(odd.id, "0badbad0-0000-7000-8000-000000000005", PROTOCOL_ID_LEN);
	upload_batch(&s, &ks[0], &odd, 1, &a);
	assert_int_equal(a.nconflicts, 1);
	protocol_ack_free(&a);
	{
		/* Kiosk 1's token is bound to its machine: the binding goes over. */
		static const char *const h[] = {
		    "Sotay-Install: 0190f000-0000-7000-8000-0000000000e1", NULL };
		struct resp r;

		assert_int_equal(th_http(&s, "GET", PROTOCOL_PATH_KIOSK, ks[1].token, h,
		    NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		th_resp_free(&r);
	}
	assert_int_equal(th_srv_stop(&s, SIGTERM), 0);
	assert_int_equal(th_cli(src, NULL, NULL, "kiosk", "revoke", ks[2].id,
	    (char *)NULL), 0);

	{
		char *url = tdb_db(dst, 1);

		assert_int_equal(th_cli(dst, &out, &err, "--lang", "en", "migrate", "--from", src, "--to",
		    url, (char *)NULL), 0);
		assert_non_null(strstr(out, "events"));
		assert_non_null(strstr(out, "180"));
		free(out);
		free(err);
		same_rows(src, dst);
		/* Twice is safe: nothing new, nothing changed. */
		assert_int_equal(th_cli(dst, &out, &err, "--lang", "en", "migrate", "--from", src, "--to",
		    url, (char *)NULL), 0);
		assert_null(strstr(out, "180 rows copied"));
		assert_non_null(strstr(out, "180 already there"));
		same_rows(src, dst);
		free(out);
		free(err);
		/* A token given anew meanwhile (kiosk token) goes over too. */
		assert_int_equal(th_cli(src, &out, NULL, "kiosk", "token", ks[0].id,
		    (char *)NULL), 0);
		assert_int_equal(sscanf(out, "kiosk: %*36s\ntoken: %63s", ks[0].token), 1);
		free(out);
		assert_int_equal(th_cli(dst, &out, &err, "--lang", "en", "migrate", "--from", src,
		    "--to", url, (char *)NULL), 0);
		same_rows(src, dst);
		free(out);
		free(err);
		free(url);
	}

	/* The nation's server knows the province's kiosks by their tokens, and
	 * reports what the province's reported (its rollups made afresh). */
	assert_int_equal(th_srv_start(&s, dst), 0);
	{
		struct srv	p;
		size_t		j;

		assert_int_equal(th_srv_start(&p, src), 0);
		for (j = 0; j < sizeof bys / sizeof bys[0]; j++) {
			char		*q = xasprintf("by=%s", bys[j]);
			json_object	*x = report_rows(&p, q), *y = report_rows(&s, q);

			if (!json_object_equal(x, y))
				fail_msg("%s: SQLite %s\nPostgreSQL %s", q,
				    json_object_to_json_string(x),
				    json_object_to_json_string(y));
			json_object_put(x);
			json_object_put(y);
			free(q);
		}
		assert_int_equal(th_srv_stop(&p, SIGTERM), 0);
	}
	upload_batch(&s, &ks[1], ks[1].ev, 60, &a);
	assert_int_equal(a.duplicates, 60);
	assert_int_equal(a.held_seq, 60);
	protocol_ack_free(&a);
	assert_int_equal(th_srv_stop(&s, SIGTERM), 0);
	for (i = 0; i < 3; i++)
		th_events_free(ks[i].ev, 60);
	free(src);
	free(dst);
}

/* The row of by=commune for commune in province, or NULL. */
static json_object *
commune_row(json_object *rows, const char *province, const char *commune, int *n)
{
	json_object	*row, *v, *found = NULL;
	size_t		 i;

	*n = 0;
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		assert_true(json_object_object_get_ex(row, "commune", &v));
		if (strcmp(json_object_get_string(v), commune) != 0)
			continue;
		assert_true(json_object_object_get_ex(row, "province", &v));
		if (strcmp(json_object_get_string(v), province) == 0) {
			found = row;
			(*n)++;
		}
	}
	return found;
}

/*
 * A commune's kiosks added with and without --commune-code (a code
 * learnt later, a kiosk added in a hurry) are one commune: one row by
 * commune, with its code and every kiosk's sessions, as by province
 * counts them. A namesake in another province stays a row of its own.
 */
static void
commune_code_on_some_kiosks(void **state)
{
	static struct kiosk	 ks[3];
	struct protocol_ack	 a;
	struct srv		 s;
	char			*db = th_tmp_path("codes.db");
	json_object		*rows, *row, *v;
	int64_t			 per_kiosk = 0, qn = 0;
	int			 i, n;

	unlink(db);
	kiosk_add_in(db, "Quảng Ngãi", "Tân An", "21100", &ks[0]);
	kiosk_add_in(db, "Quảng Ngãi", "Tân An", NULL, &ks[1]);
	kiosk_add_in(db, "Long An", "Tân An", "27700", &ks[2]);
	assert_int_equal(th_srv_start(&s, db), 0);
	for (i = 0; i < 3; i++) {
		char prefix[9];

		snprintf(prefix, sizeof prefix, "c1%06x", i);
		th_events_make(ks[i].ev, 60, 1, prefix);
		upload_batch(&s, &ks[i], ks[i].ev, 60, &a);
		protocol_ack_free(&a);
	}
	for (i = 0; i < 60; i++)
		per_kiosk += strcmp(ks[0].ev[i].type, "session.started") == 0;
	assert_true(per_kiosk > 0);

	rows = report_rows(&s, "by=commune");
	row = commune_row(rows, "Quảng Ngãi", "Tân An", &n);
	if (n != 1)
		fail_msg("Tân An of Quảng Ngãi is %d rows by commune: %s", n,
		    json_object_to_json_string(rows));
	assert_true(json_object_object_get_ex(row, "commune_code", &v));
	assert_string_equal(json_object_get_string(v), "21100");
	assert_true(json_object_object_get_ex(row, "sessions_started", &v));
	assert_int_equal(json_object_get_int64(v), 2 * per_kiosk);
	row = commune_row(rows, "Long An", "Tân An", &n);
	assert_int_equal(n, 1);
	assert_true(json_object_object_get_ex(row, "commune_code", &v));
	assert_string_equal(json_object_get_string(v), "27700");
	json_object_put(rows);
	/* By province, the same sessions. */
	rows = report_rows(&s, "by=province");
	for (i = 0; i < (int)json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		assert_true(json_object_object_get_ex(row, "province", &v));
		if (strcmp(json_object_get_string(v), "Quảng Ngãi") == 0) {
			assert_true(json_object_object_get_ex(row, "sessions_started", &v));
			qn = json_object_get_int64(v);
		}
	}
	assert_int_equal(qn, 2 * per_kiosk);
	json_object_put(rows);
	assert_int_equal(th_srv_stop(&s, SIGTERM), 0);
	rollups_match_facts(db);
	for (i = 0; i < 3; i++)
		th_events_free(ks[i].ev, 60);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_servers_crossing_resends),
		cmocka_unit_test(migrate_row_for_row),
		cmocka_unit_test(reports_from_rollups),
		cmocka_unit_test(commune_code_on_some_kiosks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
