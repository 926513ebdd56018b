/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-protocol.c: the wire helpers both ends share (sync/protocol.c):
 * gzip both ways with its limits (a bomb, a truncated stream, garbage),
 * batches encoded and decoded with every field checked, acknowledgements
 * that a captive portal's page can never pass for, error and content
 * bodies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <sodium.h>

#include "i18n.h"
#include "util.h"
#include "protocol.h"

#define ID(n) "0190f000-0000-7000-8000-00000000000" #n

/* gzip ------------------------------------------------------------------ */

static void
gzip_round_trip(void **state)
{
	size_t	 n = 200 * 1024, zlen, plen;
	char	*in = xmalloc(n), *z, *plain, *cause = NULL;

	/* Half random (incompressible), half text. */
	randombytes_buf(in, n / 2);
	for (size_t i = n / 2; i < n; i++)
		in[i] = "Bước 3/9 "[i % 10];
	assert_int_equal(protocol_gzip(in, n, &z, &zlen, &cause), 0);
	assert_true(zlen > 18);
	assert_int_equal((unsigned char)z[0], 0x1f);	/* gzip magic */
	assert_int_equal((unsigned char)z[1], 0x8b);
	assert_int_equal(protocol_gunzip(z, zlen, n, &plain, &plen, NULL, &cause), 0);
	assert_int_equal(plen, n);
	assert_memory_equal(plain, in, n);
	assert_int_equal(plain[plen], '\0');
	free(plain);
	free(z);
	free(in);
}

static void
gzip_empty(void **state)
{
	char	*z, *plain, *cause = NULL;
	size_t	 zlen, plen;

	assert_int_equal(protocol_gzip("", 0, &z, &zlen, &cause), 0);
	assert_int_equal(protocol_gunzip(z, zlen, 10, &plain, &plen, NULL, &cause), 0);
	assert_int_equal(plen, 0);
	free(plain);
	free(z);
}

static void
gunzip_bomb(void **state)
{
	/* 20 MiB of zeros shrink to about 20 KiB: over the 16 MiB limit. */
	size_t			 n = 20 * 1024 * 1024, zlen, plen;
	char			*in = xcalloc(1, n), *z, *plain = NULL, *cause = NULL;
	enum protocol_error	 err = PROTOCOL_E_NONE;

	assert_int_equal(protocol_gzip(in, n, &z, &zlen, &cause), 0);
	free(in);
	assert_true(zlen < 100 * 1024);
	assert_int_equal(protocol_gunzip(z, zlen, PROTOCOL_MAX_BODY, &plain, &plen, &err,
	    &cause), -1);
	assert_null(plain);
	assert_int_equal(err, PROTOCOL_E_TOO_LARGE);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "16777216"));
	free(cause);
	free(z);
}

static void
gunzip_limit_is_exact(void **state)
{
	char			 in[10000], *z, *plain = NULL, *cause = NULL;
	size_t			 zlen, plen;
	enum protocol_error	 err;

	memset(in, 'a', sizeof in);
	assert_int_equal(protocol_gzip(in, sizeof in, &z, &zlen, &cause), 0);
	assert_int_equal(protocol_gunzip(z, zlen, sizeof in - 1, &plain, &plen, &err,
	    &cause), -1);
	assert_int_equal(err, PROTOCOL_E_TOO_LARGE);
	free(cause);
	cause = NULL;
	assert_int_equal(protocol_gunzip(z, zlen, sizeof in, &plain, &plen, &err,
	    &cause), 0);
	assert_int_equal(plen, sizeof in);
	free(plain);
	free(z);
}

static void
gunzip_truncated(void **state)
{
	const char		*text = "{\"kiosk\":\"k1\",\"events\":[]} and some more text";
	char			*z, *plain = NULL, *cause = NULL;
	size_t			 zlen, plen, cut;
	enum protocol_error	 err = PROTOCOL_E_NONE;

	assert_int_equal(protocol_gzip(text, strlen(text), &z, &zlen, &cause), 0);
	/* Every cut, from the header to the last byte of the trailer. */
	for (cut = 1; cut < zlen; cut++) {
		assert_int_equal(protocol_gunzip(z, cut, 1 << 20, &plain, &plen, &err,
		    &cause), -1);
		assert_null(plain);
		assert_int_equal(err, PROTOCOL_E_BAD_REQUEST);
		free(cause);
		cause = NULL;
	}
	free(z);
}

