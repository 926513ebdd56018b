/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-server.c: the real sotay-server on a free loopback port, driven
 * over HTTP as a kiosk and an administrator would, with its database read
 * back to check what it kept. The last case kills the server ten times
 * (twenty on PostgreSQL) in the middle of uploads and checks that, after a
 * full resend, it holds exactly what was sent.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <sodium.h>

#include "content.h"
#include "util.h"
#include "protocol.h"
#include "sync-helpers.h"

#define CHECKLISTS "tests/data/checklists"

/* One server for most cases; each case makes its own kiosks. */
static struct srv	 srv;
static char		*srv_db;

static int
group_setup(void **state)
{
	srv_db = th_tmp_path("server.db");
	unlink(srv_db);
	return th_srv_start(&srv, srv_db);
}

static int
group_teardown(void **state)
{
	int status = th_srv_stop(&srv, SIGTERM);

	free(srv_db);
	/* SIGTERM is a clean stop: exit code 0. */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static char *
batch_body(const char *kiosk, struct protocol_event *ev, size_t n)
{
	char *body = NULL, *cause = NULL;

	assert_int_equal(protocol_batch_encode(kiosk, ev, n, &body, &cause), 0);
	return body;
}

/* POSTs a batch and parses the ack (asserting 200). */
static void
upload(const struct srv *s, const char *token, const char *kiosk,
    struct protocol_event *ev, size_t n, struct protocol_ack *ack)
{
	struct resp	 r;
	char		*body = batch_body(kiosk, ev, n), *cause = NULL;

	assert_int_equal(th_http(s, "POST", PROTOCOL_PATH_EVENTS, token, NULL, body,
	    strlen(body), &r), 0);
	if (r.status != 200)
		fail_msg("upload: %ld %s", r.status, r.body);
	if (protocol_ack_parse(r.body, r.len, ack, &cause) != 0)
		fail_msg("ack: %s (%s)", cause, r.body);
	th_resp_free(&r);
	free(body);
}

/* Asserts an error reply with this status and code; returns its message. */
static char *
expect_error(const struct resp *r, long status, enum protocol_error code)
{
	enum protocol_error	 got;
	char			*msg = NULL, *cause = NULL;

	if (r->status != status)
		fail_msg("expected %ld, got %ld: %s", status, r->status, r->body);
	if (protocol_error_parse(r->body, r->len, &got, &msg, &cause) != 0)
		fail_msg("not an error body: %s (%s)", r->body, cause);
	assert_int_equal(got, code);
	assert_true(strlen(msg) > 0);
	return msg;
}

static int64_t
kiosk_rows(const char *db, const char *kiosk)
{
	return th_sql_int(db, "SELECT count(*) FROM events WHERE kiosk = ?", kiosk);
}

/* ---------------------------------------------------------------------- */

static void
health(void **state)
{
	struct resp	 r;
	int		 proto;
	int64_t		 t, before = util_now_ms();
	char		*cause = NULL;

	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_HEALTH, NULL, NULL, NULL, 0,
	    &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "application/json"));
	assert_int_equal(protocol_health_parse(r.body, r.len, &proto, &t, &cause), 0);
	assert_int_equal(proto, PROTOCOL_VERSION);
	assert_true(t >= before - 1000 && t <= util_now_ms() + 1000);
	th_resp_free(&r);
}

static void
whoami(void **state)
{
	char			 id[64], tok[64], *cause = NULL;
	struct resp		 r;
	struct protocol_kiosk	 k;

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn Trường Định", id, tok), 0);
	/* Never "-…": `sotay enroll URL TOKEN` would take such a token for an option. */
	assert_int_equal(strncmp(tok, "sotay_", 6), 0);
	assert_int_equal(strlen(tok), 6 + 43);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_KIOSK, tok, NULL, NULL, 0,
	    &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(protocol_kiosk_parse(r.body, r.len, &k, &cause), 0);
	assert_string_equal(k.kiosk, id);
	assert_string_equal(k.commune, "Tịnh Khê");
	assert_string_equal(k.hamlet, "Thôn Trường Định");
	assert_string_equal(k.province, "Quảng Ngãi");
	protocol_kiosk_free(&k);
	th_resp_free(&r);
	/* The token itself is nowhere in the database, only its hash. */
	assert_int_equal(th_sql_int(srv_db, th_store_is_pg() ?
	    "SELECT count(*) FROM kiosks WHERE position(convert_to(?, 'UTF8') in"
	    " token_hash) > 0 OR id = ?" : "SELECT count(*) FROM kiosks WHERE"
	    " instr(token_hash, ?) > 0 OR id = ?1", tok), 0);
	assert_int_equal(th_sql_int(srv_db, "SELECT length(token_hash) FROM kiosks"
	    " WHERE id = ?", id), 32);
}

/* GET /v1/kiosk with the headers h (NULL-terminated); the status. */
static long
whoami_with(const char *tok, const char *const *h)
{
	struct resp	r;
	long		status;

	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_KIOSK, tok, h, NULL, 0, &r), 0);
	status = r.status;
	if (status == 409)
		assert_non_null(strstr(r.body, "\"error\":\"conflict\""));
	th_resp_free(&r);
	return status;
}

/*
 * A token enrols one machine: the first install id to come with it is kept
 * and only it is answered after, the same one as often as it asks. The
 * first seq a machine gives starts a kiosk id that holds nothing below it,
 * and moves nothing once the kiosk holds more.
 */
