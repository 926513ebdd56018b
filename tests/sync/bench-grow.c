/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-grow.c: a national database growing, round after round, and how
 * long a report takes as it grows.
 *
 *   bench-grow DB [MAX_EVENTS]
 *
 * DB is an SQLite path or a postgresql:// URL (tests/sync/bench-stores.sh
 * runs it on both, side by side). KIOSKS kiosks each upload batches of 100
 * events — residents, sessions of 20 checklists in 6 categories, steps
 * (some blocked, for 5 reasons), finishes — spread over a year, with each
 * kiosk's own hamlet, so rollups have the shape of real ones. The events go
 * through the server's own ingest path (server_ingest_batch: the rules,
 * the facts, the rollups, one transaction a batch) in-process, without
 * HTTP: HTTP at this volume is measured by bench-kiosks, and generating
 * millions of events over loopback would take hours here.
 *
 * Each round adds ROUND events and prints its time (the goal: flat as the
 * database grows): every round up to 1M, then the round that ends each
 * million, the ones between filling the database with batches of 1,000
 * (the protocol's largest: the same ingest with fewer commits). At 100k, 1M and 5M events it times every report
 * grouping from the rollups over four ranges (all time, from 1 January,
 * one month, any 30 days) and one province's officer's (goal: under
 * 100 ms at 5M), and, as the peer, the same report counted from the facts
 * (the way reports were made before rollups; skipped above 1M where it
 * takes many seconds). One resident in three comes back a month later, so
 * people are not simply sessions.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <sodium.h>

#include "util.h"
#include "protocol.h"
#include "../bench/bench.h"
#include "server/server-ingest.h"
#include "server/server-store.h"

#define KIOSKS		1000
#define BATCH		100	/* a measured round's batches */
#define FILL_BATCH	1000	/* the protocol's largest: filling between marks */
#define ROUND		100000
#define PER_DAY		14	/* events a kiosk makes a day */
#define GOAL_MS		100.0
#define THREADS		4	/* as a server's worker threads would */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *const checklists[20] = {
	"vneid-level2", "vneid-level1", "dvc-login-vneid", "pay-fees-online",
	"health-insurance-household", "vssid", "mobile-money", "online-scams",
	"bank-app-biometrics", "birth-linked", "death-linked", "judicial-record",
	"residence-registration", "email-account", "phone-passwords", "buy-online",
	"order-shipping", "shop-postmart", "zalo-hamlet-group", "child-id-card",
};
static const char *const categories[6] = {
	"public_services", "health", "money", "safety", "commerce", "community",
};
static const char *const reasons[5] = {
	"no-otp", "no-signal", "forgot-password", "no-id-card", "phone-too-old",
};

/* Event seq of a kiosk, as its kiosk would make it: a cycle of seven. */
static void
make_event(struct protocol_event *e, int kiosk, int64_t seq, const char *hamlet)
{
	json_object	*p = json_object_new_object();
	int64_t		 cycle = (seq - 1) / 7, n = (seq - 1) % 7;
	char		 res[32], ses[32];
	const char	*cl = checklists[(kiosk + cycle) % 20];

	snprintf(e->id, sizeof e->id, "%08x-0000-7000-8000-%012llx", (unsigned)kiosk,
	    (unsigned long long)seq);
	e->seq = seq;
	/* Spread over a year from 2025-07-01, PER_DAY events a day. */
	e->at = 1751328000000LL + ((seq - 1) / PER_DAY) % 365 * 86400000LL +
	    ((seq - 1) % PER_DAY) * 600000LL;
	/* Every third session is a resident's return, about a month later. */
	snprintf(res, sizeof res, "r%lld", (long long)(cycle % 3 == 2 && cycle >= 60 ?
	    cycle - 60 : cycle));
	snprintf(ses, sizeof ses, "s%lld", (long long)cycle);
	switch (n) {
	case 0:
		e->type = xstrdup("resident.added");
		json_object_object_add(p, "resident", json_object_new_string(res));
		json_object_object_add(p, "birth_year", json_object_new_int(1940 +
		    (int)(cycle % 60)));
		json_object_object_add(p, "sex", json_object_new_string(cycle % 2 ? "f" :
		    "m"));
		json_object_object_add(p, "hamlet", json_object_new_string(hamlet));
		break;
	case 1:
		e->type = xstrdup("session.started");
		json_object_object_add(p, "session", json_object_new_string(ses));
		json_object_object_add(p, "resident", json_object_new_string(res));
		json_object_object_add(p, "checklist", json_object_new_string(cl));
		json_object_object_add(p, "version", json_object_new_int(1));
		json_object_object_add(p, "category", json_object_new_string(
		    categories[(kiosk + cycle) % 6]));
		break;
	case 2: case 3: case 4:
		e->type = xstrdup("step.marked");
		json_object_object_add(p, "session", json_object_new_string(ses));
		json_object_object_add(p, "checklist", json_object_new_string(cl));
		json_object_object_add(p, "step", json_object_new_string(n == 2 ? "open" :
		    n == 3 ? "otp" : "confirm"));
		json_object_object_add(p, "index", json_object_new_int((int)n - 2));
		json_object_object_add(p, "mark", json_object_new_string(n == 3 &&
		    cycle % 4 == 0 ? "blocked" : "done"));
		if (n == 3 && cycle % 4 == 0)
			json_object_object_add(p, "reason", json_object_new_string(
			    reasons[cycle % 5]));
		break;
	case 5:
		e->type = xstrdup("note.added");
		json_object_object_add(p, "session", json_object_new_string(ses));
		json_object_object_add(p, "index", json_object_new_int(1));
		break;
	default:
		e->type = xstrdup("session.finished");
		json_object_object_add(p, "session", json_object_new_string(ses));
		json_object_object_add(p, "checklist", json_object_new_string(cl));
		json_object_object_add(p, "outcome", json_object_new_string(cycle % 4 ?
		    "completed" : "blocked"));
		json_object_object_add(p, "done", json_object_new_int(3));
		json_object_object_add(p, "skipped", json_object_new_int(0));
		json_object_object_add(p, "blocked", json_object_new_int(cycle % 4 ? 0 : 1));
		break;
	}
	e->payload = xstrdup(json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN));
	json_object_put(p);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ranges a report is asked for, found from the last day the database
 * holds (the data starts on 2025-07-01 and reaches a year at 5M events).
 */