static void
gunzip_garbage(void **state)
{
	const char		*text = "hello";
	char			*z, *plain = NULL, *cause = NULL, *more;
	size_t			 zlen, plen;
	enum protocol_error	 err;

	/* Not gzip at all. */
	assert_int_equal(protocol_gunzip("{\"a\":1}", 7, 100, &plain, &plen, &err,
	    &cause), -1);
	assert_int_equal(err, PROTOCOL_E_BAD_REQUEST);
	free(cause);
	cause = NULL;
	/* A flipped byte in the compressed data: the CRC catches it. */
	assert_int_equal(protocol_gzip(text, strlen(text), &z, &zlen, &cause), 0);
	z[12] ^= 0x55;
	assert_int_equal(protocol_gunzip(z, zlen, 100, &plain, &plen, &err, &cause), -1);
	free(cause);
	cause = NULL;
	z[12] ^= 0x55;
	/* Trailing bytes after a good stream. */
	more = xmalloc(zlen + 3);
	memcpy(more, z, zlen);
	memcpy(more + zlen, "xyz", 3);
	assert_int_equal(protocol_gunzip(more, zlen + 3, 100, &plain, &plen, &err,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(more);
	free(z);
}

/* Batches --------------------------------------------------------------- */

static void
batch_round_trip(void **state)
{
	struct protocol_event ev[3] = {
		{ ID(1), 1, "resident.added", 1732900000000,
		    "{\"resident\":\"r1\",\"birth_year\":1950,\"sex\":\"f\",\"hamlet\":\"Thôn 1\"}" },
		{ ID(2), 2, "session.started", 1732900000100,
		    "{ \"session\": \"s1\", \"resident\": \"r1\", \"checklist\": \"vneid-level2\" }" },
		{ ID(3), 3, "session.paused", 1732900000200, "{}" },
	};
	struct protocol_batch	 b;
	char			*body, *cause = NULL;
	size_t			 i;

	assert_int_equal(protocol_batch_encode("kiosk-1", ev, 3, &body, &cause), 0);
	assert_int_equal(protocol_batch_decode(body, strlen(body), &b, NULL, &cause), 0);
	assert_string_equal(b.kiosk, "kiosk-1");
	assert_int_equal(b.n, 3);
	for (i = 0; i < 3; i++) {
		json_object *want = json_tokener_parse(ev[i].payload);
		json_object *got = json_tokener_parse(b.events[i].payload);

		assert_string_equal(b.events[i].id, ev[i].id);
		assert_int_equal(b.events[i].seq, ev[i].seq);
		assert_string_equal(b.events[i].type, ev[i].type);
		assert_int_equal(b.events[i].at, ev[i].at);
		assert_true(json_object_equal(want, got));
		json_object_put(want);
		json_object_put(got);
	}
	/* Vietnamese survives as UTF-8, not as \u escapes that change the text. */
	assert_non_null(strstr(b.events[0].payload, "Thôn 1"));
	protocol_batch_free(&b);
	free(body);
}

/*
 * The compact batch (/v2/events) gives back the same events as the first
 * format: seqs left out where they follow on, a gap kept, times as
 * differences (one going back, as after a clock correction).
 */
static void
batch_v2_round_trip(void **state)
{
	struct protocol_event ev[4] = {
		{ ID(1), 41, "resident.added", 1732900000000, "{\"resident\":\"r1\"}" },
		{ ID(2), 42, "session.started", 1732900000100, "{\"session\":\"s1\"}" },
		{ ID(3), 50, "session.paused", 1732899000000, "{}" },
		{ ID(4), 51, "session.resumed", 1732899000007, "{}" },
	};
	struct protocol_kiosk_status ks = { 0, 3, 2, "0.1.0", 1732900000500 };
	struct protocol_batch	 b;
	char			*v1, *v2, *cause = NULL;
	size_t			 i;

	assert_int_equal(protocol_batch_encode_v2("kiosk-1", &ks, ev, 4, &v2, &cause), 0);
	assert_int_equal(protocol_batch_encode_status("kiosk-1", &ks, ev, 4, &v1, &cause), 0);
	assert_true(strlen(v2) < strlen(v1));
	/* What the reader works out is not sent: 42 and 51 follow on, 50 does not. */
	assert_null(strstr(v2, "\"seq\":42"));
	assert_null(strstr(v2, "\"seq\":51"));
	assert_non_null(strstr(v2, "\"seq\":50"));
	assert_null(strstr(v2, "\"at\""));
	assert_int_equal(protocol_batch_decode_version(2, v2, strlen(v2), &b, NULL, &cause), 0);
	assert_string_equal(b.kiosk, "kiosk-1");
	assert_int_equal(b.status.clock, 1732900000500);
	assert_int_equal(b.n, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(b.events[i].id, ev[i].id);
		assert_int_equal(b.events[i].seq, ev[i].seq);
		assert_string_equal(b.events[i].type, ev[i].type);
		assert_int_equal(b.events[i].at, ev[i].at);
	}
	protocol_batch_free(&b);
	/* Each format only at its own path: a v1 body is not a v2 one, nor back. */
	assert_int_equal(protocol_batch_decode_version(2, v1, strlen(v1), &b, NULL, &cause), -1);
	assert_non_null(strstr(cause, "at"));
	protocol_batch_free(&b);
	free(cause);
	cause = NULL;
	assert_int_equal(protocol_batch_decode_version(1, v2, strlen(v2), &b, NULL, &cause), -1);
	assert_non_null(strstr(cause, "dt"));
	protocol_batch_free(&b);
	free(cause);
	free(v1);
	free(v2);
}

/* What the compact batch refuses, each naming the field. */
static void
batch_v2_refuses(void **state)
{
	static const struct {
		const char	*body;
		const char	*says;
	} bad[] = {
		/* The first event must give its seq. */
		{ "{\"kiosk\":\"k\",\"events\":[{\"id\":\"" ID(1) "\",\"type\":\"a\","
		    "\"dt\":5,\"payload\":{}}]}", "events[0].seq" },
		/* A time before 1970 or after 9999 is out of range however it is reached. */
		{ "{\"kiosk\":\"k\",\"events\":[{\"id\":\"" ID(1) "\",\"seq\":1,"
		    "\"type\":\"a\",\"dt\":5,\"payload\":{}},{\"id\":\"" ID(2) "\","
		    "\"type\":\"a\",\"dt\":-6,\"payload\":{}}]}", "events[1].dt" },
		{ "{\"kiosk\":\"k\",\"events\":[{\"id\":\"" ID(1) "\",\"seq\":1,"
		    "\"type\":\"a\",\"dt\":253402300799999,\"payload\":{}},{\"id\":\""
		    ID(2) "\",\"type\":\"a\",\"dt\":1,\"payload\":{}}]}", "events[1].dt" },
		/* A seq worked out past the limit. */
		{ "{\"kiosk\":\"k\",\"events\":[{\"id\":\"" ID(1) "\",\"seq\":"
		    "9007199254740991,\"type\":\"a\",\"dt\":5,\"payload\":{}},{\"id\":\""
		    ID(2) "\",\"type\":\"a\",\"dt\":1,\"payload\":{}}]}", "events[1].seq" },
		/* Worked out or given, a seq twice is refused as in the first format. */
		{ "{\"kiosk\":\"k\",\"events\":[{\"id\":\"" ID(1) "\",\"seq\":7,"
		    "\"type\":\"a\",\"dt\":5,\"payload\":{}},{\"id\":\"" ID(2) "\","
		    "\"type\":\"a\",\"dt\":1,\"payload\":{}},{\"id\":\"" ID(3) "\","
		    "\"seq\":8,\"type\":\"a\",\"dt\":1,\"payload\":{}}]}", "seq) 8" },
		{ "{\"kiosk\":\"k\",\"events\":[{\"id\":\"" ID(1) "\",\"seq\":1,"
		    "\"type\":\"a\",\"dt\":1.5,\"payload\":{}}]}", "events[0].dt" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct protocol_batch	 b;
		enum protocol_error	 err = PROTOCOL_E_NONE;
		char			*cause = NULL;
		int			 rc;

		rc = protocol_batch_decode_version(2, bad[i].body, strlen(bad[i].body), &b,
		    &err, &cause);
		if (rc != -1 || cause == NULL || strstr(cause, bad[i].says) == NULL)
			fail_msg("case %zu: rc %d, message \"%s\" should name \"%s\"", i, rc,
			    cause != NULL ? cause : "(none)", bad[i].says);
		assert_int_equal(err, PROTOCOL_E_BAD_REQUEST);
		protocol_batch_free(&b);
		free(cause);
	}
}

/* The compact batch holds up to PROTOCOL_MAX_EVENTS_V2 events; one more is 413. */
static void
batch_v2_limit(void **state)
{
	size_t			 n = PROTOCOL_MAX_EVENTS_V2 + 1, i;
	struct protocol_event	*ev = xcalloc(n, sizeof *ev);
	struct protocol_batch	 b;
	enum protocol_error	 err;
	char			*body, *cause = NULL;

	for (i = 0; i < n; i++) {
		snprintf(ev[i].id, sizeof ev[i].id, "0190f000-0000-7000-8000-%012zx", i);
		ev[i].seq = (int64_t)i + 1;
		ev[i].type = "note.added";
		ev[i].at = 1732900000000 + (int64_t)i;
		ev[i].payload = "{}";
	}
	assert_int_equal(protocol_batch_encode_v2("k", NULL, ev, n, &body, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(protocol_batch_encode_v2("k", NULL, ev, n - 1, &body, &cause), 0);
	assert_int_equal(protocol_batch_decode_version(2, body, strlen(body), &b, &err,
	    &cause), 0);
	assert_int_equal(b.n, n - 1);
	assert_int_equal(b.events[n - 2].seq, (int64_t)n - 1);
	assert_int_equal(b.events[n - 2].at, 1732900000000 + (int64_t)n - 2);
	protocol_batch_free(&b);
	/* The first format keeps its own, smaller limit. */
	assert_int_equal(protocol_batch_decode_version(1, body, strlen(body), &b, &err,
	    &cause), -1);
	protocol_batch_free(&b);
	free(cause);
	free(body);
	free(ev);
}

static void
batch_encode_refuses(void **state)
{
	struct protocol_event	 ev = { ID(1), 1, "x", 1, "[1, 2]" };
	struct protocol_event	*many;
	char			*body = NULL, *cause = NULL;

	assert_int_equal(protocol_batch_encode("k", &ev, 1, &body, &cause), -1);
	assert_null(body);
	assert_non_null(strstr(cause, ID(1)));
	free(cause);
	cause = NULL;
	ev.payload = "{\"a\": ";
	assert_int_equal(protocol_batch_encode("k", &ev, 1, &body, &cause), -1);
	free(cause);
	cause = NULL;
	/* A payload is copied as stored: one object, nothing after it. */
	ev.payload = "{\"a\": 1}, \"b\": 2";
	assert_int_equal(protocol_batch_encode_v2("k", NULL, &ev, 1, &body, &cause), -1);
	assert_null(body);
	free(cause);
	cause = NULL;
	/* Text that needs escaping is escaped; a payload with spaces is kept whole. */
	ev.payload = " {\"a\": \"x\\\"y\"} ";
	assert_int_equal(protocol_batch_encode_status("k\"\\\n", NULL, &ev, 1, &body,
	    &cause), 0);
	{
		struct protocol_batch b;

		assert_int_equal(protocol_batch_decode(body, strlen(body), &b, NULL, &cause), 0);
		assert_string_equal(b.kiosk, "k\"\\\n");
		assert_string_equal(b.events[0].payload, "{\"a\":\"x\\\"y\"}");
		protocol_batch_free(&b);
	}
	free(body);
	body = NULL;
	many = xcalloc(PROTOCOL_MAX_EVENTS + 1, sizeof *many);
	assert_int_equal(protocol_batch_encode("k", many, PROTOCOL_MAX_EVENTS + 1, &body,
	    &cause), -1);
	assert_non_null(strstr(cause, "1000"));
	free(cause);
	free(many);
}

struct bad_batch {
	const char		*body;
	const char		*says;	/* the field the message must name */
	enum protocol_error	 err;
};

#define EV(fields) "{\"kiosk\":\"k\",\"events\":[" fields "]}"
#define OKEV "{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a.b\",\"at\":5,\"payload\":{}}"

static const struct bad_batch bad_batches[] = {
	{ "{\"kiosk\":\"k\",", "JSON", PROTOCOL_E_BAD_REQUEST },
	{ "<html><body>Wi-Fi login</body></html>", "JSON", PROTOCOL_E_BAD_REQUEST },
	{ "[1,2]", "{", PROTOCOL_E_BAD_REQUEST },
	{ "{\"events\":[]}", "kiosk", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":7,\"events\":[]}", "kiosk", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"\",\"events\":[]}", "kiosk", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\"}", "events", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":{}}", "events", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":[],\"extra\":1}", "extra", PROTOCOL_E_BAD_REQUEST },
	{ EV("7"), "events[0]", PROTOCOL_E_BAD_REQUEST },
	{ EV(OKEV ",{\"id\":\"nope\",\"seq\":2,\"type\":\"a\",\"at\":5,\"payload\":{}}"),
	    "events[1].id", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":\"1\",\"type\":\"a\",\"at\":5,\"payload\":{}}"),
	    "events[0].seq", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1.5,\"type\":\"a\",\"at\":5,\"payload\":{}}"),
	    "events[0].seq", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":0,\"type\":\"a\",\"at\":5,\"payload\":{}}"),
	    "events[0].seq", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"Step Marked\",\"at\":5,\"payload\":{}}"),
	    "events[0].type", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":7,\"at\":5,\"payload\":{}}"),
	    "events[0].type", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"at\":-1,\"payload\":{}}"),
	    "events[0].at", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"payload\":{}}"),
	    "events[0].at", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"at\":5,\"payload\":[1]}"),
	    "events[0].payload", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"at\":5}"),
	    "events[0].payload", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"at\":5,\"payload\":{},\"x\":1}"),
	    "events[0].x", PROTOCOL_E_BAD_REQUEST },
	{ EV(OKEV ",{\"id\":\"" ID(2) "\",\"seq\":1,\"type\":\"a\",\"at\":5,\"payload\":{}}"),
	    "seq", PROTOCOL_E_BAD_REQUEST },
	{ EV(OKEV ",{\"id\":\"" ID(1) "\",\"seq\":2,\"type\":\"a\",\"at\":5,\"payload\":{}}"),
	    ID(1), PROTOCOL_E_BAD_REQUEST },
	{ EV(OKEV) " trailing", "JSON", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":[],\"kiosk\":\"\xff\"}", "JSON",
	    PROTOCOL_E_BAD_REQUEST },
	/* A NUL inside any string, a value or a key: never stored cut short. */
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\\u0000b\",\"at\":5,"
	    "\"payload\":{}}"), "events[0].type", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\\u0000x\",\"events\":[]}", "kiosk", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"at\":5,"
	    "\"payload\":{\"name\":[\"ok\",\"x\\u0000\"]}}"), "events[0].payload.name[1]",
	    PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\",\"at\":5,"
	    "\"payload\":{\"a\\u0000b\":1}}"), "u0000", PROTOCOL_E_BAD_REQUEST },
	/* Integers past 64 bits are refused, not clamped to the largest int64. */
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":18446744073709551616,\"type\":\"a\","
	    "\"at\":5,\"payload\":{}}"), "events[0].seq", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":9223372036854775807,\"type\":\"a\","
	    "\"at\":5,\"payload\":{}}"), "events[0].seq", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\","
	    "\"at\":253402300800000,\"payload\":{}}"), "events[0].at", PROTOCOL_E_BAD_REQUEST },
	{ EV("{\"id\":\"" ID(1) "\",\"seq\":1,\"type\":\"a\","
	    "\"at\":5,\"payload\":{\"n\":-99999999999999999999}}"), "events[0].payload.n",
	    PROTOCOL_E_BAD_REQUEST },
	/* The kiosk's status: all four fields, nothing else, right types. */
	{ "{\"kiosk\":\"k\",\"events\":[],\"status\":7}", "status",
	    PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":[],\"status\":{\"pending\":1,"
	    "\"content_version\":2,\"program_version\":\"0.1\"}}", "status.clock",
	    PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":[],\"status\":{\"pending\":-1,"
	    "\"content_version\":2,\"program_version\":\"0.1\",\"clock\":5}}",
	    "status.pending", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":[],\"status\":{\"pending\":1,"
	    "\"content_version\":2,\"program_version\":\"0.1\",\"clock\":5,"
	    "\"battery\":9}}", "status.battery", PROTOCOL_E_BAD_REQUEST },
	{ "{\"kiosk\":\"k\",\"events\":[],\"status\":{\"pending\":1,"
	    "\"content_version\":2,\"program_version\":"
	    "\"0123456789012345678901234567890123\",\"clock\":5}}",
	    "status.program_version", PROTOCOL_E_BAD_REQUEST },
};