static void
enrol_binds_one_machine(void **state)
{
	static const char *const bad[] = { "Sotay-Install: machine-1", NULL };
	static const char *const badseq[] = {
	    "Sotay-Install: 0190f000-0000-7000-8000-00000000000A",
	    "Sotay-First-Seq: 1.5", NULL };
	static const char *const one[] = {
	    "Sotay-Install: 0190F000-0000-7000-8000-00000000000A", NULL };
	static const char *const two[] = {
	    "Sotay-Install: 0190f000-0000-7000-8000-00000000000b", NULL };
	static const char *const from500[] = {
	    "Sotay-Install: 0190f000-0000-7000-8000-00000000000c",
	    "Sotay-First-Seq: 500", NULL };
	static const char *const from1[] = {
	    "Sotay-Install: 0190f000-0000-7000-8000-00000000000c",
	    "Sotay-First-Seq: 1", NULL };
	struct protocol_event	 ev[3];
	struct protocol_ack	 a;
	char			 id[64], tok[64], id2[64], tok2[64];

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 2", id, tok), 0);
	assert_int_equal(whoami_with(tok, bad), 400);
	assert_int_equal(whoami_with(tok, badseq), 400);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM kiosks WHERE id = ?"
	    " AND install = ''", id), 1);
	assert_int_equal(whoami_with(tok, one), 200);
	assert_int_equal(whoami_with(tok, one), 200);	/* its reply lost: asks again */
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM kiosks WHERE install = ?",
	    "0190f000-0000-7000-8000-00000000000a"), 1);
	assert_int_equal(whoami_with(tok, two), 409);
	assert_int_equal(whoami_with(tok, NULL), 409);	/* a kiosk from before install ids */

	/* A machine numbering from 500 under a new id. */
	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 2", id2, tok2), 0);
	assert_int_equal(whoami_with(tok2, from500), 200);
	assert_int_equal(th_sql_int(srv_db, "SELECT held_seq FROM kiosks WHERE id = ?", id2),
	    499);
	th_events_make(ev, 3, 500, "aaaa0500");
	upload(&srv, tok2, id2, ev, 3, &a);
	assert_int_equal(a.accepted, 3);
	assert_int_equal(a.held_seq, 502);
	protocol_ack_free(&a);
	th_events_free(ev, 3);
	assert_int_equal(whoami_with(tok2, from1), 200);
	assert_int_equal(th_sql_int(srv_db, "SELECT held_seq FROM kiosks WHERE id = ?", id2),
	    502);
}

static void
upload_ack_and_resend(void **state)
{
	struct protocol_event	 ev[12];
	struct protocol_ack	 a;
	char			 id[64], tok[64];
	int64_t			 before, after;

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 1", id, tok), 0);
	th_events_make(ev, 12, 1, "aaaa0001");
	before = util_now_ms();
	upload(&srv, tok, id, ev, 12, &a);
	after = util_now_ms();
	assert_string_equal(a.kiosk, id);
	assert_int_equal(a.accepted, 12);
	assert_int_equal(a.duplicates, 0);
	assert_int_equal(a.nconflicts, 0);
	assert_int_equal(a.held_seq, 12);
	assert_true(a.server_time >= before && a.server_time <= after);
	protocol_ack_free(&a);
	assert_int_equal(kiosk_rows(srv_db, id), 12);

	/* The same batch again: all duplicates, nothing stored twice. */
	upload(&srv, tok, id, ev, 12, &a);
	assert_int_equal(a.accepted, 0);
	assert_int_equal(a.duplicates, 12);
	assert_int_equal(a.nconflicts, 0);
	assert_int_equal(a.held_seq, 12);
	protocol_ack_free(&a);
	assert_int_equal(kiosk_rows(srv_db, id), 12);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(DISTINCT seq) FROM events"
	    " WHERE kiosk = ?", id), 12);
	/* Facts reports use were derived once: 12 events = 2.4 cycles of five. */
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM f_session WHERE"
	    " kiosk = ?", id), 3);	/* seq 2, 7, 12 */
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM f_block WHERE"
	    " kiosk = ?", id), 2);	/* seq 4, 9 */

	/* A gap: seq 14 without 13 holds, but held_seq stays at 12. */
	th_events_free(ev, 12);
	th_events_make(ev, 1, 14, "aaaa0001");
	upload(&srv, tok, id, ev, 1, &a);
	assert_int_equal(a.accepted, 1);
	assert_int_equal(a.held_seq, 12);
	protocol_ack_free(&a);
	th_events_free(ev, 1);
	th_events_make(ev, 1, 13, "aaaa0001");
	upload(&srv, tok, id, ev, 1, &a);
	assert_int_equal(a.held_seq, 14);
	protocol_ack_free(&a);
	th_events_free(ev, 1);
}

/*
 * A kiosk from before the compact batch (/v1/events) and one after it
 * (/v2/events) are one to the server: the same events in either format
 * are stored once, with the same seq and time, and a resend in the other
 * format is a duplicate.
 */
static void
old_and_new_kiosks(void **state)
{
	struct protocol_event	 ev[17];
	struct protocol_ack	 a;
	struct resp		 r;
	char			 id[64], tok[64], *body = NULL, *cause = NULL;

	(void)state;
	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 2", id, tok), 0);
	th_events_make(ev, 17, 1, "b2b20001");
	/* The new format: seqs 1…12 follow on, so only the first is sent. */
	assert_int_equal(protocol_batch_encode_v2(id, NULL, ev, 12, &body, &cause), 0);
	assert_null(strstr(body, "\"seq\":2"));
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS_V2, tok, NULL, body,
	    strlen(body), &r), 0);
	if (r.status != 200)
		fail_msg("v2 upload: %ld %s", r.status, r.body);
	assert_int_equal(protocol_ack_parse(r.body, r.len, &a, &cause), 0);
	th_resp_free(&r);
	free(body);
	assert_int_equal(a.accepted, 12);
	assert_int_equal(a.held_seq, 12);
	protocol_ack_free(&a);
	assert_int_equal(kiosk_rows(srv_db, id), 12);
	/* Each seq and time as the kiosk had them (th_events_make: at = base + seq s). */
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM events WHERE kiosk = ?"
	    " AND at = 1764400000000 + seq * 1000 AND id LIKE 'b2b20001-%'", id), 12);
	/* The old format: the same twelve are duplicates, five more are new. */
	upload(&srv, tok, id, ev, 17, &a);
	assert_int_equal(a.accepted, 5);
	assert_int_equal(a.duplicates, 12);
	assert_int_equal(a.nconflicts, 0);
	assert_int_equal(a.held_seq, 17);
	protocol_ack_free(&a);
	assert_int_equal(kiosk_rows(srv_db, id), 17);
	/* And the new format resending all seventeen: duplicates only. */
	assert_int_equal(protocol_batch_encode_v2(id, NULL, ev, 17, &body, &cause), 0);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS_V2, tok, NULL, body,
	    strlen(body), &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(protocol_ack_parse(r.body, r.len, &a, &cause), 0);
	assert_int_equal(a.accepted, 0);
	assert_int_equal(a.duplicates, 17);
	assert_int_equal(a.max_seq, 17);
	protocol_ack_free(&a);
	th_resp_free(&r);
	free(body);
	assert_int_equal(kiosk_rows(srv_db, id), 17);
	/* Facts were derived once: sessions at seq 2, 7, 12, 17. */
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM f_session WHERE"
	    " kiosk = ?", id), 4);
	th_events_free(ev, 17);
}

