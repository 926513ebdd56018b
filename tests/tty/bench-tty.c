/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-tty.c: how the kiosk's screens perform on a realistic database of
 * 1,000,000 events (bench-gen: the real checklists, residents, sessions
 * over years), through the same pseudo-terminal driver as the tests, side
 * by side with `dialog --menu` showing the same home menu (the peer):
 *   - start to a complete home screen (the status line counts the outbox),
 *     and the same start on a new kiosk with no history;
 *   - a keypress on the home menu to the end of its redraw (the last byte
 *     before the terminal goes quiet);
 *   - a keypress on the step screen (→: the step is marked, saved to disk,
 *     and the next one drawn) to the end of its redraw;
 *   - bytes written for a keypress; resident memory (VmHWM from /proc).
 * Medians of several runs, into the benchmarks' table; nothing asserted.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../bench/bench.h"
#include "driver.h"
#include "fixture.h"
#include "store.h"
#include "util.h"

#define RUNS		7
#define STEPS		4	/* keypresses on the step screen per run */
#define DATA		"1M events, real checklists"
#define QUIET_MS	150

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t
median(int64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp64);
	return v[n / 2];
}

/*
 * Reads until the terminal has been quiet for QUIET_MS; returns µs from t0
 * to the last byte, or -1 if nothing came since the count was before.
 */
static int64_t
settle(struct tty *t, int64_t t0, size_t before)
{
	size_t seen;

	do {
		seen = t->bytes;
		tty_pump(t, QUIET_MS * 4, QUIET_MS);
	} while (t->bytes != seen);
	return t->bytes == before ? -1 : t->last_read_us - t0;
}

struct mem { long rss_kb, hwm_kb; };

static struct mem
memory(pid_t pid)
{
	char path[64], line[256];
	struct mem m = { -1, -1 };
	FILE *fp;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return m;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			m.rss_kb = atol(line + 6);
		if (strncmp(line, "VmHWM:", 6) == 0)
			m.hwm_kb = atol(line + 6);
	}
	fclose(fp);
	return m;
}

static const char *const home_items[] = {
	"Người dân tự làm", "Tình nguyện viên", "Tổ trưởng", "English", "Hướng dẫn sử dụng", "Thoát",
};

static int
dialog_start(struct fixture *f, struct tty *t, const char *dialog)
{
	char *argv[32];
	char nums[6][4];
	size_t n = 0, i;

	argv[n++] = (char *)dialog;
	argv[n++] = "--title";
	argv[n++] = "Sổ tay số";
	argv[n++] = "--menu";
	argv[n++] = "Xin chào! Chọn việc bằng phím số, hoặc mũi tên rồi Enter.";
	argv[n++] = "20";
	argv[n++] = "70";
	argv[n++] = "8";
	for (i = 0; i < 6; i++) {
		snprintf(nums[i], sizeof nums[i], "%zu", i + 1);
		argv[n++] = nums[i];
		argv[n++] = (char *)home_items[i];
	}
	argv[n] = NULL;
	fixture_start_argv(f, t, 24, 80, argv, NULL);
	return 0;
}