static void
batch_decode_refuses(void **state)
{
	size_t i;

	for (i = 0; i < sizeof bad_batches / sizeof bad_batches[0]; i++) {
		struct protocol_batch	 b;
		enum protocol_error	 err = PROTOCOL_E_NONE;
		char			*cause = NULL;
		int			 rc;

		rc = protocol_batch_decode(bad_batches[i].body, strlen(bad_batches[i].body),
		    &b, &err, &cause);
		if (rc != -1 || cause == NULL || strstr(cause, bad_batches[i].says) == NULL)
			fail_msg("case %zu (%s): rc %d, message \"%s\" should name \"%s\"", i,
			    bad_batches[i].body, rc, cause != NULL ? cause : "(none)",
			    bad_batches[i].says);
		assert_int_equal(err, bad_batches[i].err);
		protocol_batch_free(&b);
		free(cause);
	}
}

static void
batch_decode_too_many(void **state)
{
	struct protocol_event	*ev = xcalloc(PROTOCOL_MAX_EVENTS + 1, sizeof *ev);
	struct protocol_batch	 b;
	enum protocol_error	 err;
	char			*body, *cause = NULL;
	json_object		*root, *arr;
	size_t			 i;

	for (i = 0; i < PROTOCOL_MAX_EVENTS + 1; i++) {
		snprintf(ev[i].id, sizeof ev[i].id, "0190f000-0000-7000-8000-%012zx", i);
		ev[i].seq = (int64_t)i + 1;
		ev[i].type = "note.added";
		ev[i].payload = "{}";
	}
	/* Exactly the limit passes. */
	assert_int_equal(protocol_batch_encode("k", ev, PROTOCOL_MAX_EVENTS, &body,
	    &cause), 0);
	assert_int_equal(protocol_batch_decode(body, strlen(body), &b, &err, &cause), 0);
	assert_int_equal(b.n, PROTOCOL_MAX_EVENTS);
	protocol_batch_free(&b);
	/* One more (built by hand: the encoder refuses it) is too large. */
	root = json_tokener_parse(body);
	json_object_object_get_ex(root, "events", &arr);
	json_object_array_add(arr, json_object_get(json_object_array_get_idx(arr, 0)));
	free(body);
	body = xstrdup(json_object_to_json_string(root));
	json_object_put(root);
	assert_int_equal(protocol_batch_decode(body, strlen(body), &b, &err, &cause), -1);
	assert_int_equal(err, PROTOCOL_E_TOO_LARGE);
	protocol_batch_free(&b);
	free(cause);
	free(body);
	free(ev);
}

