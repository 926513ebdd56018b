/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen.c: see screen.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "screen.h"

int
screen_ready(struct tty *t)
{
	char *row;
	int ok;

	if (t->rows < 24 || t->cols < 80 || t->exited)
		return 1;
	row = tty_row(t, t->rows - 1);
	ok = row != NULL && row[strspn(row, " ")] != '\0';
	free(row);
	return ok;
}

void
screen_see(struct tty *t, const char *text, int want, int line)
{
	int r = want ? tty_wait(t, text, SCREEN_WAIT_MS) : tty_wait_gone(t, text, SCREEN_WAIT_MS);

	if (r != 0) {
		tty_dump(t, text);
		fail_msg("line %d: %s on screen: %s", line, want ? "not" : "still", text);
	}
	for (int i = 0; i < SCREEN_WAIT_MS / 20 && !screen_ready(t); i++)
		tty_pump(t, 20, 0);
	if (!screen_ready(t)) {
		tty_dump(t, "key bar");
		fail_msg("line %d: the screen with %s never shows its keys", line, text);
	}
	/* The key bar came with a redraw: the keys act once all of that is written. */
	if (tty_wait(t, "", SCREEN_WAIT_MS) != 0)
		fail_msg("line %d: the screen never settled", line);
}

void
screen_start(struct fixture *f, struct tty *t, int rows, int cols, const char *lang,
    const char *const *extra_env)
{
	fixture_start(f, t, rows, cols, lang, 0, extra_env);
	screen_see(t, "", 1, __LINE__);
}

void
screen_read_code(struct tty *t, const char *label, char code[RESUME_CODE_LEN + 1])
{
	char *s = tty_text(t), *p = strstr(s, label);

	assert_non_null(p);
	p += strlen(label);
	memcpy(code, p, RESUME_CODE_LEN);
	code[RESUME_CODE_LEN] = '\0';
	free(s);
	assert_int_equal(strspn(code, RESUME_ALPHABET), RESUME_CODE_LEN);
}

void
screen_to_first_step(struct tty *t, const char *name, char code[RESUME_CODE_LEN + 1])
{
	SEE(t, "1 Người dân tự làm");
	tty_type(t, "1");
	SEE(t, "Bắt đầu một việc mới");
	tty_type(t, "1");
	SEE(t, "Chọn nhóm việc");
	SEE(t, "Dịch vụ công trực tuyến");
	tty_type(t, "1");
	SEE(t, "Đăng ký tài khoản thử");
	tty_key(t, TTY_ENTER);
	/* What it takes: time, what to bring. */
	SEE(t, "khoảng 10 phút · 4 bước");
	SEE(t, "Căn cước gắn chip");
	tty_type(t, "1");
	SEE(t, "Bạn có đồng ý không?");
	tty_type(t, "1");
	SEE(t, "Tên gọi (có thể bỏ trống)");
	tty_type(t, name);
	tty_key(t, TTY_ENTER);
	SEE(t, "Mã tiếp tục của bạn");
	SEE(t, "Mã tiếp tục: ");
	screen_read_code(t, "Mã tiếp tục: ", code);
	/* The code is also drawn large (5 rows of blocks). */
	assert_true(tty_has(t, "█████") || tty_has(t, "█   █"));
	tty_key(t, TTY_ENTER);
	SEE(t, "Bước 1/4");
	SEE(t, "Mở ứng dụng");
}
