/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sync-state.c: the kiosk's sync state as one record — what a new
 * kiosk knows, what enrolment and each sync leave, and that the last error
 * is a message (even one that looks like a number), never a time; the
 * machine's install id is made once and kept.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "sync-state.h"
#include "helpers.h"
#include "testlib.h"

static void
test_new_kiosk(void **state)
{
	struct store *st = test_store("new.db");
	struct sync_state s;
	struct sync_credentials c;
	char *cause = NULL;

	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_int_equal(s.last_ok_ms, 0);
	assert_null(s.last_error);
	assert_null(s.kiosk_id);
	assert_null(s.server_url);
	assert_int_equal(s.content_version, 0);
	assert_false(s.has_clock_offset);
	assert_int_equal(sync_state_online(&s), -1);
	sync_state_free(&s);
	assert_int_equal(sync_state_credentials(st, &c, &cause), 0);
	assert_null(c.token);
	sync_state_credentials_free(&c);
	store_close(st);
	(void)state;
}

static void
test_enrol_and_sync(void **state)
{
	struct store *st = test_store("enrol.db");
	struct sync_state s;
	struct sync_credentials c;
	char *cause = NULL;

	assert_int_equal(store_begin(st, &cause), 0);
	assert_int_equal(sync_state_enroll(st, "https://a.example", "k-1", "sotay_tok", NULL,
	    &cause), 0);
	assert_int_equal(store_commit(st, &cause), 0);
	assert_int_equal(sync_state_set_content_version(st, 12, &cause), 0);
	assert_int_equal(sync_state_set_clock_offset(st, -1500, &cause), 0);
	assert_int_equal(sync_state_succeeded(st, 1764600000000, &cause), 0);
	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_string_equal(s.server_url, "https://a.example");
	assert_string_equal(s.kiosk_id, "k-1");
	assert_int_equal(s.content_version, 12);
	assert_true(s.has_clock_offset);
	assert_int_equal(s.clock_offset_ms, -1500);
	assert_int_equal(s.last_ok_ms, 1764600000000);
	assert_int_equal(sync_state_online(&s), 1);
	sync_state_free(&s);
	assert_int_equal(sync_state_credentials(st, &c, &cause), 0);
	assert_string_equal(c.token, "sotay_tok");
	assert_null(c.ca_file);
	sync_state_credentials_free(&c);

	/* The same server again keeps the content; another one numbers it afresh. */
	assert_int_equal(sync_state_enroll(st, "https://a.example", "k-1", "sotay_tok2", NULL,
	    &cause), 0);
	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_int_equal(s.content_version, 12);
	sync_state_free(&s);
	assert_int_equal(sync_state_enroll(st, "https://b.example", "k-9", "sotay_tok3", "/ca.pem",
	    &cause), 0);
	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_int_equal(s.content_version, 0);
	assert_string_equal(s.kiosk_id, "k-9");
	sync_state_free(&s);
	store_close(st);
	(void)state;
}

/*
 * A failure after a success: offline, whatever the message says. A message
 * that is only a number ("503") was once read as a time newer than nothing.
 */
static void
test_error_is_a_message(void **state)
{
	struct store *st = test_store("error.db");
	struct sync_state s;
	char *cause = NULL;

	assert_int_equal(sync_state_succeeded(st, 1764600000000, &cause), 0);
	assert_int_equal(sync_state_failed(st, "503", &cause), 0);
	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_string_equal(s.last_error, "503");
	assert_int_equal(s.last_ok_ms, 1764600000000);
	assert_int_equal(sync_state_online(&s), 0);
	sync_state_free(&s);

	/* The next success clears the error. */
	assert_int_equal(sync_state_succeeded(st, 1764600060000, &cause), 0);
	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_null(s.last_error);
	assert_int_equal(sync_state_online(&s), 1);
	sync_state_free(&s);

	/* Never synced, but tried: offline, and never a success. */
	store_close(st);
	st = test_store("error2.db");
	assert_int_equal(sync_state_failed(st, "Không kết nối được máy chủ", &cause), 0);
	assert_int_equal(sync_state_read(st, &s, &cause), 0);
	assert_int_equal(sync_state_online(&s), 0);
	assert_int_equal(s.last_ok_ms, 0);
	sync_state_free(&s);
	store_close(st);
	(void)state;
}

/* The machine's install id: made once, kept across openings, a UUID. */
static void
test_install_id(void **state)
{
	struct store *st = test_store("install.db");
	char a[UUID_STR_LEN], b[UUID_STR_LEN], *cause = NULL, *v = NULL, *path;

	assert_int_equal(sync_state_install_id(st, a, &cause), 0);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[8], '-');
	store_close(st);
	path = tl_path("install.db");
	assert_int_equal(store_open(path, 0, &st, &cause), 0);
	free(path);
	assert_int_equal(sync_state_install_id(st, b, &cause), 0);
	assert_string_equal(a, b);
	assert_int_equal(store_meta_get(st, "install_id", &v, &cause), 0);
	assert_string_equal(v, a);
	free(v);
	store_close(st);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_kiosk),
		cmocka_unit_test(test_enrol_and_sync),
		cmocka_unit_test(test_error_is_a_message),
		cmocka_unit_test(test_install_id),
	};

	return cmocka_run_group_tests_name("sync-state", tests, NULL, NULL);
}
