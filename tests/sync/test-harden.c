/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-harden.c: the real sotay-server on loopback under what an attacker,
 * a bad network and a broken disk do to it — NUL and oversized integers in
 * a batch, bytes that would forge log lines, a corrupt database, a
 * PostgreSQL out of reach, slow connections. Each case checks what an operator would: the reply, the
 * rows kept, the log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
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
#include <curl/curl.h>
#include <libpq-fe.h>

#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"
#include "test-db.h"

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

/* A TCP socket to the server from the loopback address from (NULL: any); -1 if it failed. */
static int
dial_from(const struct srv *s, const char *from)
{
	struct sockaddr_in	sa;
	int			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (from != NULL) {
		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		inet_pton(AF_INET, from, &sa.sin_addr);
		if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
			close(fd);
			return -1;
		}
	}
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

static int
dial(const struct srv *s)
{
	return dial_from(s, NULL);
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

/*
 * Item 5: an admin token file others can read is refused; an SQLite
 * database is created 0600 (PostgreSQL keeps its own files).
 */
static void
secrets_private(void **state)
{
	struct srv	 s;
	struct stat	 sb;
	char		*db = th_tmp_path("private.db"), *tok = th_tmp_path("admin-token"), *log;
	const char	*args[] = { "--admin-token-file", tok, NULL };
	int		 fd;

	unlink(db);
	unlink(tok);
	fd = open(tok, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, TEST_ADMIN_TOKEN "\n", sizeof TEST_ADMIN_TOKEN), (ssize_t)sizeof TEST_ADMIN_TOKEN);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	if (th_srv_start_ex(&s, db, args, NULL) == 0) {
		th_srv_stop(&s, SIGTERM);
		fail_msg("the server started with a world-readable admin token file");
	}
	log = read_log(&s);
	if (strstr(log, "chmod 600") == NULL || strstr(log, tok) == NULL)
		fail_msg("the refusal does not say what to do: %s", log);
	free(log);
	/* Readable by its group only (as the package installs it): served. */
	assert_int_equal(chmod(tok, 0640), 0);
	assert_int_equal(th_srv_start_ex(&s, db, args, NULL), 0);
	th_srv_stop(&s, SIGTERM);
	if (!tdb_is_pg()) {
		assert_int_equal(stat(db, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}
	free(db);
	free(tok);
}

/*
 * Item 9: every reply tells the kiosk how often to poll; idle polls (a 304
 * for content, an empty batch) make one summary line, not a line each.
 */
static void
poll_interval_and_idle_polls(void **state)
{
	struct srv	 s;
	struct resp	 r;
	char		*db = th_tmp_path("idle.db"), id[40], token[64], *body, *log, *rep;
	const char	*args[] = { "--poll-seconds", "900", NULL };
	const char	*inm[] = { "If-None-Match: \"0\"", NULL };
	int		 i;

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	assert_int_equal(th_srv_start_ex(&s, db, args, NULL), 0);
	rep = raw_request(&s, "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    strlen("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
	if (strcasestr(rep, "\r\nSotay-Poll-Seconds: 900\r\n") == NULL)
		fail_msg("no poll header: %s", rep);
	free(rep);
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[]}", id);
	for (i = 0; i < 5; i++) {
		assert_int_equal(th_http(&s, "GET", PROTOCOL_PATH_CONTENT "?since=0", token, inm,
		    NULL, 0, &r), 0);
		assert_int_equal(r.status, 304);
		th_resp_free(&r);
		assert_int_equal(post(&s, token, body, NULL), 200);
	}
	free(body);
	th_srv_stop(&s, SIGTERM);
	log = read_log(&s);
	if (strstr(log, "/v1/content") != NULL || strstr(log, "POST /v1/events") != NULL)
		fail_msg("idle polls logged one by one:\n%s", log);
	if (strstr(log, "10 idle polls") == NULL && strstr(log, "10 lần hỏi không có gì mới") == NULL)
		fail_msg("no summary of the idle polls:\n%s", log);
	free(log);
	free(db);
}

/* Runs one statement on the server's database from outside (as a broken disk would). */
static void
sql(const char *db, const char *stmt)
{
	if (tdb_exec(db, stmt) != 0)
		fail_msg("%s failed", stmt);
}

static long
health_status(const struct srv *s, char **body)
{
	struct resp	r;
	long		status;

	assert_int_equal(th_http(s, "GET", PROTOCOL_PATH_HEALTH, NULL, NULL, NULL, 0, &r), 0);
	status = r.status;
	if (body != NULL)
		*body = xstrdup(r.body);
	th_resp_free(&r);
	return status;
}

/*
 * Item 6: a damaged database is refused at start with what to do; while
 * serving, a failed write turns /v1/health to 503 until a write works. On
 * PostgreSQL the failed write is checked (the damaged file is SQLite's).
 */
static void
damaged_database(void **state)
{
	struct srv	 s;
	struct stat	 sb;
	char		*db = th_tmp_path("damaged.db"), id[40], token[64], *body, *log;
	char		*ok = NULL, junk[8192];
	int		 fd;

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	assert_int_equal(th_srv_start(&s, db), 0);
	assert_int_equal(health_status(&s, &ok), 200);
	assert_non_null(strstr(ok, "\"db\":\"ok\""));
	free(ok);
	/* A write fails (a trigger stands in for the disk): 500, and health says so. */
	if (tdb_is_pg())
		sql(db, "CREATE FUNCTION broken_disk() RETURNS trigger LANGUAGE plpgsql AS "
		    "$$BEGIN RAISE EXCEPTION 'could not write block: No space left on device'; "
		    "END$$; CREATE TRIGGER broken_disk BEFORE INSERT ON events "
		    "FOR EACH STATEMENT EXECUTE FUNCTION broken_disk();");
	else
		sql(db, "CREATE TRIGGER broken_disk BEFORE INSERT ON events "
		    "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-000000000001\",\"seq\":1,\"type\":\"step.marked\","
	    "\"at\":5,\"payload\":{}}]}", id);
	assert_int_equal(post(&s, token, body, NULL), 500);
	assert_int_equal(health_status(&s, &ok), 503);
	assert_non_null(strstr(ok, "unavailable"));
	free(ok);
	/* Mended: the next upload works and health is back. */
	sql(db, tdb_is_pg() ? "DROP TRIGGER broken_disk ON events;" :
	    "DROP TRIGGER broken_disk;");
	assert_int_equal(post(&s, token, body, NULL), 200);
	assert_int_equal(health_status(&s, NULL), 200);
	free(body);
	th_srv_stop(&s, SIGTERM);
	log = read_log(&s);
	if (strstr(log, "<3>") == NULL)
		fail_msg("the failed write is not an error line:\n%s", log);
	free(log);
	if (tdb_is_pg()) {
		free(db);
		return;
	}

	/* Pages of the file overwritten: serve refuses to start, saying what to do. */
	assert_int_equal(stat(db, &sb), 0);
	assert_true(sb.st_size >= 6 * 4096);
	memset(junk, 0xa5, sizeof junk);
	fd = open(db, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof junk, 3 * 4096), (ssize_t)sizeof junk);
	close(fd);
	unlink(s.log);
	if (th_srv_start(&s, db) == 0) {
		th_srv_stop(&s, SIGTERM);
		fail_msg("the server started on a damaged database");
	}
	log = read_log(&s);
	if (strncmp(log, "<3>", 3) != 0 || (strstr(log, "bản sao lưu") == NULL &&
	    strstr(log, "backup") == NULL))
		fail_msg("the refusal does not say to restore a backup:\n%s", log);
	free(log);
	free(db);
}

/* 1 once the server closed fd (a read gives end of stream or an error). */
static int
closed_by_server(int fd)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	char		buf[4096];
	ssize_t		n;

	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	n = read(fd, buf, sizeof buf);
	return n <= 0;
}

