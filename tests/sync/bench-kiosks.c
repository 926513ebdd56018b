/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-kiosks.c: a whole province syncing at once — 1,141 kiosks (one a
 * hamlet, as in Quảng Ngãi) each upload 100 events to one real sotay-server
 * at the same moment, over loopback, with curl's multi interface (one
 * connection a kiosk). Prints the time taken and the slowest replies, and
 * checks every event was accepted once and none was lost.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"
#include "../bench/bench.h"

/* 1,141 x 100 by default; BENCH_KIOSKS and BENCH_EVENTS change them. */
static int KIOSKS = 1141;
static int EVENTS = 100;

struct kiosk {
	char			 id[64];
	char			 token[64];
	char			*auth;
	char			*z;	/* the gzip body */
	size_t			 zlen;
	struct resp		 r;
	struct curl_slist	*hdr;
	double			 t0, t1;
	int			 tries;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static CURL *
request(const struct srv *s, struct kiosk *k)
{
	CURL *c = curl_easy_init();
	char  url[128];

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, PROTOCOL_PATH_EVENTS);
	th_resp_free(&k->r);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, k->z);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)k->zlen);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, k->hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, th_resp_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &k->r);
	curl_easy_setopt(c, CURLOPT_PRIVATE, k);
	k->t0 = now_s();
	k->tries++;
	return c;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	struct kiosk		*k;
	struct protocol_event	*ev;
	struct srv		 s;
	struct rlimit		 rl;
	char			*db = th_tmp_path("bench-kiosks.db"), *cause = NULL;
	CURLM			*m;
	double			 t0, t, setup, *lat;
	int			 i, running, done = 0, bad = 0, retried = 0, rc = 0;
	int64_t			 stored, distinct, held_all;

	signal(SIGPIPE, SIG_IGN);
	if (getenv("BENCH_KIOSKS") != NULL && atoi(getenv("BENCH_KIOSKS")) > 0)
		KIOSKS = atoi(getenv("BENCH_KIOSKS"));
	if (getenv("BENCH_EVENTS") != NULL && atoi(getenv("BENCH_EVENTS")) > 0)
		EVENTS = atoi(getenv("BENCH_EVENTS"));
	k = xcalloc(KIOSKS, sizeof *k);
	ev = xcalloc(EVENTS, sizeof *ev);
	lat = xcalloc(KIOSKS, sizeof *lat);
	if (sodium_init() < 0)
		return 1;
	/* One descriptor a connection, on both ends. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	unlink(db);
	t0 = now_s();
	for (i = 0; i < KIOSKS; i++) {
		char hamlet[32];

		snprintf(hamlet, sizeof hamlet, "Thôn %d", i + 1);
		if (th_kiosk_add(db, i % 2 ? "Tịnh Khê" : "Tịnh Kỳ", hamlet, k[i].id,
		    k[i].token) != 0) {
			fprintf(stderr, "bench-kiosks: kiosk add failed at %d\n", i);
			return 1;
		}
	}
	setup = now_s() - t0;
	for (i = 0; i < KIOSKS; i++) {
		char *body, id8[9];

		snprintf(id8, sizeof id8, "%08x", (unsigned)i);
		th_events_make(ev, EVENTS, 1, id8);
		if (protocol_batch_encode(k[i].id, ev, EVENTS, &body, &cause) != 0 ||
		    protocol_gzip(body, strlen(body), &k[i].z, &k[i].zlen, &cause) != 0) {
			fprintf(stderr, "bench-kiosks: %s\n", cause);
			return 1;
		}
		free(body);
		th_events_free(ev, EVENTS);
		k[i].auth = xasprintf("Authorization: Bearer %s", k[i].token);
		k[i].hdr = curl_slist_append(NULL, k[i].auth);
		k[i].hdr = curl_slist_append(k[i].hdr, "Content-Encoding: gzip");
		k[i].hdr = curl_slist_append(k[i].hdr, "Content-Type: application/json");
		k[i].hdr = curl_slist_append(k[i].hdr, "Expect:");
	}
	/* Every kiosk comes from 127.0.0.1 here, not from its own address as in a province. */
	static const char *const args[] = { "--max-per-address", "100000", NULL };
	if (th_srv_start_ex(&s, db, args, NULL) != 0)
		return 1;

	m = curl_multi_init();
	/* Every kiosk at once: no cap on connections. */
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
	t0 = now_s();
	for (i = 0; i < KIOSKS; i++)
		curl_multi_add_handle(m, request(&s, &k[i]));
	while (done < KIOSKS) {
		CURLMsg	*msg;
		int	 left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct kiosk		*kk;
			struct protocol_ack	 a;
			long			 status = 0;
			CURL			*c = msg->easy_handle;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(c, CURLINFO_PRIVATE, (char **)&kk);
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
			curl_multi_remove_handle(m, c);
			curl_easy_cleanup(c);
			kk->t1 = now_s();
			/* A kiosk retries a refused connection or a 503, as the client does. */
			if ((msg->data.result != CURLE_OK || status == 503) && kk->tries < 5) {
				retried++;
				curl_multi_add_handle(m, request(&s, kk));
				continue;
			}
			done++;
			lat[kk - k] = kk->t1 - kk->t0;
			if (status != 200 || protocol_ack_parse(kk->r.body, kk->r.len, &a,
			    &cause) != 0) {
				if (bad++ < 3)
					fprintf(stderr, "bench-kiosks: kiosk %s: %ld %s\n", kk->id,
					    status, kk->r.body != NULL ? kk->r.body : "");
				continue;
			}
			if (a.accepted != EVENTS || a.held_seq != EVENTS) {
				if (bad++ < 3)
					fprintf(stderr, "bench-kiosks: kiosk %s: accepted %lld, "
					    "held %lld\n", kk->id, (long long)a.accepted,
					    (long long)a.held_seq);
			}
			protocol_ack_free(&a);
		}
		if (done < KIOSKS)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	t = now_s() - t0;
	curl_multi_cleanup(m);
	th_srv_stop(&s, SIGTERM);
	stored = th_sql_int(db, "SELECT count(*) FROM events", NULL);
	distinct = th_sql_int(db, "SELECT count(*) FROM (SELECT DISTINCT kiosk, seq"
	    " FROM events) d", NULL);
	{
		char n[16];

		snprintf(n, sizeof n, "%d", EVENTS);
		held_all = th_sql_int(db, "SELECT count(*) FROM kiosks WHERE held_seq = ?", n);
	}
	qsort(lat, KIOSKS, sizeof *lat, cmp_double);
	printf("bench-kiosks: %d kiosks x %d events, all at once, over loopback, on %s\n",
	    KIOSKS, EVENTS, th_store_is_pg() ? "PostgreSQL" : "SQLite");
	printf("  setup         %.1f s for %d `kiosk add` commands\n", setup, KIOSKS);
	printf("  time          %.2f s for all uploads (%.0f events/s, %.0f batches/s)\n",
	    t, KIOSKS * EVENTS / t, KIOSKS / t);
	printf("  reply time    median %.3f s, 99th percentile %.3f s, slowest %.3f s\n",
	    lat[KIOSKS / 2], lat[KIOSKS * 99 / 100], lat[KIOSKS - 1]);
	printf("  retries       %d; failed kiosks %d\n", retried, bad);
	printf("  server holds  %lld events (%lld distinct kiosk/seq; %d sent); %lld of %d"
	    " kiosks at held_seq %d\n", (long long)stored, (long long)distinct,
	    KIOSKS * EVENTS, (long long)held_all, KIOSKS, EVENTS);
	{
		char what[96], data[96], peer[96];
		int exact = bad == 0 && stored == KIOSKS * EVENTS && distinct == stored &&
		    held_all == KIOSKS;

		/* The other store's line, from the same run, sits beside it. */
		snprintf(what, sizeof what, "server, %d kiosks x %d events at once (%s)",
		    KIOSKS, EVENTS, th_store_is_pg() ? "PostgreSQL" : "SQLite");
		snprintf(data, sizeof data, "over loopback, %.0f events/s", KIOSKS * EVENTS / t);
		snprintf(peer, sizeof peer, "reply p99 %.2f s, slowest %.2f s",
		    lat[KIOSKS * 99 / 100], lat[KIOSKS - 1]);
		bench_row(what, data, t, "s", peer, 0, "every event exactly once", exact);
	}
	if (bad != 0 || stored != KIOSKS * EVENTS || distinct != stored ||
	    held_all != KIOSKS) {
		fprintf(stderr, "bench-kiosks: events were lost or duplicated\n");
		rc = 1;
	}
	for (i = 0; i < KIOSKS; i++) {
		free(k[i].z);
		free(k[i].auth);
		curl_slist_free_all(k[i].hdr);
		th_resp_free(&k[i].r);
	}
	free(k);
	free(ev);
	free(lat);
	free(db);
	curl_global_cleanup();
	return rc;
}
