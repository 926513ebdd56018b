/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-tty.c: the kiosk as people meet it. Each case starts the real
 * `sotay` in a pseudo-terminal (driver.c), presses keys, and checks what is
 * on screen — and, where it matters, what the database holds afterwards.
 */
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zbar.h>

#include "driver.h"
#include "fixture.h"
#include "journey.h"
#include "people.h"
#include "screen.h"
#include "store.h"
#include "sync-state.h"
#include "testlib.h"
#include "util.h"

/* Chooses the menu item whose line holds text, by its number key. */
static void
choose(struct tty *t, const char *text)
{
	int row;
	char *line, key[2] = { 0, 0 };

	screen_see(t, text, 1, __LINE__);
	row = tty_find_row(t, text);
	line = tty_row(t, row);
	key[0] = line[strspn(line, " ")];
	free(line);
	if (key[0] < '0' || key[0] > '9') {
		tty_dump(t, text);
		fail_msg("no number before %s", text);
	}
	tty_type(t, key);
}

/* From home to the form where a resident types their resume code. */
static void
to_code_form(struct tty *t)
{
	tty_type(t, "1");
	SEE(t, "Tiếp tục bằng mã");
	tty_type(t, "2");
	SEE(t, "Gõ mã tiếp tục");
}

/* The supervisor signs in from home: their name from the list, their PIN. */
static void
supervisor_in(struct tty *t)
{
	tty_type(t, "3");
	SEE(t, "Chọn tên tổ trưởng");
	choose(t, FIX_SUPERVISOR);
	SEE(t, "Mã PIN của " FIX_SUPERVISOR);
	tty_type(t, FIX_SUPERVISOR_PIN);
	tty_key(t, TTY_ENTER);
	SEE(t, "Tổ trưởng: " FIX_SUPERVISOR);
}

/* In the C locale: a resident alone, from home to the question of being remembered. */
static void
ascii_to_consent(struct tty *t)
{
	SEE(t, "1 Nguoi dan tu lam");
	tty_type(t, "1");
	SEE(t, "Bat dau mot viec moi");
	tty_type(t, "1");
	SEE(t, "Dich vu cong truc tuyen");
	tty_type(t, "1");
	SEE(t, "Dang ky tai khoan thu");
	tty_key(t, TTY_ENTER);
	SEE(t, "Can cuoc gan chip");
	tty_type(t, "1");
	SEE(t, "Ban co dong y khong?");
}

/* Fails the case when a cell on screen is not ASCII. */
static void
all_ascii(struct tty *t)
{
	VTermScreenCell c;
	int r, col;

	for (r = 0; r < t->rows; r++)
		for (col = 0; col < t->cols; col++) {
			uint32_t ch = tty_cell(t, r, col, &c);

			if (ch >= 0x80) {
				tty_dump(t, "a cell is not ASCII");
				fail_msg("cell %d,%d holds U+%04X", r, col, ch);
			}
		}
}

/* The home screen names the kiosk and its place, the ways in, and the status line. */
static void
test_home(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "home", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "Nhà văn hóa thôn Đông");
	/* Each place's name says what it is, once: not "Thôn: Thôn Đông". */
	SEE(&t, "Thôn Đông · Xã Tịnh Hà");
	assert_false(tty_has(&t, "Thôn: Thôn"));
	assert_false(tty_has(&t, "Xã/phường: Xã"));
	SEE(&t, "1 Người dân tự làm");
	SEE(&t, "2 Tình nguyện viên");
	SEE(&t, "3 Tổ trưởng");
	SEE(&t, "Ngoại tuyến");
	SEE(&t, "sự kiện chờ gửi");
	SEE(&t, "Đồng bộ lần cuối: chưa lần nào");
	/* F2 switches the language at once, and back. */
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Resident on your own");
	SEE(&t, "Offline");
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Người dân tự làm");
	/* Help for this screen. */
	tty_key(&t, TTY_F(1));
	SEE(&t, "Trang chủ của ki-ốt");
	tty_key(&t, TTY_ESC);
	GONE(&t, "Trang chủ của ki-ốt");
	SEE(&t, "1 Người dân tự làm");
	tty_type(&t, "q");
	assert_true(tty_wait_exit(&t, SCREEN_WAIT_MS));
	assert_true(WIFEXITED(t.status) && WEXITSTATUS(t.status) == 0);
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * The status line says offline when the last sync failed after a success,
 * whatever its message: a bare "503" was once taken for the time of the error.
 */
static void
test_home_sync_error(void **state)
{
	struct fixture f;
	struct tty t;
	struct store *st;
	char *cause = NULL, when[17];
	int64_t ok = util_now_ms() - 60000;

	fixture_init(&f, "home-sync-error", NULL);
	st = fixture_store(&f);
	assert_int_equal(sync_state_succeeded(st, ok, &cause), 0);
	store_close(st);
	util_format_time(ok, when);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "Có mạng");
	SEE(&t, when);
	tty_type(&t, "q");
	assert_true(tty_wait_exit(&t, SCREEN_WAIT_MS));
	tty_stop(&t);

	st = fixture_store(&f);
	assert_int_equal(sync_state_failed(st, "503", &cause), 0);
	store_close(st);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "Ngoại tuyến");
	SEE(&t, when);
	GONE(&t, "Có mạng");
	tty_type(&t, "q");
	assert_true(tty_wait_exit(&t, SCREEN_WAIT_MS));
	tty_stop(&t);
	fixture_free(&f);
	(void)state;
}

/* The one open session of the resident with this code, loaded from the database. */
static struct journey *
session_of(struct fixture *f, const char *code, struct resident *r)
{
	struct store *st = fixture_store(f);
	struct journey_brief *b = NULL;
	struct journey *j = NULL;
	size_t n = 0;
	int found = 0;
	char *cause = NULL;

	memset(r, 0, sizeof *r);
	assert_int_equal(people_resident_by_code(st, code, r, &found, &cause), 0);
	assert_true(found);
	assert_int_equal(journey_list_open(st, r->id, &b, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(journey_load(st, b[0].id, &j, &cause), 0);
	journey_briefs_free(b, n);
	store_close(st);
	return j;
}

/* A resident alone: consent, code, marks of every kind, pause, resume by code, finish. */
static void
test_resident_alone(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	char code[RESUME_CODE_LEN + 1], typed[16];

	fixture_init(&f, "resident", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Chị Mai", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu: bước 1 xong.");
	SEE(&t, "Bước 2/4");
	SEE(&t, "Nhập số định danh");
	/* The volunteer's tip for this step is not for a resident on their own. */
	assert_false(tty_has(&t, "Gợi ý cho tình nguyện viên"));
	assert_false(tty_has(&t, "Để người dân tự gõ số"));
	tty_type(&t, "2");
	SEE(&t, "Đã lưu: bỏ qua bước 2.");
	SEE(&t, "Bước 3/4");
	tty_type(&t, "3");
	SEE(&t, "Vì sao bị vướng?");
	SEE(&t, "Không nhận được OTP");
	tty_type(&t, "1");
	SEE(&t, "Đã lưu: bước 3 bị vướng.");
	SEE(&t, "Bước 4/4");
	/* Back to the blocked step: its reason is shown. */
	tty_key(&t, TTY_LEFT);
	SEE(&t, "Bước 3/4");
	SEE(&t, "Vướng vì: Không nhận được OTP");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	SEE(&t, "Xong: 1   Bỏ qua: 1   Vướng: 1   Còn lại: 1");
	SEE(&t, code);

	/* The database holds what the screens said. */
	j = session_of(&f, code, &r);
	assert_string_equal(r.display_name, "Chị Mai");
	assert_int_equal(j->state, SESSION_PAUSED);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->marks[1], MARK_SKIPPED);
	assert_int_equal(j->marks[2], MARK_BLOCKED);
	assert_string_equal(j->reasons[2], "no-otp");
	assert_int_equal(j->marks[3], MARK_TODO);
	journey_free(j);
	people_resident_clear(&r);

	/* Next visit: the code, typed in lower case with a space, brings the session back. */
	tty_key(&t, TTY_ENTER);
	SEE(&t, "1 Người dân tự làm");
	to_code_form(&t);
	tty_type(&t, "zzzzzz");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Không tìm thấy mã ZZZZZZ");
	snprintf(typed, sizeof typed, "%.3s %s", code, code + 3);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	tty_type(&t, typed);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Việc của bạn — Chị Mai");
	SEE(&t, "Đăng ký tài khoản thử");
	SEE(&t, "3/4 bước");
	tty_type(&t, "1");
	/* It opens where it was left: on the blocked step. */
	SEE(&t, "Bước 3/4");
	SEE(&t, "Vướng vì: Không nhận được OTP");
	tty_key(&t, TTY_RIGHT);
	SEE(&t, "Bước 4/4");
	SEE(&t, "Xác nhận");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Hoàn thành!");
	SEE(&t, "Xong: 2   Bỏ qua: 1   Vướng: 1   Còn lại: 0");
	/* A blocked step is still left to sort out: the code stays on screen. */
	SEE(&t, code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "1 Người dân tự làm");
	/* Home counts what waits to be sent, as the database does. */
	{
		struct store *st = fixture_store(&f);
		struct store_counts sc;
		char *cause = NULL, want[64];

		assert_int_equal(store_counts(st, &sc, &cause), 0);
		store_close(st);
		assert_true(sc.pending > 5);
		snprintf(want, sizeof want, " %lld sự kiện chờ gửi", (long long)sc.pending);
		SEE(&t, want);
	}
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * Wrong resume codes: three are free, then the kiosk says how long to wait
 * before the next, and does not even look at one typed sooner, also after
 * a restart.
 */
static void
test_code_tries(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "code-tries", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "1 Người dân tự làm");
	to_code_form(&t);
	/* Each message names its code, so each is seen anew. */
	tty_type(&t, "zzzzzz");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Không tìm thấy mã ZZZZZZ trên máy này. Hãy kiểm tra lại");
	tty_type(&t, "yyyyyy");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Không tìm thấy mã YYYYYY trên máy này. Hãy kiểm tra lại");
	tty_type(&t, "wwwwww");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Không tìm thấy mã WWWWWW");
	SEE(&t, "Đã sai nhiều lần: hãy chờ");
	tty_type(&t, "vvvvvv");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã gõ sai mã nhiều lần. Hãy chờ");
	SEE(&t, "giây rồi gõ lại");
	tty_stop(&t);

	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	to_code_form(&t);
	tty_type(&t, "wwwwww");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã gõ sai mã nhiều lần. Hãy chờ");
	tty_stop(&t);
	fixture_free(&f);
	(void)state;
}

/* Thirty Enters at once, as a held or bouncing key sends them. */
static void
burst(struct tty *t)
{
	char keys[30];

	memset(keys, '\r', sizeof keys);
	tty_raw(t, keys, sizeof keys);
}

/*
 * Keys typed ahead never act on a screen nobody saw, and what starts or
 * finishes something takes a deliberate key: a burst of Enters opens one
 * screen and stops there, on every screen that starts or finishes
 * something (the resident's sessions here; the sync and enrolment screens
 * in test_sync_bar_burst and test_enrol_from_screen); the session's marks
 * are only what was pressed on purpose.
 */
static void
test_typed_ahead(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	struct store *st;
	char code[RESUME_CODE_LEN + 1], *cause = NULL;

	fixture_init(&f, "burst", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	tty_type(&t, "1");
	SEE(&t, "Bắt đầu một việc mới");
	tty_type(&t, "1");
	SEE(&t, "Chọn nhóm việc");
	tty_type(&t, "1");
	SEE(&t, "Chọn việc cần làm");
	/* The list → what it takes: stops there, nothing started. */
	burst(&t);
	SEE(&t, "Thời gian: khoảng 10 phút");
	assert_true(tty_has(&t, "1 Bắt đầu"));
	assert_false(tty_has(&t, "Bạn có đồng ý không?"));
	/* "Start" itself: one deliberate key once the screen shows its keys. */
	tty_type(&t, "1");
	SEE(&t, "Bạn có đồng ý không?");
	tty_type(&t, "1");
	SEE(&t, "Tên gọi (có thể bỏ trống)");
	tty_type(&t, "Bà Năm");
	/* The name → the resume code: the code stays until read. */
	burst(&t);
	SEE(&t, "Mã tiếp tục của bạn");
	screen_read_code(&t, "Mã tiếp tục: ", code);
	assert_false(tty_has(&t, "Bước 1/4"));
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 1/4");
	/* Step 1 done; the rest of the burst does not mark the steps after it. */
	burst(&t);
	SEE(&t, "Đã lưu: bước 1 xong.");
	SEE(&t, "Bước 2/4");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	SEE(&t, "Xong: 1   Bỏ qua: 0   Vướng: 0   Còn lại: 3");
	j = session_of(&f, code, &r);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->marks[1], MARK_TODO);
	assert_int_equal(j->marks[2], MARK_TODO);
	assert_int_equal(j->marks[3], MARK_TODO);
	journey_free(j);
	people_resident_clear(&r);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "1 Người dân tự làm");

	/* Back with the code, to the last step; the burst finishes it and stops on the summary. */
	to_code_form(&t);
	tty_type(&t, code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Việc của bạn — Bà Năm");
	/* The sessions screen: a burst resumes the one session and marks nothing on its step. */
	burst(&t);
	SEE(&t, "Bước 2/4");
	j = session_of(&f, code, &r);
	assert_int_equal(j->state, SESSION_ACTIVE);
	assert_int_equal(j->current, 1);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->marks[1], MARK_TODO);
	assert_int_equal(j->marks[2], MARK_TODO);
	assert_int_equal(j->marks[3], MARK_TODO);
	journey_free(j);
	people_resident_clear(&r);
	tty_type(&t, "2");
	SEE(&t, "Bước 3/4");
	tty_type(&t, "2");
	SEE(&t, "Bước 4/4");
	burst(&t);
	SEE(&t, "Hoàn thành!");
	SEE(&t, "Xong: 2   Bỏ qua: 2   Vướng: 0   Còn lại: 0");
	assert_false(tty_has(&t, "1 Người dân tự làm"));
	/* Nothing was started after it: one session, finished. */
	{
		struct journey_brief *b = NULL;
		size_t n = 0;
		int found = 0;

		st = fixture_store(&f);
		assert_int_equal(people_resident_by_code(st, code, &r, &found, &cause), 0);
		assert_true(found);
		assert_int_equal(journey_list_open(st, r.id, &b, &n, &cause), 0);
		assert_int_equal(n, 0);
		journey_briefs_free(b, n);
		people_resident_clear(&r);
		store_close(st);
	}
	tty_key(&t, TTY_ENTER);
	SEE(&t, "1 Người dân tự làm");
	tty_stop(&t);
	fixture_free(&f);
}