/* A block the kiosk took back (step.undone of a blocked mark) leaves the reports. */
static void
undone_block_not_counted(void **state)
{
	struct protocol_event	 ev[6];
	struct protocol_ack	 a;
	char			 id[64], tok[64];

	(void)state;
	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 9", id, tok), 0);
	th_events_make(ev, 5, 1, "0dd00001");	/* seq 4 blocks get-otp of session s2 */
	memset(&ev[5], 0, sizeof ev[5]);
	snprintf(ev[5].id, sizeof ev[5].id, "0dd00001-0000-7000-8000-%012llx", 6ULL);
	ev[5].seq = 6;
	ev[5].at = 1764400006000LL;
	ev[5].type = xstrdup("step.undone");
	ev[5].payload = xstrdup("{\"session\":\"s2\",\"checklist\":\"test-basic\","
	    "\"step\":\"get-otp\",\"index\":2,\"mark\":\"blocked\"}");
	upload(&srv, tok, id, ev, 5, &a);
	protocol_ack_free(&a);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM f_block WHERE kiosk = ?", id), 1);
	upload(&srv, tok, id, ev + 5, 1, &a);
	assert_int_equal(a.held_seq, 6);
	protocol_ack_free(&a);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM f_block WHERE kiosk = ?", id), 0);
	/* Sent again (a lost ack): nothing more is taken away. */
	upload(&srv, tok, id, ev + 5, 1, &a);
	assert_int_equal(a.duplicates, 1);
	protocol_ack_free(&a);
	th_events_free(ev, 6);
}

static void
conflicts_reported(void **state)
{
	struct protocol_event	 ev[3];
	struct protocol_ack	 a;
	char			 id[64], tok[64], *orig;
	int64_t			 stored;

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 2", id, tok), 0);
	th_events_make(ev, 3, 1, "bbbb0001");
	upload(&srv, tok, id, ev, 3, &a);
	protocol_ack_free(&a);
	orig = xstrdup(ev[1].payload);

	/* Same id, other content. */
	free(ev[1].payload);
	ev[1].payload = xstrdup("{\"session\":\"other\"}");
	/* Same seq, other id. */
	ev[2].id[35] = ev[2].id[35] == 'f' ? 'e' : 'f';
	upload(&srv, tok, id, &ev[1], 2, &a);
	assert_int_equal(a.accepted, 0);
	assert_int_equal(a.duplicates, 0);
	assert_int_equal(a.nconflicts, 2);
	assert_string_equal(a.conflicts[0].id, ev[1].id);
	assert_int_equal(a.conflicts[0].seq, 2);
	assert_non_null(strstr(a.conflicts[0].reason, "content"));
	assert_string_equal(a.conflicts[1].id, ev[2].id);
	assert_int_equal(a.conflicts[1].seq, 3);
	assert_non_null(strstr(a.conflicts[1].reason, "another id"));
	assert_int_equal(a.conflicts[0].seq_taken, 0);
	assert_int_equal(a.conflicts[1].seq_taken, 1);
	/*
	 * A taken seq is not held for this event: held_seq stays below it, so
	 * the kiosk keeps it, and max_seq says where to renumber it from.
	 */
	assert_int_equal(a.held_seq, 2);
	assert_int_equal(a.max_seq, 3);
	protocol_ack_free(&a);
	/* The first content stays; nothing extra was stored. */
	assert_int_equal(kiosk_rows(srv_db, id), 3);
	stored = th_sql_int(srv_db, "SELECT count(*) FROM events WHERE payload = ?"
	    " AND id LIKE 'bbbb0001-%'", orig);
	assert_int_equal(stored, 1);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM conflicts WHERE"
	    " kiosk = ?", id), 2);

	/* A conflicting seq counts as held: seq 5's conflict moves held_seq on. */
	th_events_free(ev, 3);
	th_events_make(ev, 2, 4, "bbbb0001");
	memcpy(ev[1].id, "bbbb0001-0000-7000-8000-000000000001", 36);	/* seq 1's id */
	upload(&srv, tok, id, ev, 2, &a);
	assert_int_equal(a.accepted, 1);
	assert_int_equal(a.nconflicts, 1);
	assert_int_equal(a.conflicts[0].seq, 5);
	assert_int_equal(a.held_seq, 5);
	protocol_ack_free(&a);
	th_events_free(ev, 2);
	free(orig);
}

/*
 * A kiosk restored from an old backup sends new events under seq numbers
 * the server holds: the first one is refused as seq_taken, nothing after it
 * in the batch is stored, and once renumbered after max_seq they all go in
 * (and the refusal is no longer listed for a supervisor).
 */
static void
seq_taken_then_renumbered(void **state)
{
	struct protocol_event	 ev[6], nv[3];
	struct protocol_ack	 a;
	char			 id[64], tok[64];
	size_t			 i;

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Khê", "Thôn 5", id, tok), 0);
	th_events_make(ev, 6, 1, "cccc0001");
	upload(&srv, tok, id, ev, 6, &a);
	assert_int_equal(a.max_seq, 6);
	protocol_ack_free(&a);

	/* seq 4…6 again under new ids: 4 is refused, 5 and 6 not even looked at. */
	th_events_make(nv, 3, 4, "cccc0002");
	upload(&srv, tok, id, nv, 3, &a);
	assert_int_equal(a.accepted, 0);
	assert_int_equal(a.nconflicts, 1);
	assert_int_equal(a.conflicts[0].seq, 4);
	assert_int_equal(a.conflicts[0].seq_taken, 1);
	assert_int_equal(a.held_seq, 3);
	assert_int_equal(a.max_seq, 6);
	protocol_ack_free(&a);
	assert_int_equal(kiosk_rows(srv_db, id), 6);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM events WHERE id LIKE"
	    " 'cccc0002-%'", NULL), 0);

	/* Renumbered 7…9 and sent again: stored, the refusal resolved. */
	for (i = 0; i < 3; i++)
		nv[i].seq = 7 + (int64_t)i;
	upload(&srv, tok, id, nv, 3, &a);
	assert_int_equal(a.accepted, 3);
	assert_int_equal(a.nconflicts, 0);
	assert_int_equal(a.held_seq, 9);
	assert_int_equal(a.max_seq, 9);
	protocol_ack_free(&a);
	assert_int_equal(kiosk_rows(srv_db, id), 9);
	assert_int_equal(th_sql_int(srv_db, "SELECT count(*) FROM conflicts WHERE kiosk = ?",
	    id), 0);
	th_events_free(nv, 3);
	th_events_free(ev, 6);
}