static const char *const range_names[] = { "all time", "from 1 January",
    "its month", "a whole month", "any 30 days" };
#define NRANGES	(sizeof range_names / sizeof range_names[0])
static int64_t range_from[NRANGES], range_to[NRANGES];

static int
ranges_find(struct server_store *st)
{
	char	*first, *last, *cause = NULL, d[16];
	int64_t	 day = 86400000LL, l;

	if (server_store_rollup_days(st, &first, &last, &cause) != 0 || last == NULL) {
		fprintf(stderr, "bench-grow: %s\n", cause != NULL ? cause : "no days");
		return -1;
	}
	l = util_parse_date(last);
	range_from[0] = 0;				/* all time */
	range_to[0] = INT64_MAX;
	snprintf(d, sizeof d, "%.4s-01-01", last);	/* from 1 January, open */
	range_from[1] = util_parse_date(d);
	range_to[1] = INT64_MAX;
	snprintf(d, sizeof d, "%.7s-01", last);		/* from the 1st, open */
	range_from[2] = util_parse_date(d);
	range_to[2] = INT64_MAX;
	server_store_day(range_from[2] - day, d);	/* the month before */
	memcpy(d + 8, "01", 3);
	range_from[3] = util_parse_date(d);
	range_to[3] = range_from[2];
	range_from[4] = l - 29 * day;			/* any 30 days */
	range_to[4] = l + day;
	free(first);
	free(last);
	return 0;
}

/* A province's officer: its kiosks only. */
static const struct server_scope province_scope = { "Tỉnh 3", NULL };

/*
 * Median of five runs of one report, in ms (-1 on failure): from the
 * rollups (facts 0, scoped by scope when not NULL), or counted from the
 * facts (the old way; once is enough when it is slow).
 */
static double
time_report(struct server_store *st, enum server_report_by by, size_t range,
    const struct server_scope *scope, int facts, size_t *rows)
{
	int64_t	from = range_from[range], to = range_to[range];
	double	t[5];
	int	i, rc;

	for (i = 0; i < 5; i++) {
		struct server_report	 r;
		char			*cause = NULL;
		double			 t0 = now_ms();

		if (facts)
			rc = server_store_report_facts(st, by, from, to, &r, &cause);
		else if (scope != NULL)
			rc = server_store_report_scoped(st, by, from, to, scope, &r, &cause);
		else
			rc = server_store_report(st, by, from, to, &r, &cause);
		if (rc != 0) {
			fprintf(stderr, "bench-grow: report: %s\n", cause);
			free(cause);
			return -1;
		}
		t[i] = now_ms() - t0;
		*rows = r.n;
		server_report_free(&r);
		if (facts && t[i] > 1000)
			return t[i];
	}
	qsort(t, 5, sizeof t[0], cmp_double);
	return t[2];
}