/* Power cut mid-checklist: what the screen said was saved is what comes back. */
static void
test_sigkill_restart(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "sigkill", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu: bước 1 xong.");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu: bước 2 xong.");
	SEE(&t, "Bước 3/4");
	kill(t.pid, SIGKILL);
	tty_stop(&t);

	j = session_of(&f, code, &r);
	assert_string_equal(r.display_name, "Người dân");
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->marks[1], MARK_DONE);
	assert_int_equal(j->marks[2], MARK_TODO);
	assert_int_equal(j->current, 2);
	journey_free(j);
	people_resident_clear(&r);

	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	to_code_form(&t);
	tty_type(&t, code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Việc của bạn");
	assert_false(tty_has(&t, "Người dân: "));
	SEE(&t, "2/4 bước");
	tty_type(&t, "1");
	SEE(&t, "Bước 3/4");
	SEE(&t, "Nhận mã OTP");
	SEE(&t, "(chưa làm)");
	/* The earlier steps kept their marks. */
	tty_key(&t, TTY_LEFT);
	SEE(&t, "Bước 2/4");
	SEE(&t, "(đã xong)");
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * A shutdown (SIGTERM) or a lost terminal (SIGHUP) mid-checklist: the kiosk
 * leaves as "Thoát" does. The terminal is given back as it was (the
 * checklist no longer on it, typed letters echoed again), the session is
 * paused with its marks, and the database is closed: no journal is left
 * for the next start to recover.
 */
static void
stopped_by(int sig)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	struct termios tio;
	char code[RESUME_CODE_LEN + 1], *wal;

	fixture_init(&f, sig == SIGTERM ? "sigterm" : "sighup", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu: bước 1 xong.");
	SEE(&t, "Bước 2/4");
	assert_int_equal(tcgetattr(t.fd, &tio), 0);
	assert_false(tio.c_lflag & ECHO);	/* the kiosk has the terminal */
	kill(t.pid, sig);
	if (!tty_wait_exit(&t, SCREEN_WAIT_MS)) {
		tty_dump(&t, "still running");
		fail_msg("sotay did not leave on signal %d", sig);
	}
	assert_true(WIFEXITED(t.status));
	assert_int_equal(WEXITSTATUS(t.status), 0);
	assert_false(tty_has(&t, "Bước 2/4"));
	assert_int_equal(tcgetattr(t.fd, &tio), 0);
	assert_true(tio.c_lflag & ECHO);
	assert_true(tio.c_lflag & ICANON);
	tty_stop(&t);
	wal = xasprintf("%s-wal", f.db);
	assert_int_equal(access(wal, F_OK), -1);
	free(wal);

	j = session_of(&f, code, &r);
	assert_int_equal(j->state, SESSION_PAUSED);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->marks[1], MARK_TODO);
	journey_free(j);
	people_resident_clear(&r);
	fixture_free(&f);
}

static void
test_sigterm_closes_cleanly(void **state)
{
	stopped_by(SIGTERM);
}

static void
test_sighup_closes_cleanly(void **state)
{
	stopped_by(SIGHUP);
}

/*
 * The details of a resident not seen within the retention are gone once the
 * kiosk has started (after its first screen, which shows nobody's), before
 * anyone can use it.
 */
static void
test_start_purges_old_details(void **state)
{
	struct fixture f;
	struct tty t;
	struct store *st;
	struct resident r, got;
	sqlite3_stmt *s;
	char *cause = NULL;
	int found;

	fixture_init(&f, "purge", "retention_days = 30\n");
	st = fixture_store(&f);
	assert_int_equal(people_resident_add(st, "Bà Cũ", 1940, SEX_FEMALE, NULL, "0987654321", 1,
	    &r, &cause), 0);
	s = store_stmt(st, "UPDATE residents SET last_seen = ?");
	assert_non_null(s);
	sqlite3_bind_int64(s, 1, util_now_ms() - 100 * 86400000LL);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	store_close(st);

	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	/* A key answered: the kiosk is past its start. */
	tty_type(&t, "2");
	SEE(&t, "Chọn tên của bạn");
	st = fixture_store(&f);
	assert_int_equal(people_resident_get(st, r.id, &got, &found, &cause), 0);
	assert_true(found);
	assert_string_not_equal(got.display_name, "Bà Cũ");
	assert_null(got.phone);
	people_resident_clear(&got);
	people_resident_clear(&r);
	store_close(st);
	tty_stop(&t);
	fixture_free(&f);
}

/* A volunteer logs in, adds a resident with consent, finds them, starts a checklist for them. */
static void
test_volunteer(void **state)
{
	struct fixture f;
	struct tty t;
	struct store *st;
	struct resident *list = NULL;
	struct journey_brief *b = NULL;
	size_t n = 0, nb = 0;
	char *cause = NULL;

	fixture_init(&f, "volunteer", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "2 Tình nguyện viên");
	tty_type(&t, "2");
	SEE(&t, "Chọn tên của bạn");
	choose(&t, FIX_VOLUNTEER);
	SEE(&t, "Mã PIN của " FIX_VOLUNTEER);
	tty_type(&t, FIX_VOLUNTEER_PIN);
	/* The PIN is masked. */
	SEE(&t, "••••");
	assert_false(tty_has(&t, FIX_VOLUNTEER_PIN));
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Tình nguyện viên: " FIX_VOLUNTEER);
	tty_type(&t, "1");
	SEE(&t, "Trước khi ghi: hỏi người dân");
	tty_type(&t, "1");
	SEE(&t, "Họ tên");
	tty_type(&t, "Trần Thị Bích");
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "1850");
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "1");
	tty_key(&t, TTY_ENTER);
	tty_key(&t, TTY_ENTER);	/* hamlet as set for the kiosk */
	tty_key(&t, TTY_ENTER);	/* no phone */
	SEE(&t, "Năm sinh phải là năm từ 1900");
	for (int i = 0; i < 4; i++)
		tty_key(&t, TTY_BS);
	tty_type(&t, "1960");
	tty_key(&t, TTY_ENTER);
	tty_key(&t, TTY_ENTER);
	tty_key(&t, TTY_ENTER);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Người dân: Trần Thị Bích");
	SEE(&t, "Không có việc nào đang dở.");
	tty_type(&t, "1");	/* start something new */
	SEE(&t, "Chọn nhóm việc");
	tty_type(&t, "3");
	SEE(&t, "Chọn việc cần làm");
	tty_type(&t, "1");
	SEE(&t, "Thời gian: khoảng");
	tty_type(&t, "1");
	SEE(&t, "Bước 1/2");
	/* The volunteer sees the checklist's tip for the helper, named as such. */
	SEE(&t, "Gợi ý cho tình nguyện viên: Hỏi người dân đã");
	SEE(&t, "từng bị ai xin mã chưa.");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/2");
	tty_type(&t, "4");
	SEE(&t, "Ghi chú cho bước này");
	tty_type(&t, "Bà cần kính đọc");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu ghi chú.");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	tty_key(&t, TTY_ENTER);
	/* Back with the resident: the session waits, half done. */
	SEE(&t, "Người dân: Trần Thị Bích");
	SEE(&t, "1/2 bước · tạm dừng");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Tìm người dân");
	tty_type(&t, "2");
	SEE(&t, "Tên hoặc mã tiếp tục");
	/* Words of the name in any order, without diacritics. */
	tty_type(&t, "bich tran");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Kết quả cho “bich tran”");
	SEE(&t, "1960");
	tty_type(&t, "1");
	SEE(&t, "Người dân: Trần Thị Bích");
	tty_key(&t, TTY_ESC);
	SEE(&t, "3 Hôm nay");
	tty_type(&t, "3");
	SEE(&t, "Việc đang dở và người dân thêm hôm nay");
	SEE(&t, "Trần Thị Bích — ");
	tty_key(&t, TTY_ESC);
	SEE(&t, "4 Đăng xuất");
	tty_key(&t, TTY_ESC);	/* logs out */
	SEE(&t, "1 Người dân tự làm");
	assert_false(tty_has(&t, FIX_VOLUNTEER " ·"));
	tty_stop(&t);

	st = fixture_store(&f);
	assert_int_equal(people_resident_search(st, "Bích", 10, &list, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].birth_year, 1960);
	assert_int_equal(list[0].sex, SEX_FEMALE);
	assert_string_equal(list[0].hamlet, "Thôn Đông");
	assert_true(list[0].consent_at > 0);
	assert_int_equal(journey_list_open(st, list[0].id, &b, &nb, &cause), 0);
	assert_int_equal(nb, 1);
	assert_string_equal(b[0].checklist_id, "test-safety");
	journey_briefs_free(b, nb);
	people_residents_free(list, n);
	store_close(st);
	fixture_free(&f);
}

/* Five wrong PINs lock the volunteer out, and the right PIN then does not open. */
static void
test_pin_lockout(void **state)
{
	struct fixture f;
	struct tty t;
	int i;

	fixture_init(&f, "lockout", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "2 Tình nguyện viên");
	tty_type(&t, "2");
	SEE(&t, "Chọn tên của bạn");
	choose(&t, FIX_VOLUNTEER);
	SEE(&t, "Mã PIN của " FIX_VOLUNTEER);
	for (i = 0; i < 4; i++) {
		tty_type(&t, "0000");
		tty_key(&t, TTY_ENTER);
		if (i == 0)
			SEE(&t, "Sai mã PIN. Còn 4 lần thử");
	}
	SEE(&t, "Còn 1 lần thử");
	tty_type(&t, "0000");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "tạm khoá");
	tty_type(&t, FIX_VOLUNTEER_PIN);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "tạm khoá");
	SEE(&t, "Thử lại sau");
	assert_false(tty_has(&t, "Tình nguyện viên: " FIX_VOLUNTEER));
	tty_stop(&t);
	fixture_free(&f);
}

