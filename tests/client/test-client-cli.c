/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-client-cli.c: `sotay enroll` and `sotay sync` as a script or a
 * systemd unit sees them — the real $BUILD/sotay (which becomes the
 * $BUILD/sotay-sync beside it, the same pid), its exit codes (0 done,
 * 3 offline, 4 refused, 5 server error), its --json output and the
 * lines and clean stop of --watch — against the fault-injecting peer.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "client-helpers.h"
#include "fault-peer.h"
#include "store.h"
#include "util.h"
#include "testlib.h"

/* After the project's headers: cmocka defines a macro named fail. */
#include <cmocka.h>

static char *sotay, *db, *out, *err;

static int
setup(void **state)
{
	const char *build = getenv("BUILD");

	sotay = xasprintf("%s/sotay", build != NULL && *build != '\0' ? build : "build");
	if (access(sotay, X_OK) != 0) {
		fprintf(stderr, "%s is missing: build it first (make build-all)\n", sotay);
		return -1;
	}
	db = th_path("cli.db");
	out = th_path("cli.out");
	err = th_path("cli.err");
	/* The user's own settings must not leak in; messages in English. */
	setenv("HOME", th_tmp(), 1);
	setenv("XDG_CONFIG_HOME", th_tmp(), 1);
	setenv("XDG_DATA_HOME", th_tmp(), 1);
	setenv("SOTAY_LANG", "en", 1);
	unsetenv("SOTAY_CONFIG");
	unsetenv("SOTAY_DB");
	return 0;
}

static int
teardown(void **state)
{
	free(sotay);
	free(db);
	free(out);
	free(err);
	return 0;
}

/* A kiosk database with n events, enrolled with the peer (or not, when url is NULL). */
static void
kiosk(const char *url, int n)
{
	struct store *st = th_store("cli.db");

	if (url != NULL)
		th_enrol(st, url, FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, n);
	store_close(st);
}

/* `sotay --db DB sync [a] [b] [c]`: the exit code. */
static int
sync_cmd(const char *a, const char *b, const char *c)
{
	char *argv[] = { sotay, "--db", db, "sync", (char *)a, (char *)b, (char *)c, NULL };

	return th_run(argv, out, err);
}

static json_object *
out_json(void)
{
	char		*text = th_slurp(out);
	json_object	*o = json_tokener_parse(text);

	if (o == NULL)
		fail_msg("stdout is not JSON: %s", text);
	free(text);
	return o;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no %s in the JSON", key);
	return json_object_get_string(v);
}

static int64_t
jint(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		fail_msg("no integer %s in the JSON", key);
	return json_object_get_int64(v);
}

static void
assert_err_has(const char *needle)
{
	char *e = th_slurp(err);

	if (!th_has(e, needle))
		fail_msg("stderr lacks \"%s\": %s", needle, e);
	free(e);
}

static void
test_enroll(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	char			*bad[] = { sotay, "--db", db, "enroll", (char *)fault_peer_url(peer),
				    "nope", NULL };
	char			*good[] = { sotay, "--db", db, "enroll", (char *)fault_peer_url(peer),
				    FAULT_PEER_TOKEN, NULL };
	char			*usage[] = { sotay, "--db", db, "enroll", "only-one", NULL };
	char			*o;

	kiosk(NULL, 0);
	assert_int_equal(th_run(usage, out, err), 2);
	assert_int_equal(th_run(bad, out, err), 4);
	assert_err_has("refused");
	assert_int_equal(th_run(good, out, err), 0);
	o = th_slurp(out);
	assert_true(th_has(o, "Enrolled: kiosk \"peer-kiosk\""));
	free(o);
	/* Now a sync works with what enroll kept. */
	assert_int_equal(sync_cmd(NULL, NULL, NULL), 0);
	fault_peer_stop(peer);
}

static void
test_not_enrolled_exit_1(void **state)
{
	kiosk(NULL, 3);
	assert_int_equal(sync_cmd(NULL, NULL, NULL), 1);
	assert_err_has("sotay enroll URL TOKEN");
}

static void
test_done_json(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct fault_stats	 fs;
	json_object		*o;
	char			*text;

	kiosk(fault_peer_url(peer), 321);
	assert_int_equal(sync_cmd("--json", NULL, NULL), 0);
	o = out_json();
	assert_string_equal(jstr(o, "status"), "done");
	assert_int_equal(jint(o, "exit"), 0);
	assert_int_equal(jint(o, "sent"), 321);
	assert_int_equal(jint(o, "pending"), 0);
	assert_int_equal(jint(o, "content_version"), 1);
	json_object_put(o);
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.stored, 321);
	assert_int_equal(th_rows(db, "sent = 0"), 0);

	/* Plain text says the same for a person. */
	assert_int_equal(sync_cmd(NULL, NULL, NULL), 0);
	text = th_slurp(out);
	assert_true(th_has(text, "Sync done: sent 0 events"));
	free(text);
	fault_peer_stop(peer);
}

