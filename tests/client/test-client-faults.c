/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-client-faults.c: the sync client against a peer that fails in every
 * way a village link and a provincial server can (tests/client/fault-peer.c).
 * For each fault: the result a supervisor would see (status, message),
 * and the outbox untouched, row for row. Then the good paths: batches that
 * grow and shrink, a sync cut off and resumed without a duplicate, content
 * versions, enrolment, cancel and progress.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>


#include "client.h"
#include "client-helpers.h"
#include "fault-peer.h"
#include "i18n.h"
#include "protocol.h"
#include "store.h"
#include "util.h"

/* After the project's headers: cmocka defines a macro named fail. */
#include <cmocka.h>

#define NEVENTS 300

struct fcase {
	enum fault		 fault;
	int			 arg;
	long			 timeout_ms;
	enum client_status	 want;
	const char		*needle;	/* in the English message */
};

/* Syncs a kiosk with NEVENTS pending against the fault, and checks it all. */
static void
run_fault(const struct fcase *fc)
{
	struct fault_peer	*peer = fault_peer_start(fc->fault, fc->arg);
	struct store		*st = th_store("fault.db");
	char			*path = th_path("fault.db"), *before, *after, *cause = NULL;
	char			*err, *ok;
	struct client_opts	 o = { .connect_timeout_ms = 3000, .timeout_ms = fc->timeout_ms };
	struct client_result	 r;
	struct store_counts	 sc;
	struct fault_stats	 fs;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, NEVENTS);
	before = th_outbox_dump(path);

	assert_int_equal(client_sync(st, &o, &r, &cause), -1);
	assert_non_null(cause);
	if (r.status != fc->want || !th_has(cause, fc->needle))
		fail_msg("fault %d: status %s, message: %s", fc->fault,
		    client_status_id(r.status), cause);

	/* The outbox is exactly as it was: every event still pending. */
	after = th_outbox_dump(path);
	assert_string_equal(before, after);
	assert_int_equal(th_rows(path, NULL), NEVENTS);
	assert_int_equal(th_rows(path, "sent = 0"), NEVENTS);
	assert_int_equal(store_counts(st, &sc, &cause), 0);
	assert_int_equal(sc.pending, NEVENTS);
	assert_int_equal(r.pending, NEVENTS);
	assert_int_equal(r.sent, 0);

	/* The supervisor's screen shows why, and no success. */
	err = th_meta(st, "last_sync_error");
	ok = th_meta(st, "last_sync_ok");
	assert_string_equal(err, cause);
	assert_null(ok);

	fault_peer_stats(peer, &fs);
	assert_true(fs.requests >= 1);
	assert_int_equal(fs.bad_auth, 0);
	if (fc->fault == FAULT_503)
		assert_int_equal(r.retry_after_s, fc->arg);

	free(err);
	free(before);
	free(after);
	free(cause);
	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

#define FAULT_TEST(name, f, a, t, w, n) \
	static void test_##name(void **state) { \
		static const struct fcase fc = { f, a, t, w, n }; \
		run_fault(&fc); \
	}

FAULT_TEST(cut_mid_body, FAULT_CUT, 0, 5000, CLIENT_OFFLINE, "Could not reach the server")
FAULT_TEST(status_500, FAULT_500, 0, 5000, CLIENT_SERVER_ERROR, "failed (500 internal: database is locked)")
FAULT_TEST(status_503_retry_after, FAULT_503, 7, 5000, CLIENT_SERVER_ERROR, "try again in 7 seconds")
FAULT_TEST(status_401, FAULT_401, 0, 5000, CLIENT_REFUSED, "refused this kiosk (401 unauthorized")
FAULT_TEST(status_403, FAULT_403, 0, 5000, CLIENT_REFUSED, "refused this kiosk (403 forbidden")
FAULT_TEST(status_413_always, FAULT_413, 0, 5000, CLIENT_SERVER_ERROR, "even a single event")
FAULT_TEST(captive_portal, FAULT_PORTAL, 0, 5000, CLIENT_SERVER_ERROR, "is a web page")
FAULT_TEST(truncated_json, FAULT_TRUNCATED, 0, 5000, CLIENT_SERVER_ERROR, "does not follow the protocol")
FAULT_TEST(invalid_json, FAULT_INVALID, 0, 5000, CLIENT_SERVER_ERROR, "does not follow the protocol")
FAULT_TEST(wrong_types, FAULT_WRONG_TYPES, 0, 5000, CLIENT_SERVER_ERROR, "held_seq")
FAULT_TEST(huge_body, FAULT_HUGE, 0, 20000, CLIENT_SERVER_ERROR, "too large")
FAULT_TEST(huge_body_chunked, FAULT_HUGE_CHUNKED, 0, 20000, CLIENT_SERVER_ERROR, "too large")
FAULT_TEST(holds_nothing, FAULT_HOLD_NOTHING, 0, 5000, CLIENT_SERVER_ERROR, "confirms holding events only up to 0")
FAULT_TEST(silent_until_timeout, FAULT_SILENT, 0, 600, CLIENT_OFFLINE, "did not answer in time")