/* In kiosk mode Ctrl-C, Ctrl-Z and Ctrl-\ do nothing; only a supervisor leaves. */
static void
test_kiosk_keys(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "kiosk", NULL);
	fixture_start(&f, &t, 24, 80, "C.UTF-8", 1, NULL);
	screen_see(&t, "", 1, __LINE__);
	SEE(&t, "1 Người dân tự làm");
	assert_false(tty_has(&t, "Thoát"));
	tty_raw(&t, "\003", 1);
	tty_raw(&t, "\032", 1);
	tty_raw(&t, "\034", 1);
	tty_type(&t, "q");
	assert_false(tty_wait_exit(&t, 1500));
	tty_type(&t, "2");
	SEE(&t, "Chọn tên của bạn");	/* still answering keys */
	tty_key(&t, TTY_ESC);
	GONE(&t, "Chọn tên của bạn");
	SEE(&t, "3 Tổ trưởng");
	supervisor_in(&t);
	choose(&t, "Rời chế độ ki-ốt");
	assert_true(tty_wait_exit(&t, SCREEN_WAIT_MS));
	assert_true(WIFEXITED(t.status) && WEXITSTATUS(t.status) == 0);
	tty_stop(&t);
	fixture_free(&f);
}

/* 120×40 shows the list of steps; 60×20 asks for a bigger window; 80×24 comes back whole. */
static void
test_resize(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "resize", NULL);
	screen_start(&f, &t, 40, 120, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Ba", code);
	SEE(&t, "Các bước");
	SEE(&t, "[ ] 1. Mở ứng dụng");
	SEE(&t, "[ ] 4. Xác nhận");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "[x] 1. Mở ứng dụng");
	tty_resize(&t, 20, 60);
	SEE(&t, "Cửa sổ quá nhỏ (60×20)");
	SEE(&t, "80×24");
	tty_resize(&t, 24, 80);
	SEE(&t, "Bước 2/4");
	SEE(&t, "Nhập số định danh");
	GONE(&t, "Cửa sổ quá nhỏ");
	assert_false(tty_has(&t, "Các bước"));	/* no room for the list at 80 columns */
	/* Text being typed survives a resize. */
	tty_type(&t, "4");
	SEE(&t, "Ghi chú cho bước này");
	tty_type(&t, "Mang sổ hộ khẩu");
	SEE(&t, "Mang sổ hộ khẩu");
	tty_resize(&t, 20, 60);
	SEE(&t, "Cửa sổ quá nhỏ");
	tty_resize(&t, 40, 120);
	SEE(&t, "Mang sổ hộ khẩu");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu ghi chú.");
	tty_stop(&t);
	fixture_free(&f);
}