/* With sent_keep_days set, what the server holds and is older leaves the kiosk after a sync. */
static void
test_compacts_after_sync(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	char			*conf = th_path("keep.conf"), *text;
	char			*export[] = { sotay, "--db", db, "export", NULL };
	FILE			*fp;

	/* 40 events made a hundred days ago, 2 today. */
	util_clock_offset_ms(-100 * 86400000LL);
	kiosk(fault_peer_url(peer), 40);
	util_clock_offset_ms(100 * 86400000LL);
	struct store *st;
	char *cause = NULL;
	if (store_open(db, 0, &st, &cause) != 0)
		fail_msg("%s", cause);
	th_add_events(st, 2);
	store_close(st);

	/* Without the setting, a sync keeps everything. */
	assert_int_equal(sync_cmd(NULL, NULL, NULL), 0);
	assert_int_equal(th_rows(db, NULL), 42);

	fp = fopen(conf, "w");
	assert_non_null(fp);
	fputs("sent_keep_days = 30\n", fp);
	fclose(fp);
	setenv("SOTAY_CONFIG", conf, 1);
	assert_int_equal(sync_cmd(NULL, NULL, NULL), 0);
	assert_int_equal(th_rows(db, NULL), 2);
	assert_int_equal(th_rows(db, "seq <= 40"), 0);

	/* The backup holds what is left and says where the rest is. */
	if (th_run(export, out, err) != 0)
		fail_msg("export failed: %s", th_slurp(err));
	assert_err_has("40 older events were removed from this kiosk");
	text = th_slurp(out);
	assert_non_null(strstr(text, "\"seq\":41"));
	assert_null(strstr(text, "\"seq\":40,"));
	free(text);
	unsetenv("SOTAY_CONFIG");
	free(conf);
	fault_peer_stop(peer);
}

struct code_case {
	enum fault	 fault;
	int		 exit;
	const char	*status;
	const char	*needle;
};

static void
test_exit_codes(void **state)
{
	static const struct code_case cases[] = {
		{ FAULT_SILENT, 3, "offline", "did not answer in time" },
		{ FAULT_CUT, 3, "offline", "Could not reach" },
		{ FAULT_401, 4, "refused", "refused this kiosk" },
		{ FAULT_403, 4, "refused", "refused this kiosk" },
		{ FAULT_500, 5, "server_error", "failed (500" },
		{ FAULT_PORTAL, 5, "server_error", "web page" },
		{ FAULT_WRONG_TYPES, 5, "server_error", "does not follow the protocol" },
		{ FAULT_HUGE, 5, "server_error", "too large" },
	};
	size_t		 i;
	json_object	*o;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fault_peer *peer = fault_peer_start(cases[i].fault, 0);

		kiosk(fault_peer_url(peer), 40);
		assert_int_equal(sync_cmd("--timeout", "1", NULL), cases[i].exit);
		assert_err_has(cases[i].needle);
		assert_int_equal(sync_cmd("--json", "--timeout", "1"), cases[i].exit);
		o = out_json();
		assert_string_equal(jstr(o, "status"), cases[i].status);
		assert_true(th_has(jstr(o, "message"), cases[i].needle));
		assert_int_equal(jint(o, "pending"), 40);
		json_object_put(o);
		assert_int_equal(th_rows(db, "sent = 0"), 40);
		fault_peer_stop(peer);
	}
}

static void
test_usage_exit_2(void **state)
{
	assert_int_equal(sync_cmd("--bogus", NULL, NULL), 2);
	assert_err_has("Exit codes: 0 done");
	assert_int_equal(sync_cmd("--timeout", "0", NULL), 2);
}

/* Waits until the file has at least n lines; returns them. */
static char *
wait_lines(const char *path, int n)
{
	char *s = tl_wait_lines(path, n, 10000);

	if (s == NULL) {
		s = th_slurp(path);
		fail_msg("%s: fewer than %d lines after 10 s: %s", path, n, s);
	}
	return s;
}

/* --watch: one line an attempt, the wait it chose, and a clean stop on SIGTERM. */
static void
test_watch(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	char			*argv[] = { sotay, "--db", db, "sync", "--watch", "--json", NULL };
	char			*lines;
	json_object		*o;
	pid_t			 pid;

	kiosk(fault_peer_url(peer), 25);
	pid = th_spawn(argv, out, err);
	lines = wait_lines(out, 1);
	o = json_tokener_parse(lines);
	assert_non_null(o);
	assert_string_equal(jstr(o, "status"), "done");
	assert_int_equal(jint(o, "sent"), 25);
	assert_int_equal(jint(o, "next_attempt_s"), 30);
	json_object_put(o);
	free(lines);
	kill(pid, SIGTERM);
	assert_int_equal(th_wait(pid, 5000), 0);
	assert_err_has("stopped on request");

	/* A busy server's Retry-After beats the short first back-off. */
	fault_peer_set(peer, FAULT_503, 120);
	kiosk(fault_peer_url(peer), 5);
	pid = th_spawn(argv, out, err);
	lines = wait_lines(out, 1);
	o = json_tokener_parse(lines);
	assert_non_null(o);
	assert_string_equal(jstr(o, "status"), "server_error");
	assert_int_equal(jint(o, "retry_after"), 120);
	assert_int_equal(jint(o, "next_attempt_s"), 120);
	json_object_put(o);
	free(lines);
	kill(pid, SIGINT);
	assert_int_equal(th_wait(pid, 5000), 0);

	/* A failure: the first wait is 5 s with jitter (2–5 s), said on the line. */
	fault_peer_set(peer, FAULT_500, 0);
	{
		char *text[] = { sotay, "--db", db, "sync", "--watch", NULL };
		char *e, *at;
		int next;

		pid = th_spawn(text, out, err);
		e = wait_lines(err, 1);
		kill(pid, SIGTERM);
		assert_int_equal(th_wait(pid, 5000), 0);
		at = strstr(e, "Next attempt in ");
		assert_non_null(at);
		next = atoi(at + strlen("Next attempt in "));
		assert_true(next >= 2 && next <= 5);
		free(e);
	}
	fault_peer_stop(peer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enroll),
		cmocka_unit_test(test_not_enrolled_exit_1),
		cmocka_unit_test(test_done_json),
		cmocka_unit_test(test_compacts_after_sync),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_usage_exit_2),
		cmocka_unit_test(test_watch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