static void
batch_empty_is_fine(void **state)
{
	struct protocol_batch	 b;
	char			*body, *cause = NULL;

	assert_int_equal(protocol_batch_encode("k9", NULL, 0, &body, &cause), 0);
	assert_int_equal(protocol_batch_decode(body, strlen(body), &b, NULL, &cause), 0);
	assert_int_equal(b.n, 0);
	assert_string_equal(b.kiosk, "k9");
	protocol_batch_free(&b);
	free(body);
}

/* What the kiosk says of itself rides with its batch and comes back whole. */
static void
batch_status_round_trip(void **state)
{
	struct protocol_kiosk_status	 ks = { 0 };
	struct protocol_batch		 b;
	char				*body, *cause = NULL;

	ks.pending = 1234;
	ks.content_version = 7;
	snprintf(ks.program_version, sizeof ks.program_version, "0.1.0");
	ks.clock = 1732900000123;
	assert_int_equal(protocol_batch_encode_status("k9", &ks, NULL, 0, &body,
	    &cause), 0);
	assert_int_equal(protocol_batch_decode(body, strlen(body), &b, NULL, &cause), 0);
	assert_true(b.status.present);
	assert_int_equal(b.status.pending, 1234);
	assert_int_equal(b.status.content_version, 7);
	assert_string_equal(b.status.program_version, "0.1.0");
	assert_int_equal(b.status.clock, 1732900000123);
	protocol_batch_free(&b);
	free(body);
	/* Without it (a kiosk from before the field): absent, not zero-valued. */
	assert_int_equal(protocol_batch_encode("k9", NULL, 0, &body, &cause), 0);
	assert_null(strstr(body, "status"));
	assert_int_equal(protocol_batch_decode(body, strlen(body), &b, NULL, &cause), 0);
	assert_false(b.status.present);
	protocol_batch_free(&b);
	free(body);
}