/* Where the locale is not UTF-8, Vietnamese is shown without diacritics, never as broken bytes. */
static void
test_non_utf8(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "ascii", NULL);
	screen_start(&f, &t, 24, 80, "C", NULL);
	SEE(&t, "1 Nguoi dan tu lam");
	SEE(&t, "Nha van hoa thon Dong");
	SEE(&t, "Ngoai tuyen");
	ascii_to_consent(&t);
	tty_type(&t, "1");
	SEE(&t, "Ten goi (co the bo trong)");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Ma tiep tuc: ");
	screen_read_code(&t, "Ma tiep tuc: ", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Buoc 1/4");
	SEE(&t, "Mo ung dung");
	all_ascii(&t);
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * The line the step screen shows for the session's only note, "Ghi chú
 * (HH:MM): text", with the time read back from the database.
 */
static char *
note_line(struct fixture *f, const char *code, const char *fmt)
{
	struct store *st;
	struct resident r;
	struct journey *j = session_of(f, code, &r);
	struct journey_note *notes = NULL;
	size_t n = 0;
	char *cause = NULL, when[17], *line, *tz;

	st = fixture_store(f);
	assert_int_equal(journey_notes(st, j->id, &notes, &n, &cause), 0);
	store_close(st);
	assert_int_equal(n, 1);
	/* In the kiosk's time zone: it is started without TZ (fixture.c). */
	tz = getenv("TZ") != NULL ? xstrdup(getenv("TZ")) : NULL;
	unsetenv("TZ");
	tzset();
	util_format_time(notes[0].at, when);
	if (tz != NULL) {
		setenv("TZ", tz, 1);
		tzset();
		free(tz);
	}
	line = xasprintf(fmt, when + 11, notes[0].text);
	journey_notes_free(notes, n);
	journey_free(j);
	people_resident_clear(&r);
	return line;
}

/* Adds a note on the step on screen and waits until the form is gone. */
static void
add_note(struct tty *t, const char *text)
{
	tty_type(t, "4");
	SEE(t, "Ghi chú cho bước này");
	tty_type(t, text);
	tty_key(t, TTY_ENTER);
	GONE(t, "Ghi chú cho bước này");
	SEE(t, "Đã lưu ghi chú.");
}

/*
 * A note shows on its own step (below the tip), not on the next one, again
 * on the way back, with a mark in the wide list of steps, after a power cut
 * (it comes from the database), and in the summary.
 */
static void
test_step_notes(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *line, *fin;
	int tip, note;

	fixture_init(&f, "notes", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Chú Tư", code);
	add_note(&t, "Mang kính đọc chữ");
	line = note_line(&f, code, "Ghi chú (%s): %s");
	SEE(&t, line);
	tip = tty_find_row(&t, "Mẹo: Cập nhật ứng dụng trước.");
	note = tty_find_row(&t, line);
	assert_true(tip >= 0 && note > tip);
	/* Not on the next step. */
	tty_key(&t, TTY_RIGHT);
	SEE(&t, "Bước 2/4");
	GONE(&t, "Mang kính đọc chữ");
	/* Back: shown again. */
	tty_key(&t, TTY_LEFT);
	SEE(&t, "Bước 1/4");
	SEE(&t, line);
	/* Wide: the list marks the step with the note, and only it. */
	tty_resize(&t, 40, 120);
	SEE(&t, "[ ] 1.✎ Mở ứng dụng");
	SEE(&t, "[ ] 2. Nhập số định danh");
	assert_false(tty_has(&t, "2.✎"));
	tty_resize(&t, 24, 80);
	GONE(&t, "Các bước");

	/* Power cut, then the code: the note is still on its step. */
	kill(t.pid, SIGKILL);
	tty_stop(&t);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	to_code_form(&t);
	tty_type(&t, code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Việc của bạn — Chú Tư");
	tty_type(&t, "1");
	SEE(&t, "Bước 1/4");
	SEE(&t, line);
	/* The summary lists it, with its step, and still shows the code. */
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	SEE(&t, "Ghi chú của buổi làm:");
	fin = note_line(&f, code, "  Bước 1 (%s): %s");
	SEE(&t, fin);
	SEE(&t, code);
	free(fin);
	free(line);
	tty_stop(&t);
	fixture_free(&f);
}

/* The summary keeps to the newest five notes and counts the others. */
static void
test_finish_many_notes(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], text[32];
	int i;

	fixture_init(&f, "manynotes", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Bà Sáu", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	for (i = 1; i <= 7; i++) {
		snprintf(text, sizeof text, "Việc số %d", i);
		add_note(&t, text);
	}
	tty_key(&t, TTY_ESC);
	SEE(&t, "Ghi chú của buổi làm:");
	for (i = 3; i <= 7; i++) {
		snprintf(text, sizeof text, "): Việc số %d", i);
		SEE(&t, text);
	}
	SEE(&t, "… và 2 ghi chú khác");
	assert_false(tty_has(&t, "Việc số 1"));
	assert_false(tty_has(&t, "Việc số 2"));
	SEE(&t, code);
	/* English too. */
	tty_key(&t, TTY_F(2));
	SEE(&t, "Notes from this session:");
	SEE(&t, "… and 2 more notes");
	SEE(&t, "  Step 2 (");
	tty_stop(&t);
	fixture_free(&f);
}

/* Where the locale is not UTF-8 the note and its mark in the list are plain ASCII. */
static void
test_step_notes_ascii(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "notesascii", NULL);
	screen_start(&f, &t, 40, 120, "C", NULL);
	ascii_to_consent(&t);
	tty_type(&t, "2");
	SEE(&t, "Buoc 1/4");
	tty_type(&t, "4");
	SEE(&t, "Ghi chu cho buoc nay");
	tty_type(&t, "Mang kinh");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Da luu ghi chu.");
	SEE(&t, "): Mang kinh");
	SEE(&t, "Ghi chu (");
	SEE(&t, "[ ] 1.* Mo ung dung");
	SEE(&t, "[ ] 2. Nhap so dinh danh");
	all_ascii(&t);
	tty_stop(&t);
	fixture_free(&f);
}

/* Left alone, the kiosk goes home and forgets the person; the session is kept, paused. */
static void
test_idle_timeout(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "idle", "idle_seconds = 2");
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Cô Hoa", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	SEE(&t, "Đã về trang chủ vì lâu không dùng");
	SEE(&t, "1 Người dân tự làm");
	assert_false(tty_has(&t, "Đăng ký tài khoản thử"));
	assert_false(tty_has(&t, code));
	assert_false(tty_has(&t, "Cô Hoa"));
	j = session_of(&f, code, &r);
	assert_int_equal(j->state, SESSION_PAUSED);
	assert_int_equal(j->marks[0], MARK_DONE);
	journey_free(j);
	people_resident_clear(&r);
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * A province adds a language of its people with a catalogue and no code:
 * qaa (ISO 639's code for a local language) gets a few words; the kiosk set
 * to it shows them, Vietnamese where a word is missing, and F2 goes round
 * Vietnamese, English and it. The language's words come from the
 * catalogue only: nothing in the program knows qaa.
 */
static void
test_third_language(void **state)
{
	struct fixture f;
	struct tty t;
	char *po, *locale, *mo, *dir, *env, *build = getenv("BUILD");
	char cwd[PATH_MAX];
	FILE *fp;
	int st;

	fixture_init(&f, "language", "language = qaa");
	assert_non_null(getcwd(cwd, sizeof cwd));
	locale = xasprintf("%s/locale", f.dir);
	dir = xasprintf("%s/qaa/LC_MESSAGES", locale);
	assert_int_equal(util_mkdir_p(dir), 0);
	po = xasprintf("%s/qaa.po", f.dir);
	fp = fopen(po, "w");
	assert_non_null(fp);
	fputs("msgid \"\"\nmsgstr \"Project-Id-Version: sotay\\nPO-Revision-Date: 2026-12-01 00:00+0700\\n"
	    "Last-Translator: Tỉnh\\nLanguage-Team: Qaa\\nLanguage: qaa\\nMIME-Version: 1.0\\n"
	    "Content-Type: text/plain; charset=UTF-8\\nContent-Transfer-Encoding: 8bit\\n\"\n\n"
	    "msgctxt \"language name\"\nmsgid \"Tiếng Việt\"\nmsgstr \"Tiếng Qaa\"\n\n"
	    "msgid \"Người dân tự làm\"\nmsgstr \"Kon pơlei pơgơ̆h\"\n\n"
	    "msgid \"Ngoại tuyến\"\nmsgstr \"Ƀ'ai mạng\"\n", fp);
	fclose(fp);
	mo = xasprintf("%s/sotay.mo", dir);
	{
		char *argv[] = { "/usr/bin/msgfmt", "--check", "-o", mo, po, NULL };

		st = fixture_run(&f, argv, NULL, NULL);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	/* The kiosk's own catalogues beside it, as an installed kiosk has them. */
	for (int i = 0; i < 2; i++) {
		const char *l = i == 0 ? "vi" : "en";
		char *from = build != NULL && build[0] == '/' ? xasprintf("%s/locale/%s", build, l) :
		    xasprintf("%s/%s/locale/%s", cwd, build ? build : "build", l);
		char *to = xasprintf("%s/%s", locale, l);

		unlink(to);
		assert_int_equal(symlink(from, to), 0);
		free(from);
		free(to);
	}
	/*
	 * A checklist in three languages: the title, the first step and a
	 * block reason have words in qaa; the second step has none and reads
	 * in Vietnamese.
	 */
	free(f.content);
	f.content = xasprintf("%s/content", f.dir);
	assert_int_equal(util_mkdir_p(f.content), 0);
	{
		char *path = xasprintf("%s/test-basic.json", f.content);

		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs("{ \"format\": 1, \"id\": \"test-basic\", \"version\": 1, "
		    "\"category\": \"public_services\",\n"
		    "  \"title\": { \"vi\": \"Đăng ký tài khoản thử\", \"en\": \"Register a test account\", "
		    "\"qaa\": \"Pơtơm hla mơ̆t thử\" },\n"
		    "  \"summary\": { \"vi\": \"Danh mục nhỏ dùng cho kiểm thử.\", \"qaa\": \"Hla iĕ kơ thử.\" },\n"
		    "  \"bring\": [ { \"vi\": \"Căn cước gắn chip\" } ], \"minutes\": 10, \"official\": { \"app\": \"VNeID\" },\n"
		    "  \"steps\": [\n"
		    "    { \"id\": \"open-app\", \"title\": { \"vi\": \"Mở ứng dụng\", \"qaa\": \"Pơk ứng dụng\" },\n"
		    "      \"detail\": { \"vi\": \"Mở ứng dụng trên điện thoại.\", "
		    "\"qaa\": \"Pơk ứng dụng kơ điện thoại.\" } },\n"
		    "    { \"id\": \"enter-number\", \"title\": { \"vi\": \"Nhập số định danh\" },\n"
		    "      \"detail\": { \"vi\": \"Nhập 12 số trên căn cước.\" } }\n"
		    "  ],\n"
		    "  \"block_reasons\": [ { \"id\": \"no-otp\", \"text\": { \"vi\": \"Không nhận được OTP\" } } ],\n"
		    "  \"reviewed\": \"2026-11-01\", \"source\": \"Test data\" }\n", fp);
		fclose(fp);
		free(path);
	}
	env = xasprintf("SOTAY_LOCALEDIR=%s", locale);
	{
		const char *extra[] = { env, NULL };

		fixture_start(&f, &t, 24, 80, "C.UTF-8", 0, extra);
	}
	SEE(&t, "1 Kon pơlei pơgơ̆h");
	SEE(&t, "Ƀ'ai mạng");
	/* Words the catalogue lacks are Vietnamese, the kiosk's first language. */
	SEE(&t, "3 Tổ trưởng");
	/* F2 names the next language in its own words and goes round all three. */
	SEE(&t, "F2 Tiếng Việt");
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Người dân tự làm");
	SEE(&t, "F2 English");
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Resident on your own");
	SEE(&t, "F2 Tiếng Qaa");
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Kon pơlei pơgơ̆h");

	/* The checklist reads in qaa where it has the words, else in Vietnamese. */
	tty_type(&t, "1");
	SEE(&t, "Bắt đầu một việc mới");
	tty_type(&t, "1");
	SEE(&t, "Dịch vụ công trực tuyến");
	tty_type(&t, "1");
	SEE(&t, "Pơtơm hla mơ̆t thử");
	assert_false(tty_has(&t, "Đăng ký tài khoản thử"));
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Hla iĕ kơ thử.");
	SEE(&t, "Căn cước gắn chip");
	tty_type(&t, "1");
	SEE(&t, "Bạn có đồng ý không?");
	tty_type(&t, "1");
	SEE(&t, "Tên gọi (có thể bỏ trống)");
	tty_type(&t, "Y Blông");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Mã tiếp tục: ");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Pơk ứng dụng");
	SEE(&t, "Pơk ứng dụng kơ điện thoại.");
	SEE(&t, "Pơtơm hla mơ̆t thử");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Nhập số định danh");
	SEE(&t, "Nhập 12 số trên căn cước.");
	tty_stop(&t);

	/* A language with no words is refused at start, with the ones there are. */
	{
		char *out = xasprintf("%s/out.txt", f.dir), *text;
		char *argv[] = { f.sotay, "--lang", "qab", "status", NULL };
		const char *extra[] = { env, NULL };

		st = fixture_run(&f, argv, extra, out);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 2);
		text = util_read_file(out, NULL);
		assert_non_null(text);
		assert_non_null(strstr(text, "qab"));
		assert_non_null(strstr(text, "vi, en, qaa"));
		free(text);
		free(out);
	}
	free(env);
	free(mo);
	free(po);
	free(dir);
	free(locale);
	fixture_free(&f);
}

/*
 * The idle timeout warns first, with a countdown a key stops (and that key
 * does nothing else); then it goes home in the kiosk's own language, not
 * the one the last person chose.
 */
static void
test_idle_countdown_language(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "idlelang", "idle_seconds = 4");
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Bác Ba", code);
	tty_key(&t, TTY_F(2));
	SEE(&t, "Step 1/4");
	SEE(&t, "press any key to stay");
	tty_key(&t, TTY_ENTER);	/* stays: the step is not marked */
	GONE(&t, "press any key to stay");
	SEE(&t, "Step 1/4");
	assert_false(tty_has(&t, "Step 2/4"));
	SEE(&t, "press any key to stay");
	SEE(&t, "Đã về trang chủ vì lâu không dùng");
	SEE(&t, "1 Người dân tự làm");
	SEE(&t, "F2 English");
	j = session_of(&f, code, &r);
	assert_int_equal(j->marks[0], MARK_TODO);
	assert_int_equal(j->state, SESSION_PAUSED);
	journey_free(j);
	people_resident_clear(&r);
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * One screen per database: a second `sotay` on the same database says the
 * kiosk is open, where, and leaves; commands keep working beside it; once
 * the first screen is gone, a new one opens.
 */
static void
test_second_screen_refused(void **state)
{
	struct fixture f;
	struct tty t, t2;
	char *out, *text;
	int st;

	fixture_init(&f, "twoscreens", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "1 Người dân tự làm");
	out = xasprintf("%s/second.txt", f.dir);
	{
		char *argv[] = { f.sotay, NULL };

		st = fixture_run(&f, argv, NULL, out);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
		text = util_read_file(out, NULL);
		assert_non_null(text);
		assert_non_null(strstr(text, "Ki-ốt đã mở trên cơ sở dữ liệu này"));
		assert_non_null(strstr(text, f.db));
		assert_non_null(strstr(text, "tiến trình"));
		free(text);
	}
	{
		char *argv[] = { f.sotay, "status", NULL };

		st = fixture_run(&f, argv, NULL, out);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	/* The first screen still works; once it is gone, a new one opens. */
	tty_type(&t, "2");
	SEE(&t, "Chọn tên của bạn");
	tty_stop(&t);
	screen_start(&f, &t2, 24, 80, "C.UTF-8", NULL);
	SEE(&t2, "1 Người dân tự làm");
	tty_stop(&t2);
	free(out);
	fixture_free(&f);
}

/*
 * A new kiosk's first start (README: `make run`): the database's folder does
 * not exist yet; the screen makes it and opens home, lock file beside.
 */
static void
test_new_kiosk_first_start(void **state)
{
	struct fixture f;
	struct tty t;
	struct stat sb;
	char *db, *lock;

	fixture_init(&f, "firststart", NULL);
	db = xasprintf("%s/new/share/sotay/sotay.db", f.dir);
	lock = xasprintf("%s.screen-lock", db);
	{
		char *argv[] = { f.sotay, "--db", db, NULL };
		const char *env[] = { "LANG=C.UTF-8", NULL };

		fixture_start_argv(&f, &t, 24, 80, argv, env);
	}
	SEE(&t, "1 Người dân tự làm");
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(stat(lock, &sb), 0);
	tty_stop(&t);
	free(lock);
	free(db);
	fixture_free(&f);
}

/* Every cell that holds a letter holds the right one: no replacement characters, no split letters. */
static void
test_vietnamese_cells(void **state)
{
	struct fixture f;
	struct tty t;
	VTermScreenCell c;
	char code[RESUME_CODE_LEN + 1], *row;
	int r, col, k;

	fixture_init(&f, "cells", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Nguyễn Văn Đức", code);
	tty_key(&t, TTY_F(1));
	SEE(&t, "Làm theo bước trên màn hình");
	for (r = 0; r < t.rows; r++)
		for (col = 0; col < t.cols; col++) {
			tty_cell(&t, r, col, &c);
			for (k = 0; k < VTERM_MAX_CHARS_PER_CELL && c.chars[k]; k++)
				if (c.chars[k] == 0xfffd || (c.chars[k] >= 0x300 && c.chars[k] < 0x370)) {
					tty_dump(&t, "broken cell");
					fail_msg("cell %d,%d holds U+%04X", r, col, c.chars[k]);
				}
		}
	/* "Trợ giúp" sits in the title bar in exactly 8 cells. */
	row = tty_row(&t, 0);
	assert_non_null(strstr(row, "Trợ giúp"));
	free(row);
	tty_stop(&t);
	fixture_free(&f);
}

/*
 * Reads the QR code on screen back into modules and decodes it with zbar.
 * With colours the code is black on a white ground (find the white
 * ground); without, the terminal's own light-on-dark colours draw the light
 * modules (find the blocks, and read them inverted). Returns the text
 * (malloc'd) or NULL.
 */
static char *
decode_qr(struct tty *t, int mono)
{
	VTermScreenCell c;
	int r, col, top = -1, left = -1, bottom = -1, right = -1, w, h, scale = 6, pad = 8;
	int mr, mc, x, y, iw, ih, half;
	unsigned char *img;
	zbar_image_scanner_t *sc;
	zbar_image_t *zi;
	const zbar_symbol_t *sym;
	char *out = NULL;

	for (r = 0; r < t->rows; r++)
		for (col = 0; col < t->cols; col++) {
			uint32_t ch = tty_cell(t, r, col, &c);
			int in = mono ? (ch == 0x2580 || ch == 0x2584 || ch == 0x2588) :
			    (VTERM_COLOR_IS_INDEXED(&c.bg) && c.bg.indexed.idx == 7);

			/* The resume code's large letters are blocks too: skip rows under the status. */
			if (!in || r >= t->rows - 3)
				continue;
			if (top < 0)
				top = r;
			bottom = r;
			if (left < 0 || col < left)
				left = col;
			if (col > right)
				right = col;
		}
	if (top < 0)
		return NULL;
	w = right - left + 1;
	h = (bottom - top + 1) * 2;
	iw = (w + 2 * pad) * scale;
	ih = (h + 2 * pad) * scale;
	img = malloc((size_t)iw * ih);
	memset(img, 255, (size_t)iw * ih);
	for (r = top; r <= bottom; r++)
		for (col = left; col <= right; col++) {
			uint32_t ch = tty_cell(t, r, col, &c);
			int block[2] = { ch == 0x2580 || ch == 0x2588, ch == 0x2584 || ch == 0x2588 };

			for (half = 0; half < 2; half++) {
				/* Colour: a block is a dark module. Mono: a block is a light one. */
				if (mono ? block[half] : !block[half])
					continue;
				if (mono && r == bottom && half == 1)
					continue;	/* below the code's last module row */
				mr = (r - top) * 2 + half + pad;
				mc = col - left + pad;
				for (y = 0; y < scale; y++)
					for (x = 0; x < scale; x++)
						img[(size_t)(mr * scale + y) * iw + mc * scale + x] = 0;
			}
		}
	sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zi = zbar_image_create();
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, (unsigned)iw, (unsigned)ih);
	zbar_image_set_data(zi, img, (unsigned long)iw * ih, NULL);
	if (zbar_scan_image(sc, zi) > 0 && (sym = zbar_image_first_symbol(zi)) != NULL)
		out = strdup(zbar_symbol_get_data(sym));
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
	free(img);
	return out;
}

/* The QR code on the step screen decodes to the checklist's official address. */
static void
test_qr_code(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1], *url;

	fixture_init(&f, "qr", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "QR", code);
	SEE(&t, "Quét để mở trang");
	url = decode_qr(&t, 0);
	if (url == NULL)
		tty_dump(&t, "no QR code read");
	assert_non_null(url);
	assert_string_equal(url, "https://dichvucong.gov.vn/");
	free(url);
	tty_stop(&t);
	fixture_free(&f);
}

/* NO_COLOR: no colour anywhere; the bars still stand out (reverse video); the QR code still reads. */
static void
test_no_color(void **state)
{
	struct fixture f;
	struct tty t;
	VTermScreenCell c;
	const char *env[] = { "NO_COLOR=1", NULL };
	char code[RESUME_CODE_LEN + 1], *url;
	int r, col;

	fixture_init(&f, "nocolor", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", env);
	SEE(&t, "1 Người dân tự làm");
	tty_cell(&t, 0, 0, &c);
	assert_true(c.attrs.reverse);	/* the title bar */
	screen_to_first_step(&t, "Mono", code);
	SEE(&t, "Quét để mở trang");
	for (r = 0; r < t.rows; r++)
		for (col = 0; col < t.cols; col++) {
			tty_cell(&t, r, col, &c);
			if (!VTERM_COLOR_IS_DEFAULT_FG(&c.fg) || !VTERM_COLOR_IS_DEFAULT_BG(&c.bg)) {
				tty_dump(&t, "a coloured cell");
				fail_msg("cell %d,%d has a colour", r, col);
			}
		}
	url = decode_qr(&t, 1);
	if (url == NULL)
		tty_dump(&t, "no QR code read");
	assert_non_null(url);
	assert_string_equal(url, "https://dichvucong.gov.vn/");
	free(url);
	tty_stop(&t);
	fixture_free(&f);
}

/* The supervisor: reports with bars, volunteers added and disabled, sync with no server set up. */
static void
test_supervisor(void **state)
{
	struct fixture f;
	struct tty t;
	struct store *st;
	struct volunteer *v = NULL;
	size_t n = 0, i;
	char *cause = NULL, code[RESUME_CODE_LEN + 1];
	int found_minh = 0, lan_disabled = 0;

	fixture_init(&f, "supervisor", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	/* One finished session and one blocked step, for the report. */
	screen_to_first_step(&t, "Ông Tư", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 3/4");
	tty_type(&t, "3");
	SEE(&t, "Hệ thống quá tải");
	tty_type(&t, "2");
	SEE(&t, "Bước 4/4");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Hoàn thành!");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "3 Tổ trưởng");
	supervisor_in(&t);
	tty_type(&t, "2");
	SEE(&t, "Tuần này:");
	SEE(&t, "Người được giúp: 1");
	SEE(&t, "Theo hướng dẫn");
	SEE(&t, "Đăng ký tài khoản thử");
	SEE(&t, "Hay bị vướng nhất");
	SEE(&t, "Hệ thống quá tải");
	SEE(&t, "█");
	tty_type(&t, "m");
	SEE(&t, "Tháng này:");
	tty_key(&t, TTY_ESC);
	SEE(&t, "3 Tình nguyện viên");
	tty_type(&t, "3");
	SEE(&t, "+ Thêm tình nguyện viên");
	tty_type(&t, "1");
	/* The role is a number: both Vietnamese words begin with t. */
	SEE(&t, "Vai trò: 1 = tình nguyện viên, 2 = tổ trưởng");
	tty_type(&t, "Minh");
	tty_key(&t, TTY_ENTER);
	/* A letter is not taken; the number is. */
	tty_key(&t, TTY_BS);
	tty_type(&t, "t");
	tty_type(&t, "1");
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "4321");
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "4321");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã thêm Minh.");
	SEE(&t, "Minh");
	/* Disable Lan. */
	choose(&t, FIX_VOLUNTEER);
	SEE(&t, "Tắt tài khoản");
	tty_type(&t, "1");
	SEE(&t, "đã tắt");
	/* A new PIN for Minh, typed twice. */
	choose(&t, "Minh");
	choose(&t, "Đặt lại mã PIN");
	SEE(&t, "Mã PIN mới");
	tty_type(&t, "5555");
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "5556");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Hai lần gõ mã PIN không khớp");
	tty_type(&t, "5555");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu.");
	tty_key(&t, TTY_ESC);
	SEE(&t, "1 Đồng bộ ngay");
	tty_type(&t, "1");
	SEE(&t, "Sự kiện chờ gửi:");
	SEE(&t, "Nhấn Enter để đồng bộ");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đồng bộ chưa xong:");
	tty_key(&t, TTY_ESC);
	SEE(&t, "1 Đồng bộ ngay");
	tty_key(&t, TTY_ESC);
	SEE(&t, "1 Người dân tự làm");
	tty_stop(&t);

	st = fixture_store(&f);
	assert_int_equal(people_volunteer_list(st, &v, &n, &cause), 0);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, "Minh") == 0 && v[i].role == ROLE_VOLUNTEER && !v[i].disabled)
			found_minh = 1;
		if (strcmp(v[i].name, FIX_VOLUNTEER) == 0)
			lan_disabled = v[i].disabled;
	}
	people_volunteers_free(v, n);
	assert_true(found_minh);
	{
		int64_t minh = 0;
		enum login res;
		int tries;
		int64_t until;

		assert_int_equal(people_volunteer_list(st, &v, &n, &cause), 0);
		for (i = 0; i < n; i++)
			if (strcmp(v[i].name, "Minh") == 0)
				minh = v[i].id;
		people_volunteers_free(v, n);
		assert_int_equal(people_login(st, minh, "5555", &res, &tries, &until, NULL, &cause), 0);
		assert_int_equal(res, LOGIN_OK);
	}
	store_close(st);
	assert_true(lan_disabled);
	fixture_free(&f);
}