static void
other_kiosk_forbidden(void **state)
{
	struct protocol_event	 ev[2];
	struct resp		 r;
	char			 ida[64], toka[64], idb[64], tokb[64], *body, *msg;

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Kỳ", "Thôn A", ida, toka), 0);
	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Kỳ", "Thôn B", idb, tokb), 0);
	th_events_make(ev, 2, 1, "cccc0001");
	body = batch_body(idb, ev, 2);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, toka, NULL, body,
	    strlen(body), &r), 0);
	msg = expect_error(&r, 403, PROTOCOL_E_FORBIDDEN);
	assert_non_null(strstr(msg, idb));
	free(msg);
	th_resp_free(&r);
	assert_int_equal(kiosk_rows(srv_db, idb), 0);
	assert_int_equal(kiosk_rows(srv_db, ida), 0);
	free(body);
	th_events_free(ev, 2);
}

static void
revoked_and_unknown(void **state)
{
	struct protocol_event	 ev[1];
	struct resp		 r;
	char			 id[64], tok[64], *body, *msg, *out = NULL, *err = NULL;
	struct protocol_ack	 a;

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Hòa", "Thôn 3", id, tok), 0);
	th_events_make(ev, 1, 1, "dddd0001");
	upload(&srv, tok, id, ev, 1, &a);
	protocol_ack_free(&a);
	assert_int_equal(th_cli(srv_db, &out, NULL, "kiosk", "revoke", id, (char *)NULL), 0);
	free(out);
	/* kiosk list says so. */
	assert_int_equal(th_cli(srv_db, &out, NULL, "kiosk", "list", (char *)NULL), 0);
	{
		char *line = strstr(out, id);

		assert_non_null(line);
		line[strcspn(line, "\n")] = '\0';
		assert_non_null(strstr(line, "revoked"));
	}
	free(out);
	body = batch_body(id, ev, 1);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, NULL, body,
	    strlen(body), &r), 0);
	free(expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_KIOSK, tok, NULL, NULL, 0,
	    &r), 0);
	free(expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED));
	th_resp_free(&r);
	/* No token, a made-up token. */
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, NULL, NULL, body,
	    strlen(body), &r), 0);
	free(expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, "made-up", NULL,
	    body, strlen(body), &r), 0);
	msg = expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED);
	free(msg);
	th_resp_free(&r);
	/* Revoking twice, or an unknown id, is an error that says so. */
	assert_int_not_equal(th_cli(srv_db, NULL, &err, "kiosk", "revoke", id,
	    (char *)NULL), 0);
	assert_non_null(strstr(err, id));
	free(err);
	free(body);
	th_events_free(ev, 1);
}

static void
too_large(void **state)
{
	struct resp		 r;
	struct protocol_event	*ev;
	size_t			 n = PROTOCOL_MAX_WIRE + 1024, zlen;
	char			 id[64], tok[64], *big, *z, *body, *cause = NULL;
	const char		*gz[] = { "Content-Encoding: gzip", NULL };

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Ấn", "Thôn 4", id, tok), 0);
	/* Over 4 MiB on the wire. */
	big = xmalloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, NULL, big, n,
	    &r), 0);
	free(expect_error(&r, 413, PROTOCOL_E_TOO_LARGE));
	th_resp_free(&r);
	/* Small on the wire, over 16 MiB once gunzipped: a bomb. */
	free(big);
	n = PROTOCOL_MAX_BODY + 4096;
	big = xmalloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	assert_int_equal(protocol_gzip(big, n, &z, &zlen, &cause), 0);
	assert_true(zlen < PROTOCOL_MAX_WIRE);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, gz, z, zlen,
	    &r), 0);
	free(expect_error(&r, 413, PROTOCOL_E_TOO_LARGE));
	th_resp_free(&r);
	free(z);
	free(big);
	/* 1001 events: under the byte limits, over the batch limit. */
	ev = xcalloc(PROTOCOL_MAX_EVENTS + 1, sizeof *ev);
	th_events_make(ev, PROTOCOL_MAX_EVENTS + 1, 1, "eeee0001");
	assert_int_equal(protocol_batch_encode(id, ev, PROTOCOL_MAX_EVENTS, &body,
	    &cause), 0);
	{
		/* Add the 1001st by hand; the encoder refuses to. */
		char *one, *joined;

		assert_int_equal(protocol_batch_encode(id, &ev[PROTOCOL_MAX_EVENTS], 1, &one,
		    &cause), 0);
		body[strlen(body) - 2] = '\0';	/* drop "]}" */
		joined = xasprintf("%s,%s", body, strstr(one, "[{") + 1);
		free(body);
		free(one);
		body = joined;
	}
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, NULL, body,
	    strlen(body), &r), 0);
	free(expect_error(&r, 413, PROTOCOL_E_TOO_LARGE));
	th_resp_free(&r);
	assert_int_equal(kiosk_rows(srv_db, id), 0);
	free(body);
	th_events_free(ev, PROTOCOL_MAX_EVENTS + 1);
	free(ev);
}

static void
malformed(void **state)
{
	struct resp	 r;
	char		 id[64], tok[64], *body, *msg;
	const char	*br[] = { "Content-Encoding: br", NULL };
	const char	*gz[] = { "Content-Encoding: gzip", NULL };

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Long", "Thôn 5", id, tok), 0);
	body = xstrdup("{\"kiosk\": \"x\", \"events\": [");
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, NULL, body,
	    strlen(body), &r), 0);
	msg = expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST);
	assert_non_null(strstr(msg, "JSON"));
	free(msg);
	th_resp_free(&r);
	free(body);
	/* A string where a number belongs: the message names the field. */
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-000000000001\",\"seq\":\"1\",\"type\":\"a\","
	    "\"at\":1,\"payload\":{}}]}", id);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, NULL, body,
	    strlen(body), &r), 0);
	msg = expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST);
	assert_non_null(strstr(msg, "events[0].seq"));
	free(msg);
	th_resp_free(&r);
	free(body);
	body = xasprintf("{\"kiosk\":\"%s\",\"events\":[{\"id\":"
	    "\"0190f000-0000-7000-8000-000000000001\",\"seq\":1,\"type\":\"a\","
	    "\"at\":1,\"payload\":\"text\"}]}", id);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, NULL, body,
	    strlen(body), &r), 0);
	msg = expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST);
	assert_non_null(strstr(msg, "events[0].payload"));
	free(msg);
	th_resp_free(&r);
	/* An encoding the server does not speak; a "gzip" body that is not. */
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, br, body,
	    strlen(body), &r), 0);
	free(expect_error(&r, 415, PROTOCOL_E_UNSUPPORTED_ENCODING));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, gz, body,
	    strlen(body), &r), 0);
	free(expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST));
	th_resp_free(&r);
	free(body);
	assert_int_equal(kiosk_rows(srv_db, id), 0);
	/* Unknown path, wrong method. */
	assert_int_equal(th_http(&srv, "GET", "/v9/events", tok, NULL, NULL, 0, &r), 0);
	free(expect_error(&r, 404, PROTOCOL_E_NOT_FOUND));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_EVENTS, tok, NULL, NULL, 0,
	    &r), 0);
	free(expect_error(&r, 405, PROTOCOL_E_METHOD_NOT_ALLOWED));
	th_resp_free(&r);
}

