/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-tty.c: how the kiosk's screens perform, through the same
 * pseudo-terminal driver as the tests, side by side with `dialog --menu`
 * showing the same home menu:
 *   - start to a complete home screen, with 100,000 events in the database;
 *   - a keypress to the end of its redraw (the last byte before the
 *     terminal goes quiet);
 *   - bytes written to the terminal for one move;
 *   - resident memory (VmRSS, VmHWM from /proc).
 * Figures are printed, medians of several runs; nothing is asserted about
 * speed.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "fixture.h"
#include "store.h"

#define RUNS		7
#define EVENTS		100000
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

/* Fills the outbox with n events in one transaction (as a busy kiosk that has not synced). */
static void
fill_events(struct fixture *f, int n)
{
	struct store *st = fixture_store(f);
	struct json_object *o;
	char *cause = NULL;
	int i;

	if (store_begin(st, &cause) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "session", json_object_new_string("0190f000-0000-7000-8000-000000000000"));
		json_object_object_add(o, "step", json_object_new_int(i % 9));
		json_object_object_add(o, "mark", json_object_new_string("done"));
		if (store_event(st, "step.marked", o, NULL, &cause) == -1)
			goto fail;
	}
	if (store_commit(st, &cause) == -1)
		goto fail;
	store_close(st);
	return;
fail:
	fprintf(stderr, "bench: filling the database: %s\n", cause ? cause : "?");
	exit(1);
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
	int64_t start_e[RUNS];
	int64_t start_s[RUNS], start_d[RUNS], key_s[RUNS], key_d[RUNS], step_us[RUNS];
	int64_t step_b[RUNS], key_sb[RUNS], key_db[RUNS], t0;
	struct mem ms = { -1, -1 }, md = { -1, -1 }, mstep = { -1, -1 };
	const char *dialog = access("/usr/bin/dialog", X_OK) == 0 ? "/usr/bin/dialog" : NULL;
	size_t b0;
	int i, have_dialog = dialog != NULL;

	fixture_init(&f, "bench", NULL);
	t0 = now_us();
	fill_events(&f, EVENTS);
	printf("database: %d events written in %.1f s\n", EVENTS, (now_us() - t0) / 1e6);

	/* The same start with an empty outbox, to see what 100,000 events cost. */
	fixture_init(&fe, "bench-empty", NULL);
	for (i = 0; i < RUNS; i++) {
		t0 = now_us();
		fixture_start(&fe, &t, 24, 80, "C.UTF-8", 0, NULL);
		if (tty_wait(&t, "sự kiện chờ gửi", 20000) != 0 || tty_wait(&t, "F1", 5000) != 0) {
			tty_dump(&t, "home did not come");
			return 1;
		}
		start_e[i] = now_us() - t0;
		tty_stop(&t);
	}
	fixture_free(&fe);

	for (i = 0; i < RUNS; i++) {
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
		/* To the first step, then the next one: bytes and time. */
		tty_key(&t, TTY_UP);
		settle(&t, now_us(), t.bytes);
		tty_type(&t, "1");
		tty_wait(&t, "Bắt đầu một việc mới", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Chọn nhóm việc", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Đăng ký tài khoản thử", 5000);
		tty_key(&t, TTY_ENTER);
		tty_wait(&t, "Căn cước gắn chip", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Bạn có đồng ý không?", 5000);
		tty_type(&t, "1");
		tty_wait(&t, "Tên gọi", 5000);
		tty_key(&t, TTY_ENTER);
		tty_wait(&t, "Mã tiếp tục của bạn", 5000);
		tty_key(&t, TTY_ENTER);
		if (tty_wait(&t, "Bước 1/4", 5000) != 0) {
			tty_dump(&t, "no step screen");
			return 1;
		}
		settle(&t, now_us(), t.bytes);
		b0 = t.bytes;
		t0 = now_us();
		tty_key(&t, TTY_RIGHT);
		tty_wait(&t, "Bước 2/4", 5000);
		step_us[i] = settle(&t, t0, b0);
		step_b[i] = (int64_t)(t.bytes - b0);
		mstep = memory(t.pid);
		tty_stop(&t);

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

	printf("\n%-44s %12s %12s\n", "median of 7 runs, 80x24, C.UTF-8", "sotay", have_dialog ? "dialog" : "(no dialog)");
	printf("%-44s %9.1f ms %9.1f ms\n", "start to complete home screen (100k events)",
	    median(start_s, RUNS) / 1e3, have_dialog ? median(start_d, RUNS) / 1e3 : 0.0);
	printf("%-44s %9.1f ms %12s\n", "start to complete home screen (empty outbox)",
	    median(start_e, RUNS) / 1e3, "-");
	printf("%-44s %9.1f ms %9.1f ms\n", "keypress (Down) to end of redraw",
	    median(key_s, RUNS) / 1e3, have_dialog ? median(key_d, RUNS) / 1e3 : 0.0);
	printf("%-44s %9lld B  %9lld B\n", "bytes written for that keypress",
	    (long long)median(key_sb, RUNS), have_dialog ? (long long)median(key_db, RUNS) : 0LL);
	printf("%-44s %9.1f ms %12s\n", "next step (→, saved to disk) to end of redraw",
	    median(step_us, RUNS) / 1e3, "-");
	printf("%-44s %9lld B  %12s\n", "bytes written moving to the next step",
	    (long long)median(step_b, RUNS), "-");
	printf("%-44s %9ld kB %9ld kB\n", "VmRSS at home", ms.rss_kb, have_dialog ? md.rss_kb : 0L);
	printf("%-44s %9ld kB %9ld kB\n", "VmHWM at home", ms.hwm_kb, have_dialog ? md.hwm_kb : 0L);
	printf("%-44s %9ld kB %12s\n", "VmHWM after a step", mstep.hwm_kb, "-");
	printf("(settle: a redraw ends at the last byte before %d ms of quiet)\n", QUIET_MS);
	fixture_free(&f);
	return 0;
}