/* A checklist with a prerequisite offers to do that one first. */
static void
test_prerequisite(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "prereq", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	tty_type(&t, "1");
	SEE(&t, "Bắt đầu một việc mới");
	tty_type(&t, "1");
	choose(&t, "Thanh toán trực tuyến");
	SEE(&t, "Chọn việc cần làm");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Cần làm trước: Đăng ký tài khoản thử");
	SEE(&t, "Ứng dụng: Ví thử");
	choose(&t, "Làm trước: Đăng ký tài khoản thử");
	SEE(&t, "Căn cước gắn chip");
	SEE(&t, "khoảng 10 phút · 4 bước");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Cần làm trước: Đăng ký tài khoản thử");
	tty_stop(&t);
	fixture_free(&f);
}

/* Undo, a reason typed by hand, a refused undo's message, and the checklist in English. */
static void
test_step_keys(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	char code[RESUME_CODE_LEN + 1], *row;

	fixture_init(&f, "stepkeys", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Anh Nam", code);
	/* Nothing to undo yet: the core says so, and the screen shows it. */
	tty_type(&t, "5");
	tty_pump(&t, 1000, 300);
	row = tty_row(&t, t.rows - 2);
	if (strlen(row) == 0 || strstr(row, "Đã hoàn tác") != NULL) {
		tty_dump(&t, "undo with nothing to undo");
		fail_msg("no message for a refused undo");
	}
	free(row);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Bước 2/4");
	tty_type(&t, "5");
	SEE(&t, "Đã hoàn tác dấu gần nhất.");
	tty_key(&t, TTY_LEFT);
	SEE(&t, "Bước 1/4");
	SEE(&t, "(chưa làm)");
	tty_type(&t, "3");
	choose(&t, "Lý do khác (tự gõ)");
	GONE(&t, "Lý do khác (tự gõ)");
	SEE(&t, "Lý do");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Hãy gõ lý do");
	tty_type(&t, "Điện thoại hết pin");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã lưu: bước 1 bị vướng.");
	tty_key(&t, TTY_LEFT);
	SEE(&t, "Vướng vì: Điện thoại hết pin");
	/* F2: the screen and the checklist switch to English together. */
	tty_key(&t, TTY_F(2));
	SEE(&t, "Step 1/4");
	SEE(&t, "Open the app");
	SEE(&t, "Blocked because: Điện thoại hết pin");
	SEE(&t, "1 Done");
	tty_key(&t, TTY_F(2));
	SEE(&t, "Bước 1/4");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	tty_stop(&t);

	j = session_of(&f, code, &r);
	assert_int_equal(j->marks[0], MARK_BLOCKED);
	assert_string_equal(j->reasons[0], "Điện thoại hết pin");
	assert_int_equal(j->marks[1], MARK_TODO);
	journey_free(j);
	people_resident_clear(&r);
	fixture_free(&f);
}

/* The one resident named name, from the database; the caller clears it. */
static void
resident_named(struct fixture *f, const char *name, struct resident *r)
{
	struct store *st = fixture_store(f);
	struct resident *list = NULL;
	size_t n = 0;
	char *cause = NULL;

	assert_int_equal(people_resident_search(st, name, 10, &list, &n, &cause), 0);
	if (n != 1)
		fail_msg("%zu residents found by %s", n, name);
	*r = list[0];
	r->display_name = xstrdup(list[0].display_name);
	r->hamlet = list[0].hamlet ? xstrdup(list[0].hamlet) : NULL;
	r->phone = list[0].phone ? xstrdup(list[0].phone) : NULL;
	people_residents_free(list, n);
	store_close(st);
}

/*
 * The step's actions are number keys that read the same in Vietnamese and
 * English, all in the key bar at 80 columns beside F1; the old letters do
 * nothing but say where the keys are ("Bỏ qua" starts with B, which was
 * "blocked").
 */
static void
test_step_number_keys(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	struct journey *j;
	char code[RESUME_CODE_LEN + 1], *bar;

	fixture_init(&f, "numkeys", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Cô Hoa", code);
	bar = tty_row(&t, t.rows - 1);
	for (const char *k = "1 Xong|2 Bỏ qua|3 Vướng|4 Ghi chú|5 Hoàn tác|Esc Tạm dừng|F1 Trợ giúp"; *k; ) {
		size_t n = strcspn(k, "|");
		char want[64];

		snprintf(want, sizeof want, "%.*s", (int)n, k);
		if (strstr(bar, want) == NULL) {
			tty_dump(&t, want);
			fail_msg("the key bar lacks %s: %s", want, bar);
		}
		k += n + (k[n] == '|');
	}
	free(bar);
	/* B and S no longer mark anything: they say which keys to use. */
	tty_type(&t, "b");
	SEE(&t, "dùng phím số: 1 Xong, 2 Bỏ qua, 3 Vướng");
	tty_type(&t, "s");
	SEE(&t, "Bước 1/4");
	assert_false(tty_has(&t, "Vì sao bị vướng?"));
	tty_type(&t, "1");
	SEE(&t, "Đã lưu: bước 1 xong.");
	SEE(&t, "Bước 2/4");
	tty_type(&t, "2");
	SEE(&t, "Đã lưu: bỏ qua bước 2.");
	SEE(&t, "Bước 3/4");
	/* The step bar counts what is done; a skipped step is said apart. */
	SEE(&t, "Xong 1/4 · bỏ qua 1");
	assert_false(tty_has(&t, "50%"));
	tty_type(&t, "5");
	SEE(&t, "Đã hoàn tác dấu gần nhất.");
	tty_type(&t, "3");
	SEE(&t, "Vì sao bị vướng?");
	tty_key(&t, TTY_ESC);
	GONE(&t, "Vì sao bị vướng?");
	tty_type(&t, "4");
	SEE(&t, "Ghi chú cho bước này");
	tty_key(&t, TTY_ESC);
	GONE(&t, "Ghi chú cho bước này");
	/* The help says the same keys. */
	tty_key(&t, TTY_F(1));
	SEE(&t, "3: bị vướng");
	tty_key(&t, TTY_ESC);
	GONE(&t, "3: bị vướng");
	/* In English the same numbers, with English words. */
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Done");
	SEE(&t, "2 Skip");
	SEE(&t, "3 Blocked");
	tty_key(&t, TTY_F(2));
	SEE(&t, "1 Xong");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	tty_stop(&t);

	j = session_of(&f, code, &r);
	assert_int_equal(j->marks[0], MARK_DONE);
	assert_int_equal(j->marks[1], MARK_TODO);	/* skipped, then undone */
	assert_int_equal(j->marks[2], MARK_TODO);
	journey_free(j);
	people_resident_clear(&r);
	fixture_free(&f);
}

/*
 * A text field edits like one: ←/→, Home/End, Backspace and Delete in the
 * middle, typing in the middle, by whole characters (a letter typed as a
 * base and combining marks goes as one); its limit shows ("9/40") and a
 * character past it is refused with a word; Esc on a half-filled form asks
 * before it throws the typing away.
 */
static void
test_text_field_editing(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "editing", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	to_code_form(&t);
	SEE(&t, "0/9");
	/* Past the limit: refused, said, and counted. */
	tty_type(&t, "abcdefghijk");
	SEE(&t, "9/9");
	SEE(&t, "Ô này nhận tối đa 9 ký tự");
	SEE(&t, "[ABCDEFGHI");
	/* Esc with something typed asks first; 2 goes back to the typing, intact. */
	tty_key(&t, TTY_ESC);
	SEE(&t, "Bỏ những gì đã gõ?");
	SEE(&t, "2 Gõ tiếp");
	tty_type(&t, "2");
	GONE(&t, "Bỏ những gì đã gõ?");
	SEE(&t, "[ABCDEFGHI");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Bỏ những gì đã gõ?");
	tty_type(&t, "1");
	GONE(&t, "Gõ mã tiếp tục");
	SEE(&t, "Tiếp tục bằng mã");
	/* An empty form goes back at once. */
	tty_type(&t, "2");
	SEE(&t, "Gõ mã tiếp tục");
	tty_key(&t, TTY_ESC);
	GONE(&t, "Gõ mã tiếp tục");
	assert_false(tty_has(&t, "Bỏ những gì đã gõ?"));
	tty_key(&t, TTY_ESC);
	SEE(&t, "1 Người dân tự làm");

	/* The name of a new resident, edited in the middle. */
	tty_type(&t, "1");
	SEE(&t, "Bắt đầu một việc mới");
	tty_type(&t, "1");
	SEE(&t, "Chọn nhóm việc");
	tty_type(&t, "1");
	SEE(&t, "Đăng ký tài khoản thử");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Căn cước gắn chip");
	tty_type(&t, "1");
	SEE(&t, "Bạn có đồng ý không?");
	tty_type(&t, "1");
	SEE(&t, "Tên gọi (có thể bỏ trống)");
	SEE(&t, "0/40");
	tty_type(&t, "Ba Đức");
	SEE(&t, "6/40");
	tty_key(&t, VTERM_KEY_HOME);
	tty_type(&t, "Bà ");
	SEE(&t, "[Bà Ba Đức");
	SEE(&t, "9/40");
	/* "ễ" typed as e + circumflex + tilde: one character, removed whole. */
	tty_key(&t, VTERM_KEY_END);
	tty_type(&t, " Nguye\xcc\x82\xcc\x83n");
	SEE(&t, "16/40");
	tty_key(&t, TTY_LEFT);
	tty_key(&t, TTY_BS);
	SEE(&t, "15/40");
	SEE(&t, "[Bà Ba Đức Nguyn");
	tty_type(&t, "ễ");
	SEE(&t, "[Bà Ba Đức Nguyễn");
	/* Delete under the cursor, at the start; then the letter typed back. */
	tty_key(&t, VTERM_KEY_HOME);
	tty_key(&t, VTERM_KEY_DEL);
	SEE(&t, "[à Ba Đức Nguyễn");
	tty_type(&t, "B");
	SEE(&t, "[Bà Ba Đức Nguyễn");
	/* → by characters, then typing between two words. */
	tty_key(&t, TTY_RIGHT);
	tty_key(&t, TTY_RIGHT);
	tty_type(&t, "X");
	SEE(&t, "[Bà XBa Đức Nguyễn");
	tty_key(&t, TTY_BS);
	SEE(&t, "[Bà Ba Đức Nguyễn");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Mã tiếp tục của bạn");
	screen_read_code(&t, "Mã tiếp tục: ", code);
	tty_stop(&t);
	resident_named(&f, "Đức", &r);
	assert_string_equal(r.display_name, "Bà Ba Đức Nguyễn");
	assert_string_equal(r.code, code);
	people_resident_clear(&r);
	fixture_free(&f);
}

/*
 * Where the locale is not UTF-8, the UTF-8 the terminal sends is read as
 * typed (shown without marks, saved with them); bytes that are not UTF-8
 * are refused with a word, and the Enter after them still counts.
 */
static void
test_non_utf8_typing(void **state)
{
	struct fixture f;
	struct tty t;
	struct resident r;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "ctyping", NULL);
	screen_start(&f, &t, 24, 80, "C", NULL);
	ascii_to_consent(&t);
	tty_type(&t, "1");
	SEE(&t, "Ten goi (co the bo trong)");
	/* "Trần" from a terminal that sends Latin-1: "Tr", 0xE0, "n". */
	tty_type(&t, "Tr");
	tty_raw(&t, "\xe0", 1);
	tty_type(&t, "n");
	SEE(&t, "khong doc duoc");
	SEE(&t, "[Trn");
	SEE(&t, "3/40");
	/* Enter is not lost: it refuses, pointing at the field. */
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Hay xem lai o nay");
	assert_false(tty_has(&t, "Ma tiep tuc cua ban"));
	/* Typed again in UTF-8: read whole, shown without marks, kept with them. */
	tty_raw(&t, "\025", 1);	/* Ctrl-U */
	SEE(&t, "0/40");
	tty_type(&t, "Bà Ba Đức");
	SEE(&t, "[Ba Ba Duc");
	SEE(&t, "9/40");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Ma tiep tuc: ");
	screen_read_code(&t, "Ma tiep tuc: ", code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Buoc 1/4");
	tty_stop(&t);
	resident_named(&f, "Đức", &r);
	assert_string_equal(r.display_name, "Bà Ba Đức");
	assert_string_equal(r.code, code);
	people_resident_clear(&r);
	fixture_free(&f);
}

/*
 * The driver judges a screen only once the program has written all of it.
 * A program that draws "ready" beside what is left of the screen before,
 * works a while, then finishes its screen: the wait for "ready" must not end
 * while the old words still show (a test that acted on them sent keys
 * before the new screen was drawn, and the kiosk rightly dropped them).
 */
static void
test_driver_whole_screen(void **state)
{
	struct tty t;
	char *argv[] = { "/bin/sh", "-c",
	    "printf 'ready OLD'; i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; "
	    "printf '\\rready NEW'; read x", NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "TERM=xterm-256color", NULL };

	assert_int_equal(tty_start(&t, 24, 80, argv, env), 0);
	if (tty_wait(&t, "ready", SCREEN_WAIT_MS) != 0) {
		tty_dump(&t, "ready");
		fail_msg("the program never drew");
	}
	if (tty_has(&t, "OLD")) {
		tty_dump(&t, "half a screen");
		fail_msg("the wait ended on half a screen");
	}
	assert_true(tty_has(&t, "ready NEW"));
	tty_stop(&t);
}

/* A crash leaves the terminal usable: the kiosk's screen is taken down before it dies. */
static void
test_crash_restores_terminal(void **state)
{
	struct fixture f;
	struct tty t;

	fixture_init(&f, "crash", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "1 Người dân tự làm");
	kill(t.pid, SIGABRT);
	assert_true(tty_wait_exit(&t, SCREEN_WAIT_MS));
	assert_true(WIFSIGNALED(t.status) && WTERMSIG(t.status) == SIGABRT);
	/* Back on the normal screen: the menu went with the alternate screen. */
	assert_false(tty_has(&t, "Người dân tự làm"));
	tty_stop(&t);
	fixture_free(&f);
}

/* A loopback port nobody listens on now. */
static int
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/*
 * Starts a real sotay-server for f on loopback (tests/lib), with one kiosk
 * added — its token into token — and, if publish is not NULL, the
 * checklists of that folder published. 0, or -1 when no server was built
 * beside the kiosk's program.
 */
static int
live_server(struct fixture *f, struct tl_server *srv, char token[256], const char *publish)
{
	char *server, *srvdb, *tokfile, *p, line[256];
	int status;
	FILE *fp;

	server = xstrdup(f->sotay);
	*strrchr(server, '/') = '\0';
	p = xasprintf("%s/sotay-server", server);
	free(server);
	server = p;
	if (access(server, X_OK) != 0) {
		free(server);
		return -1;
	}
	srvdb = xasprintf("SOTAY_SERVER_DB=%s/server.db", f->dir);
	tokfile = xasprintf("%s/kiosk-add.txt", f->dir);
	{
		const char *env[] = { srvdb, NULL };
		char *add[] = { server, "kiosk", "add", "--commune", "Xã Tịnh Hà", "--hamlet",
		    "Thôn Đông", "--name", "Nhà văn hóa thôn Đông", NULL };
		char *pub[] = { server, "content", "publish", (char *)publish, NULL };

		status = fixture_run(f, add, env, tokfile);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (publish != NULL) {
			status = fixture_run(f, pub, env, NULL);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		assert_int_equal(tl_server_start(srv, srvdb + strlen("SOTAY_SERVER_DB="), NULL,
		    NULL), 0);
	}
	token[0] = '\0';
	fp = fopen(tokfile, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, "token: ", 7) == 0)
			snprintf(token, 256, "%s", line + 7);
	fclose(fp);
	token[strcspn(token, "\r\n")] = '\0';
	assert_true(strlen(token) > 10);
	free(tokfile);
	free(srvdb);
	free(server);
	return 0;
}

/*
 * Sync from the supervisor's screen against a real sotay-server on
 * loopback: the outbox empties, the screen says how many were sent, and
 * home turns "online".
 */
static void
test_sync_live(void **state)
{
	struct fixture f;
	struct tty t;
	struct store *st;
	struct store_counts sc;
	char *url, token[256] = "", *cause = NULL;
	struct tl_server srv;
	int i, status;

	fixture_init(&f, "sync", NULL);
	/* Events waiting, enough for several batches. */
	st = fixture_store(&f);
	assert_int_equal(store_begin(st, &cause), 0);
	for (i = 0; i < 2500; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "n", json_object_new_int(i));
		assert_int_equal(store_event(st, "test.filler", o, NULL, &cause), 0);
	}
	assert_int_equal(store_commit(st, &cause), 0);
	store_close(st);
	if (live_server(&f, &srv, token, NULL) != 0) {
		fixture_free(&f);
		skip();
	}
	url = xstrdup(srv.url);
	{
		char *enroll[] = { f.sotay, "enroll", url, token, NULL };
		char *out = xasprintf("%s/enroll.log", f.dir);

		status = fixture_run(&f, enroll, NULL, out);
		free(out);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}

	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	SEE(&t, "Ngoại tuyến");
	supervisor_in(&t);
	tty_type(&t, "1");
	SEE(&t, "Sự kiện chờ gửi: ");
	tty_key(&t, TTY_ENTER);
	if (tty_wait(&t, "Đồng bộ xong: đã gửi ", 20000) != 0) {
		char *text = util_read_file(srv.log, NULL);

		tty_dump(&t, "the sync did not finish");
		fprintf(stderr, "---- server log ----\n%s\n", text ? text : "(none)");
		free(text);
		fail_msg("the sync did not finish");
	}
	SEE(&t, "Sự kiện chờ gửi: 0");
	tty_key(&t, TTY_ESC);
	SEE(&t, "2 Báo cáo");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Có mạng");
	SEE(&t, " 0 sự kiện chờ gửi");
	assert_false(tty_has(&t, "chưa lần nào"));
	tty_stop(&t);

	st = fixture_store(&f);
	assert_int_equal(store_counts(st, &sc, &cause), 0);
	assert_int_equal(sc.pending, 0);
	assert_true(sc.events >= 2500);
	store_close(st);
	tl_server_stop(&srv, SIGTERM);
	free(url);
	fixture_free(&f);
}

/* How many sotay-sync processes are children of pid now (an unreaped one counts). */
static int
sync_children(pid_t pid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], buf[512], *open, *close, state;
	int n = 0, ppid;
	size_t len;
	FILE *fp;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;	/* it ended meanwhile */
		len = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
		buf[len] = '\0';
		/* "pid (comm) state ppid …"; comm may hold anything, so from the last ')'. */
		open = strchr(buf, '(');
		close = strrchr(buf, ')');
		if (open == NULL || close == NULL || sscanf(close + 1, " %c %d", &state, &ppid) != 2)
			continue;
		*close = '\0';
		if (ppid == pid && strcmp(open + 1, "sotay-sync") == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Waits up to ms for pid to have exactly want sotay-sync children; fails the case if not. */
static void
want_sync_children(struct tty *t, int want, int ms, int line)
{
	int i, n = -1;

	for (i = 0; i * 20 < ms; i++) {
		tty_pump(t, 20, 0);
		if ((n = sync_children(t->pid)) == want)
			return;
	}
	tty_dump(t, "sync children");
	fail_msg("line %d: %d sotay-sync children of sotay, wanted %d", line, n, want);
}
#define SYNC_CHILDREN(t, n)	want_sync_children((t), (n), SCREEN_WAIT_MS, __LINE__)

/* Makes the fixture's kiosk enrolled with a server at url, with n events waiting. */
static void
enrol_at(struct fixture *f, const char *url, int n)
{
	struct store *st = fixture_store(f);
	char *cause = NULL;
	int i;

	assert_int_equal(sync_state_enroll(st, url, "kiosk-tty-test",
	    "tok-0123456789abcdef0123456789abcdef", NULL, &cause), 0);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "n", json_object_new_int(i));
		assert_int_equal(store_event(st, "test.filler", o, NULL, &cause), 0);
	}
	store_close(st);
}