static void
gzip_both_ways(void **state)
{
	struct protocol_event	 ev[50];
	struct protocol_ack	 a;
	struct resp		 r;
	char			 id[64], tok[64], *body, *z, *plain, *cause = NULL;
	size_t			 zlen, plen;
	const char		*hdr[] = { "Content-Encoding: gzip",
				    "Accept-Encoding: gzip", NULL };

	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Sơn", "Thôn 6", id, tok), 0);
	th_events_make(ev, 50, 1, "ffff0001");
	body = batch_body(id, ev, 50);
	assert_int_equal(protocol_gzip(body, strlen(body), &z, &zlen, &cause), 0);
	assert_int_equal(th_http(&srv, "POST", PROTOCOL_PATH_EVENTS, tok, hdr, z, zlen,
	    &r), 0);
	assert_int_equal(r.status, 200);
	/* A small ack comes back as it is; a client must read either. */
	if (strcmp(r.content_encoding, "gzip") == 0) {
		assert_int_equal(protocol_gunzip(r.body, r.len, PROTOCOL_MAX_BODY, &plain,
		    &plen, NULL, &cause), 0);
	} else {
		plain = xstrdup(r.body);
		plen = r.len;
	}
	assert_int_equal(protocol_ack_parse(plain, plen, &a, &cause), 0);
	assert_int_equal(a.accepted, 50);
	assert_int_equal(a.held_seq, 50);
	protocol_ack_free(&a);
	free(plain);
	th_resp_free(&r);
	assert_int_equal(kiosk_rows(srv_db, id), 50);
	free(z);
	free(body);
	th_events_free(ev, 50);
}

/* Writes text to dir/name. */
static void
write_file(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* A checklist of tests/data/checklists, changed by fn, as JSON text. */
static char *
edited_checklist(const char *file, void (*fn)(json_object *))
{
	char		*path = xasprintf("%s/%s", CHECKLISTS, file), *text;
	json_object	*o = json_object_from_file(path);

	assert_non_null(o);
	fn(o);
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(path);
	return text;
}

static void
break_it(json_object *o)
{
	json_object_object_del(o, "title");
	json_object_object_add(o, "minutes", json_object_new_int(0));
}

static void
new_summary(json_object *o)
{
	json_object *s = json_object_new_object();

	json_object_object_add(s, "vi", json_object_new_string("Tóm tắt đã đổi"));
	json_object_object_add(o, "summary", s);
}

static void
content_publish_and_download(void **state)
{
	struct protocol_content	 c;
	struct resp		 r;
	struct library		 lib = { 0 };
	struct problems		 pr = { 0 };
	const char		*dirs[] = { CHECKLISTS };
	char			 id[64], tok[64], inm[64], *cause = NULL, *out, *err, *t;
	char			*bad = th_tmp_path("bad-content"), *chg = th_tmp_path("changed");
	const char		*inmh[] = { inm, NULL };
	const char		*acc[] = { "Accept-Encoding: gzip", NULL };
	int64_t			 v;
	size_t			 i;

	assert_int_equal(library_load(&lib, dirs, 1, &pr), 0);
	assert_true(lib.n > 0);
	assert_int_equal(th_kiosk_add(srv_db, "Tịnh Bắc", "Thôn 7", id, tok), 0);
	assert_int_equal(th_cli(srv_db, &out, &err, "content", "publish", CHECKLISTS,
	    (char *)NULL), 0);
	free(out);
	free(err);
	v = th_sql_int(srv_db, "SELECT max(version) FROM content_versions", NULL);
	assert_true(v >= 1);

	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_CONTENT "?since=0", tok, NULL,
	    NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(protocol_content_parse(r.body, r.len, &c, &cause), 0);
	assert_int_equal(c.version, v);
	assert_int_equal(c.n, lib.n);
	/* Each one passes the kiosk's own loader and matches its source. */
	for (i = 0; i < c.n; i++) {
		struct problems		 p2 = { 0 };
		struct checklist	*cl = checklist_parse(c.checklists[i],
					    strlen(c.checklists[i]), "server", &p2);
		const struct checklist	*src;

		if (cl == NULL)
			fail_msg("downloaded checklist %zu refused: %s", i,
			    p2.n > 0 ? p2.lines[0] : "?");
		src = library_find(&lib, cl->id);
		assert_non_null(src);
		assert_int_equal(cl->version, src->version);
		assert_int_equal(cl->nsteps, src->nsteps);
		checklist_free(cl);
		problems_free(&p2);
	}
	protocol_content_free(&c);
	snprintf(inm, sizeof inm, "If-None-Match: %s", r.etag);
	{
		char want[32];

		snprintf(want, sizeof want, "\"%lld\"", (long long)v);
		assert_string_equal(r.etag, want);
	}
	th_resp_free(&r);
	/* Nothing new for a kiosk that holds v. */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_CONTENT "?since=0", tok,
	    inmh, NULL, 0, &r), 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	th_resp_free(&r);
	t = xasprintf(PROTOCOL_PATH_CONTENT "?since=%lld", (long long)v);
	assert_int_equal(th_http(&srv, "GET", t, tok, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(protocol_content_parse(r.body, r.len, &c, &cause), 0);
	assert_int_equal(c.n, 0);
	protocol_content_free(&c);
	th_resp_free(&r);
	free(t);
	/* Gzip when asked for (the reply is large). */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_CONTENT, tok, acc, NULL, 0,
	    &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_encoding, "gzip");
	{
		char *plain;
		size_t plen;

		assert_int_equal(protocol_gunzip(r.body, r.len, PROTOCOL_MAX_BODY, &plain,
		    &plen, NULL, &cause), 0);
		assert_int_equal(protocol_content_parse(plain, plen, &c, &cause), 0);
		assert_int_equal(c.n, lib.n);
		protocol_content_free(&c);
		free(plain);
	}
	th_resp_free(&r);
	/* Without a token: 401. */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_CONTENT, NULL, NULL, NULL, 0,
	    &r), 0);
	free(expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED));
	th_resp_free(&r);

	/* An invalid checklist: the whole publish is refused, every problem listed. */
	assert_int_equal(util_mkdir_p(bad), 0);
	t = edited_checklist("test-basic.json", break_it);
	write_file(bad, "test-basic.json", t);
	free(t);
	{
		char *p = xasprintf("%s/test-next.json", CHECKLISTS), *txt;
		size_t l;

		txt = util_read_file(p, &l);
		assert_non_null(txt);
		write_file(bad, "test-next.json", txt);
		free(txt);
		free(p);
	}
	assert_int_not_equal(th_cli(srv_db, &out, &err, "content", "publish", bad,
	    (char *)NULL), 0);
	assert_non_null(strstr(err, "title"));
	assert_non_null(strstr(err, "minutes"));
	free(out);
	free(err);
	assert_int_equal(th_sql_int(srv_db, "SELECT max(version) FROM content_versions",
	    NULL), v);
	/* Same id and version, other text: refused, says to raise the version. */
	assert_int_equal(util_mkdir_p(chg), 0);
	t = edited_checklist("test-basic.json", new_summary);
	write_file(chg, "test-basic.json", t);
	free(t);
	assert_int_not_equal(th_cli(srv_db, &out, &err, "content", "publish", chg,
	    (char *)NULL), 0);
	assert_non_null(strstr(err, "test-basic"));
	assert_non_null(strstr(err, "version"));
	free(out);
	free(err);
	assert_int_equal(th_sql_int(srv_db, "SELECT max(version) FROM content_versions",
	    NULL), v);
	free(bad);
	free(chg);
	problems_free(&pr);
	library_free(&lib);
}

