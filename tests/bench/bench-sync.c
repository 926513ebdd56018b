/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-sync.c: a real `sotay sync` of 100,000 events — the real `sotay`
 * and `sotay-sync` programs, from a kiosk's outbox (bench-gen: the real
 * checklists, residents and sessions, nothing sent yet) to a real
 * `sotay-server` on loopback, until the server has committed every event —
 * against the floor: bench-floor inserting the same rows into a table of
 * the server's shape in one durable transaction, on the same store. The
 * store is SQLite, or PostgreSQL when run inside tests/lib/pg-cluster.sh
 * (bench-sync-pg.sh): the test helpers then stand a database of the
 * cluster for each server path.
 * Runs alternate (sync, floor, sync, floor…), each on fresh copies; the
 * figures are medians. Also the bytes on the wire per event, as the client
 * counts them (request and reply bodies). Checks that the server holds
 * every event once; asserts nothing about speed.
 */
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "../sync/sync-helpers.h"
#include "test-db.h"
#include "util.h"

#define RUNS	3
#define DATA	"100k events, real checklists"

static void
die(const char *what, const char *cause)
{
	fprintf(stderr, "bench-sync: %s: %s\n", what, cause ? cause : "?");
	exit(1);
}

static void
rm_db(const char *path)
{
	char p[4096];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

int
main(void)
{
	const char *src = bench_env("BENCH_DB_100K"), *tmp = bench_env("TEST_TMP");
	const char *build = getenv("BUILD");
	char *sotay = xasprintf("%s/sotay", build ? build : "build");
	char *floor_bin = xasprintf("%s/tests/bench-floor", build ? build : "build");
	char *kdb = xasprintf("%s/kiosk.db", tmp), *sdb = NULL, *fdb = NULL;
	char *out = xasprintf("%s/sync.json", tmp);
	const char *store = th_store_is_pg() ? "PostgreSQL" : "SQLite";
	char *conf = xasprintf("%s/sotay.conf", tmp);
	double sync_s[RUNS], floor_s[RUNS], bytes_ev[RUNS];
	int64_t events = 0;
	FILE *fp;

	signal(SIGPIPE, SIG_IGN);
	if ((fp = fopen(conf, "w")) == NULL)
		die("settings", conf);
	fprintf(fp, "province = Quảng Ngãi\ncommune = Xã Tịnh Sơn\n");
	fclose(fp);
	setenv("SOTAY_CONFIG", conf, 1);
	setenv("SOTAY_CONTENT", "assets/checklists", 1);
	printf("bench-sync: from a copy of %s\n", src);
	for (int r = 0; r < RUNS; r++) {
		struct srv s;
		char id[64], tok[64], url[64];

		/* A database of its own each run (on PostgreSQL, one of the cluster's). */
		free(sdb);
		sdb = xasprintf("%s/server-%d.db", tmp, r);
		rm_db(sdb);
		bench_copy_db(src, kdb);
		if (th_kiosk_add(sdb, "Tịnh Sơn", "Trường Thọ", id, tok) != 0 ||
		    th_srv_start(&s, sdb) != 0)
			die("server", "did not start");
		snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
		char *enroll[] = { sotay, "--db", kdb, "enroll", url, tok, NULL };
		char *sync[] = { sotay, "--db", kdb, "sync", "--json", NULL };
		if (bench_run(enroll, NULL) < 0)
			die("enroll", url);
		double t = bench_run(sync, out);
		if (t < 0)
			die("sync", out);
		sync_s[r] = t / 1e6;
		th_srv_stop(&s, SIGTERM);

		struct json_object *o = json_object_from_file(out), *v;
		if (o == NULL || !json_object_object_get_ex(o, "sent", &v))
			die("sync said", out);
		int64_t sent = json_object_get_int64(v);
		json_object_object_get_ex(o, "bytes", &v);
		bytes_ev[r] = sent > 0 ? (double)json_object_get_int64(v) / (double)sent : 0;
		json_object_put(o);
		int64_t held = th_sql_int(sdb, "SELECT count(*) FROM events", NULL);
		if (held != sent || sent < 100000)
			die("server", "does not hold every event once");
		events = sent;

		free(fdb);
		fdb = xasprintf("%s/floor-%d.db", tmp, r);
		char *target = tdb_db(fdb, 1);
		char *bulk[] = { floor_bin, "bulk", (char *)src, target, NULL };
		char *fout = xasprintf("%s/floor.out", tmp), *line;
		if (bench_run(bulk, fout) < 0 || (line = bench_read_line(fout)) == NULL)
			die("floor", floor_bin);
		floor_s[r] = atof(line);
		free(line);
		free(fout);
		free(target);
		rm_db(fdb);
		printf("  run %d: sync %.2f s, floor %.2f s, %.1f bytes/event\n", r + 1, sync_s[r],
		    floor_s[r], bytes_ev[r]);
	}
	double sy = bench_median(sync_s, RUNS), fl = bench_median(floor_s, RUNS);
	char data[64];
	snprintf(data, sizeof data, "%lld events, %s store", (long long)events, store);
	bench_row("`sotay sync`, outbox to server commit", data, sy, "s",
	    "1-tx bulk insert", fl, "≤ 2× floor", sy <= 2 * fl);
	double b = bench_median(bytes_ev, RUNS);
	bench_row("bytes on the wire per event (bodies)", data, b, "B", NULL, 0, "< 30 B", b < 30);
	rm_db(kdb);
	rm_db(sdb);
	free(sotay);
	free(floor_bin);
	free(kdb);
	free(sdb);
	free(fdb);
	free(out);
	free(conf);
	return 0;
}
