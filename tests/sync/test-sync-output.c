/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sync-output.c: the lines sotay-sync writes for the kiosk's screen
 * read back as written, and anything else read as a message for people.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync-output.h"

/* What a writer put out, without its final newline; the caller frees it. */
static char *
written(void (*write)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	write(f, arg);
	fclose(f);
	assert_true(len > 0 && buf[len - 1] == '\n');
	buf[len - 1] = '\0';
	assert_null(strchr(buf, '\n'));		/* one line, whatever the message holds */
	return buf;
}

static void
put_progress(FILE *f, const void *p)
{
	sync_output_write_progress(f, p);
}

static void
put_result(FILE *f, const void *r)
{
	sync_output_write_result(f, r);
}

static void
test_progress(void **state)
{
	struct sync_output_progress p = { 200, 1234, 56789 }, q = { 0 };
	struct sync_output_result r;
	char *line = written(put_progress, &p);

	assert_string_equal(line, "progress 200 1234 56789");
	assert_int_equal(sync_output_parse(line, &q, &r), SYNC_OUTPUT_PROGRESS);
	assert_int_equal(q.sent, 200);
	assert_int_equal(q.total, 1234);
	assert_int_equal(q.bytes, 56789);
	free(line);
	(void)state;
}

static void
test_result(void **state)
{
	struct sync_output_result w = { .status = "offline", .exit = 3, .total = 50, .sent = 20,
	    .accepted = 19, .duplicates = 1, .pending = 30, .bytes = 4096, .batches = 1,
	    .content_version = 7, .content_added = 2, .clock_offset_ms = -1500,
	    .http_status = 503, .retry_after_s = 60,
	    .message = "Không kết nối được máy chủ \"https://x\"\nthử lại sau",
	    .next_attempt_s = -1 }, r;
	struct sync_output_progress p;
	char *line = written(put_result, &w);

	assert_int_equal(sync_output_parse(line, &p, &r), SYNC_OUTPUT_RESULT);
	assert_string_equal(r.status, "offline");
	assert_false(sync_output_done(&r));
	assert_int_equal(r.exit, 3);
	assert_int_equal(r.total, 50);
	assert_int_equal(r.sent, 20);
	assert_int_equal(r.accepted, 19);
	assert_int_equal(r.duplicates, 1);
	assert_int_equal(r.pending, 30);
	assert_int_equal(r.bytes, 4096);
	assert_int_equal(r.batches, 1);
	assert_int_equal(r.content_version, 7);
	assert_int_equal(r.content_added, 2);
	assert_int_equal(r.clock_offset_ms, -1500);
	assert_int_equal(r.http_status, 503);
	assert_int_equal(r.retry_after_s, 60);
	assert_string_equal(r.message, w.message);
	assert_int_equal(r.next_attempt_s, -1);
	sync_output_result_free(&r);
	free(line);

	/* A sync that finished, under --watch. */
	w = (struct sync_output_result){ .status = SYNC_OUTPUT_DONE, .next_attempt_s = 30 };
	line = written(put_result, &w);
	assert_int_equal(sync_output_parse(line, &p, &r), SYNC_OUTPUT_RESULT);
	assert_true(sync_output_done(&r));
	assert_null(r.message);
	assert_int_equal(r.next_attempt_s, 30);
	sync_output_result_free(&r);
	free(line);
	(void)state;
}

/* Lines that are neither are text for people, never a half-read result. */
static void
test_text(void **state)
{
	static const char *const lines[] = {
		"sotay sync: không có tệp dữ liệu /x.db",
		"progress 1 2",			/* cut short */
		"progress 1 2 3 4",
		"progress a b c",
		"{\"sent\": 3}",		/* no status */
		"{\"status\": 3}",		/* not a status */
		"[\"status\"]",
		"{\"status\": \"done\"",	/* cut short */
		"",
	};
	struct sync_output_progress p;
	struct sync_output_result r;

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (sync_output_parse(lines[i], &p, &r) != SYNC_OUTPUT_TEXT)
			fail_msg("\"%s\" was not read as text", lines[i]);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests_name("sync-output", tests, NULL, NULL);
}