/* The report row whose key field equals key, or NULL. */
static json_object *
report_row(json_object *rep, const char *field, const char *key)
{
	json_object	*rows;
	size_t		 i;

	assert_true(json_object_object_get_ex(rep, "rows", &rows));
	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i), *k;

		if (json_object_object_get_ex(row, field, &k) &&
		    strcmp(json_object_get_string(k), key) == 0)
			return row;
	}
	return NULL;
}

static int64_t
row_int(json_object *row, const char *field)
{
	json_object *v;

	assert_true(json_object_object_get_ex(row, field, &v));
	return json_object_get_int64(v);
}

/* A report's people of one row (key in field), for a query string q. */
static int64_t
people_of(const char *q, const char *field, const char *key)
{
	struct resp	 r;
	json_object	*rep, *row;
	char		*path = xasprintf("%s?%s", PROTOCOL_PATH_REPORTS, q);
	int64_t		 n;

	assert_int_equal(th_http(&srv, "GET", path, TEST_ADMIN_TOKEN, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	rep = json_tokener_parse(r.body);
	row = report_row(rep, field, key);
	if (row == NULL)
		fail_msg("%s: no row %s in %s", q, key, r.body);
	n = row_int(row, "people");
	json_object_put(rep);
	th_resp_free(&r);
	free(path);
	return n;
}

/*
 * A resident may keep no record on the kiosk (it asks; they may say no):
 * their session still helped one person, as the kiosk's own report says,
 * in every report and range.
 */
static void
reports_people_without_record(void **state)
{
	struct protocol_event	 ev[10];
	struct protocol_ack	 a;
	char			 id[64], tok[64];
	const char		*commune = "Xã Không Ghi Tên";

	assert_int_equal(th_kiosk_add(srv_db, commune, "Thôn 9", id, tok), 0);
	/* Residents r1 and r6; r1's session s2, and s7 of nobody on record. */
	th_events_make(ev, 10, 1, "abab0002");
	assert_string_equal(ev[6].type, "session.started");
	free(ev[6].payload);
	ev[6].payload = xstrdup("{\"session\":\"s7\",\"checklist\":\"test-basic\","
	    "\"version\":1,\"category\":\"public_services\",\"volunteer\":1}");
	upload(&srv, tok, id, ev, 10, &a);
	assert_int_equal(a.accepted, 10);
	protocol_ack_free(&a);
	th_events_free(ev, 10);

	assert_int_equal(people_of("by=commune", "commune", commune), 2);
	/* A month, and any run of days (read from the days' rows). */
	assert_int_equal(people_of("by=commune&from=2025-11-01&to=2025-12-01", "commune",
	    commune), 2);
	assert_int_equal(people_of("by=commune&from=2025-11-20&to=2025-12-03", "commune",
	    commune), 2);
	/* s7 in the kiosk's hamlet (r1 is in the one they gave). */
	assert_int_equal(people_of("by=hamlet", "hamlet", "Thôn 9"), 1);
}

static void
reports(void **state)
{
	struct protocol_event	 ev[25];
	struct protocol_ack	 a;
	struct resp		 r;
	char			 id[64], tok[64], *msg;
	const char		*commune = "Xã Báo Cáo";
	json_object		*rep, *row;
	int64_t			 started = 0, finished = 0, blocked = 0;
	size_t			 i;

	assert_int_equal(th_kiosk_add(srv_db, commune, "Thôn 8", id, tok), 0);
	th_events_make(ev, 25, 1, "abab0001");
	upload(&srv, tok, id, ev, 25, &a);
	protocol_ack_free(&a);
	for (i = 0; i < 25; i++) {
		started += strcmp(ev[i].type, "session.started") == 0;
		finished += strcmp(ev[i].type, "session.finished") == 0;
		blocked += strstr(ev[i].payload, "\"blocked\"") != NULL &&
		    strcmp(ev[i].type, "step.marked") == 0;
	}

	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS "?by=commune", TEST_ADMIN_TOKEN,
	    NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	rep = json_tokener_parse(r.body);
	assert_non_null(rep);
	{
		json_object *ok;

		assert_true(json_object_object_get_ex(rep, "ok", &ok));
		assert_string_equal(json_object_get_string(ok), PROTOCOL_OK_REPORT);
	}
	row = report_row(rep, "commune", commune);
	assert_non_null(row);
	assert_int_equal(row_int(row, "sessions_started"), started);
	assert_int_equal(row_int(row, "sessions_finished"), finished);
	assert_int_equal(row_int(row, "steps_blocked"), blocked);
	assert_int_equal(row_int(row, "people"), started);	/* one resident each */
	json_object_put(rep);
	th_resp_free(&r);

	/* By day, over the days the events carry (2025-11-30 in their clock). */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS
	    "?by=reason&from=2000-01-01&to=2100-01-01", TEST_ADMIN_TOKEN, NULL, NULL, 0,
	    &r), 0);
	assert_int_equal(r.status, 200);
	rep = json_tokener_parse(r.body);
	row = report_row(rep, "reason", "no-otp");
	assert_non_null(row);
	assert_true(row_int(row, "count") >= blocked);
	json_object_put(rep);
	th_resp_free(&r);
	/* A range with nothing in it. */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS
	    "?by=checklist&from=2001-01-01&to=2001-01-02", TEST_ADMIN_TOKEN, NULL, NULL,
	    0, &r), 0);
	rep = json_tokener_parse(r.body);
	{
		json_object *rows;

		assert_true(json_object_object_get_ex(rep, "rows", &rows));
		assert_int_equal(json_object_array_length(rows), 0);
	}
	json_object_put(rep);
	th_resp_free(&r);

	/* CSV. */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS
	    "?by=hamlet&format=csv", TEST_ADMIN_TOKEN, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/csv"));
	assert_memory_equal(r.body, "commune,hamlet,people,sessions_started,", 39);
	{
		/* The events name their resident's hamlet, "Thôn Đông". */
		char *want = xasprintf("\r\n%s,Thôn Đông,%lld,%lld,%lld,", commune,
		    (long long)started, (long long)started, (long long)finished);

		if (strstr(r.body, want) == NULL)
			fail_msg("CSV lacks \"%s\":\n%s", want + 2, r.body);
		free(want);
	}
	th_resp_free(&r);

	/* Without the admin token: 401; with a kiosk's: 403; bad arguments: 400. */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS "?by=day", NULL, NULL,
	    NULL, 0, &r), 0);
	free(expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS "?by=day",
	    "wrong-admin-token-000000", NULL, NULL, 0, &r), 0);
	free(expect_error(&r, 401, PROTOCOL_E_UNAUTHORIZED));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS "?by=day", tok, NULL,
	    NULL, 0, &r), 0);
	free(expect_error(&r, 403, PROTOCOL_E_FORBIDDEN));
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS "?by=planet",
	    TEST_ADMIN_TOKEN, NULL, NULL, 0, &r), 0);
	msg = expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST);
	assert_non_null(strstr(msg, "planet"));
	free(msg);
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS
	    "?by=day&from=2026-02-30", TEST_ADMIN_TOKEN, NULL, NULL, 0, &r), 0);
	free(expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST));
	th_resp_free(&r);
	/* Dates swapped, or one day asked as from=D&to=D: said, not an empty report. */
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS
	    "?by=day&from=2025-12-01&to=2025-11-01", TEST_ADMIN_TOKEN, NULL, NULL, 0, &r), 0);
	msg = expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST);
	assert_non_null(strstr(msg, "from=D&to=D+1"));
	free(msg);
	th_resp_free(&r);
	assert_int_equal(th_http(&srv, "GET", PROTOCOL_PATH_REPORTS
	    "?by=commune&from=2025-11-30&to=2025-11-30", TEST_ADMIN_TOKEN, NULL, NULL, 0, &r),
	    0);
	free(expect_error(&r, 400, PROTOCOL_E_BAD_REQUEST));
	th_resp_free(&r);
	th_events_free(ev, 25);
}

