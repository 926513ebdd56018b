/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-util.c: UUIDv7 ids (format and order), dates, UTF-8 checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "helpers.h"

static int
is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

static void
uuid_format(const char *id)
{
	if (strlen(id) != 36)
		fail_msg("\"%s\" is not 36 characters", id);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (id[i] != '-')
				fail_msg("\"%s\": no dash at %d", id, i);
		} else if (!is_hex(id[i]))
			fail_msg("\"%s\": '%c' at %d is not lower-case hex", id, id[i], i);
	}
	/* Version 7; variant 10xx (RFC 9562). */
	if (id[14] != '7')
		fail_msg("\"%s\" is not version 7", id);
	if (strchr("89ab", id[19]) == NULL)
		fail_msg("\"%s\" has the wrong variant", id);
}

/* The 48-bit millisecond time at the front of a UUIDv7. */
static int64_t
uuid_ms(const char *id)
{
	char hex[13];

	memcpy(hex, id, 8);
	memcpy(hex + 8, id + 9, 4);
	hex[12] = '\0';
	return strtoll(hex, NULL, 16);
}

static void
test_uuid7_format(void **state)
{
	char id[UUID_STR_LEN];
	int64_t before = util_now_ms();

	util_uuid7(id);
	int64_t after = util_now_ms();
	uuid_format(id);
	/* It carries the time it was made. */
	assert_in_range(uuid_ms(id), before, after);
	(void)state;
}

static void
test_uuid7_order(void **state)
{
	char prev[UUID_STR_LEN], id[UUID_STR_LEN];

	util_uuid7(prev);
	for (int i = 0; i < 10000; i++) {
		util_uuid7(id);
		uuid_format(id);
		if (strcmp(prev, id) >= 0)
			fail_msg("id %d \"%s\" does not sort after \"%s\"", i, id, prev);
		memcpy(prev, id, sizeof id);
	}

	/* A kiosk clock set back (a flat CMOS battery) still gives ids in order. */
	util_clock_offset_ms(-60 * 60 * 1000);
	for (int i = 0; i < 100; i++) {
		util_uuid7(id);
		uuid_format(id);
		if (strcmp(prev, id) >= 0)
			fail_msg("after the clock went back, \"%s\" does not sort after \"%s\"", id, prev);
		memcpy(prev, id, sizeof id);
	}
	util_clock_offset_ms(60 * 60 * 1000);
	(void)state;
}

static void
test_parse_date(void **state)
{
	char out[17];

	/* Vietnam's time (UTC+7, no summer time), set in main. */
	assert_int_equal(util_parse_date("2026-01-01"), 1767200400000LL);
	assert_int_equal(util_parse_date("2026-03-01") - util_parse_date("2026-02-28"), 86400000);
	assert_true(util_parse_date("2024-02-29") > 0);	/* a leap year */
	assert_true(util_parse_date("2026-12-31") > 0);
	util_format_time(util_parse_date("2026-11-29"), out);
	assert_string_equal(out, "2026-11-29 00:00");

	const char *unreal[] = {
		"2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-01-00", "2026-01-32", "2026-1-05", "26-01-05", "2026-01-05x",
		"2026/01/05", "2026-01-5 ", " 2026-01-05", "", "yyyy-mm-dd", "2026-0a-05",
	};
	for (size_t i = 0; i < sizeof unreal / sizeof unreal[0]; i++)
		if (util_parse_date(unreal[i]) != -1)
			fail_msg("\"%s\" was taken for a date", unreal[i]);
	assert_int_equal(util_parse_date(NULL), -1);
	(void)state;
}

static int
valid(const char *s)
{
	return util_utf8_valid(s, strlen(s));
}

static void
test_utf8(void **state)
{
	assert_true(valid(""));
	assert_true(valid("plain ASCII"));
	assert_true(valid("Sổ tay số — Đăng ký"));
	assert_true(valid("\xf0\x9f\x93\xb1"));		/* U+1F4F1, four bytes */
	assert_true(valid("\xf4\x8f\xbf\xbf"));		/* U+10FFFF, the last */
	assert_true(valid("\xed\x9f\xbf"));		/* U+D7FF, just before the surrogates */
	assert_true(valid("\xee\x80\x80"));		/* U+E000, just after them */

	/* Overlong forms (a hidden "/" or NUL). */
	assert_false(valid("\xc0\xaf"));
	assert_false(valid("\xc1\xbf"));
	assert_false(valid("\xe0\x80\xaf"));
	assert_false(valid("\xe0\x9f\xbf"));
	assert_false(valid("\xf0\x80\x80\xaf"));
	assert_false(valid("\xf0\x8f\xbf\xbf"));
	assert_false(util_utf8_valid("\xc0\x80", 2));
	/* Surrogates. */
	assert_false(valid("\xed\xa0\x80"));
	assert_false(valid("\xed\xbf\xbf"));
	/* Beyond U+10FFFF, and bytes that never occur. */
	assert_false(valid("\xf4\x90\x80\x80"));
	assert_false(valid("\xf8\x88\x80\x80\x80"));
	assert_false(valid("\xff"));
	assert_false(valid("\xfe"));
	/* Cut short, or a lone continuation byte. */
	assert_false(valid("S\xe1\xbb"));		/* "ổ" without its last byte */
	assert_false(valid("\xe1\xbb" "a"));
	assert_false(valid("\xf0\x9f\x93"));
	assert_false(valid("\x80"));
	assert_false(valid("ab\xbf" "cd"));
	/* An embedded NUL is a character like any other, when the length says so. */
	assert_true(util_utf8_valid("a\0b", 3));

	/* The longest good prefix, in bytes. */
	assert_int_equal(util_utf8_prefix("Sổ\xff tay", strlen("Sổ\xff tay")), 4);
	assert_int_equal(util_utf8_prefix("Sổ", 4), 4);
	assert_int_equal(util_utf8_prefix("Sổ", 3), 1);	/* "ổ" cut short */
	assert_int_equal(util_utf8_prefix("Sổ", 2), 1);
	assert_int_equal(util_utf8_prefix("abc", 3), 3);
	(void)state;
}

static void
test_utf8_len(void **state)
{
	assert_int_equal(util_utf8_len(""), 0);
	assert_int_equal(util_utf8_len("abc"), 3);
	assert_int_equal(util_utf8_len("Sổ tay số"), 9);
	assert_int_equal(strlen("Sổ tay số"), 13);
	assert_int_equal(util_utf8_len("Đăng ký tài khoản định danh điện tử"), 35);
	assert_int_equal(util_utf8_len("Nhận biết lừa đảo"), 17);
	assert_int_equal(util_utf8_len("\xf0\x9f\x93\xb1 điện thoại"), 12);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid7_format),
		cmocka_unit_test(test_uuid7_order),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_len),
	};

	/* Dates are local; pin the zone so the expected values are fixed. */
	setenv("TZ", "ICT-7", 1);
	tzset();
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