int
main(void)
{
	struct fixture f, fe;
	struct tty t;
	int64_t start_e[RUNS], start_s[RUNS], start_d[RUNS], key_s[RUNS], key_d[RUNS], step_us[RUNS * STEPS];
	int64_t step_b[RUNS * STEPS], key_sb[RUNS], key_db[RUNS], t0;
	struct mem ms = { -1, -1 }, md = { -1, -1 }, mstep = { -1, -1 };
	const char *dialog = access("/usr/bin/dialog", X_OK) == 0 ? "/usr/bin/dialog" : NULL;
	const char *src = bench_env("BENCH_DB_1M");
	char cwd[4096];
	size_t b0;
	int i, k, nstep = 0, have_dialog = dialog != NULL;

	fixture_init(&f, "bench", NULL);
	bench_copy_db(src, f.db);
	free(f.content);
	f.content = xasprintf("%s/assets/checklists", getcwd(cwd, sizeof cwd) ? cwd : ".");
	printf("bench-tty: on a copy of %s, the checklists of %s\n", src, f.content);
	/* One start first: it installs the bundled checklists' stamp and warms the file cache. */
	fixture_start(&f, &t, 24, 80, "C.UTF-8", 0, NULL);
	if (tty_wait(&t, "sự kiện chờ gửi", 60000) != 0) {
		tty_dump(&t, "home did not come");
		return 1;
	}
	tty_stop(&t);

	/* A new kiosk (no history), the same checklists: its first start installs them. */
	fixture_init(&fe, "bench-empty", NULL);
	free(fe.content);
	fe.content = xstrdup(f.content);
	fixture_start(&fe, &t, 24, 80, "C.UTF-8", 0, NULL);
	if (tty_wait(&t, "sự kiện chờ gửi", 60000) != 0) {
		tty_dump(&t, "home did not come");
		return 1;
	}
	tty_stop(&t);

	for (i = 0; i < RUNS; i++) {
		/* The same start on the new kiosk, what history costs, in the same round. */
		t0 = now_us();
		fixture_start(&fe, &t, 24, 80, "C.UTF-8", 0, NULL);
		if (tty_wait(&t, "sự kiện chờ gửi", 20000) != 0 || tty_wait(&t, "F1", 5000) != 0) {
			tty_dump(&t, "home did not come");
			return 1;
		}
		start_e[i] = now_us() - t0;
		tty_stop(&t);

		/* sotay: start to the complete home screen (the status line counts the outbox). */
		t0 = now_us();
		fixture_start(&f, &t, 24, 80, "C.UTF-8", 0, NULL);
		if (tty_wait(&t, "sự kiện chờ gửi", 20000) != 0 || tty_wait(&t, "F1", 5000) != 0) {
			tty_dump(&t, "home did not come");
			return 1;
		}
		start_s[i] = now_us() - t0;
		settle(&t, t0, t.bytes);
		ms = memory(t.pid);
		/* A key on the home menu: Down. */
		b0 = t.bytes;
		t0 = now_us();
		tty_key(&t, TTY_DOWN);
		key_s[i] = settle(&t, t0, b0);
		key_sb[i] = (int64_t)(t.bytes - b0);
		/* A resident alone, on the first public service, to its first step. */
		tty_key(&t, TTY_UP);
		settle(&t, now_us(), t.bytes);
		tty_type(&t, "1");
		tty_wait(&t, "Bắt đầu một việc mới", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Chọn nhóm việc", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Chọn việc cần làm", 5000);
		tty_key(&t, TTY_ENTER);
		/* Guarded screens take a key once their keys show (F1 among them). */
		tty_wait(&t, " bước", 5000);
		tty_wait(&t, "F1", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Bạn có đồng ý không?", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Tên gọi", 5000);
		tty_key(&t, TTY_ENTER);
		tty_wait(&t, "Mã tiếp tục của bạn", 5000);
		tty_wait(&t, "F1", 5000);
		tty_key(&t, TTY_ENTER);
		if (tty_wait(&t, "Bước 1/", 5000) != 0) {
			tty_dump(&t, "no step screen");
			return 1;
		}
		settle(&t, now_us(), t.bytes);
		for (k = 0; k < STEPS; k++) {
			char want[16];

			snprintf(want, sizeof want, "Bước %d/", k + 2);
			b0 = t.bytes;
			t0 = now_us();
			tty_key(&t, TTY_RIGHT);
			if (tty_wait(&t, want, 5000) != 0) {
				tty_dump(&t, "the next step did not come");
				return 1;
			}
			step_us[nstep] = settle(&t, t0, b0);
			step_b[nstep++] = (int64_t)(t.bytes - b0);
		}
		mstep = memory(t.pid);
		tty_stop(&t);
		/*
		 * Killed mid-session, as by a power cut: opening and closing the
		 * file once recovers its journal, so the next start measures a
		 * kiosk closed normally, like the new kiosk beside it.
		 */
		store_close(fixture_store(&f));

		if (!have_dialog)
			continue;
		t0 = now_us();
		dialog_start(&f, &t, dialog);
		if (tty_wait(&t, "Cancel", 20000) != 0 || tty_wait(&t, "Hướng dẫn sử dụng", 5000) != 0) {
			tty_dump(&t, "dialog did not come");
			have_dialog = 0;
			tty_stop(&t);
			continue;
		}
		start_d[i] = now_us() - t0;
		settle(&t, t0, t.bytes);
		md = memory(t.pid);
		b0 = t.bytes;
		t0 = now_us();
		tty_key(&t, TTY_DOWN);
		key_d[i] = settle(&t, t0, b0);
		key_db[i] = (int64_t)(t.bytes - b0);
		tty_stop(&t);
	}

	double ss = median(start_s, RUNS) / 1e3, sd = have_dialog ? median(start_d, RUNS) / 1e3 : 0;
	double ks = median(key_s, RUNS) / 1e3, kd = have_dialog ? median(key_d, RUNS) / 1e3 : 0;
	double st = median(step_us, nstep) / 1e3;
	printf("(80x24, C.UTF-8; a redraw ends at the last byte before %d ms of quiet)\n", QUIET_MS);
	bench_row("start to complete home screen", DATA, ss, "ms", have_dialog ? "dialog --menu" :
	    "(no dialog installed)", sd, "≤ 1× dialog", have_dialog ? ss <= sd : -1);
	bench_row("start, 1M events vs a new kiosk", DATA, ss, "ms", "same start, no history",
	    median(start_e, RUNS) / 1e3, "≤ 1.1× (no growth)", ss <= 1.1 * median(start_e, RUNS) / 1e3);
	bench_row("home: Down key to end of redraw", DATA, ks, "ms", have_dialog ? "dialog --menu" :
	    "(no dialog installed)", kd, "≤ 1× dialog", have_dialog ? ks <= kd : -1);
	bench_row("home: bytes written for Down", "80x24", (double)median(key_sb, RUNS), "B",
	    have_dialog ? "dialog --menu" : "(no dialog installed)",
	    have_dialog ? (double)median(key_db, RUNS) : 0, "≤ 1× dialog",
	    have_dialog ? median(key_sb, RUNS) <= median(key_db, RUNS) : -1);
	bench_row("step: → (mark, save, next) to end of redraw", DATA, st, "ms",
	    have_dialog ? "dialog Down key" : "(no dialog installed)", kd, "< 100 ms", st < 100);
	bench_row("step: bytes written for →", "80x24", (double)median(step_b, nstep), "B", NULL, 0,
	    "-", -1);
	bench_row("memory (VmHWM) at home", DATA, (double)ms.hwm_kb, "kB", have_dialog ?
	    "dialog --menu" : "(no dialog installed)", have_dialog ? (double)md.hwm_kb : 0, "-", -1);
	bench_row("memory (VmHWM) after the steps", DATA, (double)mstep.hwm_kb, "kB", NULL, 0, "-",
	    -1);
	fixture_free(&fe);
	fixture_free(&f);
	return 0;
}
