/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-gen.c: builds a realistic kiosk database for the benchmarks, only
 * through the core's own API (store, content, people, journey), so what is
 * measured is what a kiosk that has run for years holds:
 *   - the real checklists from assets/checklists, installed;
 *   - a volunteer and a supervisor;
 *   - residents who come back (about three sessions each), some with phones;
 *   - sessions on every checklist, walked step by step (done, a few skipped,
 *     some blocked with the checklist's own reasons), a few notes, most
 *     finished, some paused or left open;
 *   - the clock moving forward at about 45 sessions a day, so 1,000,000
 *     events span about six years and residents not seen for a year are purged
 *     by the kiosk as it would be;
 *   - every event acknowledged as sent except the newest --pending ones
 *     (without --pending, nothing has been sent: a kiosk never synced).
 *
 *   bench-gen --events N [--pending P] --out FILE [--content DIR]
 *
 * Building only: the connection runs with synchronous=OFF (the figures are
 * measured by other programs, on the file this one leaves).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "journey.h"
#include "people.h"
#include "store.h"
#include "util.h"

#define DAY_MS			86400000LL
#define SESSIONS_PER_DAY	45

static void
die(const char *what, const char *cause)
{
	fprintf(stderr, "bench-gen: %s: %s\n", what, cause ? cause : "?");
	exit(1);
}

/* A small deterministic generator, so two builds of the same size match. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh",
	"Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ" };
static const char *const given[] = { "Thị Lan", "Văn Hùng", "Thị Mai", "Văn Nam", "Thị Hoa",
	"Minh Tuấn", "Thị Hương", "Văn Tài", "Thị Thu", "Quốc Bảo", "Thị Hạnh", "Văn Sơn" };
static const char *const hamlets[] = { "Thôn Trường Thọ", "Thôn Đông", "Thôn Tây",
	"Thôn Phú Lộc", "Thôn An Bình" };

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "pending", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "content", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *content = "assets/checklists";
	long long target = 0, pending = -1;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e': target = atoll(optarg); break;
		case 'p': pending = atoll(optarg); break;
		case 'o': out = optarg; break;
		case 'c': content = optarg; break;
		default:
			fprintf(stderr, "usage: bench-gen --events N [--pending P] --out FILE "
			    "[--content DIR]\n");
			return 2;
		}
	}
	if (out == NULL || target <= 0) {
		fprintf(stderr, "usage: bench-gen --events N [--pending P] --out FILE [--content DIR]\n");
		return 2;
	}

	struct library lib = { 0 };
	struct problems pr = { 0 };
	const char *paths[] = { content };
	struct store *st;
	struct store_counts cnt = { 0 };
	char *cause = NULL, *tmp = xasprintf("%s.tmp", out);

	if (library_load(&lib, paths, 1, &pr) != 0 || lib.n == 0)
		die(content, pr.n ? pr.lines[0] : "no checklists");
	for (const char *sfx = ""; ; sfx = sfx[0] == '\0' ? "-wal" : "-shm") {
		char *p = xasprintf("%s%s", tmp, sfx);
		unlink(p);
		free(p);
		if (strcmp(sfx, "-shm") == 0)
			break;
	}
	if (store_open(tmp, STORE_CREATE, &st, &cause) != 0)
		die(tmp, cause);
	if (content_store_install(st, &lib, NULL, &cause) != 0)
		die("install", cause);
	sqlite3_exec(sqlite3_db_handle(store_stmt(st, "SELECT 1")), "PRAGMA synchronous = OFF",
	    NULL, NULL, NULL);
	int64_t vol = 0, sup = 0;
	if (people_volunteer_add(st, "Lan", ROLE_VOLUNTEER, "1234", &vol, &cause) != 0 ||
	    people_volunteer_add(st, "Hùng", ROLE_SUPERVISOR, "9876", &sup, &cause) != 0)
		die("volunteer", cause);

	/*
	 * Sessions a day fixed, so the span grows with the history. A session
	 * makes about as many events as its checklist has steps, plus its start
	 * and finish: the clock starts that far back and ends at about now.
	 */
	size_t steps = 0;
	for (size_t i = 0; i < lib.n; i++)
		steps += lib.items[i]->nsteps;
	int64_t est_sessions = (int64_t)((double)target / ((double)steps / (double)lib.n + 2.0)) + 1;
	int64_t day_step = DAY_MS / SESSIONS_PER_DAY;
	int64_t span = est_sessions * day_step, moved = -span;
	util_clock_offset_ms(-span);

	char (*residents)[UUID_STR_LEN] = NULL;
	size_t nres = 0, capres = 0;
	long long sessions = 0;
	for (long long n = 0; cnt.events < target; n++) {
		const struct checklist *cl = lib.items[rnd((unsigned)lib.n)];
		struct journey *j;
		const char *rid = NULL;

		/* One visit in three is someone new; others come back; a few work alone. */
		if (nres == 0 || rnd(3) == 0) {
			struct resident r;
			char name[96], phone[16];

			snprintf(name, sizeof name, "%s %s", family[rnd(12)], given[rnd(12)]);
			snprintf(phone, sizeof phone, "09%08u", rnd(100000000));
			if (people_resident_add(st, name, 1945 + (int)rnd(60),
			    rnd(2) ? SEX_FEMALE : SEX_MALE, hamlets[rnd(5)],
			    rnd(2) ? phone : NULL, 1, &r, &cause) != 0)
				die("resident", cause);
			if (nres == capres) {
				capres = capres ? capres * 2 : 1024;
				residents = xrealloc(residents, capres * sizeof *residents);
			}
			memcpy(residents[nres++], r.id, UUID_STR_LEN);
			people_resident_clear(&r);
			rid = residents[nres - 1];
		} else if (rnd(20) != 0) {
			/* Returning residents are mostly recent ones. */
			size_t back = rnd(200) < 190 ? rnd(nres < 300 ? (unsigned)nres : 300) :
			    rnd((unsigned)nres);
			rid = residents[nres - 1 - back];
		}
		if (journey_start(st, cl, rid, rnd(4) ? vol : 0, &j, &cause) != 0)
			die("start", cause);
		int stop = rnd(12) == 0 ? (int)rnd((unsigned)cl->nsteps) : (int)cl->nsteps;
		for (int i = 0; i < stop; i++) {
			enum mark m = MARK_DONE;
			const char *reason = NULL;
			unsigned r = rnd(100);

			if (r < 6 && cl->nreasons > 0) {
				m = MARK_BLOCKED;
				reason = cl->reasons[rnd((unsigned)cl->nreasons)].id;
			} else if (r < 10)
				m = MARK_SKIPPED;
			if (journey_mark(st, j, i, m, reason, &cause) != 0)
				die("mark", cause);
			if (rnd(60) == 0 && journey_note(st, j, "Người dân quên mật khẩu, hẹn quay "
			    "lại mang theo điện thoại.", &cause) != 0)
				die("note", cause);
		}
		if (stop == (int)cl->nsteps) {
			if (journey_finish(st, j, &cause) != 0)
				die("finish", cause);
		} else if (rnd(2) && journey_pause(st, j, &cause) != 0)
			die("pause", cause);
		journey_free(j);
		sessions++;
		if (store_counts(st, &cnt, &cause) != 0)
			die("counts", cause);
		if (moved + day_step <= 0) {	/* never into the future */
			util_clock_offset_ms(day_step);
			moved += day_step;
		}
		/* The kiosk purges as it runs (retention 365 days), once a simulated day. */
		if (n % SESSIONS_PER_DAY == 0) {
			int purged;
			if (people_purge(st, 365, &purged, &cause) != 0)
				die("purge", cause);
		}
	}
	util_clock_offset_ms(-moved);
	if (pending >= 0 && cnt.last_seq > pending && store_events_ack(st, cnt.last_seq - pending, &cause) != 0)
		die("ack", cause);
	store_counts(st, &cnt, &cause);
	sqlite3_exec(sqlite3_db_handle(store_stmt(st, "SELECT 1")),
	    "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	store_close(st);
	if (rename(tmp, out) != 0)
		die("rename", out);
	printf("bench-gen: %s: %lld events (%lld pending), %lld sessions, %zu residents, "
	    "%zu checklists, %lld days\n", out, (long long)cnt.events, (long long)cnt.pending,
	    sessions, nres, lib.n, (long long)(span / DAY_MS));
	free(residents);
	free(tmp);
	library_free(&lib);
	problems_free(&pr);
	return 0;
}