/* The same refusal, worded for a Vietnamese-speaking volunteer. */
static void
test_message_in_vietnamese(void **state)
{
	static const struct fcase fc = { FAULT_401, 0, 5000, CLIENT_REFUSED,
	    "từ chối máy này (401 chưa xác thực: token revoked)" };

	i18n_set_lang(LANG_VI);
	run_fault(&fc);
	i18n_set_lang(LANG_EN);
}

/* A port where nothing listens. */
static int
closed_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void
test_connection_refused_is_offline(void **state)
{
	struct store		*st = th_store("refused.db");
	struct client_result	 r;
	char			*url = xasprintf("http://127.0.0.1:%d", closed_port()), *cause = NULL;

	th_enrol(st, url, FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 5);
	assert_int_equal(client_sync(st, NULL, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_OFFLINE);
	assert_true(th_has(cause, "Could not reach the server"));
	assert_true(th_has(cause, url));
	assert_int_equal(r.pending, 5);
	free(cause);
	cause = NULL;

	/* In Vietnamese the cause is said in Vietnamese too, not in libcurl's English. */
	i18n_set_lang(LANG_VI);
	assert_int_equal(client_sync(st, NULL, &r, &cause), -1);
	i18n_set_lang(LANG_EN);
	assert_true(th_has(cause, "Không kết nối được máy chủ"));
	assert_true(th_has(cause, "máy chủ không nhận kết nối"));
	assert_false(th_has(cause, "onnect"));
	assert_false(th_has(cause, "refused"));
	free(cause);
	free(url);
	store_close(st);
}

static void
test_not_enrolled(void **state)
{
	struct store		*st = th_store("fresh.db");
	struct client_result	 r;
	char			*cause = NULL;

	th_add_events(st, 3);
	assert_int_equal(client_sync(st, NULL, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_LOCAL);
	assert_true(th_has(cause, "sotay enroll URL TOKEN"));
	assert_int_equal(r.pending, 3);
	free(cause);
	store_close(st);
}

static int64_t progress_calls, progress_last_sent, progress_last_total;
static int progress_backwards;

static void
on_progress(void *arg, int64_t sent, int64_t total, int64_t bytes)
{
	if (sent < progress_last_sent || bytes <= 0)
		progress_backwards = 1;
	progress_calls++;
	progress_last_sent = sent;
	progress_last_total = total;
}

/* The good path: everything sent once, gzipped, in batches that grow on a fast link. */
static void
test_good_sync_and_content(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct store		*st = th_store("good.db");
	char			*path = th_path("good.db"), *cause = NULL, *v;
	struct client_opts	 o = { .progress = on_progress };
	struct client_result	 r;
	struct fault_stats	 fs;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 2345);
	progress_calls = progress_last_sent = progress_last_total = 0;

	if (client_sync(st, &o, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.status, CLIENT_DONE);
	assert_int_equal(r.total, 2345);
	assert_int_equal(r.sent, 2345);
	assert_int_equal(r.accepted, 2345);
	assert_int_equal(r.duplicates, 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	assert_int_equal(th_rows(path, "sent = 1"), 2345);
	assert_true(r.bytes > 0);

	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.stored, 2345);
	assert_int_equal(fs.duplicates, 0);
	assert_int_equal(fs.held_seq, 2345);
	assert_int_equal(fs.gzip_posts, fs.posts);
	assert_int_equal(fs.posts, r.batches);
	/* 200, 400, 800, 945: fewer round trips than fixed batches of 200 would take. */
	assert_true(fs.largest_batch > 200);
	assert_true(fs.posts < 2345 / 200);

	assert_int_equal(progress_calls, r.batches);
	assert_int_equal(progress_last_sent, 2345);
	assert_int_equal(progress_last_total, 2345);
	assert_false(progress_backwards);

	/* Content: the peer's version 1 is recorded; the next sync asks with If-None-Match. */
	assert_int_equal(r.content_version, 1);
	v = th_meta(st, "content_version");
	assert_string_equal(v, "1");
	free(v);
	v = th_meta(st, "last_sync_ok");
	assert_non_null(v);
	free(v);
	assert_null(th_meta(st, "last_sync_error"));

	if (client_sync(st, &o, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.http_status, 304);
	assert_int_equal(r.content_version, 1);
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.stored, 2345);

	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

/* A kiosk whose clock is an hour slow learns it from the acknowledgement. */
static void
test_clock_offset(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct store		*st = th_store("clock.db");
	struct client_result	 r;
	char			*cause = NULL, *v;
	long long		 off;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 10);
	util_clock_offset_ms(-3600 * 1000);	/* the peer keeps real time */
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	util_clock_offset_ms(0);
	v = th_meta(st, "clock_offset_ms");
	assert_non_null(v);
	off = atoll(v);
	assert_true(off == r.clock_offset_ms);
	assert_true(off > 3600 * 1000 - 60000 && off < 3600 * 1000 + 60000);
	free(v);
	store_close(st);
	fault_peer_stop(peer);
}

/* A server that takes at most 50 events a batch: the client halves until it fits. */
/*
 * A server from before the compact batch answers 404 at /v2/events: the
 * kiosk sends the first format instead, once it learns that, and every
 * event is held once.
 */
static void
test_old_server(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_V1_ONLY, 0);
	struct store		*st = th_store("old.db");
	char			*path = th_path("old.db"), *cause = NULL;
	struct client_result	 r;
	struct fault_stats	 fs;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 2345);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.status, CLIENT_DONE);
	assert_int_equal(r.sent, 2345);
	assert_int_equal(r.accepted, 2345);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.stored, 2345);
	assert_int_equal(fs.duplicates, 0);
	assert_int_equal(fs.held_seq, 2345);
	/* One try of the new path, then the old one only, within its limit. */
	assert_int_equal(fs.v2_posts, 1);
	assert_int_equal(fs.acked, r.batches);
	assert_int_equal(fs.posts, r.batches + 1);
	assert_true(fs.largest_batch <= PROTOCOL_MAX_EVENTS);
	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

