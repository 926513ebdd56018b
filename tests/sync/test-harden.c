/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-harden.c: the real sotay-server on loopback under what an attacker,
 * a bad network and a broken disk do to it — NUL and oversized integers in
 * a batch, bytes that would forge log lines, a corrupt database, slow
 * connections. Each case checks what an operator would: the reply, the
 * rows kept, the log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"

static int64_t
kiosk_rows(const char *db, const char *kiosk)
{
	return th_sql_int(db, "SELECT count(*) FROM events WHERE kiosk = ?", kiosk);
}

/* POSTs body as the kiosk and returns the status; *msg gets the reply body. */
static long
post(const struct srv *s, const char *token, const char *body, char **msg)
{
	struct resp	r;
	long		status;

	assert_int_equal(th_http(s, "POST", PROTOCOL_PATH_EVENTS, token, NULL, body,
	    strlen(body), &r), 0);
	if (msg != NULL)
		*msg = xstrdup(r.body);
	status = r.status;
	th_resp_free(&r);
	return status;
}

/* The whole log file of s. */
static char *
read_log(const struct srv *s)
{
	char *t = util_read_file(s->log, NULL);

	return t != NULL ? t : xstrdup("");
}

/* A connected TCP socket to the server on loopback; -1 if it failed. */
static int
dial(const struct srv *s)
{
	struct sockaddr_in	sa;
	int			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)s->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads what the server sends until it closes or wait_ms pass; malloc'd. */
static char *
read_reply(int fd, int wait_ms)
{
	char	*buf = xmalloc(65536);
	size_t	 len = 0;

	while (len < 65535) {
		struct pollfd	pfd = { fd, POLLIN, 0 };
		ssize_t		n;

		if (poll(&pfd, 1, wait_ms) <= 0)
			break;
		n = read(fd, buf + len, 65535 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* Sends len raw bytes as one request and returns the reply's text (malloc'd). */
static char *
raw_request(const struct srv *s, const char *req, size_t len)
{
	int	 fd = dial(s);
	char	*rep;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, req, len), (ssize_t)len);
	rep = read_reply(fd, 30000);
	close(fd);
	return rep;
}

/* ---------------------------------------------------------------------- */

/* Items 2 and 3: a NUL in a string and a seq of 2^64 get 400; nothing kept. */
static void
nul_and_huge_integers_refused(void **state)
{
	struct srv	 s;
	char		*db = th_tmp_path("wire.db"), id[40], token[64], *msg, *body;
	static const char *const fields[] = {
		"\"seq\":1,\"type\":\"step.marked\\u0000evil\",\"at\":5,\"payload\":{}",
		"\"seq\":1,\"type\":\"step.marked\",\"at\":5,\"payload\":{\"session\":\"s\\u0000x\"}",
		"\"seq\":18446744073709551616,\"type\":\"step.marked\",\"at\":5,\"payload\":{}",
		"\"seq\":1,\"type\":\"step.marked\",\"at\":99999999999999999999,\"payload\":{}",
	};
	static const char *const names[] = { "type", "session", "seq", "at" };

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	assert_int_equal(th_srv_start(&s, db), 0);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
		    "\"0190f000-0000-7000-8000-000000000001\",%s}]}", id, fields[i]);
		assert_int_equal(post(&s, token, body, &msg), 400);
		if (strstr(msg, "bad_request") == NULL || strstr(msg, names[i]) == NULL)
			fail_msg("case %zu: %s", i, msg);
		free(msg);
		free(body);
	}
	/* The same event without the bad bytes is stored: the refusals were the bytes. */
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-000000000001\",\"seq\":1,\"type\":\"step.marked\","
	    "\"at\":5,\"payload\":{}}]}", id);
	assert_int_equal(kiosk_rows(db, id), 0);
	assert_int_equal(post(&s, token, body, NULL), 200);
	assert_int_equal(kiosk_rows(db, id), 1);
	free(body);
	th_srv_stop(&s, SIGTERM);
	free(db);
}

/* Item 4: bytes from a request are escaped; each line carries a priority. */
static void
log_lines_escaped_with_priority(void **state)
{
	struct srv	 s;
	struct stat	 sb;
	char		*db = th_tmp_path("log.db"), *rep, *log, *line, *save, env[80];
	static const char req[] =
	    "GET /v1/he%0a2026-01-01T00:00:00Z%20127.0.0.1%20GET%20/forged%20200%1b[31m"
	    "alth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char req2[] =
	    "G\x1b]0;owned\x07T /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	const char	*envs[2] = { env, NULL };
	int		 lines = 0;

	unlink(db);
	assert_int_equal(th_srv_start(&s, db), 0);
	rep = raw_request(&s, req, sizeof req - 1);
	assert_non_null(strstr(rep, " 404 "));
	free(rep);
	rep = raw_request(&s, req2, sizeof req2 - 1);
	free(rep);
	th_srv_stop(&s, SIGTERM);
	log = read_log(&s);
	/* No raw control byte but the line ends; every line starts <3>…<7>. */
	for (const char *p = log; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg("raw control byte 0x%02x in the log:\n%s", *p, log);
	for (line = strtok_r(log, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), lines++) {
		if (line[0] != '<' || line[1] < '3' || line[1] > '7' || line[2] != '>')
			fail_msg("line without a priority: %s", line);
		if (strstr(line, "/forged") != NULL && strstr(line, "\\x0a") == NULL)
			fail_msg("forged line: %s", line);
		/* Not under journald: each line has its own time. */
		if (strncmp(line + 3, "20", 2) != 0)
			fail_msg("line without a time: %s", line);
	}
	assert_true(lines >= 2);
	free(log);
	log = read_log(&s);
	assert_non_null(strstr(log, "/v1/he\\x0a2026"));
	free(log);

	/* Under journald (JOURNAL_STREAM is our stderr) no time of our own. */
	unlink(s.log);
	assert_int_equal(close(open(s.log, O_WRONLY | O_CREAT, 0600)), 0);
	assert_int_equal(stat(s.log, &sb), 0);
	snprintf(env, sizeof env, "JOURNAL_STREAM=%llu:%llu", (unsigned long long)sb.st_dev,
	    (unsigned long long)sb.st_ino);
	assert_int_equal(th_srv_start_ex(&s, db, NULL, envs), 0);
	rep = raw_request(&s, req, sizeof req - 1);
	free(rep);
	th_srv_stop(&s, SIGTERM);
	log = read_log(&s);
	if (strstr(log, "<6>127.0.0.1 GET /v1/he\\x0a") == NULL)
		fail_msg("journald line: %s", log);
	free(log);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nul_and_huge_integers_refused),
		cmocka_unit_test(log_lines_escaped_with_priority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