/* Logs the supervisor in and opens "Sync now"; returns the events waiting it shows. */
static long long
to_sync_screen(struct tty *t)
{
	long long pending = -1;
	char *row;

	SEE(t, "1 Người dân tự làm");
	supervisor_in(t);
	tty_type(t, "1");
	SEE(t, "Sự kiện chờ gửi: ");
	SEE(t, "Nhấn Enter để đồng bộ");
	row = tty_row(t, tty_find_row(t, "Sự kiện chờ gửi: "));
	assert_int_equal(sscanf(strstr(row, "Sự kiện chờ gửi: ") + strlen("Sự kiện chờ gửi: "),
	    "%lld", &pending), 1);
	free(row);
	return pending;
}

/* Nothing was marked sent: every event of the kiosk is still waiting. */
static void
outbox_intact(struct fixture *f, int at_least)
{
	struct store *st = fixture_store(f);
	struct store_counts sc;
	char *cause = NULL;

	assert_int_equal(store_counts(st, &sc, &cause), 0);
	assert_true(sc.events >= at_least);
	assert_int_equal(sc.pending, sc.events);
	store_close(st);
}

/*
 * The sync screen's result comes from the sotay-sync child: with the server
 * unreachable it says so in the client's words, the child is reaped, the
 * outbox is intact and the child recorded the error; with no sotay-sync to
 * run, the screen names the path it tried.
 */