#define SLOW_CONNS	20
#define SLOW_LIMIT	8
static const char slow_start[] = "GET /v1/health HTTP/1.1\r\nHost: x\r\n";

/*
 * Item 1: slow connections from one address cannot lock others out. The
 * address holds at most --max-per-address connections (the rest are
 * closed at once); a request trickling a header line every 200 ms is cut
 * at --request-seconds however many bytes it sends; meanwhile another
 * client is answered. 127.0.0.2 is the attacker: still loopback.
 */
static void
slow_connections(void **state)
{
	struct srv	 s;
	char		*db = th_tmp_path("slow.db"), *log;
	const char	*args[] = { "--max-per-address", "8", "--request-seconds", "30", NULL };
	const char	*args2[] = { "--max-per-address", "8", "--request-seconds", "2",
			    "--trusted-proxy", "127.0.0.3", NULL };
	int		 fds[SLOW_CONNS], i, closed, open_now, rounds;
	int64_t		 deadline;
	long		 status;

	unlink(db);
	assert_int_equal(th_srv_start_ex(&s, db, args, NULL), 0);
	for (i = 0; i < SLOW_CONNS; i++) {
		fds[i] = dial_from(&s, "127.0.0.2");
		assert_true(fds[i] >= 0);
		/* A refused connection may already be closed: a failed write is fine. */
		(void)!write(fds[i], slow_start, sizeof slow_start - 1);
	}
	/* Another client is answered while they hang. */
	assert_int_equal(health_status(&s, NULL), 200);
	/*
	 * Those past the limit are closed straight away. A loaded machine may
	 * take a while to show it: up to 30 s by the clock, not by rounds,
	 * since a poll can return at once.
	 */
	deadline = util_now_ms() + 30000;
	for (rounds = 0, closed = 0; util_now_ms() < deadline &&
	    closed < SLOW_CONNS - SLOW_LIMIT; rounds++) {
		for (i = 0, closed = 0; i < SLOW_CONNS; i++)
			if (fds[i] >= 0 && closed_by_server(fds[i])) {
				close(fds[i]);
				fds[i] = -2;
			}
		for (i = 0; i < SLOW_CONNS; i++)
			closed += fds[i] == -2;
		if (closed < SLOW_CONNS - SLOW_LIMIT) {
			/* Wait for the server to act on any of them (not a fixed sleep). */
			struct pollfd pf[SLOW_CONNS];
			nfds_t np = 0;

			for (i = 0; i < SLOW_CONNS; i++)
				if (fds[i] >= 0)
					pf[np++] = (struct pollfd){ fds[i], POLLIN, 0 };
			poll(pf, np, 100);
		}
	}
	if (closed != SLOW_CONNS - SLOW_LIMIT)
		fail_msg("%d of %d connections from one address were closed; want %d",
		    closed, SLOW_CONNS, SLOW_CONNS - SLOW_LIMIT);
	for (i = 0, open_now = 0; i < SLOW_CONNS; i++)
		if (fds[i] >= 0) {
			open_now++;
			close(fds[i]);
		}
	assert_int_equal(open_now, SLOW_LIMIT);
	th_srv_stop(&s, SIGTERM);

	/* Trickled bytes do not extend the deadline: each is cut after about 2 s. */
	assert_int_equal(th_srv_start_ex(&s, db, args2, NULL), 0);
	for (i = 0; i < 4; i++) {
		fds[i] = dial_from(&s, "127.0.0.2");
		assert_true(fds[i] >= 0);
		assert_int_equal(write(fds[i], slow_start, sizeof slow_start - 1),
		    (ssize_t)(sizeof slow_start - 1));
	}
	/* 75 rounds of 200 ms: 15 s at most, far past the 2 s deadline. */
	for (rounds = 0, closed = 0; rounds < 75 && closed < 4; rounds++) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		for (i = 0; i < 4; i++) {
			char line[48];

			if (fds[i] < 0)
				continue;
			snprintf(line, sizeof line, "X-Slow-%d: %d\r\n", i, rounds);
			if (closed_by_server(fds[i]) || send(fds[i], line, strlen(line),
			    MSG_NOSIGNAL) < 0) {
				close(fds[i]);
				fds[i] = -1;
				closed++;
			}
		}
	}
	for (i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (closed < 4)
		fail_msg("%d of 4 trickling requests were still open after %d rounds", 4 - closed,
		    rounds);
	assert_true(rounds >= 5);	/* not before the deadline: ≥ 1 s of trickle */
	/* The trusted proxy holds more than 8, and its X-Forwarded-For names the client. */
	for (i = 0; i < 12; i++) {
		fds[i] = dial_from(&s, "127.0.0.3");
		assert_true(fds[i] >= 0);
	}
	{
		static const char req[] = "GET /v1/nowhere HTTP/1.1\r\nHost: x\r\n"
		    "X-Forwarded-For: 10.9.9.9, 203.0.113.7\r\nConnection: close\r\n\r\n";
		static const char req_direct[] = "GET /v1/elsewhere HTTP/1.1\r\nHost: x\r\n"
		    "X-Forwarded-For: 203.0.113.99\r\nConnection: close\r\n\r\n";
		char *rep;

		assert_int_equal(write(fds[11], req, sizeof req - 1), (ssize_t)(sizeof req - 1));
		rep = read_reply(fds[11], 30000);
		assert_non_null(strstr(rep, " 404 "));
		free(rep);
		rep = raw_request(&s, req_direct, sizeof req_direct - 1);
		free(rep);
	}
	for (i = 0; i < 12; i++)
		close(fds[i]);
	status = health_status(&s, NULL);
	assert_int_equal(status, 200);
	th_srv_stop(&s, SIGTERM);
	log = read_log(&s);
	if (strstr(log, " 203.0.113.7 GET /v1/nowhere 404") == NULL ||
	    strstr(log, " 127.0.0.1 GET /v1/elsewhere 404") == NULL)
		fail_msg("client addresses in the log:\n%s", log);
	free(log);
	free(db);
}