static void
test_413_shrinks_batch(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_413, 50);
	struct store		*st = th_store("shrink.db");
	char			*path = th_path("shrink.db"), *cause = NULL;
	struct client_result	 r;
	struct fault_stats	 fs;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 420);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 420);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.stored, 420);
	assert_int_equal(fs.duplicates, 0);
	/* Two refusals (200, 100), then 50 a batch: it does not grow back into the limit. */
	assert_int_equal(fs.posts - fs.acked, 2);
	assert_int_equal(fs.largest_batch, 200);
	assert_int_equal(r.last_batch, 50);
	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

/*
 * The link drops after two batches: what was acknowledged is marked sent,
 * the rest waits; the next sync sends only the rest, so the peer holds each
 * event exactly once.
 */
static void
test_cut_then_resume(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_ACK_THEN_CUT, 2);
	struct store		*st = th_store("resume.db");
	char			*path = th_path("resume.db"), *cause = NULL, *where;
	struct client_opts	 o = { .batch = 100 };
	struct client_result	 r;
	struct fault_stats	 fs;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 1000);
	assert_int_equal(client_sync(st, &o, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_OFFLINE);
	free(cause);
	cause = NULL;
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.acked, 2);
	assert_true(fs.held_seq > 0 && fs.held_seq < 1000);
	/* Sent is exactly what the peer holds, no more. */
	assert_int_equal(r.sent, fs.held_seq);
	assert_int_equal(r.pending, 1000 - fs.held_seq);
	where = xasprintf("sent = 1 AND seq <= %lld", (long long)fs.held_seq);
	assert_int_equal(th_rows(path, where), fs.held_seq);
	assert_int_equal(th_rows(path, "sent = 0"), 1000 - fs.held_seq);
	free(where);

	fault_peer_set(peer, FAULT_NONE, 0);
	if (client_sync(st, &o, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 1000 - fs.held_seq);
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.stored, 1000);
	assert_int_equal(fs.duplicates, 0);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