/* Acks ------------------------------------------------------------------ */

static void
ack_round_trip(void **state)
{
	struct protocol_conflict c[2] = {
		{ ID(7), 7, "id held with different content", 0 },
		{ ID(8), 8, "seq held under another id", 1 },
	};
	struct protocol_ack a = { "kiosk-1", 998, 2, c, 2, 1041, 1732900000123, 1077 }, b;
	char *body = protocol_ack_encode(&a), *cause = NULL;

	assert_int_equal(protocol_ack_parse(body, strlen(body), &b, &cause), 0);
	assert_string_equal(b.kiosk, "kiosk-1");
	assert_int_equal(b.accepted, 998);
	assert_int_equal(b.duplicates, 2);
	assert_int_equal(b.held_seq, 1041);
	assert_int_equal(b.server_time, 1732900000123);
	assert_int_equal(b.nconflicts, 2);
	assert_string_equal(b.conflicts[1].id, ID(8));
	assert_int_equal(b.conflicts[1].seq, 8);
	assert_string_equal(b.conflicts[0].reason, "id held with different content");
	assert_int_equal(b.conflicts[0].seq_taken, 0);
	assert_int_equal(b.conflicts[1].seq_taken, 1);
	assert_int_equal(b.max_seq, 1077);
	/* On the wire: the flag only where it is set. */
	assert_non_null(strstr(body, "\"max_seq\":1077"));
	assert_non_null(strstr(body, "\"seq_taken\":true"));
	assert_null(strstr(strstr(body, "seq_taken") + 1, "seq_taken"));
	protocol_ack_free(&b);
	free(body);
}