#define HEAVY	4

/*
 * Item 10: memory after a burst of heavy uploads (each decodes to a json-c
 * tree of about 60 MB) goes back to the system; without a bound the
 * server kept it, for good, in every thread's arena. Under AddressSanitizer, which
 * keeps freed memory on purpose, only the replies are checked.
 */
static void
memory_comes_back(void **state)
{
	struct srv	 s;
	struct th_heavy	 h[HEAVY];
	pthread_t	 t[HEAVY];
	char		*db = th_tmp_path("rss.db"), id[40], token[64];
	long		 floor, after;
	int		 i, round, parsed;

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	assert_int_equal(th_srv_start(&s, db), 0);
	floor = th_rss_kib(s.pid, 0);
	assert_true(floor > 0);
	for (i = 0; i < HEAVY; i++) {
		h[i].s = &s;
		h[i].token = token;
		/* Another kiosk's id: parsed whole, then refused (403), stored nowhere. */
		h[i].body = th_heavy_batch("0190f000-0000-7000-8000-00000000dead", 1000, 250, i,
		    &h[i].len);
		assert_non_null(h[i].body);
	}
	for (round = 0, parsed = 0; round < 2; round++) {
		for (i = 0; i < HEAVY; i++)
			assert_int_equal(pthread_create(&t[i], NULL, th_heavy_post, &h[i]), 0);
		for (i = 0; i < HEAVY; i++) {
			pthread_join(t[i], NULL);
			/* Parsed and refused (403), or told to come back (503) past two at once. */
			if (h[i].status != 403 && h[i].status != 503)
				fail_msg("a heavy upload got %ld", h[i].status);
			parsed += h[i].status == 403;
		}
	}
	assert_true(parsed >= 2);
	/* Still answering, and (the replies are sent after the memory is handed back) small. */
	assert_int_equal(health_status(&s, NULL), 200);
	after = th_rss_kib(s.pid, 0);
	print_message("server RSS: %ld KiB at start, %ld KiB after %d heavy uploads, peak %ld KiB\n",
	    floor, after, 2 * HEAVY, th_rss_kib(s.pid, 1));
#if !defined(__SANITIZE_ADDRESS__)
	if (after > floor + 64 * 1024)
		fail_msg("RSS stayed at %ld KiB after the burst (%ld KiB at start)", after, floor);
#endif
	th_srv_stop(&s, SIGTERM);
	for (i = 0; i < HEAVY; i++)
		free(h[i].body);
	free(db);
}