/* Crash safety ---------------------------------------------------------- */

#define CRASH_EVENTS	6000
#define CRASH_BATCH	300

struct uploader {
	const struct srv	*s;
	const char		*kiosk;
	const char		*token;
	struct protocol_event	*ev;
	int			 failures;
};

/* Sends every batch once, in order, counting those that got no ack. */
static void *
upload_all(void *arg)
{
	struct uploader	*u = arg;
	size_t		 i;

	for (i = 0; i < CRASH_EVENTS; i += CRASH_BATCH) {
		struct resp	 r;
		char		*body = NULL, *cause = NULL;

		protocol_batch_encode(u->kiosk, u->ev + i, CRASH_BATCH, &body, &cause);
		if (th_http(u->s, "POST", PROTOCOL_PATH_EVENTS, u->token, NULL, body,
		    strlen(body), &r) != 0 || r.status != 200)
			u->failures++;
		th_resp_free(&r);
		free(body);
		free(cause);
	}
	return NULL;
}

static void
killed_mid_upload(void **state)
{
	struct protocol_event	*ev = xcalloc(CRASH_EVENTS, sizeof *ev);
	struct srv		 s;
	struct uploader		 u;
	struct protocol_ack	 a;
	char			*db = th_tmp_path("crash.db"), id[64], tok[64];
	/* Twenty kills on PostgreSQL: a server there is one of several. */
	int			 round, cut = 0, rounds = th_store_is_pg() ? 20 : 10;
	size_t			 i;

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Khê", "Thôn 9", id, tok), 0);
	th_events_make(ev, CRASH_EVENTS, 1, "dead0001");
	for (round = 0; round < rounds; round++) {
		pthread_t		t;
		struct timespec		ts = { 0, (long)(5 + round * 9) * 1000000L };

		assert_int_equal(th_srv_start(&s, db), 0);
		memset(&u, 0, sizeof u);
		u.s = &s;
		u.kiosk = id;
		u.token = tok;
		u.ev = ev;
		pthread_create(&t, NULL, upload_all, &u);
		nanosleep(&ts, NULL);	/* fault injection, not a timing assertion */
		th_srv_stop(&s, SIGKILL);
		pthread_join(t, NULL);
		cut += u.failures > 0;
	}
	/* At least one kill must have landed mid-upload, or this tested nothing. */
	assert_true(cut > 0);

	/* Restart, resend everything as a kiosk would. */
	assert_int_equal(th_srv_start(&s, db), 0);
	for (i = 0; i < CRASH_EVENTS; i += CRASH_BATCH) {
		upload(&s, tok, id, ev + i, CRASH_BATCH, &a);
		assert_int_equal(a.nconflicts, 0);
		assert_int_equal(a.accepted + a.duplicates, CRASH_BATCH);
		protocol_ack_free(&a);
	}
	upload(&s, tok, id, ev, 0, &a);
	assert_int_equal(a.held_seq, CRASH_EVENTS);
	protocol_ack_free(&a);
	assert_int_equal(th_srv_stop(&s, SIGTERM), 0);

	/* The server's events are exactly what was sent. */
	assert_int_equal(th_sql_int(db, "SELECT count(*) FROM events", NULL), CRASH_EVENTS);
	assert_int_equal(th_sql_int(db, "SELECT count(DISTINCT seq) FROM events", NULL),
	    CRASH_EVENTS);
	assert_int_equal(th_sql_int(db, "SELECT count(*) FROM conflicts", NULL), 0);
	for (i = 0; i < CRASH_EVENTS; i++) {
		char		 seq[24], *row, *want_row, *pl;
		json_object	*want, *got;

		snprintf(seq, sizeof seq, "%lld", (long long)ev[i].seq);
		row = th_sql_text(db, "SELECT id || '|' || seq || '|' || type || '|' || at"
		    " FROM events WHERE seq = ?", seq);
		want_row = xasprintf("%s|%lld|%s|%lld", ev[i].id, (long long)ev[i].seq,
		    ev[i].type, (long long)ev[i].at);
		assert_non_null(row);
		assert_string_equal(row, want_row);
		pl = th_sql_text(db, "SELECT payload FROM events WHERE seq = ?", seq);
		assert_non_null(pl);
		want = json_tokener_parse(ev[i].payload);
		got = json_tokener_parse(pl);
		assert_true(json_object_equal(want, got));
		json_object_put(want);
		json_object_put(got);
		free(pl);
		free(row);
		free(want_row);
	}
	if (!th_store_is_pg()) {
		char *ok = th_sql_text(db, "PRAGMA integrity_check", NULL);

		assert_non_null(ok);
		assert_string_equal(ok, "ok");
		free(ok);
	}
	printf("# %d of %d kills landed mid-upload (%s)\n", cut, rounds,
	    th_store_is_pg() ? "PostgreSQL" : "SQLite");
	th_events_free(ev, CRASH_EVENTS);
	free(ev);
	free(db);
}