/* An ack from a server before max_seq and seq_taken: both read as 0. */
static void
ack_without_new_fields(void **state)
{
	const char *body = "{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,"
	    "\"duplicates\":0,\"conflicts\":[{\"id\":\"" ID(3) "\",\"seq\":3,"
	    "\"reason\":\"r\"}],\"held_seq\":4,\"server_time\":5}";
	struct protocol_ack	 a;
	char			*cause = NULL;

	if (protocol_ack_parse(body, strlen(body), &a, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(a.held_seq, 4);
	assert_int_equal(a.max_seq, 0);
	assert_int_equal(a.nconflicts, 1);
	assert_int_equal(a.conflicts[0].seq, 3);
	assert_int_equal(a.conflicts[0].seq_taken, 0);
	protocol_ack_free(&a);
}

static const char *const bad_acks[] = {
	"<!DOCTYPE html><html><head><title>Đăng nhập Wi-Fi</title></head></html>",
	"",
	"{}",
	"{\"ok\":\"sotay.health.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v2\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":true,\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":\"1\",\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1.0,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":-3,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":{},\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[{\"id\":\"x\",\"seq\":1,\"reason\":\"r\"}],\"held_seq\":1,"
	    "\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":null,\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5} <html>",
	/* max_seq, when there, is an integer ≥ 0; seq_taken a boolean. */
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"max_seq\":-1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"max_seq\":\"9\",\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"max_seq\":null,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":0,\"duplicates\":0,"
	    "\"conflicts\":[{\"id\":\"" ID(3) "\",\"seq\":3,\"reason\":\"r\","
	    "\"seq_taken\":1}],\"held_seq\":2,\"max_seq\":9,\"server_time\":5}",
	/* The kiosk reads no NUL and no integer past 64 bits either. */
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\\u0000\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":1,\"server_time\":5}",
	"{\"ok\":\"sotay.ack.v1\",\"kiosk\":\"k\",\"accepted\":1,\"duplicates\":0,"
	    "\"conflicts\":[],\"held_seq\":18446744073709551616,\"server_time\":5}",
};

static void
ack_parse_refuses(void **state)
{
	size_t i;

	for (i = 0; i < sizeof bad_acks / sizeof bad_acks[0]; i++) {
		struct protocol_ack	 a;
		char			*cause = NULL;

		if (protocol_ack_parse(bad_acks[i], strlen(bad_acks[i]), &a, &cause) != -1)
			fail_msg("ack case %zu was accepted: %s", i, bad_acks[i]);
		assert_non_null(cause);
		protocol_ack_free(&a);
		free(cause);
	}
}

static void
ack_refusal_mentions_portal(void **state)
{
	struct protocol_ack	 a;
	char			*cause = NULL;
	const char		*page = "{\"status\":\"login required\"}";

	i18n_set_lang(LANG_EN);
	assert_int_equal(protocol_ack_parse(page, strlen(page), &a, &cause), -1);
	assert_non_null(strstr(cause, PROTOCOL_OK_ACK));
	assert_non_null(strstr(cause, "login page"));
	free(cause);
	cause = NULL;
	i18n_set_lang(LANG_VI);
	assert_int_equal(protocol_ack_parse(page, strlen(page), &a, &cause), -1);
	assert_non_null(strstr(cause, "đăng nhập Wi-Fi"));
	free(cause);
	protocol_ack_free(&a);
}

/* Errors, health, kiosk, content ---------------------------------------- */

static void
error_codes(void **state)
{
	static const struct {
		enum protocol_error	 e;
		int			 status;
		const char		*code;
	} table[] = {
		{ PROTOCOL_E_BAD_REQUEST, 400, "bad_request" },
		{ PROTOCOL_E_UNAUTHORIZED, 401, "unauthorized" },
		{ PROTOCOL_E_FORBIDDEN, 403, "forbidden" },
		{ PROTOCOL_E_NOT_FOUND, 404, "not_found" },
		{ PROTOCOL_E_METHOD_NOT_ALLOWED, 405, "method_not_allowed" },
		{ PROTOCOL_E_CONFLICT, 409, "conflict" },
		{ PROTOCOL_E_TOO_LARGE, 413, "too_large" },
		{ PROTOCOL_E_UNSUPPORTED_ENCODING, 415, "unsupported_encoding" },
		{ PROTOCOL_E_INTERNAL, 500, "internal" },
		{ PROTOCOL_E_UNAVAILABLE, 503, "unavailable" },
	};
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		enum protocol_error	 got;
		char			*body = protocol_error_encode(table[i].e, "vì sao \"x\"");
		char			*msg = NULL, *cause = NULL;

		assert_int_equal(protocol_error_status(table[i].e), table[i].status);
		assert_string_equal(protocol_error_code(table[i].e), table[i].code);
		assert_int_equal(protocol_error_from_status(table[i].status), table[i].e);
		assert_int_equal(protocol_error_parse(body, strlen(body), &got, &msg,
		    &cause), 0);
		assert_int_equal(got, table[i].e);
		assert_string_equal(msg, "vì sao \"x\"");
		free(msg);
		free(body);
	}
	{
		enum protocol_error	 got;
		char			*msg = NULL, *cause = NULL;
		const char		*odd = "{\"error\":\"teapot\",\"message\":\"m\"}";

		assert_int_equal(protocol_error_parse(odd, strlen(odd), &got, &msg,
		    &cause), 0);
		assert_int_equal(got, PROTOCOL_E_UNKNOWN);
		free(msg);
		assert_int_equal(protocol_error_parse("<html>", 6, &got, &msg, &cause), -1);
		free(cause);
	}
}