/*
 * The status a kiosk sends with a batch fails to be kept (here a trigger;
 * a full disk would do the same between the two writes): the batch is
 * still acknowledged and stored, and the log says so on a line with its
 * priority, as every line of the log has.
 */
static void
status_lost_logged(void **state)
{
	struct srv	 s;
	char		*db = th_tmp_path("status.db"), id[40], token[64], *body, *log;
	char		*line, *save;
	int		 found = 0;

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	if (tdb_is_pg())
		sql(db, "CREATE FUNCTION no_status() RETURNS trigger LANGUAGE plpgsql AS "
		    "$$BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; "
		    "END$$; CREATE TRIGGER no_status BEFORE INSERT OR UPDATE ON kiosk_status "
		    "FOR EACH ROW EXECUTE FUNCTION no_status();");
	else
		sql(db, "CREATE TRIGGER no_status BEFORE INSERT ON kiosk_status "
		    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
	assert_int_equal(th_srv_start(&s, db), 0);
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-0000000000bb\",\"seq\":1,\"type\":\"step.marked\","
	    "\"at\":5,\"payload\":{}}],\"status\":{\"pending\":1,\"content_version\":0,"
	    "\"program_version\":\"0.1.0\",\"clock\":%lld}}", id, (long long)util_now_ms());
	assert_int_equal(post(&s, token, body, NULL), 200);
	assert_int_equal(kiosk_rows(db, id), 1);
	th_srv_stop(&s, SIGTERM);
	log = read_log(&s);
	for (line = strtok_r(log, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '<' || line[1] < '3' || line[1] > '7' || line[2] != '>')
			fail_msg("line without a priority: %s", line);
		found |= strstr(line, "kiosk status") != NULL;
	}
	if (!found)
		fail_msg("the status lost is not in the log");
	free(log);
	free(body);
	free(db);
}