static void
test_sync_offline(void **state)
{
	const char *const nowhere[] = { "SOTAY_SYNC_PROGRAM=/nonexistent/sotay-sync", NULL };
	struct fixture f;
	struct tty t;
	struct store *st;
	struct sync_state ss;
	char *url, *cause = NULL, hostport[64];
	int port = free_port();

	fixture_init(&f, "sync-offline", NULL);
	url = xasprintf("http://127.0.0.1:%d", port);
	enrol_at(&f, url, 7);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	to_sync_screen(&t);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đồng bộ chưa xong: Không kết nối được máy chủ");
	SYNC_CHILDREN(&t, 0);
	SEE(&t, "Enter Đồng bộ");	/* no longer running: Enter starts another */
	tty_stop(&t);
	outbox_intact(&f, 7);
	st = fixture_store(&f);
	assert_int_equal(sync_state_read(st, &ss, &cause), 0);
	snprintf(hostport, sizeof hostport, "127.0.0.1:%d", port);
	if (ss.last_error == NULL || strstr(ss.last_error, hostport) == NULL)
		fail_msg("the last sync error does not name %s: %s", hostport,
		    ss.last_error ? ss.last_error : "(none)");
	sync_state_free(&ss);
	store_close(st);

	screen_start(&f, &t, 24, 80, "C.UTF-8", nowhere);
	to_sync_screen(&t);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Không chạy được chương trình đồng bộ");
	SEE(&t, "/nonexistent/sotay-sync");
	tty_stop(&t);
	outbox_intact(&f, 7);
	free(url);
	fixture_free(&f);
}

/*
 * A server that takes the connection and never answers: the screen shows
 * the child's first progress line (0 of all that waits) while it runs; C
 * cancels it and it ends cleanly; leaving the screen during a sync leaves
 * no sotay-sync child behind. Nothing is marked sent.
 */
static void
test_sync_leave_stops_child(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	struct fixture f;
	struct tty t;
	char *url, want[96];
	long long pending;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	/* Listening, never accepting: the kernel completes the handshake, nobody replies. */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
	url = xasprintf("http://127.0.0.1:%d", ntohs(a.sin_port));

	fixture_init(&f, "sync-leave", NULL);
	enrol_at(&f, url, 40);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	pending = to_sync_screen(&t);
	assert_true(pending >= 40);
	tty_key(&t, TTY_ENTER);
	snprintf(want, sizeof want, "Đang đồng bộ… đã gửi 0/%lld sự kiện", pending);
	SEE(&t, want);
	SYNC_CHILDREN(&t, 1);
	SEE(&t, "C Huỷ");
	tty_type(&t, "c");
	SEE(&t, "Đồng bộ chưa xong: Đã dừng đồng bộ theo yêu cầu");
	SYNC_CHILDREN(&t, 0);

	tty_key(&t, TTY_ENTER);
	SEE(&t, want);
	SYNC_CHILDREN(&t, 1);
	tty_key(&t, TTY_ESC);
	SEE(&t, "Tổ trưởng: " FIX_SUPERVISOR);
	SYNC_CHILDREN(&t, 0);
	/* The kiosk still answers keys. */
	tty_type(&t, "1");
	SEE(&t, "Nhấn Enter để đồng bộ");
	tty_stop(&t);
	close(lfd);
	outbox_intact(&f, 40);
	free(url);
	fixture_free(&f);
}

/*
 * The supervisor enrols the kiosk from its own screens against a real
 * sotay-server: a wrong token is refused in words (nothing changes), the
 * right one pasted enrols it and clears the stale error; the sync that
 * follows says how many new checklists came, and the next one that those
 * here are the newest. A burst of Enters on the result opens the sync
 * screen and starts nothing.
 */
static void
test_enrol_from_screen(void **state)
{
	struct fixture f;
	struct tty t;
	struct store *st;
	struct sync_state ss;
	struct tl_server srv;
	char token[256], cwd[PATH_MAX], *assets, *cause = NULL, want[96];

	fixture_init(&f, "enrol", NULL);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assets = xasprintf("%s/assets/checklists", cwd);
	if (live_server(&f, &srv, token, assets) != 0) {
		free(assets);
		fixture_free(&f);
		skip();
	}
	/* What the last attempt said before the kiosk was enrolled. */
	st = fixture_store(&f);
	assert_int_equal(sync_state_failed(st, "Ki-ốt chưa ghi danh với máy chủ nào.", &cause), 0);
	store_close(st);

	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	supervisor_in(&t);
	tty_type(&t, "1");
	SEE(&t, "Lỗi lần trước: Ki-ốt chưa ghi danh");
	SEE(&t, "Ki-ốt chưa ghi danh với máy chủ tỉnh");
	tty_key(&t, TTY_ESC);
	SEE(&t, "6 Đăng xuất");
	choose(&t, "Ghi danh với máy chủ tỉnh");
	SEE(&t, "Địa chỉ máy chủ tỉnh");
	/* An address that is not one, then a wrong token: each refused in words. */
	tty_type(&t, "127.0.0.1");
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "sai-ma-0123456789");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Địa chỉ máy chủ bắt đầu bằng https://");
	for (int i = 0; i < 9; i++)
		tty_key(&t, TTY_BS);
	tty_type(&t, srv.url);
	tty_key(&t, TTY_ENTER);
	tty_type(&t, "sai-ma-0123456789");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Chưa ghi danh được:");
	SEE(&t, "Máy chưa được ghi danh.");
	SEE(&t, "Enter Thử lại");
	st = fixture_store(&f);
	assert_int_equal(sync_state_read(st, &ss, &cause), 0);
	assert_null(ss.kiosk_id);
	assert_non_null(ss.last_error);
	sync_state_free(&ss);
	store_close(st);
	/* Again: the address stays as typed; the token pasted with a line end around it. */
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Địa chỉ máy chủ tỉnh");
	SEE(&t, srv.url);
	tty_key(&t, TTY_ENTER);
	tty_type(&t, " ");
	tty_type(&t, token);
	assert_false(tty_has(&t, token));	/* the token is not shown */
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đã ghi danh ki-ốt với máy chủ");
	st = fixture_store(&f);
	assert_int_equal(sync_state_read(st, &ss, &cause), 0);
	assert_non_null(ss.kiosk_id);
	assert_string_equal(ss.server_url, srv.url);
	assert_null(ss.last_error);
	sync_state_free(&ss);
	store_close(st);
	/* A burst on the result: the sync screen opens, nothing starts. */
	burst(&t);
	SEE(&t, "Nhấn Enter để đồng bộ");
	GONE(&t, "Lỗi lần trước");
	GONE(&t, "Ki-ốt chưa ghi danh");
	assert_false(tty_has(&t, "Đang đồng bộ"));
	assert_false(tty_has(&t, "Đồng bộ xong"));
	/* The server's checklists are new here: the sync counts them. */
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Đồng bộ xong: đã gửi ");
	{
		DIR *d = opendir(assets);
		struct dirent *de;
		int n = 0;

		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
			n += strlen(de->d_name) > 5 && strcmp(de->d_name + strlen(de->d_name) - 5, ".json") == 0;
		closedir(d);
		snprintf(want, sizeof want, "nhận %d hướng dẫn mới (danh mục phiên bản", n);
		assert_true(n > 0);
	}
	SEE(&t, want);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "hướng dẫn trên máy đã là mới nhất");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Tổ trưởng: " FIX_SUPERVISOR);
	tty_stop(&t);
	tl_server_stop(&srv, SIGTERM);
	free(assets);
	fixture_free(&f);
}

/*
 * The sync bar starts from what waits, never "0/0", while sotay-sync is
 * still getting going (held here until the test lets it go); and a burst
 * of 30 Enters on the sync screen runs one sync, not one after another.
 */