static void
health_and_kiosk(void **state)
{
	struct protocol_kiosk	 k = { "k1", "Quảng Ngãi", "Tịnh Khê", "Thôn 1", "NVH" }, g;
	char			*body, *cause = NULL;
	int			 proto;
	int64_t			 t;

	body = protocol_health_encode(1732900000000);
	assert_int_equal(protocol_health_parse(body, strlen(body), &proto, &t, &cause), 0);
	assert_int_equal(proto, PROTOCOL_VERSION);
	assert_int_equal(t, 1732900000000);
	free(body);
	body = protocol_kiosk_encode(&k);
	assert_int_equal(protocol_kiosk_parse(body, strlen(body), &g, &cause), 0);
	assert_string_equal(g.kiosk, "k1");
	assert_string_equal(g.commune, "Tịnh Khê");
	protocol_kiosk_free(&g);
	/* A health reply is not a kiosk reply. */
	free(body);
	body = protocol_health_encode(1);
	assert_int_equal(protocol_kiosk_parse(body, strlen(body), &g, &cause), -1);
	free(cause);
	free(body);
}

static void
content_round_trip(void **state)
{
	const char *lists[2] = {
		"{\"format\":1,\"id\":\"a-b\",\"version\":2,\"title\":{\"vi\":\"Thử\"}}",
		"{\"format\":1,\"id\":\"c-d\",\"version\":1}",
	};
	struct protocol_content	 c;
	char			*body, *cause = NULL;
	size_t			 i;

	assert_int_equal(protocol_content_encode(7, lists, 2, &body, &cause), 0);
	assert_int_equal(protocol_content_parse(body, strlen(body), &c, &cause), 0);
	assert_int_equal(c.version, 7);
	assert_int_equal(c.n, 2);
	for (i = 0; i < 2; i++) {
		json_object *a = json_tokener_parse(lists[i]);
		json_object *b = json_tokener_parse(c.checklists[i]);

		assert_true(json_object_equal(a, b));
		json_object_put(a);
		json_object_put(b);
	}
	protocol_content_free(&c);
	free(body);
	/* Refusals: wrong ok, a checklist that is not an object, no version. */
	{
		const char *bad[] = {
			"{\"ok\":\"sotay.ack.v1\",\"version\":1,\"checklists\":[]}",
			"{\"ok\":\"sotay.content.v1\",\"version\":1,\"checklists\":[\"x\"]}",
			"{\"ok\":\"sotay.content.v1\",\"checklists\":[]}",
			"{\"ok\":\"sotay.content.v1\",\"version\":1,\"checklists\":{}}",
		};
		for (i = 0; i < 4; i++) {
			if (protocol_content_parse(bad[i], strlen(bad[i]), &c, &cause) != -1)
				fail_msg("content case %zu accepted", i);
			protocol_content_free(&c);
			free(cause);
			cause = NULL;
		}
	}
	lists[1] = "not json";
	assert_int_equal(protocol_content_encode(1, lists, 2, &body, &cause), -1);
	free(cause);
}