/*
 * A batch that comes while the rollups are being rebuilt from the facts
 * (a `migrate` into a serving database, an upgrade that recounts them,
 * another process starting) waits for the rebuild to end: added to
 * rollups the rebuild is making from facts that already hold it, it would
 * be counted twice. SQLite's writers already exclude each other.
 */
static void
batch_waits_for_rebuild(void **state)
{
	struct srv	 s;
	char		*db = th_tmp_path("rebuild.db"), id[40], token[64], *body, *url;
	PGconn		*pg;
	PGresult	*r;
	pid_t		 pid;
	int		 status, i;

	if (!tdb_is_pg()) {
		print_message("PostgreSQL only: SQLite has one writer at a time\n");
		free(db);
		return;
	}
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	assert_int_equal(th_srv_start(&s, db), 0);
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-0000000000cc\",\"seq\":1,\"type\":\"step.marked\","
	    "\"at\":5,\"payload\":{}}]}", id);
	/* What a rebuild holds (server_store_rollups_claim), from outside. */
	url = tdb_db(db, 0);
	pg = PQconnectdb(url);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	r = PQexec(pg, "BEGIN; LOCK TABLE r_state IN EXCLUSIVE MODE");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	if ((pid = fork()) == 0)
		_exit(post(&s, token, body, NULL) == 200 ? 0 : 1);
	assert_true(pid > 0);
	/* Still waiting a second later, and nothing of it stored. */
	for (i = 0; i < 10 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(100 * 1000);
	if (i < 10)
		fail_msg("the batch went in while the rollups were being rebuilt");
	assert_int_equal(kiosk_rows(db, id), 0);
	r = PQexec(pg, "COMMIT");
	PQclear(r);
	PQfinish(pg);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(kiosk_rows(db, id), 1);
	th_srv_stop(&s, SIGTERM);
	free(url);
	free(body);
	free(db);
}