static void
reports(struct server_store *st, long long events, const char *store)
{
	static const enum server_report_by bys[] = { SERVER_BY_PROVINCE,
	    SERVER_BY_COMMUNE, SERVER_BY_HAMLET, SERVER_BY_CHECKLIST,
	    SERVER_BY_CATEGORY, SERVER_BY_DAY, SERVER_BY_REASON };
	static const char *const names[] = { "province", "commune", "hamlet",
	    "checklist", "category", "day", "reason" };
	size_t	i, j, rows;
	double	worst = 0, facts_worst = 0;
	char	what[160], data[96];

	if (ranges_find(st) != 0)
		return;
	printf("  reports at %lld events (%s), ms, median of 5 (goal < %.0f ms at 5M):\n",
	    events, store, GOAL_MS);
	printf("    %-10s", "");
	for (j = 0; j < NRANGES; j++)
		printf(" %15s", range_names[j]);
	printf(" %15s %s\n", "a province's", "(rows all time; from the facts, all time)");
	for (i = 0; i < sizeof bys / sizeof bys[0]; i++) {
		double t, f = -1;
		size_t all_rows = 0;

		printf("    by=%-7s", names[i]);
		for (j = 0; j < NRANGES; j++) {
			t = time_report(st, bys[i], j, NULL, 0, &rows);
			if (j == 0)
				all_rows = rows;
			worst = t > worst ? t : worst;
			printf(" %15.1f", t);
		}
		t = time_report(st, bys[i], 4, &province_scope, 0, &rows);
		worst = t > worst ? t : worst;
		printf(" %15.1f", t);
		/* The old way, the peer: every fact, over a second at 1M. */
		if (events <= 1000000) {
			f = time_report(st, bys[i], 0, NULL, 1, &rows);
			facts_worst = f > facts_worst ? f : facts_worst;
		}
		if (f >= 0)
			printf(" (%zu rows; facts %.1f ms)\n", all_rows, f);
		else
			printf(" (%zu rows)\n", all_rows);
	}
	printf("    slowest %.1f ms (goal < %.0f ms at 5M: %s)\n", worst, GOAL_MS,
	    events < 5000000 ? "not yet 5M" : worst < GOAL_MS ? "met" : "NOT met");
	snprintf(what, sizeof what, "server report, slowest of 7 groupings x %zu"
	    " ranges and a province's (%s)", NRANGES, store);
	snprintf(data, sizeof data, "%lld events, %d kiosks", events, KIOSKS);
	bench_row(what, data, worst, "ms", facts_worst > 0 ? "from the facts (old way)" :
	    "from the facts: not run above 1M", facts_worst, "< 100 ms at 5M",
	    events >= 5000000 ? worst < GOAL_MS : -1);
}

struct worker {
	struct server_store	*st;
	struct server_kiosk	*k;
	int64_t			*seq;
	int			 t;
	long long		 n, quota;
	int			 batch;
	int			 failed;
};