static void
uuid_check(void **state)
{
	assert_true(protocol_is_uuid("0190f000-0000-7000-8000-0000000000ab"));
	assert_true(protocol_is_uuid("0190F000-0000-7000-8000-0000000000AB"));
	assert_false(protocol_is_uuid("0190f000-0000-7000-8000-0000000000a"));
	assert_false(protocol_is_uuid("0190f000_0000-7000-8000-0000000000ab"));
	assert_false(protocol_is_uuid("0190f000-0000-7000-8000-0000000000ag"));
	assert_false(protocol_is_uuid(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gzip_round_trip),
		cmocka_unit_test(gzip_empty),
		cmocka_unit_test(gunzip_bomb),
		cmocka_unit_test(gunzip_limit_is_exact),
		cmocka_unit_test(gunzip_truncated),
		cmocka_unit_test(gunzip_garbage),
		cmocka_unit_test(batch_round_trip),
		cmocka_unit_test(batch_v2_round_trip),
		cmocka_unit_test(batch_v2_refuses),
		cmocka_unit_test(batch_v2_limit),
		cmocka_unit_test(batch_encode_refuses),
		cmocka_unit_test(batch_decode_refuses),
		cmocka_unit_test(batch_decode_too_many),
		cmocka_unit_test(batch_empty_is_fine),
		cmocka_unit_test(batch_status_round_trip),
		cmocka_unit_test(ack_round_trip),
		cmocka_unit_test(ack_without_new_fields),
		cmocka_unit_test(ack_parse_refuses),
		cmocka_unit_test(ack_refusal_mentions_portal),
		cmocka_unit_test(error_codes),
		cmocka_unit_test(health_and_kiosk),
		cmocka_unit_test(content_round_trip),
		cmocka_unit_test(uuid_check),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