static void
test_sync_bar_burst(void **state)
{
	struct fixture f;
	struct tty t;
	char *url, *script, *fifo, *count, *env0, *text, want[96];
	const char *env[2];
	long long pending;
	FILE *fp;
	int fd, n = 0;

	fixture_init(&f, "sync-bar", NULL);
	url = xasprintf("http://127.0.0.1:%d", free_port());
	enrol_at(&f, url, 40);
	fifo = xasprintf("%s/go", f.dir);
	count = xasprintf("%s/started", f.dir);
	script = xasprintf("%s/sotay-sync-held", f.dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fp = fopen(script, "w");
	assert_non_null(fp);
	text = xstrdup(f.sotay);
	*strrchr(text, '/') = '\0';
	fprintf(fp, "#!/bin/sh\necho started >> '%s'\nread go < '%s'\nexec '%s/sotay-sync' \"$@\"\n",
	    count, fifo, text);
	free(text);
	fclose(fp);
	assert_int_equal(chmod(script, 0700), 0);
	env0 = xasprintf("SOTAY_SYNC_PROGRAM=%s", script);
	env[0] = env0;
	env[1] = NULL;

	screen_start(&f, &t, 24, 80, "C.UTF-8", env);
	pending = to_sync_screen(&t);
	assert_true(pending >= 40);
	burst(&t);
	snprintf(want, sizeof want, "Đang đồng bộ… đã gửi 0/%lld sự kiện", pending);
	SEE(&t, want);
	assert_false(tty_has(&t, "0/0 sự kiện"));
	/* Let it go: it finds no server, and says so. */
	fd = open(fifo, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "go\n", 3), 3);
	close(fd);
	SEE(&t, "Đồng bộ chưa xong: Không kết nối được máy chủ");
	SEE(&t, "Enter Đồng bộ");
	SYNC_CHILDREN(&t, 0);
	text = util_read_file(count, NULL);
	assert_non_null(text);
	for (char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	free(text);
	assert_int_equal(n, 1);
	tty_stop(&t);
	outbox_intact(&f, 40);
	free(env0);
	free(script);
	free(count);
	free(fifo);
	free(url);
	fixture_free(&f);
}

/* Someone who leaves by going back to home is forgotten: the next person is asked for consent. */
static void
test_next_person_forgotten(void **state)
{
	struct fixture f;
	struct tty t;
	char code[RESUME_CODE_LEN + 1];

	fixture_init(&f, "forget", NULL);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	screen_to_first_step(&t, "Chú Sáu", code);
	tty_key(&t, TTY_ESC);
	SEE(&t, "Đã tạm dừng");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "1 Người dân tự làm");
	to_code_form(&t);
	tty_type(&t, code);
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Việc của bạn — Chú Sáu");
	tty_key(&t, TTY_ESC);
	GONE(&t, "Việc của bạn — Chú Sáu");
	tty_key(&t, TTY_ESC);
	SEE(&t, "1 Người dân tự làm");
	tty_type(&t, "1");
	SEE(&t, "Bắt đầu một việc mới");
	tty_type(&t, "1");
	SEE(&t, "Chọn nhóm việc");
	tty_type(&t, "1");
	SEE(&t, "Chọn việc cần làm");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Thời gian: khoảng");
	tty_type(&t, "1");
	SEE(&t, "Bạn có đồng ý không?");
	tty_type(&t, "2");	/* no: nothing kept, no code */
	SEE(&t, "Bước 1/4");
	SEE(&t, "Không lưu thông tin");
	tty_key(&t, TTY_ESC);
	SEE(&t, "Không có mã tiếp tục");
	assert_false(tty_has(&t, code));
	tty_stop(&t);
	fixture_free(&f);
}

/* Writes a checklist whose first step is far longer than a screen, in a content folder of its own. */
static void
long_checklist(struct fixture *f)
{
	struct json_object *c = json_object_new_object(), *steps = json_object_new_array();
	char *dir = xasprintf("%s/content", f->dir), *path, *detail = xstrdup(""), *tmp;
	int i;

#define TEXT(vi, en) ({ struct json_object *_t = json_object_new_object();		\
	json_object_object_add(_t, "vi", json_object_new_string(vi));			\
	json_object_object_add(_t, "en", json_object_new_string(en)); _t; })
	util_mkdir_p(dir);
	for (i = 1; i <= 40; i++) {
		tmp = xasprintf("%sCâu thứ %d: đọc kỹ hướng dẫn trên màn hình điện thoại. ", detail, i);
		free(detail);
		detail = tmp;
	}
	tmp = xasprintf("%sHẾT CHI TIẾT.", detail);
	free(detail);
	detail = tmp;
	for (i = 1; i <= 12; i++) {
		struct json_object *st = json_object_new_object();
		char id[16], vi[64], en[64];

		snprintf(id, sizeof id, "step-%d", i);
		snprintf(vi, sizeof vi, "Bước làm thứ %d", i);
		snprintf(en, sizeof en, "Step number %d", i);
		json_object_object_add(st, "id", json_object_new_string(id));
		json_object_object_add(st, "title", TEXT(vi, en));
		json_object_object_add(st, "detail", i == 1 ? TEXT(detail, "Long.") : TEXT("Ngắn.", "Short."));
		json_object_array_add(steps, st);
	}
	json_object_object_add(c, "format", json_object_new_int(1));
	json_object_object_add(c, "id", json_object_new_string("long-text"));
	json_object_object_add(c, "version", json_object_new_int(1));
	json_object_object_add(c, "category", json_object_new_string("local_platforms"));
	json_object_object_add(c, "title", TEXT("Hướng dẫn rất dài", "A very long guide"));
	json_object_object_add(c, "summary", TEXT("Để thử cuộn chữ.", "To try scrolling."));
	json_object_object_add(c, "minutes", json_object_new_int(30));
	{
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "app", json_object_new_string("Zalo"));
		json_object_object_add(c, "official", o);
	}
	json_object_object_add(c, "steps", steps);
	json_object_object_add(c, "reviewed", json_object_new_string("2026-11-01"));
	json_object_object_add(c, "source", json_object_new_string("Test data"));
#undef TEXT
	path = xasprintf("%s/long-text.json", dir);
	assert_int_equal(json_object_to_file_ext(path, c, JSON_C_TO_STRING_PLAIN), 0);
	json_object_put(c);
	free(f->content);
	f->content = dir;
	free(path);
	free(detail);
}

/* From home, a resident alone starts the long checklist (no record kept): step 1 on screen. */
static void
open_long_step(struct fixture *f, struct tty *t)
{
	screen_start(f, t, 24, 80, "C.UTF-8", NULL);
	tty_type(t, "1");
	SEE(t, "Bắt đầu một việc mới");
	tty_type(t, "1");
	SEE(t, "Nền tảng số của địa phương");
	tty_type(t, "1");
	SEE(t, "Hướng dẫn rất dài");
	tty_key(t, TTY_ENTER);
	SEE(t, "Thời gian: khoảng");
	tty_type(t, "1");
	SEE(t, "Bạn có đồng ý không?");
	tty_type(t, "2");
	SEE(t, "Bước 1/12");
}

/*
 * At 80 columns a long checklist title and a long message wrap onto a
 * second row instead of losing their ends to "…".
 */
static void
test_wrap_not_cut(void **state)
{
	struct fixture f;
	struct tty t;
	char *path;
	FILE *fp;

	fixture_init(&f, "wrap", NULL);
	free(f.content);
	f.content = xasprintf("%s/content", f.dir);
	assert_int_equal(util_mkdir_p(f.content), 0);
	path = xasprintf("%s/long-title.json", f.content);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{ \"format\": 1, \"id\": \"long-title\", \"version\": 1, \"category\": \"public_services\",\n"
	    "  \"title\": { \"vi\": \"Đăng ký tài khoản định danh điện tử cho người cao tuổi ở bản\" },\n"
	    "  \"summary\": { \"vi\": \"Tên dài.\" }, \"minutes\": 10, \"official\": { \"app\": \"VNeID\" },\n"
	    "  \"steps\": [ { \"id\": \"one\", \"title\": { \"vi\": \"Bước một\" },\n"
	    "    \"detail\": { \"vi\": \"Làm bước một.\" } } ],\n"
	    "  \"reviewed\": \"2026-11-01\", \"source\": \"Test data\" }\n", fp);
	fclose(fp);
	free(path);
	screen_start(&f, &t, 24, 80, "C.UTF-8", NULL);
	tty_type(&t, "1");
	SEE(&t, "Bắt đầu một việc mới");
	tty_type(&t, "1");
	SEE(&t, "Dịch vụ công trực tuyến");
	tty_type(&t, "1");
	SEE(&t, "Đăng ký tài khoản");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "Tên dài.");
	tty_type(&t, "1");
	SEE(&t, "Bạn có đồng ý không?");
	tty_type(&t, "2");
	SEE(&t, "Làm bước một.");
	/* The title's end is on screen, on the row under its start, and nothing is cut. */
	SEE(&t, "người cao tuổi ở");
	SEE(&t, "Nhà văn hóa thôn Đông");
	{
		char *row = tty_row(&t, 1);

		assert_non_null(strstr(row, "bản"));
		free(row);
	}
	/* So is the end of the message that no code is kept. */
	SEE(&t, "sẽ không có mã để làm tiếp");
	{
		char *row = tty_row(&t, tty_find_row(&t, "sẽ không có mã để làm tiếp") + 1);

		assert_non_null(strstr(row, "sau."));
		free(row);
	}
	assert_false(tty_has(&t, "…"));
	tty_stop(&t);
	fixture_free(&f);
	(void)state;
}

/* A step longer than the screen scrolls with ↑/↓; at 120 columns the list shows all twelve steps. */
static void
test_long_step(void **state)
{
	struct fixture f;
	struct tty t;
	int i;

	fixture_init(&f, "long", NULL);
	long_checklist(&f);
	open_long_step(&f, &t);
	SEE(&t, "Câu thứ 1:");
	SEE(&t, "↓ còn nữa");
	assert_false(tty_has(&t, "HẾT CHI TIẾT."));
	for (i = 0; i < 60; i++)
		tty_key(&t, TTY_DOWN);
	SEE(&t, "HẾT CHI TIẾT.");
	GONE(&t, "↓ còn nữa");
	assert_false(tty_has(&t, "Câu thứ 1:"));
	tty_key(&t, TTY_UP);
	SEE(&t, "↓ còn nữa");
	/* Wide: the list of steps, all twelve with their marks. */
	tty_resize(&t, 40, 120);
	SEE(&t, "[ ] 12. Bước làm thứ 12");
	SEE(&t, "[ ] 1. Bước làm thứ 1");
	tty_key(&t, TTY_ENTER);
	SEE(&t, "[x] 1. Bước làm thứ 1");
	SEE(&t, "Bước 2/12");
	tty_stop(&t);
	fixture_free(&f);
}

/* On a step longer than the screen, its notes come after the text and scroll with it. */
static void
test_long_step_note(void **state)
{
	struct fixture f;
	struct tty t;
	int i;

	fixture_init(&f, "longnote", NULL);
	long_checklist(&f);
	open_long_step(&f, &t);
	add_note(&t, "Ghi chú cuối cùng");
	SEE(&t, "↓ còn nữa");
	assert_false(tty_has(&t, "Ghi chú cuối cùng"));
	for (i = 0; i < 60; i++)
		tty_key(&t, TTY_DOWN);
	SEE(&t, "): Ghi chú cuối cùng");
	SEE(&t, "HẾT CHI TIẾT.");
	assert_true(tty_find_row(&t, "Ghi chú cuối cùng") > tty_find_row(&t, "HẾT CHI TIẾT."));
	GONE(&t, "↓ còn nữa");
	tty_stop(&t);
	fixture_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_whole_screen),
		cmocka_unit_test(test_home),
		cmocka_unit_test(test_third_language),
		cmocka_unit_test(test_home_sync_error),
		cmocka_unit_test(test_resident_alone),
		cmocka_unit_test(test_sigkill_restart),
		cmocka_unit_test(test_sigterm_closes_cleanly),
		cmocka_unit_test(test_sighup_closes_cleanly),
		cmocka_unit_test(test_start_purges_old_details),
		cmocka_unit_test(test_typed_ahead),
		cmocka_unit_test(test_volunteer),
		cmocka_unit_test(test_pin_lockout),
		cmocka_unit_test(test_code_tries),
		cmocka_unit_test(test_kiosk_keys),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_non_utf8),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_second_screen_refused),
		cmocka_unit_test(test_new_kiosk_first_start),
		cmocka_unit_test(test_idle_countdown_language),
		cmocka_unit_test(test_vietnamese_cells),
		cmocka_unit_test(test_qr_code),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_supervisor),
		cmocka_unit_test(test_prerequisite),
		cmocka_unit_test(test_step_keys),
		cmocka_unit_test(test_step_number_keys),
		cmocka_unit_test(test_text_field_editing),
		cmocka_unit_test(test_non_utf8_typing),
		cmocka_unit_test(test_crash_restores_terminal),
		cmocka_unit_test(test_sync_live),
		cmocka_unit_test(test_sync_offline),
		cmocka_unit_test(test_sync_leave_stops_child),
		cmocka_unit_test(test_sync_bar_burst),
		cmocka_unit_test(test_enrol_from_screen),
		cmocka_unit_test(test_next_person_forgotten),
		cmocka_unit_test(test_long_step),
		cmocka_unit_test(test_wrap_not_cut),
		cmocka_unit_test(test_step_notes),
		cmocka_unit_test(test_finish_many_notes),
		cmocka_unit_test(test_step_notes_ascii),
		cmocka_unit_test(test_long_step_note),
	};

	/* TTY_TEST=test_sync* runs only the cases whose names match. */
	if (getenv("TTY_TEST") != NULL)
		cmocka_set_test_filter(getenv("TTY_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