/* SIGTERM: a request in flight ------------------------------------------ */

/* The sending thread and the test signal each other, never poll. */
struct slow_body {
	const char	*body;
	size_t		 len, off;
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	int		 half_sent;
	int		 go;
};

static void
slow_set(struct slow_body *b, int *flag)
{
	pthread_mutex_lock(&b->lock);
	*flag = 1;
	pthread_cond_broadcast(&b->changed);
	pthread_mutex_unlock(&b->lock);
}

static void
slow_wait(struct slow_body *b, int *flag)
{
	pthread_mutex_lock(&b->lock);
	while (!*flag)
		pthread_cond_wait(&b->changed, &b->lock);
	pthread_mutex_unlock(&b->lock);
}

/* Sends half the body, then waits for the test to say go. */
static size_t
slow_read(char *buf, size_t sz, size_t nm, void *ud)
{
	struct slow_body	*b = ud;
	size_t			 n = sz * nm, left = b->len - b->off;

	if (b->off == 0) {
		n = n < b->len / 2 ? n : b->len / 2;
	} else {
		slow_wait(b, &b->go);
		n = n < left ? n : left;
	}
	memcpy(buf, b->body + b->off, n);
	b->off += n;
	if (b->off >= b->len / 2 && !b->half_sent)
		slow_set(b, &b->half_sent);
	return n;
}

struct slow_call {
	const struct srv	*s;
	const char		*token;
	struct slow_body	 body;
	struct resp		 r;
	CURLcode		 rc;
};

static void *
slow_post(void *arg)
{
	struct slow_call	*sc = arg;
	CURL			*c = curl_easy_init();
	struct curl_slist	*h = NULL;
	char			 url[128], *auth = xasprintf("Authorization: Bearer %s",
				    sc->token);

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", sc->s->port,
	    PROTOCOL_PATH_EVENTS);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, slow_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &sc->body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, th_resp_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sc->r);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)sc->body.len);
	sc->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &sc->r.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(auth);
	return NULL;
}

static void
sigterm_finishes_in_flight(void **state)
{
	struct protocol_event	 ev[200];
	struct srv		 s;
	struct slow_call	 sc;
	struct resp		 r;
	pthread_t		 t;
	char			*db = th_tmp_path("term.db"), id[64], tok[64], *body;
	struct timespec		 pause = { 0, 300 * 1000000L };
	int			 status;
	pid_t			 pid;

	unlink(db);
	assert_int_equal(th_kiosk_add(db, "Tịnh Châu", "Thôn 10", id, tok), 0);
	assert_int_equal(th_srv_start(&s, db), 0);
	th_events_make(ev, 200, 1, "7e770001");
	body = batch_body(id, ev, 200);
	memset(&sc, 0, sizeof sc);
	sc.s = &s;
	sc.token = tok;
	sc.body.body = body;
	sc.body.len = strlen(body);
	pthread_mutex_init(&sc.body.lock, NULL);
	pthread_cond_init(&sc.body.changed, NULL);
	pthread_create(&t, NULL, slow_post, &sc);
	slow_wait(&sc.body, &sc.body.half_sent);
	/* Let the server read the headers and the first half, then stop it. */
	nanosleep(&pause, NULL);
	pid = s.pid;
	kill(pid, SIGTERM);
	/* It stops taking connections: wait for that (bounded), not for a time. */
	for (int i = 0; i < 400; i++) {
		int up = th_http(&s, "GET", PROTOCOL_PATH_HEALTH, NULL, NULL, NULL, 0, &r) == 0;

		th_resp_free(&r);
		if (!up)
			break;
		nanosleep(&(struct timespec){ 0, 50 * 1000000L }, NULL);
	}
	/* Still running: it waits for the request in flight ... */
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	/* ... but takes no new connection. */
	assert_int_equal(th_http(&s, "GET", PROTOCOL_PATH_HEALTH, NULL, NULL, NULL, 0,
	    &r), -1);
	th_resp_free(&r);
	slow_set(&sc.body, &sc.body.go);
	pthread_join(t, NULL);
	assert_int_equal(sc.rc, CURLE_OK);
	assert_int_equal(sc.r.status, 200);
	{
		struct protocol_ack	 a;
		char			*cause = NULL;

		assert_int_equal(protocol_ack_parse(sc.r.body, sc.r.len, &a, &cause), 0);
		assert_int_equal(a.accepted, 200);
		protocol_ack_free(&a);
		th_resp_free(&sc.r);
	}
	/* Then it stops cleanly, with the batch stored. */
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(kiosk_rows(db, id), 200);
	free(body);
	th_events_free(ev, 200);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(health),
		cmocka_unit_test(whoami),
		cmocka_unit_test(enrol_binds_one_machine),
		cmocka_unit_test(upload_ack_and_resend),
		cmocka_unit_test(undone_block_not_counted),
		cmocka_unit_test(old_and_new_kiosks),
		cmocka_unit_test(conflicts_reported),
		cmocka_unit_test(seq_taken_then_renumbered),
		cmocka_unit_test(other_kiosk_forbidden),
		cmocka_unit_test(revoked_and_unknown),
		cmocka_unit_test(too_large),
		cmocka_unit_test(malformed),
		cmocka_unit_test(gzip_both_ways),
		cmocka_unit_test(content_publish_and_download),
		cmocka_unit_test(reports),
		cmocka_unit_test(reports_people_without_record),
		cmocka_unit_test(killed_mid_upload),
		cmocka_unit_test(sigterm_finishes_in_flight),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	curl_global_cleanup();
	return rc;
}