/* Uploads batches for kiosks t, t + THREADS, … until its quota is done. */
static void *
work(void *arg)
{
	struct worker		*w = arg;
	struct protocol_event	 ev[FILL_BATCH];
	char			*cause = NULL;
	int			 i, j;

	while (w->n < w->quota) {
		for (i = w->t; i < KIOSKS && w->n < w->quota; i += THREADS) {
			struct protocol_batch	b = { .kiosk = w->k[i].id, .events = ev,
			    .n = (size_t)w->batch };
			struct protocol_ack	a;

			for (j = 0; j < w->batch; j++)
				make_event(&ev[j], i, ++w->seq[i], w->k[i].hamlet);
			if (server_ingest_batch(w->st, &w->k[i], &b, &a, &cause) != 0 ||
			    a.accepted != w->batch) {
				fprintf(stderr, "bench-grow: %s\n", cause != NULL ? cause :
				    "not every event accepted");
				w->failed = 1;
				return NULL;
			}
			protocol_ack_free(&a);
			for (j = 0; j < w->batch; j++) {
				free(ev[j].type);
				free(ev[j].payload);
			}
			w->n += w->batch;
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct server_store	*st;
	struct server_kiosk	*k;
	char			*cause = NULL;
	const char		*store;
	long long		 max, total = 0, next_mark = 100000, first_round = 0;
	int64_t			*seq;
	int			 i, round = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-grow DB [MAX_EVENTS]\n"
		    "       bench-grow DB --reports EVENTS (the reports alone, on a"
		    " database grown before)\n");
		return 2;
	}
	max = argc > 2 ? atoll(argv[2]) : 5000000;
	if (sodium_init() < 0)
		return 1;
	store = server_store_is_pg(argv[1]) ? "PostgreSQL" : "SQLite";
	if (server_store_open_pool(argv[1], THREADS + 1, &st, &cause) != 0) {
		fprintf(stderr, "bench-grow: %s\n", cause);
		return 1;
	}
	if (argc > 3 && strcmp(argv[2], "--reports") == 0) {
		/* BENCH_GROW_NOTE says where the rollups came from. */
		char label[160];

		snprintf(label, sizeof label, "%s%s%s", store, getenv("BENCH_GROW_NOTE") ?
		    ", " : "", getenv("BENCH_GROW_NOTE") ? getenv("BENCH_GROW_NOTE") : "");
		reports(st, atoll(argv[3]), label);
		server_store_close(st);
		return 0;
	}
	k = xcalloc(KIOSKS, sizeof *k);
	seq = xcalloc(KIOSKS, sizeof *seq);
	for (i = 0; i < KIOSKS; i++) {
		unsigned char	h[SERVER_HASH_LEN];
		char		id[64], hamlet[32], commune[32], province[32], code[16];

		snprintf(id, sizeof id, "%08x-b000-7000-8000-000000000000", (unsigned)i);
		snprintf(hamlet, sizeof hamlet, "Thôn %d", i % 12 + 1);
		snprintf(commune, sizeof commune, "Xã %d", i / 12);
		snprintf(province, sizeof province, "Tỉnh %d", i / 12 % 34);
		snprintf(code, sizeof code, "%05d", 10000 + i / 12);
		k[i].id = xstrdup(id);
		k[i].province = xstrdup(province);
		k[i].commune = xstrdup(commune);
		k[i].commune_code = xstrdup(code);
		k[i].hamlet = xstrdup(hamlet);
		k[i].name = xstrdup("NVH");
		randombytes_buf(h, sizeof h);
		if (server_store_kiosk_add(st, &k[i], h, &cause) != 0) {
			fprintf(stderr, "bench-grow: kiosk add: %s\n", cause);
			return 1;
		}
	}
	printf("bench-grow: %s, %d kiosks, batches of %d through the ingest path"
	    " (in-process, %d threads, no HTTP), rounds of %d events, up to %lld\n",
	    store, KIOSKS, BATCH, THREADS, ROUND, max);
	while (total < max) {
		double	t0 = now_ms(), t;
		long long n = 0;
		/*
		 * Up to 1M every round is measured; beyond, the database is filled
		 * with batches of FILL_BATCH (the same ingest, ten times fewer
		 * commits: 5M in batches of 100 takes hours here) and the round
		 * before each million is measured again with batches of BATCH.
		 */
		int	measured = total < 1000000 || (total + ROUND) % 1000000 == 0 ||
		    total + ROUND >= max;

		struct worker	w[THREADS];
		pthread_t	th[THREADS];

		for (i = 0; i < THREADS; i++) {
			memset(&w[i], 0, sizeof w[i]);
			w[i].st = st;
			w[i].k = k;
			w[i].seq = seq;
			w[i].t = i;
			w[i].quota = ROUND / THREADS;
			w[i].batch = measured ? BATCH : FILL_BATCH;
			pthread_create(&th[i], NULL, work, &w[i]);
		}
		for (i = 0; i < THREADS; i++) {
			pthread_join(th[i], NULL);
			if (w[i].failed)
				return 1;
			n += w[i].n;
		}
		total += n;
		t = now_ms() - t0;
		round++;
		if (round == 1)
			first_round = (long long)t;
		if (measured)
			printf("  round %3d: %7lld events in %6.0f ms (%5.0f events/s; first"
			    " round %lld ms: flat is the goal)\n", round, total, t,
			    n / t * 1000, first_round);
		else
			printf("  filling:   %7lld events in %6.0f ms (batches of %d, not"
			    " measured)\n", total, t, FILL_BATCH);
		fflush(stdout);
		if (total >= next_mark && measured) {
			char what[96], data[64];

			snprintf(what, sizeof what, "server ingest, one round of %d events (%s)",
			    ROUND, store);
			snprintf(data, sizeof data, "at %lld events, %d kiosks", total, KIOSKS);
			bench_row(what, data, t, "ms", "the first round", (double)first_round,
			    "≤ 1.5× (flat)", t <= 1.5 * (double)first_round);
			reports(st, total, store);
			fflush(stdout);
			next_mark = next_mark == 100000 ? 1000000 : next_mark == 1000000 ?
			    5000000 : next_mark * 10;
		}
	}
	if (total < 5000000)
		printf("  stopped at %lld events (MAX_EVENTS); the 5M figures need"
		    " BENCH_MAX=5000000 (the default)\n", total);
	for (i = 0; i < KIOSKS; i++)
		server_kiosk_free(&k[i]);
	free(k);
	free(seq);
	server_store_close(st);
	return 0;
}
