/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-tty-help.c: help for people who read slowly or not at all, as they
 * meet it at the kiosk — a step read aloud (espeak-ng), a slip printed to
 * take home (CUPS's lp), and the screens at a large console font's size.
 *
 * The programs the kiosk runs are put first on its PATH as small scripts
 * that record what they were given (their arguments and stdin) and answer
 * as the real ones do; one case runs the real espeak-ng, when installed,
 * on what the kiosk sends it.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <unistd.h>

#include "driver.h"
#include "fixture.h"
#include "people.h"
#include "screen.h"
#include "testlib.h"
#include "util.h"

/* Writes an executable script into the fixture's bin folder. */
static void
script(struct fixture *f, const char *name, const char *fmt, ...)
{
	char *dir = xasprintf("%s/bin", f->dir), *path = xasprintf("%s/%s", dir, name), *body;
	va_list ap;
	FILE *fp;

	mkdir(dir, 0755);
	va_start(ap, fmt);
	body = xvasprintf(fmt, ap);
	va_end(ap);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s", body);
	fclose(fp);
	assert_int_equal(chmod(path, 0755), 0);
	free(body);
	free(path);
	free(dir);
}

/* The fixture's file name as a path (malloc'd). */
static char *
in_dir(struct fixture *f, const char *name)
{
	return xasprintf("%s/%s", f->dir, name);
}

/* How many times needle is in s. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Waits, reading the screen meanwhile, until the file holds needle n times; its text (malloc'd). */
static char *
wait_count(struct tty *t, const char *path, const char *needle, int n, int line)
{
	char *s;

	for (int i = 0; i < SCREEN_WAIT_MS / 50; i++) {
		s = tl_slurp(path);
		if (count(s, needle) >= n)
			return s;
		free(s);
		tty_pump(t, 50, 0);
	}
	s = tl_slurp(path);
	tty_dump(t, needle);
	fail_msg("line %d: %s never holds %s %d times; it has:\n%s", line, path, needle, n, s);
	return NULL;
}
#define wait_file(t, path, needle, line)	wait_count((t), (path), (needle), 1, (line))

/* The pid the stub wrote last into the file. */
static pid_t
last_pid(const char *path)
{
	char *s = tl_slurp(path), *line;
	long pid = 0;

	for (line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n"))
		pid = strtol(line, NULL, 10);
	free(s);
	return (pid_t)pid;
}

/*
 * Waits until process pid has gone from the process table: stopped, and
 * reaped by the kiosk (a zombie still answers kill 0).
 */
static void
gone_pid(struct tty *t, pid_t pid, int line)
{
	assert_true(pid > 0);
	for (int i = 0; i < SCREEN_WAIT_MS / 50; i++) {
		if (kill(pid, 0) == -1 && errno == ESRCH)
			return;
		tty_pump(t, 50, 0);
	}
	tty_dump(t, "child still there");
	fail_msg("line %d: process %d is still there (running, or a zombie nobody reaped)", line,
	    (int)pid);
}

/* A stub espeak-ng: records its arguments and the text it reads, then "reads" until stopped. */
static void
stub_espeak(struct fixture *f)
{
	script(f, "espeak-ng",
	    "echo $$ >> '%s/speak.pid'\n"
	    "{ printf 'argv:'; for a in \"$@\"; do printf ' [%%s]' \"$a\"; done; printf '\\n'\n"
	    "  cat; printf '\\n--end--\\n'; } >> '%s/speak.log'\n"
	    "exec sleep 60\n", f->dir, f->dir);
}

/*
 * Read aloud: key 6 on a step sends its title, detail and tip to espeak-ng
 * with the Vietnamese voice, without waiting for it; a second press stops
 * it, and the next press reads again. Marking the step, leaving the screen
 * and going home after the idle time all stop the reading, and every
 * espeak-ng the kiosk started is reaped.
 */
static void
test_read_aloud(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *log, *pidf, *logf, *path;
	const char *env[2];

	fixture_init(&f, "aloud", "read_aloud = yes");
	stub_espeak(&f);
	path = xasprintf("PATH=%s/bin:/usr/bin:/bin", f.dir);
	env[0] = path;
	env[1] = NULL;
	pidf = in_dir(&f, "speak.pid");
	logf = in_dir(&f, "speak.log");
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Bà Tư", code);
	SEE(&t, "6 Đọc to");
	tty_type(&t, "6");
	SEE(&t, "Đang đọc to bước 1");
	log = wait_file(&t, logf, "--end--", __LINE__);
	assert_non_null(strstr(log, "[-v] [vi]"));
	assert_non_null(strstr(log, "[-b] [1]"));		/* the text is UTF-8 */
	assert_non_null(strstr(log, "[--stdin]"));
	assert_non_null(strstr(log, "Mở ứng dụng.\nMở ứng dụng trên điện thoại.\nMẹo: Cập nhật ứng dụng trước."));
	free(log);
	/* The screen did not wait for the voice: it still takes keys while espeak-ng "reads". */
	assert_int_equal(kill(last_pid(pidf), 0), 0);
	tty_type(&t, "6");
	SEE(&t, "Đã dừng đọc.");
	gone_pid(&t, last_pid(pidf), __LINE__);

	/* Again, then the step is marked: the reading of the old step stops. */
	tty_type(&t, "6");
	log = wait_count(&t, logf, "--end--", 2, __LINE__);
	free(log);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	gone_pid(&t, last_pid(pidf), __LINE__);
	/* In English, the English words with the English voice. */
	tty_key(&t, TTY_F(2));
	SEE(&t, "Step 2/4");
	tty_type(&t, "6");
	log = wait_file(&t, logf, "Enter the ID number.", __LINE__);
	assert_int_equal(count(log, "[-v] [en]"), 1);
	free(log);
	/* Pausing leaves the step screen: the reading stops. */
	tty_key(&t, TTY_ESC);
	SEE(&t, "Paused");
	gone_pid(&t, last_pid(pidf), __LINE__);
	log = tl_slurp(logf);
	assert_int_equal(count(log, "argv:"), 3);
	free(log);
	tty_stop(&t);
	fixture_free(&f);

	/* The idle timeout sends the kiosk home: the reading stops with it. */
	free(pidf);
	free(logf);
	free(path);
	fixture_init(&f, "aloud-idle", "read_aloud = yes\nidle_seconds = 3");
	stub_espeak(&f);
	path = xasprintf("PATH=%s/bin:/usr/bin:/bin", f.dir);
	env[0] = path;
	pidf = in_dir(&f, "speak.pid");
	logf = in_dir(&f, "speak.log");
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Bà Năm", code);
	tty_type(&t, "6");
	log = wait_file(&t, logf, "--end--", __LINE__);
	free(log);
	SEE(&t, "Đã về trang chủ vì lâu không dùng");
	gone_pid(&t, last_pid(pidf), __LINE__);
	tty_stop(&t);
	fixture_free(&f);
	free(pidf);
	free(logf);
	free(path);
}

/*
 * The real espeak-ng reads what the kiosk sends it: a wrapper on PATH adds
 * -w to write the voice to a WAV file instead of a sound device, and the
 * file holds a real recording (RIFF/WAVE, seconds of 22 kHz audio).
 */
static void
test_read_aloud_real(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *wav, *path, *done, *s;
	const char *env[2];
	struct stat sb;
	FILE *fp;
	unsigned char head[12];

	if (access("/usr/bin/espeak-ng", X_OK) != 0) {
		print_message("espeak-ng is not installed (make deps installs it): skipped\n");
		skip();
	}
	fixture_init(&f, "aloud-real", "read_aloud = yes");
	wav = in_dir(&f, "step.wav");
	done = in_dir(&f, "espeak.done");
	script(&f, "espeak-ng", "/usr/bin/espeak-ng -w '%s.part' \"$@\"\nrc=$?\n"
	    "mv '%s.part' '%s'\necho $rc > '%s'\n", wav, wav, wav, done);
	path = xasprintf("PATH=%s/bin:/usr/bin:/bin", f.dir);
	env[0] = path;
	env[1] = NULL;
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Ông Bảy", code);
	tty_type(&t, "6");
	s = wait_file(&t, done, "\n", __LINE__);
	assert_string_equal(s, "0\n");
	free(s);
	assert_int_equal(stat(wav, &sb), 0);
	fp = fopen(wav, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(head, 1, sizeof head, fp), sizeof head);
	fclose(fp);
	assert_memory_equal(head, "RIFF", 4);
	assert_memory_equal(head + 8, "WAVE", 4);
	/* "Mở ứng dụng. Mở ứng dụng trên điện thoại. Mẹo: …" takes seconds to say: 16-bit mono at 22,050 Hz. */
	assert_true(sb.st_size > 2 * 22050 * 2);
	/* espeak-ng ended well: no word of a failure on screen. */
	tty_pump(&t, 300, 0);
	assert_false(tty_has(&t, "espeak-ng không đọc được"));
	tty_stop(&t);
	free(wav);
	free(done);
	free(path);
	fixture_free(&f);
}

/* Without espeak-ng, or without a sound device, key 6 says why it cannot read. */
static void
test_read_aloud_off(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *path;
	const char *env[2];

	/* No espeak-ng anywhere on PATH. */
	fixture_init(&f, "aloud-none", "read_aloud = yes");
	path = xasprintf("PATH=%s/empty", f.dir);
	env[0] = path;
	env[1] = NULL;
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Chị Sáu", code);
	tty_type(&t, "6");
	SEE(&t, "Không đọc to được: máy chưa cài espeak-ng");
	/* The step screen goes on as before. */
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	tty_stop(&t);
	fixture_free(&f);
	free(path);

	/* The setting says no. */
	fixture_init(&f, "aloud-no", "read_aloud = no");
	screen_start(&f, &t, 30, 100, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Chị Bảy", code);
	tty_type(&t, "6");
	SEE(&t, "Đọc to đang tắt trong cài đặt");
	tty_stop(&t);
	fixture_free(&f);

	/*
	 * auto (the default) on a machine with no sound device: the test's
	 * environment has no sound server; skipped where this machine has a
	 * playback device the test may open.
	 */
	if (access("/dev/snd", F_OK) == 0) {
		print_message("this machine has /dev/snd: the no-sound-device case is skipped\n");
		return;
	}
	fixture_init(&f, "aloud-auto", NULL);
	screen_start(&f, &t, 30, 100, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Chị Tám", code);
	tty_type(&t, "6");
	SEE(&t, "không có loa hay thiết bị âm thanh");
	tty_stop(&t);
	fixture_free(&f);
}

/* Stub CUPS: lpstat names a default printer; lp records the job, or fails when lp.fail exists. */
static void
stub_cups(struct fixture *f, const char *lpstat_out)
{
	script(f, "lpstat", "echo run >> '%s/lpstat.log'\nprintf '%%s\\n' '%s'\n", f->dir, lpstat_out);
	script(f, "lp",
	    "if [ -e '%s/lp.fail' ]; then echo 'lp: The printer or class does not exist.' >&2; exit 1; fi\n"
	    "{ printf 'argv:'; for a in \"$@\"; do printf ' [%%s]' \"$a\"; done; printf '\\n'\n"
	    "  cat; printf -- '--end--\\n'; } >> '%s/lp.log'\n"
	    "echo 'request id is Quay-NVH-7 (0 file(s))'\n", f->dir, f->dir);
}

/*
 * The pause screen offers a slip when CUPS has a default printer: key 1
 * sends it with lp, and the job holds the resume code, what is done and
 * what is left, what to bring and the official address. lp's failure is
 * shown in words, and the screen never waits for the printer.
 */
static void
test_slip(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *path, *log, *want, *failf, *logf;
	const char *env[2];
	FILE *fp;

	fixture_init(&f, "slip", NULL);
	stub_cups(&f, "system default destination: Quay-NVH\n"
	    "printer Quay-NVH is idle.  enabled since Thu 03 Dec 2026 08:00:00");
	path = xasprintf("PATH=%s/bin:/usr/bin:/bin", f.dir);
	env[0] = path;
	env[1] = NULL;
	logf = in_dir(&f, "lp.log");
	failf = in_dir(&f, "lp.fail");
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Cô Ba", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	SEE(&t, "1 In phiếu mang về");
	tty_type(&t, "1");
	SEE(&t, "Đã gửi phiếu tới máy in Quay-NVH");
	log = wait_file(&t, logf, "--end--", __LINE__);
	assert_non_null(strstr(log, "[-d] [Quay-NVH]"));
	assert_non_null(strstr(log, "SỔ TAY SỐ — PHIẾU MANG VỀ"));
	assert_non_null(strstr(log, "Nhà văn hóa thôn Đông, Xã Tịnh Hà, Quảng Ngãi"));
	assert_non_null(strstr(log, "Việc: Đăng ký tài khoản thử"));
	want = xasprintf("Mã tiếp tục: %s\n", code);
	assert_non_null(strstr(log, want));
	free(want);
	assert_non_null(strstr(log, "Đã xong: 1/4 bước\n  [x] 1. Mở ứng dụng\n"));
	assert_non_null(strstr(log, "Còn lại:\n  [ ] 2. Nhập số định danh\n  [ ] 3. Nhận mã OTP\n"
	    "  [ ] 4. Xác nhận\n"));
	assert_non_null(strstr(log, "Lần sau mang theo:\n  - Căn cước gắn chip\n"));
	assert_non_null(strstr(log, "Địa chỉ chính thức: https://dichvucong.gov.vn/\n"));
	/* Not the resident's name: a slip can be lost. */
	assert_null(strstr(log, "Cô Ba"));
	free(log);

	/* lp refuses: its words are on screen, and nothing else changes. */
	fp = fopen(failf, "w");
	assert_non_null(fp);
	fclose(fp);
	tty_type(&t, "1");
	SEE(&t, "Không in được phiếu trên máy in Quay-NVH: lp: The printer or class does not exist.");
	SEE(&t, "Đã tạm dừng");

	/* In English, the slip is in English. */
	assert_int_equal(unlink(failf), 0);
	tty_key(&t, TTY_F(2));
	SEE(&t, "Paused");
	SEE(&t, "1 Print a slip");
	tty_type(&t, "1");
	SEE(&t, "The slip went to printer Quay-NVH");
	log = wait_count(&t, logf, "--end--", 2, __LINE__);
	want = strstr(log, "--end--");
	assert_non_null(strstr(want, "SỔ TAY SỐ — A SLIP TO TAKE HOME"));
	assert_non_null(strstr(want, "Task: Register a test account\n"));
	assert_non_null(strstr(want, "Done: 1/4 steps\n  [x] 1. Open the app\n"));
	assert_non_null(strstr(want, "Bring next time:\n  - Chip ID card\n"));
	assert_non_null(strstr(want, "Official address: https://dichvucong.gov.vn/\n"));
	free(log);
	tty_key(&t, TTY_ENTER);
	GONE(&t, "Paused");
	tty_stop(&t);
	free(path);
	free(logf);
	free(failf);
	fixture_free(&f);
}

/* Without a printer the slip is not offered: CUPS has no default, or no CUPS client at all. */
static void
test_slip_no_printer(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *path, *log, *lpstat_log;
	const char *env[2];

	fixture_init(&f, "slip-none", NULL);
	stub_cups(&f, "no system default destination");
	path = xasprintf("PATH=%s/bin:/usr/bin:/bin", f.dir);
	env[0] = path;
	env[1] = NULL;
	lpstat_log = in_dir(&f, "lpstat.log");
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Cô Tư", code);
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	/* CUPS was asked, and said no: the screen's keys stay without the slip. */
	log = wait_file(&t, lpstat_log, "run", __LINE__);
	free(log);
	tty_pump(&t, 1500, 0);
	SEE(&t, "Enter Xong");
	assert_false(tty_has(&t, "In phiếu"));
	tty_type(&t, "1");
	tty_pump(&t, 500, 0);
	assert_false(tty_has(&t, "máy in"));
	tty_stop(&t);
	free(path);
	free(lpstat_log);
	fixture_free(&f);

	/* No lpstat, no lp. */
	fixture_init(&f, "slip-nocups", NULL);
	path = xasprintf("PATH=%s/empty", f.dir);
	env[0] = path;
	screen_start(&f, &t, 30, 100, "C.UTF-8", env);
	screen_to_first_step(&t, "Cô Năm", code);
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	SEE(&t, "Enter Xong");
	assert_false(tty_has(&t, "In phiếu"));
	tty_stop(&t);
	free(path);
	fixture_free(&f);
}

/*
 * The large console font (Terminus 32×16) leaves a small screen 60×17
 * characters: the kiosk says the window is too small and how large it must
 * be, and is usable again at 80×24.
 */
static void
test_large_font_size(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "bigfont", NULL);
	fixture_start(&f, &t, 17, 60, "C.UTF-8", 0, NULL);
	SEE(&t, "Cửa sổ quá nhỏ (60×17).");
	SEE(&t, "tối thiểu 80×24");
	SEE(&t, "để dùng tiếp; không mất");
	tty_resize(&t, 24, 80);
	SEE(&t, "1 Người dân tự làm");
	GONE(&t, "Cửa sổ quá nhỏ");
	tty_stop(&t);
	fixture_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_aloud),
		cmocka_unit_test(test_read_aloud_real),
		cmocka_unit_test(test_read_aloud_off),
		cmocka_unit_test(test_slip),
		cmocka_unit_test(test_slip_no_printer),
		cmocka_unit_test(test_large_font_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
