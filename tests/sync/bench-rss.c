/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-rss.c: the server's memory under a long attack of heavy uploads —
 * rounds of 8 concurrent gzip batches that each decode to a json-c tree of
 * about 100 MB — against its own floor, the RSS of the same server just
 * started, measured in the same run. Prints the RSS after each round, the
 * peak, and the goals: after the attack within 16 MiB of the floor, and a
 * peak bounded by the two heavy bodies handled at a time, not by the
 * number of attackers.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"

#define ATTACKERS	8
#define ROUNDS		6


int
main(void)
{
	struct srv	 s;
	struct th_heavy	 h[ATTACKERS];
	pthread_t	 t[ATTACKERS];
	char		*db = th_tmp_path("bench-rss.db"), id[64], tok[64];
	long		 floor, after = 0, peak;
	int		 i, round, parsed, rc = 0;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	unlink(db);
	if (th_kiosk_add(db, "Tịnh Khê", "Thôn 1", id, tok) != 0 || th_srv_start(&s, db) != 0) {
		fprintf(stderr, "bench-rss: could not start the server\n");
		return 1;
	}
	floor = th_rss_kib(s.pid, 0);
	for (i = 0; i < ATTACKERS; i++) {
		h[i].s = &s;
		h[i].token = tok;
		h[i].body = th_heavy_batch("0190f000-0000-7000-8000-00000000dead", 1000, 400, i,
		    &h[i].len);
	}
	printf("bench-rss: %d attackers x %d rounds, each a %zu-byte gzip batch (1000 events, "
	    "~7.5 MB of JSON)\n", ATTACKERS, ROUNDS, h[0].len);
	printf("  floor: RSS of the server just started  %8ld KiB\n", floor);
	for (round = 1; round <= ROUNDS; round++) {
		for (i = 0; i < ATTACKERS; i++)
			pthread_create(&t[i], NULL, th_heavy_post, &h[i]);
		for (i = 0, parsed = 0; i < ATTACKERS; i++) {
			pthread_join(t[i], NULL);
			if (h[i].status != 403 && h[i].status != 503)
				rc = 1;
			parsed += h[i].status == 403;
		}
		after = th_rss_kib(s.pid, 0);
		printf("  after round %d (%d parsed, %d told to retry)  %8ld KiB\n", round, parsed,
		    ATTACKERS - parsed, after);
	}
	peak = th_rss_kib(s.pid, 1);
	printf("  RSS after the attack  %8ld KiB   goal: <= floor + 16384 = %ld KiB   %s\n", after,
	    floor + 16384, after <= floor + 16384 ? "met" : "MISSED");
	printf("  peak RSS              %8ld KiB   goal: <= floor + 2 heavy bodies at a time "
	    "(2 x 128 MiB) = %ld KiB   %s\n", peak, floor + 2 * 128 * 1024,
	    peak <= floor + 2 * 128 * 1024 ? "met" : "MISSED");
	th_srv_stop(&s, SIGTERM);
	for (i = 0; i < ATTACKERS; i++)
		free(h[i].body);
	free(db);
	if (rc != 0)
		fprintf(stderr, "bench-rss: a heavy upload got neither 403 nor 503\n");
	return rc;
}
