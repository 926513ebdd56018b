/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-upload.c: one kiosk uploads 100,000 events to a real sotay-server
 * over loopback, in gzip batches of 1000, as the sync client does after a
 * long time offline. Prints the time taken, events a second and bytes a
 * event on the wire, and checks the server holds every event once.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"

#define EVENTS	100000
#define BATCH	PROTOCOL_MAX_EVENTS

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(void)
{
	struct protocol_event	*ev = xcalloc(EVENTS, sizeof *ev);
	struct srv		 s;
	char			*db = th_tmp_path("bench-upload.db"), id[64], tok[64];
	const char		*hdr[] = { "Content-Encoding: gzip", "Accept-Encoding: gzip",
				    NULL };
	size_t			 i, raw = 0, wire = 0, back = 0;
	double			 t0, t_enc = 0, t;
	int64_t			 held = 0, stored;
	int			 rc = 0;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	unlink(db);
	if (th_srv_start(&s, db) != 0 || th_kiosk_add(db, "Tịnh Khê", "Thôn 1", id, tok) != 0) {
		fprintf(stderr, "bench-upload: could not start the server\n");
		return 1;
	}
	th_events_make(ev, EVENTS, 1, "beef0001");
	/* Real ids: UUIDv7 with random tails, which gzip cannot squeeze. */
	for (i = 0; i < EVENTS; i++)
		util_uuid7(ev[i].id);
	t0 = now_s();
	for (i = 0; i < EVENTS; i += BATCH) {
		struct resp		 r;
		struct protocol_ack	 a;
		char			*body, *z, *plain, *cause = NULL;
		size_t			 zlen, plen;
		double			 e0 = now_s();

		if (protocol_batch_encode(id, ev + i, BATCH, &body, &cause) != 0 ||
		    protocol_gzip(body, strlen(body), &z, &zlen, &cause) != 0) {
			fprintf(stderr, "bench-upload: %s\n", cause);
			return 1;
		}
		t_enc += now_s() - e0;
		raw += strlen(body);
		wire += zlen;
		if (th_http(&s, "POST", PROTOCOL_PATH_EVENTS, tok, hdr, z, zlen, &r) != 0 ||
		    r.status != 200) {
			fprintf(stderr, "bench-upload: batch at %zu: %ld %s\n", i, r.status,
			    r.body);
			return 1;
		}
		back += r.len;
		if (strcmp(r.content_encoding, "gzip") == 0) {
			if (protocol_gunzip(r.body, r.len, PROTOCOL_MAX_BODY, &plain, &plen, NULL,
			    &cause) != 0)
				return 1;
		} else {
			plain = xstrdup(r.body);
			plen = r.len;
		}
		if (protocol_ack_parse(plain, plen, &a, &cause) != 0 ||
		    a.accepted != BATCH) {
			fprintf(stderr, "bench-upload: bad ack: %s\n", plain);
			return 1;
		}
		held = a.held_seq;
		protocol_ack_free(&a);
		free(plain);
		th_resp_free(&r);
		free(z);
		free(body);
	}
	t = now_s() - t0;
	th_srv_stop(&s, SIGTERM);
	stored = th_sql_int(db, "SELECT count(*) FROM events", NULL);
	printf("bench-upload: %d events in %d batches of %d (gzip) over loopback\n",
	    EVENTS, EVENTS / BATCH, BATCH);
	printf("  time          %.2f s (%.0f events/s; client JSON+gzip %.2f s of it)\n",
	    t, EVENTS / t, t_enc);
	printf("  request bytes %zu gzip (%.1f bytes/event), %zu as JSON (%.1f bytes/event),"
	    " ratio %.1fx\n", wire, (double)wire / EVENTS, raw, (double)raw / EVENTS,
	    (double)raw / (double)wire);
	printf("  reply bytes   %zu (%.2f bytes/event)\n", back, (double)back / EVENTS);
	printf("  server holds  %lld events, held_seq %lld\n", (long long)stored,
	    (long long)held);
	if (stored != EVENTS || held != EVENTS) {
		fprintf(stderr, "bench-upload: the server does not hold every event once\n");
		rc = 1;
	}
	th_events_free(ev, EVENTS);
	free(ev);
	free(db);
	curl_global_cleanup();
	return rc;
}