static void
test_cancel(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct store		*st = th_store("cancel.db");
	atomic_int		 stop = 1;
	struct client_opts	 o = { .cancel = &stop };
	struct client_result	 r;
	struct fault_stats	 fs;
	char			*cause = NULL, *err;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 50);
	assert_int_equal(client_sync(st, &o, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_CANCELLED);
	assert_true(th_has(cause, "stopped on request"));
	assert_int_equal(r.pending, 50);
	fault_peer_stats(peer, &fs);
	assert_int_equal(fs.posts, 0);
	/* Cancelling is not a failure to show on the supervisor's screen. */
	err = th_meta(st, "last_sync_error");
	assert_null(err);
	free(cause);
	store_close(st);
	fault_peer_stop(peer);
}

/* The silent peer holds the request; cancel from another thread ends it early. */
struct canceller { atomic_int *flag; struct fault_peer *peer; };

/* Cancels once the peer holds the request (bounded: 20 s of 10 ms looks at its count). */
static void *
cancel_soon(void *arg)
{
	struct canceller *c = arg;
	struct fault_stats fs;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 2000; i++) {
		fault_peer_stats(c->peer, &fs);
		if (fs.requests > 0)
			break;
		nanosleep(&ts, NULL);
	}
	atomic_store(c->flag, 1);
	return NULL;
}

static void
test_cancel_mid_request(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_SILENT, 0);
	struct store		*st = th_store("cancel2.db");
	atomic_int		 stop = 0;
	struct canceller	 c = { &stop, peer };
	struct client_opts	 o = { .cancel = &stop, .timeout_ms = 20000 };
	struct client_result	 r;
	pthread_t		 t;
	char			*cause = NULL;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 5);
	assert_int_equal(pthread_create(&t, NULL, cancel_soon, &c), 0);
	assert_int_equal(client_sync(st, &o, &r, &cause), -1);
	pthread_join(t, NULL);
	assert_int_equal(r.status, CLIENT_CANCELLED);
	assert_int_equal(r.pending, 5);
	free(cause);
	store_close(st);
	fault_peer_stop(peer);
}

/* A checklist that fails the loader is not installed, and the version is not recorded. */
static void
test_bad_checklist_not_installed(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_BAD_CHECKLIST, 0);
	struct store		*st = th_store("badcontent.db");
	struct client_result	 r;
	char			*cause = NULL;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 4);
	assert_int_equal(client_sync(st, NULL, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_SERVER_ERROR);
	assert_true(th_has(cause, "invalid checklists"));
	assert_int_equal(r.sent, 4);	/* the upload went through before */
	assert_int_equal(r.content_version, 0);
	assert_null(th_meta(st, "content_version"));
	free(cause);
	store_close(st);
	fault_peer_stop(peer);
}