/*
 * PostgreSQL out of reach while serving (stopped, or refusing connections
 * to this database): a kiosk's upload gets 503 "busy", which marks no
 * failed write, so health asks the database itself — 503 while it cannot
 * be reached, 200 again once it can, and the upload then goes in whole.
 * SQLite is a local file: its failures are writes' (damaged_database).
 */
static void
database_unreachable(void **state)
{
	struct srv	 s;
	char		*db = th_tmp_path("unreachable.db"), id[40], token[64], *url, *admin;
	char		*name, *stmt, *body, *rows, *msg = NULL;

	if (!tdb_is_pg()) {
		print_message("PostgreSQL only: nothing to reach on SQLite\n");
		free(db);
		return;
	}
	assert_int_equal(th_kiosk_add(db, "Tịnh Sơn", "Trường Thọ", id, token), 0);
	assert_int_equal(th_srv_start(&s, db), 0);
	assert_int_equal(health_status(&s, NULL), 200);
	/* The database's name, out of its URL (postgresql:///NAME?host=…). */
	url = tdb_db(db, 0);
	name = xstrdup(strstr(url, "///") + 3);
	name[strcspn(name, "?")] = '\0';
	admin = xasprintf("postgresql:///postgres?host=%s&user=%s",
	    getenv("SOTAY_TEST_PG_HOST"), getenv("SOTAY_TEST_PG_USER") != NULL ?
	    getenv("SOTAY_TEST_PG_USER") : "sotay");
	stmt = xasprintf("ALTER DATABASE %s ALLOW_CONNECTIONS false; SELECT "
	    "pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'",
	    name, name);
	if ((rows = tdb_rows(admin, stmt)) == NULL)
		fail_msg("%s failed", stmt);
	free(rows);
	free(stmt);
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-0000000000aa\",\"seq\":1,\"type\":\"step.marked\","
	    "\"at\":5,\"payload\":{}}]}", id);
	assert_int_equal(post(&s, token, body, NULL), 503);
	if (health_status(&s, &msg) != 503)
		fail_msg("health with the database out of reach: %s", msg);
	assert_non_null(strstr(msg, "unavailable"));
	free(msg);
	stmt = xasprintf("ALTER DATABASE %s ALLOW_CONNECTIONS true", name);
	sql(admin, stmt);
	free(stmt);
	assert_int_equal(health_status(&s, NULL), 200);
	assert_int_equal(post(&s, token, body, NULL), 200);
	assert_int_equal(kiosk_rows(db, id), 1);
	th_srv_stop(&s, SIGTERM);
	free(body);
	free(admin);
	free(name);
	free(url);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nul_and_huge_integers_refused),
		cmocka_unit_test(log_lines_escaped_with_priority),
		cmocka_unit_test(secrets_private),
		cmocka_unit_test(poll_interval_and_idle_polls),
		cmocka_unit_test(damaged_database),
		cmocka_unit_test(database_unreachable),
		cmocka_unit_test(batch_waits_for_rebuild),
		cmocka_unit_test(status_lost_logged),
		cmocka_unit_test(slow_connections),
		cmocka_unit_test(memory_comes_back),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
