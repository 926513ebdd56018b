/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-client-harden.c: what the kiosk does with its secrets and its
 * link — the real $BUILD/sotay and sotay-sync against the in-process peer
 * or the real sotay-server. The enrolment token never reaches a program's
 * argument list (where ps shows it) unless the user typed it there, comes
 * from standard input or a private file as well, and the database is
 * created mode 0600; plain http:// goes nowhere but this machine; `sync
 * --watch` waits for an enrolment and polls as often as the server says.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "client-helpers.h"
#include "fault-peer.h"
#include "store.h"
#include "util.h"
#include "testlib.h"

/* After the project's headers: cmocka defines a macro named fail. */
#include <cmocka.h>

extern char **environ;

static char *sotay, *out, *err;

static int
setup(void **state)
{
	const char *build = getenv("BUILD");

	sotay = xasprintf("%s/sotay", build != NULL && *build != '\0' ? build : "build");
	if (access(sotay, X_OK) != 0) {
		fprintf(stderr, "%s is missing: build it first (make build-all)\n", sotay);
		return -1;
	}
	out = th_path("harden.out");
	err = th_path("harden.err");
	setenv("HOME", th_tmp(), 1);
	setenv("XDG_CONFIG_HOME", th_tmp(), 1);
	setenv("XDG_DATA_HOME", th_tmp(), 1);
	setenv("SOTAY_LANG", "en", 1);
	unsetenv("SOTAY_CONFIG");
	unsetenv("SOTAY_DB");
	unsetenv("SOTAY_SYNC_PROGRAM");
	return 0;
}

static int
teardown(void **state)
{
	free(sotay);
	free(out);
	free(err);
	return 0;
}

/* Runs argv with standard input from the file in (or /dev/null); the exit code. */
static int
run_in(char *const argv[], const char *in)
{
	posix_spawn_file_actions_t	 fa;
	pid_t				 pid;
	int				 rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, in != NULL ? in : "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		fail_msg("cannot start %s: %s", argv[0], strerror(rc));
	return th_wait(pid, 60000);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
assert_file_has(const char *path, const char *needle)
{
	char *t = th_slurp(path);

	if (!th_has(t, needle))
		fail_msg("%s lacks \"%s\": %s", path, needle, t);
	free(t);
}

static mode_t
mode_of(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return sb.st_mode & 07777;
}

/*
 * `sotay enroll URL TOKEN` runs sotay-sync in its place; a wrapper records
 * the arguments sotay-sync got: the token is not among them, and the
 * enrolment works. The database it made is mode 0600.
 */
static void
token_not_in_child_argv(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	const char		*build = getenv("BUILD");
	char			*db = th_path("argv.db"), *wrapper = th_path("wrap-sync.sh");
	char			*seen = th_path("argv.txt"), *script, *wal;
	char			*argv[] = { sotay, "--db", db, "enroll", (char *)fault_peer_url(peer),
				    FAULT_PEER_TOKEN, NULL };

	script = xasprintf("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s'\nexec '%s/sotay-sync' \"$@\"\n",
	    seen, build != NULL && *build != '\0' ? build : "build");
	write_file(wrapper, script, 0700);
	setenv("SOTAY_SYNC_PROGRAM", wrapper, 1);
	unlink(db);
	assert_int_equal(run_in(argv, NULL), 0);
	unsetenv("SOTAY_SYNC_PROGRAM");
	assert_file_has(out, "Enrolled: kiosk \"peer-kiosk\"");
	assert_file_has(seen, "--token-fd");
	{
		char *args = th_slurp(seen);

		if (th_has(args, FAULT_PEER_TOKEN))
			fail_msg("the token is in sotay-sync's arguments:\n%s", args);
		free(args);
	}
	assert_int_equal(mode_of(db), 0600);
	wal = xasprintf("%s-wal", db);
	if (access(wal, F_OK) == 0)
		assert_int_equal(mode_of(wal) & 077, 0);
	free(wal);
	fault_peer_stop(peer);
	free(script);
	free(db);
	free(wrapper);
	free(seen);
}

/* The token from standard input ("-" or --token-stdin) or from a private file. */
static void
token_from_stdin_or_file(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	char			*db = th_path("in.db"), *tok = th_path("token.txt");
	char			*url = (char *)fault_peer_url(peer);
	char			*dash[] = { sotay, "--db", db, "enroll", url, "-", NULL };
	char			*flag[] = { sotay, "--db", db, "enroll", url, "--token-stdin", NULL };
	char			*file[] = { sotay, "--db", db, "enroll", url, "--token-file", tok, NULL };

	write_file(tok, FAULT_PEER_TOKEN "\n", 0600);
	unlink(db);
	assert_int_equal(run_in(dash, tok), 0);
	assert_file_has(out, "Enrolled");
	assert_int_equal(run_in(flag, tok), 0);
	assert_int_equal(run_in(file, NULL), 0);
	assert_file_has(out, "Enrolled");
	/* A token file every user may read is refused, saying what to do. */
	write_file(tok, FAULT_PEER_TOKEN "\n", 0644);
	assert_int_equal(run_in(file, NULL), 2);
	assert_file_has(err, "chmod 600");
	/* An empty standard input is a clear error, not an empty token. */
	assert_int_equal(run_in(dash, NULL), 2);
	assert_file_has(err, "empty");
	fault_peer_stop(peer);
	free(db);
	free(tok);
}

/*
 * http:// to another machine is refused before anything is sent; 0.0.0.0
 * reaches the peer on this machine without being a loopback address, so
 * the test needs no other host. allow_insecure_http = yes lets it through.
 */
static void
plain_http_refused(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct fault_stats	 st;
	char			*db = th_path("http.db"), *conf = th_path("http.conf"), *url, *text;
	const char		*port = strrchr(fault_peer_url(peer), ':');
	char			*plain[] = { sotay, "--db", db, "--config", conf, "enroll", NULL,
				    FAULT_PEER_TOKEN, NULL };
	char			*loop[] = { sotay, "--db", db, "--config", conf, "enroll",
				    (char *)fault_peer_url(peer), FAULT_PEER_TOKEN, NULL };

	url = xasprintf("http://0.0.0.0%s", port);
	plain[6] = url;
	write_file(conf, "province = Quảng Ngãi\n", 0644);
	unlink(db);
	assert_int_equal(run_in(plain, NULL), 1);
	assert_file_has(err, "https://");
	assert_file_has(err, "allow_insecure_http = yes");
	fault_peer_stats(peer, &st);
	assert_int_equal(st.requests, 0);
	/* To 127.0.0.1 plain http is fine: nothing leaves the machine. */
	assert_int_equal(run_in(loop, NULL), 0);
	/* A test bench may allow it, in the config file only. */
	write_file(conf, "allow_insecure_http = yes\n", 0644);
	assert_int_equal(run_in(plain, NULL), 0);
	assert_file_has(out, "Enrolled");
	/* A bad value names the file and the line. */
	write_file(conf, "# bench\nallow_insecure_http = maybe\n", 0644);
	assert_int_equal(run_in(plain, NULL), 1);
	text = xasprintf("%s:2: allow_insecure_http must be yes or no", conf);
	assert_file_has(err, text);
	free(text);
	fault_peer_stop(peer);
	free(url);
	free(db);
	free(conf);
}

/* Waits (at most 30 s) until the file holds needle; returns the text. */
static char *
wait_for(const char *path, const char *needle)
{
	char *s = tl_wait_text(path, needle, 30000);

	if (s == NULL) {
		s = th_slurp(path);
		fail_msg("%s: no \"%s\" after 30 s: %s", path, needle, s);
	}
	return s;
}

/*
 * A kiosk whose sync service starts before it is enrolled waits, says so
 * once, and starts syncing once `sotay enroll` has run; then it waits as
 * long as the real server tells it (--poll-seconds), not 30 s.
 */
static void
watch_waits_for_enrolment(void **state)
{
	const char	*build = getenv("BUILD");
	char		*server = xasprintf("%s/sotay-server", build != NULL && *build != '\0' ?
			    build : "build");
	char		*sdb = th_path("watch-server.db"), *sout = th_path("watch-server.out");
	char		*db = th_path("watch.db"), *wout = th_path("watch.out"), *werr = th_path("watch.err");
	char		*text, *id, *tok, *url, *p;
	char		*serve[] = { server, "serve", "--db", sdb, "--listen", "127.0.0.1:0",
			    "--poll-seconds", "1234", NULL };
	char		*add[] = { server, "--db", sdb, "kiosk", "add", "--commune", "Tịnh Khê",
			    "--hamlet", "Mỹ Lai", "--name", "NVH", NULL };
	char		*watch[] = { sotay, "--db", db, "sync", "--watch", "--json", NULL };
	char		*enroll[] = { sotay, "--db", db, "enroll", NULL, NULL, NULL };
	pid_t		 spid, wpid;
	json_object	*o, *v;
	int		 port = 0, next;

	unlink(sdb);
	unlink(db);
	assert_int_equal(th_run(add, out, err), 0);
	text = th_slurp(out);
	assert_non_null(p = strstr(text, "kiosk: "));
	id = strndup(p + 7, strcspn(p + 7, "\n"));
	assert_non_null(p = strstr(text, "token: "));
	tok = strndup(p + 7, strcspn(p + 7, "\n"));
	free(text);
	spid = th_spawn(serve, sout, NULL);
	text = wait_for(sout, "\n");
	assert_int_equal(sscanf(text, "listening on 127.0.0.1:%d", &port), 1);
	free(text);
	url = xasprintf("http://127.0.0.1:%d", port);

	/* No database yet: the watcher waits, with one line, and does not exit. */
	wpid = th_spawn(watch, wout, werr);
	text = wait_for(werr, "not enrolled yet; waiting");
	free(text);
	assert_int_equal(kill(wpid, 0), 0);
	enroll[4] = url;
	enroll[5] = tok;
	assert_int_equal(run_in(enroll, NULL), 0);
	/* It notices the enrolment and syncs; the next wait is the server's. */
	text = wait_for(wout, "\n");
	o = json_tokener_parse(text);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "status", &v));
	assert_string_equal(json_object_get_string(v), "done");
	assert_true(json_object_object_get_ex(o, "next_attempt_s", &v));
	next = json_object_get_int(v);
	if (next < 1234 || next > 1234 + 124)
		fail_msg("next attempt in %d s, not the server's 1234 (+10%%)", next);
	json_object_put(o);
	free(text);
	kill(wpid, SIGTERM);
	assert_int_equal(th_wait(wpid, 10000), 0);
	text = th_slurp(werr);
	p = strstr(text, "not enrolled yet");
	assert_non_null(p);
	if (strstr(p + 1, "not enrolled yet") != NULL)
		fail_msg("said more than once: %s", text);
	free(text);
	kill(spid, SIGTERM);
	assert_int_equal(th_wait(spid, 15000), 0);
	free(server);
	free(sdb);
	free(sout);
	free(db);
	free(wout);
	free(werr);
	free(id);
	free(tok);
	free(url);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token_not_in_child_argv),
		cmocka_unit_test(token_from_stdin_or_file),
		cmocka_unit_test(plain_http_refused),
		cmocka_unit_test(watch_waits_for_enrolment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