static void
test_enroll(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct store		*st = th_store("enroll.db");
	enum client_status	 s;
	char			*cause = NULL, *v, *url;

	/* A wrong token is refused and nothing is kept. */
	assert_int_equal(client_enroll(st, fault_peer_url(peer), "wrong-token", NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_REFUSED);
	assert_true(th_has(cause, "refused"));
	assert_null(th_meta(st, "kiosk_id"));
	assert_null(th_meta(st, "kiosk_token"));
	free(cause);
	cause = NULL;

	/* Neither are a bad address, a token with a space, or a captive portal's page. */
	assert_int_equal(client_enroll(st, "ftp://example.org", FAULT_PEER_TOKEN, NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_LOCAL);
	assert_true(th_has(cause, "https://host[:port]"));
	free(cause);
	cause = NULL;
	assert_int_equal(client_enroll(st, fault_peer_url(peer), "a b", NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_LOCAL);
	free(cause);
	cause = NULL;
	fault_peer_set(peer, FAULT_PORTAL, 0);
	assert_int_equal(client_enroll(st, fault_peer_url(peer), FAULT_PEER_TOKEN, NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_SERVER_ERROR);
	assert_true(th_has(cause, "web page"));
	assert_null(th_meta(st, "kiosk_id"));
	free(cause);
	cause = NULL;

	/* The right token: url (trailing slash dropped), id and token are kept. */
	fault_peer_set(peer, FAULT_NONE, 0);
	url = xasprintf("%s/", fault_peer_url(peer));
	if (client_enroll(st, url, FAULT_PEER_TOKEN, NULL, &s, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(s, CLIENT_DONE);
	v = th_meta(st, "kiosk_id");
	assert_string_equal(v, FAULT_PEER_KIOSK);
	free(v);
	v = th_meta(st, "kiosk_token");
	assert_string_equal(v, FAULT_PEER_TOKEN);
	free(v);
	v = th_meta(st, "server_url");
	assert_string_equal(v, fault_peer_url(peer));
	free(v);

	/* Enrolling again with the same server keeps the content version; another resets it. */
	assert_int_equal(store_meta_set(st, "content_version", "5", &cause), 0);
	assert_int_equal(client_enroll(st, url, FAULT_PEER_TOKEN, NULL, &s, &cause), 0);
	v = th_meta(st, "content_version");
	assert_string_equal(v, "5");
	free(v);
	{
		struct fault_peer *other = fault_peer_start(FAULT_NONE, 0);

		assert_int_equal(client_enroll(st, fault_peer_url(other), FAULT_PEER_TOKEN, NULL,
		    &s, &cause), 0);
		assert_null(th_meta(st, "content_version"));
		v = th_meta(st, "server_url");
		assert_string_equal(v, fault_peer_url(other));
		free(v);
		fault_peer_stop(other);
	}
	free(url);
	store_close(st);
	fault_peer_stop(peer);
}

/* client_sync_path opens its own connection: what a UI thread uses. */
static void
test_sync_path(void **state)
{
	struct fault_peer	*peer = fault_peer_start(FAULT_NONE, 0);
	struct store		*st = th_store("bypath.db");
	char			*path = th_path("bypath.db"), *cause = NULL;
	struct client_result	 r;

	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 30);
	if (client_sync_path(path, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 30);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_mid_body),
		cmocka_unit_test(test_status_500),
		cmocka_unit_test(test_status_503_retry_after),
		cmocka_unit_test(test_status_401),
		cmocka_unit_test(test_status_403),
		cmocka_unit_test(test_status_413_always),
		cmocka_unit_test(test_captive_portal),
		cmocka_unit_test(test_truncated_json),
		cmocka_unit_test(test_invalid_json),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_huge_body),
		cmocka_unit_test(test_huge_body_chunked),
		cmocka_unit_test(test_holds_nothing),
		cmocka_unit_test(test_silent_until_timeout),
		cmocka_unit_test(test_message_in_vietnamese),
		cmocka_unit_test(test_connection_refused_is_offline),
		cmocka_unit_test(test_not_enrolled),
		cmocka_unit_test(test_good_sync_and_content),
		cmocka_unit_test(test_clock_offset),
		cmocka_unit_test(test_413_shrinks_batch),
		cmocka_unit_test(test_old_server),
		cmocka_unit_test(test_cut_then_resume),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_cancel_mid_request),
		cmocka_unit_test(test_bad_checklist_not_installed),
		cmocka_unit_test(test_enroll),
		cmocka_unit_test(test_sync_path),
	};

	i18n_set_lang(LANG_EN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
