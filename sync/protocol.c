/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protocol.c: the wire helpers of sync/PROTOCOL.md shared by the kiosk and
 * the server — gzip with a bounded output, the JSON of every message (json-c)
 * and the validation of what comes in. Parsers are strict on purpose: a
 * body of the wrong shape is refused with the name of the field, never
 * half-read.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <zlib.h>

#include "i18n.h"
#include "util.h"
#include "protocol.h"

/* One table for the error codes, so each has exactly one status and name. */
static const struct {
	enum protocol_error	 e;
	int			 status;
	const char		*code;
} protocol_errors[] = {
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
#define NERRORS (sizeof protocol_errors / sizeof protocol_errors[0])

int
protocol_error_status(enum protocol_error e)
{
	for (size_t i = 0; i < NERRORS; i++)
		if (protocol_errors[i].e == e)
			return protocol_errors[i].status;
	return 0;
}

const char *
protocol_error_code(enum protocol_error e)
{
	for (size_t i = 0; i < NERRORS; i++)
		if (protocol_errors[i].e == e)
			return protocol_errors[i].code;
	return "unknown";
}

enum protocol_error
protocol_error_from_code(const char *code)
{
	if (code == NULL)
		return PROTOCOL_E_UNKNOWN;
	for (size_t i = 0; i < NERRORS; i++)
		if (strcmp(protocol_errors[i].code, code) == 0)
			return protocol_errors[i].e;
	return PROTOCOL_E_UNKNOWN;
}

enum protocol_error
protocol_error_from_status(int status)
{
	for (size_t i = 0; i < NERRORS; i++)
		if (protocol_errors[i].status == status)
			return protocol_errors[i].e;
	return PROTOCOL_E_UNKNOWN;
}

/* gzip ------------------------------------------------------------------ */

int
protocol_gzip(const void *in, size_t len, char **out, size_t *outlen, char **cause)
{
	z_stream	 z;
	uLong		 bound;
	char		*buf;
	int		 rc;

	*out = NULL;
	*outlen = 0;
	if (len > UINT_MAX)
		return fail(cause, _("Dữ liệu quá lớn để nén (%zu byte)."), len);
	memset(&z, 0, sizeof z);
	/* 15 + 16: a gzip header and trailer rather than zlib's. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return fail(cause, _("Không khởi tạo được bộ nén gzip."));
	bound = deflateBound(&z, (uLong)len) + 32;
	buf = xmalloc(bound);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&z);
		free(buf);
		return fail(cause, _("Nén gzip thất bại (mã %d)."), rc);
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	*out = buf;
	return 0;
}

int
protocol_gunzip(const void *in, size_t len, size_t max, char **out, size_t *outlen,
    enum protocol_error *err, char **cause)
{
	z_stream	 z;
	char		*buf;
	size_t		 cap, used = 0;
	int		 rc;

	*out = NULL;
	*outlen = 0;
	if (err != NULL)
		*err = PROTOCOL_E_BAD_REQUEST;
	if (len > UINT_MAX)
		return fail(cause, _("Dữ liệu nén quá lớn (%zu byte)."), len);
	memset(&z, 0, sizeof z);
	/* 16 + 15: gzip only, not zlib or raw deflate. */
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return fail(cause, _("Không khởi tạo được bộ giải nén gzip."));
	cap = len * 4 + 1024;
	if (cap > max + 1)
		cap = max + 1;
	buf = xmalloc(cap + 1);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	for (;;) {
		if (used == cap) {
			if (cap > max) {
				/* Already holds max + 1 bytes: a bomb or just too big. */
				inflateEnd(&z);
				free(buf);
				if (err != NULL)
					*err = PROTOCOL_E_TOO_LARGE;
				return fail(cause, _("Dữ liệu giải nén vượt quá %zu byte."), max);
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		z.next_out = (Bytef *)buf + used;
		z.avail_out = (uInt)(cap - used > UINT_MAX ? UINT_MAX : cap - used);
		size_t before = z.avail_out;
		rc = inflate(&z, Z_NO_FLUSH);
		used += before - z.avail_out;
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_OK)
			continue;
		if (rc == Z_BUF_ERROR && z.avail_out != 0) {
			/* No more input and no end of stream: cut short. */
			inflateEnd(&z);
			free(buf);
			return fail(cause, _("Dữ liệu gzip bị cắt cụt (thiếu phần cuối)."));
		}
		if (rc == Z_BUF_ERROR)
			continue;
		inflateEnd(&z);
		free(buf);
		return fail(cause, _("Dữ liệu gzip bị hỏng: %s."), z.msg != NULL ? z.msg : "?");
	}
	if (used > max) {
		inflateEnd(&z);
		free(buf);
		if (err != NULL)
			*err = PROTOCOL_E_TOO_LARGE;
		return fail(cause, _("Dữ liệu giải nén vượt quá %zu byte."), max);
	}
	if (z.avail_in != 0) {
		inflateEnd(&z);
		free(buf);
		return fail(cause, _("Có dữ liệu thừa sau luồng gzip (%u byte)."), z.avail_in);
	}
	inflateEnd(&z);
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	return 0;
}

/* JSON helpers ---------------------------------------------------------- */

/* check_values' test alone, with no path to build: most bodies pass it. */
static int
values_ok(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_string:
		return memchr(json_object_get_string(o), '\0',
		    (size_t)json_object_get_string_len(o)) == NULL;
	case json_type_int:
		return json_object_get_int64(o) >= -PROTOCOL_MAX_INT &&
		    json_object_get_int64(o) <= PROTOCOL_MAX_INT;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			if (!values_ok(val))
				return 0;
		}
		return 1;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (!values_ok(json_object_array_get_idx(o, i)))
				return 0;
		return 1;
	default:
		return 1;
	}
}

/*
 * Every string value of the tree is free of NUL (json-c gives its length, C
 * strings would stop at the NUL and store it cut short) and every integer
 * lies within ±PROTOCOL_MAX_INT (json-c clamps a larger one to the int64
 * or uint64 limit without a word). path names the value for the message.
 */
static int
check_values(json_object *o, const char *path, char **cause)
{
	char	*sub;
	int	 rc = 0;

	switch (json_object_get_type(o)) {
	case json_type_string:
		if (memchr(json_object_get_string(o), '\0',
		    (size_t)json_object_get_string_len(o)) != NULL)
			return fail(cause, _("%s: chuỗi chứa ký tự NUL (\\u0000), không được "
			    "phép."), *path != '\0' ? path : "JSON");
		return 0;
	case json_type_int:
		if (json_object_get_int64(o) < -PROTOCOL_MAX_INT ||
		    json_object_get_int64(o) > PROTOCOL_MAX_INT)
			return fail(cause, _("%s: số nguyên vượt quá ±%lld."), *path != '\0' ? path :
			    "JSON", (long long)PROTOCOL_MAX_INT);
		return 0;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			sub = *path != '\0' ? xasprintf("%s.%s", path, key) : xstrdup(key);
			rc = check_values(val, sub, cause);
			free(sub);
			if (rc != 0)
				return rc;
		}
		return 0;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o) && rc == 0; i++) {
			sub = xasprintf("%s[%zu]", path, i);
			rc = check_values(json_object_array_get_idx(o, i), sub, cause);
			free(sub);
		}
		return rc;
	default:
		return 0;
	}
}

/*
 * A NUL in a key: json-c cuts the key at it, so only the text shows it. In
 * JSON that parsed, every backslash starts an escape inside a string.
 */
static int
check_keys(const char *body, size_t len, const char *what, char **cause)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (body[i] != '\\')
			continue;
		if (body[i + 1] == 'u' && i + 6 <= len && memcmp(body + i + 2, "0000", 4) == 0)
			return fail(cause, _("%s: có ký tự NUL (\\u0000) ở byte %zu, không "
			    "được phép."), what, i);
		i++;	/* the escaped character */
	}
	return 0;
}

/* Parses the whole of body as one JSON object; trailing bytes are an error. */
static int
parse_object(const char *body, size_t len, const char *what, json_object **out,
    char **cause)
{
	json_tokener		*tok;
	json_object		*o;
	enum json_tokener_error	 jerr;

	*out = NULL;
	if (body == NULL || len == 0)
		return fail(cause, _("%s: nội dung trống."), what);
	if (len > INT_MAX)
		return fail(cause, _("%s: nội dung quá lớn."),
		    what);
	tok = json_tokener_new();
	if (tok == NULL)
		return fail(cause, _("Hết bộ nhớ."));
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)len);
	jerr = json_tokener_get_error(tok);
	if (o == NULL || jerr != json_tokener_success) {
		const char *d = jerr == json_tokener_continue ?
		    _("kết thúc giữa chừng") :
		    json_tokener_error_desc(jerr);
		size_t off = json_tokener_get_parse_end(tok);
		json_tokener_free(tok);
		json_object_put(o);
		return fail(cause, _("%s: không phải JSON hợp lệ (%s, ở byte %zu)."), what, d, off);
	}
	{
		/* Only white space may follow the value. */
		size_t off = json_tokener_get_parse_end(tok);
		for (; off < len; off++)
			if (!isspace((unsigned char)body[off])) {
				json_tokener_free(tok);
				json_object_put(o);
				return fail(cause, _("%s: có dữ liệu thừa sau JSON (byte %zu)."),
				    what, off);
			}
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return fail(cause, _("%s: phải là một đối tượng JSON {…}."), what);
	}
	if ((!values_ok(o) && check_values(o, "", cause) != 0) ||
	    check_keys(body, len, what, cause) != 0) {
		json_object_put(o);
		return -1;
	}
	*out = o;
	return 0;
}

/* A required string field; *out is borrowed from obj. */
static int
get_string(json_object *obj, const char *where, const char *key, int allow_empty,
    const char **out, char **cause)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return fail(cause, _("%s%s: thiếu trường bắt buộc."), where, key);
	if (!json_object_is_type(v, json_type_string))
		return fail(cause, _("%s%s: phải là chuỗi."),
		    where, key);
	if (!allow_empty && json_object_get_string_len(v) == 0)
		return fail(cause, _("%s%s: không được để trống."), where, key);
	*out = json_object_get_string(v);
	return 0;
}

/* A required integer field, from min to max. */
static int
get_int(json_object *obj, const char *where, const char *key, int64_t min,
    int64_t max, int64_t *out, char **cause)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return fail(cause, _("%s%s: thiếu trường bắt buộc."), where, key);
	if (!json_object_is_type(v, json_type_int))
		return fail(cause, _("%s%s: phải là số nguyên."), where, key);
	*out = json_object_get_int64(v);
	if (*out < min)
		return fail(cause, _("%s%s: phải ≥ %lld (đang là %lld)."), where, key,
		    (long long)min, (long long)*out);
	if (*out > max)
		return fail(cause, _("%s%s: phải ≤ %lld (đang là %lld)."), where, key,
		    (long long)max, (long long)*out);
	return 0;
}

/* An optional boolean: absent is 0. */
static int
get_flag(json_object *obj, const char *where, const char *key, int *out, char **cause)
{
	json_object *v;

	*out = 0;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (v == NULL || !json_object_is_type(v, json_type_boolean))
		return fail(cause, _("%s%s: phải là true hoặc false."), where, key);
	*out = json_object_get_boolean(v) ? 1 : 0;
	return 0;
}

/* Checks the `ok` field names the expected reply. */
static int
check_ok(json_object *obj, const char *what, const char *want, char **cause)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, "ok", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), want) != 0)
		return fail(cause, _("%s: máy chủ trả lời không đúng giao thức "
		    "(thiếu \"ok\": \"%s\"); có thể mạng đang chuyển hướng sang trang "
		    "đăng nhập Wi-Fi."), what, want);
	return 0;
}

static char *
to_text(json_object *o)
{
	char *s = xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

int
protocol_is_uuid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int
type_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PROTOCOL_MAX_TYPE)
		return 0;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Batches --------------------------------------------------------------- */

int
protocol_batch_encode(const char *kiosk, const struct protocol_event *ev, size_t n,
    char **out, char **cause)
{
	return protocol_batch_encode_status(kiosk, NULL, ev, n, out, cause);
}

/* A growing text for the encoder. */
struct text {
	char	*s;
	size_t	 n, cap;
};

static void
text_add(struct text *t, const char *s, size_t len)
{
	if (t->n + len + 1 > t->cap) {
		t->cap = (t->n + len + 1) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->n, s, len);
	t->n += len;
	t->s[t->n] = '\0';
}

static void
text_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static void
text_int(struct text *t, int64_t v)
{
	char b[24];

	text_add(t, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v));
}

/* s as a JSON string: quoted, with ", \ and control characters escaped. */
static void
text_quoted(struct text *t, const char *s)
{
	const char	*run;
	char		 esc[8];

	text_add(t, "\"", 1);
	for (run = s; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		text_add(t, run, (size_t)(s - run));
		snprintf(esc, sizeof esc, c == '"' || c == '\\' ? "\\%c" : "\\u%04x", c);
		text_str(t, esc);
		run = s + 1;
	}
	text_add(t, run, (size_t)(s - run));
	text_add(t, "\"", 1);
}

/* Whether text is one JSON object and nothing else (the outbox's payloads are). */
static int
payload_ok(json_tokener *tok, const char *text)
{
	size_t		 len = strlen(text), off;
	json_object	*o;
	int		 ok;

	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, text, (int)len);
	ok = o != NULL && json_tokener_get_error(tok) == json_tokener_success &&
	    json_object_is_type(o, json_type_object);
	for (off = ok ? json_tokener_get_parse_end(tok) : len; ok && off < len; off++)
		if (!isspace((unsigned char)text[off]))
			ok = 0;
	json_object_put(o);
	return ok;
}

/*
 * The batch as text, written out here rather than as a json-c tree: each
 * payload is checked to be a JSON object, then copied as the kiosk stored
 * it (the server keeps its own canonical text of it).
 */
static int
batch_encode(int version, const char *kiosk, const struct protocol_kiosk_status *ks,
    const struct protocol_event *ev, size_t n, char **out, char **cause)
{
	struct text	 t = { NULL, 0, 0 };
	json_tokener	*tok;
	size_t		 i;
	int		 max = version >= 2 ? PROTOCOL_MAX_EVENTS_V2 : PROTOCOL_MAX_EVENTS;

	*out = NULL;
	if (n > (size_t)max)
		return fail(cause, _("Một lô có tối đa %d sự kiện (đang có %zu)."), max, n);
	if ((tok = json_tokener_new()) == NULL)
		return fail(cause, _("Hết bộ nhớ."));
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	text_str(&t, "{\"kiosk\":");
	text_quoted(&t, kiosk);
	if (ks != NULL) {
		text_str(&t, ",\"status\":{\"pending\":");
		text_int(&t, ks->pending);
		text_str(&t, ",\"content_version\":");
		text_int(&t, ks->content_version);
		text_str(&t, ",\"program_version\":");
		text_quoted(&t, ks->program_version);
		text_str(&t, ",\"clock\":");
		text_int(&t, ks->clock);
		text_str(&t, "}");
	}
	text_str(&t, ",\"events\":[");
	for (i = 0; i < n; i++) {
		const char *text = ev[i].payload != NULL ? ev[i].payload : "{}";

		if (!payload_ok(tok, text)) {
			json_tokener_free(tok);
			free(t.s);
			return fail(cause, _("Sự kiện %s (số %lld): nội dung (payload) "
			    "không phải một đối tượng JSON."),
			    ev[i].id, (long long)ev[i].seq);
		}
		text_str(&t, i > 0 ? ",{\"id\":" : "{\"id\":");
		text_quoted(&t, ev[i].id);
		/* Version 2: what the reader can work out is left out. */
		if (version < 2 || i == 0 || ev[i].seq != ev[i - 1].seq + 1) {
			text_str(&t, ",\"seq\":");
			text_int(&t, ev[i].seq);
		}
		text_str(&t, ",\"type\":");
		text_quoted(&t, ev[i].type != NULL ? ev[i].type : "");
		if (version < 2) {
			text_str(&t, ",\"at\":");
			text_int(&t, ev[i].at);
		} else {
			text_str(&t, ",\"dt\":");
			text_int(&t, ev[i].at - (i > 0 ? ev[i - 1].at : 0));
		}
		text_str(&t, ",\"payload\":");
		text_str(&t, text);
		text_str(&t, "}");
	}
	text_str(&t, "]}");
	json_tokener_free(tok);
	*out = t.s;
	return 0;
}

int
protocol_batch_encode_status(const char *kiosk, const struct protocol_kiosk_status *ks,
    const struct protocol_event *ev, size_t n, char **out, char **cause)
{
	return batch_encode(1, kiosk, ks, ev, n, out, cause);
}

int
protocol_batch_encode_v2(const char *kiosk, const struct protocol_kiosk_status *ks,
    const struct protocol_event *ev, size_t n, char **out, char **cause)
{
	return batch_encode(2, kiosk, ks, ev, n, out, cause);
}

void
protocol_batch_free(struct protocol_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++) {
		free(b->events[i].type);
		free(b->events[i].payload);
	}
	free(b->events);
	free(b->kiosk);
	free(b->payloads);
	json_object_put(b->root);
	memset(b, 0, sizeof *b);
}

static int
cmp_seq(const void *a, const void *b)
{
	int64_t x = (*(const struct protocol_event *const *)a)->seq;
	int64_t y = (*(const struct protocol_event *const *)b)->seq;

	return x < y ? -1 : x > y;
}

static int
cmp_id(const void *a, const void *b)
{
	return strcasecmp((*(const struct protocol_event *const *)a)->id,
	    (*(const struct protocol_event *const *)b)->id);
}

/* No id and no seq twice within one batch: which copy would be right? */
static int
batch_unique(struct protocol_batch *b, char **cause)
{
	const struct protocol_event	**v;
	size_t				  i;
	int				  rc = 0;

	if (b->n < 2)
		return 0;
	v = xcalloc(b->n, sizeof *v);
	for (i = 0; i < b->n; i++)
		v[i] = &b->events[i];
	qsort(v, b->n, sizeof *v, cmp_seq);
	for (i = 1; i < b->n && rc == 0; i++)
		if (v[i]->seq == v[i - 1]->seq)
			rc = fail(cause, _("events: số thứ tự (seq) %lld xuất hiện hai lần "
			    "trong lô."),
			    (long long)v[i]->seq);
	if (rc == 0) {
		qsort(v, b->n, sizeof *v, cmp_id);
		for (i = 1; i < b->n && rc == 0; i++)
			if (strcasecmp(v[i]->id, v[i - 1]->id) == 0)
				rc = fail(cause, _("events: mã %s xuất hiện hai lần trong lô."), v[i]->id);
	}
	free(v);
	return rc;
}

/*
 * One event; prev is the one before it (NULL for the first), from which
 * version 2 works out a seq left out and the time (its "dt").
 */
static int
decode_event(int version, json_object *e, size_t i, const struct protocol_event *prev,
    struct protocol_event *out, json_object **obj, char **cause)
{
	char		 where[48];
	const char	*id, *type, *when = version >= 2 ? "dt" : "at";
	json_object	*p;
	int64_t		 dt;
	int		 rc;

	snprintf(where, sizeof where, "events[%zu].", i);
	if (!json_object_is_type(e, json_type_object))
		return fail(cause, _("events[%zu]: phải là một đối tượng JSON {…}."), i);
	json_object_object_foreach(e, key, val) {
		(void)val;
		if (strcmp(key, "id") != 0 && strcmp(key, "seq") != 0 &&
		    strcmp(key, "type") != 0 && strcmp(key, when) != 0 &&
		    strcmp(key, "payload") != 0)
			return fail(cause, _("%s%s: trường không được biết đến."), where, key);
	}
	if ((rc = get_string(e, where, "id", 0, &id, cause)) != 0)
		return rc;
	if (!protocol_is_uuid(id))
		return fail(cause, _("%sid: phải là một UUID (8-4-4-4-12 chữ số hex)."), where);
	/* Lower case, so the same id is one key whatever its case. */
	for (size_t k = 0; k < 36; k++)
		out->id[k] = (char)tolower((unsigned char)id[k]);
	out->id[36] = '\0';
	if (version >= 2 && prev != NULL && !json_object_object_get_ex(e, "seq", NULL)) {
		/* Left out: the previous one's plus one. */
		if (prev->seq >= PROTOCOL_MAX_INT)
			return fail(cause, _("%sseq: phải ≤ %lld (đang là %lld)."), where,
			    (long long)PROTOCOL_MAX_INT, (long long)prev->seq + 1);
		out->seq = prev->seq + 1;
	} else if (get_int(e, where, "seq", 1, PROTOCOL_MAX_INT, &out->seq, cause) != 0)
		return -1;
	if (get_string(e, where, "type", 0, &type, cause) != 0)
		return -1;
	if (!type_valid(type))
		return fail(cause, _("%stype: phải gồm 1–%d ký tự a-z, 0-9, '.', '_' "
		    "hoặc '-'."), where, PROTOCOL_MAX_TYPE);
	out->type = xstrdup(type);
	if (version < 2) {
		if (get_int(e, where, "at", 0, PROTOCOL_MAX_AT, &out->at, cause) != 0)
			return -1;
	} else {
		/* ms after the previous event's time; the time itself stays in range. */
		if (get_int(e, where, "dt", -PROTOCOL_MAX_AT, PROTOCOL_MAX_AT, &dt,
		    cause) != 0)
			return -1;
		out->at = (prev != NULL ? prev->at : 0) + dt;
		if (out->at < 0 || out->at > PROTOCOL_MAX_AT)
			return fail(cause, _("%sdt: thời điểm tính ra (%lld) phải từ 0 đến "
			    "%lld."),
			    where, (long long)out->at, (long long)PROTOCOL_MAX_AT);
	}
	if (!json_object_object_get_ex(e, "payload", &p) || p == NULL)
		return fail(cause, _("%spayload: thiếu trường bắt buộc."), where);
	if (!json_object_is_type(p, json_type_object))
		return fail(cause, _("%spayload: phải là một đối tượng JSON {…}."), where);
	out->payload = xstrdup(json_object_to_json_string_ext(p,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	*obj = p;
	return 0;
}

static int
decode_status(json_object *o, struct protocol_kiosk_status *ks, char **cause)
{
	const char *pv;

	if (!json_object_is_type(o, json_type_object))
		return fail(cause, _("status: phải là một đối tượng JSON {…}."));
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (strcmp(key, "pending") != 0 && strcmp(key, "content_version") != 0 &&
		    strcmp(key, "program_version") != 0 && strcmp(key, "clock") != 0)
			return fail(cause, _("status.%s: trường không được biết đến."), key);
	}
	if (get_int(o, "status.", "pending", 0, PROTOCOL_MAX_INT, &ks->pending,
	    cause) != 0 ||
	    get_int(o, "status.", "content_version", 0, PROTOCOL_MAX_INT,
	    &ks->content_version, cause) != 0 ||
	    get_int(o, "status.", "clock", 0, PROTOCOL_MAX_AT, &ks->clock, cause) != 0 ||
	    get_string(o, "status.", "program_version", 1, &pv, cause) != 0)
		return -1;
	if (strlen(pv) > PROTOCOL_MAX_PROGRAM)
		return fail(cause, _("status.program_version: dài quá %d byte."), PROTOCOL_MAX_PROGRAM);
	snprintf(ks->program_version, sizeof ks->program_version, "%s", pv);
	ks->present = 1;
	return 0;
}

int
protocol_batch_decode(const char *body, size_t len, struct protocol_batch *b,
    enum protocol_error *err, char **cause)
{
	return protocol_batch_decode_version(1, body, len, b, err, cause);
}

int
protocol_batch_decode_version(int version, const char *body, size_t len,
    struct protocol_batch *b, enum protocol_error *err, char **cause)
{
	json_object	*root, *arr;
	const char	*kiosk;
	size_t		 i, n;
	int		 max = version >= 2 ? PROTOCOL_MAX_EVENTS_V2 : PROTOCOL_MAX_EVENTS;

	memset(b, 0, sizeof *b);
	if (err != NULL)
		*err = PROTOCOL_E_BAD_REQUEST;
	if (parse_object(body, len, _("lô sự kiện"), &root, cause) != 0)
		return -1;
	json_object_object_foreach(root, key, val) {
		(void)val;
		if (strcmp(key, "kiosk") != 0 && strcmp(key, "events") != 0 &&
		    strcmp(key, "status") != 0) {
			fail(cause, _("%s: trường không được biết đến."),
			    key);
			goto bad;
		}
	}
	if (get_string(root, "", "kiosk", 0, &kiosk, cause) != 0)
		goto bad;
	if (json_object_get_string_len(json_object_object_get(root, "kiosk")) >
	    PROTOCOL_MAX_KIOSK_ID) {
		fail(cause, _("kiosk: dài quá %d ký tự."),
		    PROTOCOL_MAX_KIOSK_ID);
		goto bad;
	}
	b->kiosk = xstrdup(kiosk);
	if (json_object_object_get_ex(root, "status", &arr) &&
	    decode_status(arr, &b->status, cause) != 0)
		goto bad;
	if (!json_object_object_get_ex(root, "events", &arr) || arr == NULL) {
		fail(cause, _("events: thiếu trường bắt buộc."));
		goto bad;
	}
	if (!json_object_is_type(arr, json_type_array)) {
		fail(cause, _("events: phải là một mảng […]."));
		goto bad;
	}
	n = json_object_array_length(arr);
	if (n > (size_t)max) {
		if (err != NULL)
			*err = PROTOCOL_E_TOO_LARGE;
		fail(cause, _("events: tối đa %d sự kiện một lô (lô này có %zu); hãy "
		    "gửi lô nhỏ hơn."), max, n);
		goto bad;
	}
	b->events = xcalloc(n > 0 ? n : 1, sizeof *b->events);
	b->payloads = xcalloc(n > 0 ? n : 1, sizeof *b->payloads);
	for (i = 0; i < n; i++) {
		b->n = i + 1;	/* so protocol_batch_free frees a half-filled one */
		if (decode_event(version, json_object_array_get_idx(arr, i), i,
		    i > 0 ? &b->events[i - 1] : NULL, &b->events[i], &b->payloads[i],
		    cause) != 0)
			goto bad;
	}
	b->n = n;
	if (batch_unique(b, cause) != 0)
		goto bad;
	b->root = root;
	return 0;
bad:
	json_object_put(root);
	free(b->payloads);
	b->payloads = NULL;
	return -1;
}

/* Acknowledgements ------------------------------------------------------- */

char *
protocol_ack_encode(const struct protocol_ack *a)
{
	json_object	*root, *arr;
	size_t		 i;

	root = json_object_new_object();
	json_object_object_add(root, "ok", json_object_new_string(PROTOCOL_OK_ACK));
	json_object_object_add(root, "kiosk", json_object_new_string(
	    a->kiosk != NULL ? a->kiosk : ""));
	json_object_object_add(root, "accepted", json_object_new_int64(a->accepted));
	json_object_object_add(root, "duplicates", json_object_new_int64(a->duplicates));
	arr = json_object_new_array();
	for (i = 0; i < a->nconflicts; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "id", json_object_new_string(a->conflicts[i].id));
		json_object_object_add(c, "seq", json_object_new_int64(a->conflicts[i].seq));
		json_object_object_add(c, "reason", json_object_new_string(
		    a->conflicts[i].reason != NULL ? a->conflicts[i].reason : ""));
		if (a->conflicts[i].seq_taken)
			json_object_object_add(c, "seq_taken", json_object_new_boolean(1));
		json_object_array_add(arr, c);
	}
	json_object_object_add(root, "conflicts", arr);
	json_object_object_add(root, "held_seq", json_object_new_int64(a->held_seq));
	json_object_object_add(root, "max_seq", json_object_new_int64(a->max_seq));
	json_object_object_add(root, "server_time", json_object_new_int64(a->server_time));
	return to_text(root);
}

void
protocol_ack_free(struct protocol_ack *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nconflicts; i++)
		free(a->conflicts[i].reason);
	free(a->conflicts);
	free(a->kiosk);
	memset(a, 0, sizeof *a);
}

int
protocol_ack_parse(const char *body, size_t len, struct protocol_ack *a, char **cause)
{
	json_object	*root, *arr;
	const char	*s, *what = _("xác nhận của máy chủ");
	size_t		 i, n;

	memset(a, 0, sizeof *a);
	if (parse_object(body, len, what, &root, cause) != 0)
		return -1;
	if (check_ok(root, what, PROTOCOL_OK_ACK, cause) != 0)
		goto bad;
	if (get_string(root, "", "kiosk", 0, &s, cause) != 0)
		goto bad;
	a->kiosk = xstrdup(s);
	if (get_int(root, "", "accepted", 0, PROTOCOL_MAX_INT, &a->accepted, cause) != 0 ||
	    get_int(root, "", "duplicates", 0, PROTOCOL_MAX_INT, &a->duplicates, cause) != 0 ||
	    get_int(root, "", "held_seq", 0, PROTOCOL_MAX_INT, &a->held_seq, cause) != 0 ||
	    get_int(root, "", "server_time", 0, PROTOCOL_MAX_INT, &a->server_time, cause) != 0)
		goto bad;
	/* Optional: a server from before it sends none. */
	if (json_object_object_get_ex(root, "max_seq", NULL) &&
	    get_int(root, "", "max_seq", 0, PROTOCOL_MAX_INT, &a->max_seq, cause) != 0)
		goto bad;
	if (!json_object_object_get_ex(root, "conflicts", &arr) || arr == NULL ||
	    !json_object_is_type(arr, json_type_array)) {
		fail(cause, _("%s: conflicts phải là một mảng […]."), what);
		goto bad;
	}
	n = json_object_array_length(arr);
	a->conflicts = xcalloc(n > 0 ? n : 1, sizeof *a->conflicts);
	for (i = 0; i < n; i++) {
		json_object	*c = json_object_array_get_idx(arr, i);
		char		 where[40];

		snprintf(where, sizeof where, "conflicts[%zu].", i);
		if (!json_object_is_type(c, json_type_object)) {
			fail(cause, _("%s: phải là một đối tượng."),
			    where);
			goto bad;
		}
		a->nconflicts = i + 1;
		if (get_string(c, where, "id", 0, &s, cause) != 0)
			goto bad;
		if (!protocol_is_uuid(s)) {
			fail(cause, _("%sid: không phải UUID."), where);
			goto bad;
		}
		memcpy(a->conflicts[i].id, s, 37);
		if (get_int(c, where, "seq", 0, PROTOCOL_MAX_INT, &a->conflicts[i].seq, cause) != 0)
			goto bad;
		if (get_string(c, where, "reason", 1, &s, cause) != 0)
			goto bad;
		a->conflicts[i].reason = xstrdup(s);
		if (get_flag(c, where, "seq_taken", &a->conflicts[i].seq_taken, cause) != 0)
			goto bad;
	}
	if (a->held_seq < 0 || a->accepted < 0) {
		fail(cause, _("%s: số âm."), what);
		goto bad;
	}
	json_object_put(root);
	return 0;
bad:
	json_object_put(root);
	return -1;
}

/* Errors ---------------------------------------------------------------- */

char *
protocol_error_encode(enum protocol_error e, const char *message)
{
	json_object *root = json_object_new_object();

	json_object_object_add(root, "error", json_object_new_string(
	    protocol_error_code(e)));
	json_object_object_add(root, "message", json_object_new_string(
	    message != NULL ? message : ""));
	return to_text(root);
}

int
protocol_error_parse(const char *body, size_t len, enum protocol_error *code,
    char **message, char **cause)
{
	json_object	*root;
	const char	*c, *m;
	const char	*what = _("báo lỗi của máy chủ");

	*code = PROTOCOL_E_UNKNOWN;
	*message = NULL;
	if (parse_object(body, len, what, &root, cause) != 0)
		return -1;
	if (get_string(root, "", "error", 0, &c, cause) != 0 ||
	    get_string(root, "", "message", 1, &m, cause) != 0) {
		json_object_put(root);
		return -1;
	}
	*code = protocol_error_from_code(c);
	*message = xstrdup(m);
	json_object_put(root);
	return 0;
}

/* Health and kiosk ----------------------------------------------------- */

char *
protocol_health_encode(int64_t now_ms)
{
	json_object *root = json_object_new_object();

	json_object_object_add(root, "ok", json_object_new_string(PROTOCOL_OK_HEALTH));
	json_object_object_add(root, "protocol", json_object_new_int(PROTOCOL_VERSION));
	json_object_object_add(root, "time", json_object_new_int64(now_ms));
	/* A 200 means the database takes writes; after a failed one health is 503. */
	json_object_object_add(root, "db", json_object_new_string("ok"));
	return to_text(root);
}

int
protocol_health_parse(const char *body, size_t len, int *protocol,
    int64_t *server_time, char **cause)
{
	json_object	*root;
	int64_t		 p;
	const char	*what = _("trạng thái máy chủ");

	if (parse_object(body, len, what, &root, cause) != 0)
		return -1;
	if (check_ok(root, what, PROTOCOL_OK_HEALTH, cause) != 0 ||
	    get_int(root, "", "protocol", 1, PROTOCOL_MAX_INT, &p, cause) != 0 ||
	    get_int(root, "", "time", 0, PROTOCOL_MAX_INT, server_time, cause) != 0) {
		json_object_put(root);
		return -1;
	}
	*protocol = p > INT_MAX ? INT_MAX : (int)p;
	json_object_put(root);
	return 0;
}

char *
protocol_kiosk_encode(const struct protocol_kiosk *k)
{
	json_object *root = json_object_new_object();

#define S(x) json_object_new_string((x) != NULL ? (x) : "")
	json_object_object_add(root, "ok", json_object_new_string(PROTOCOL_OK_KIOSK));
	json_object_object_add(root, "kiosk", S(k->kiosk));
	json_object_object_add(root, "province", S(k->province));
	json_object_object_add(root, "commune", S(k->commune));
	json_object_object_add(root, "hamlet", S(k->hamlet));
	json_object_object_add(root, "name", S(k->name));
#undef S
	return to_text(root);
}

void
protocol_kiosk_free(struct protocol_kiosk *k)
{
	if (k == NULL)
		return;
	free(k->kiosk);
	free(k->province);
	free(k->commune);
	free(k->hamlet);
	free(k->name);
	memset(k, 0, sizeof *k);
}

int
protocol_kiosk_parse(const char *body, size_t len, struct protocol_kiosk *k,
    char **cause)
{
	json_object	*root;
	const char	*id, *pr, *co, *ha, *na;
	const char	*what = _("thông tin trạm");

	memset(k, 0, sizeof *k);
	if (parse_object(body, len, what, &root, cause) != 0)
		return -1;
	if (check_ok(root, what, PROTOCOL_OK_KIOSK, cause) != 0 ||
	    get_string(root, "", "kiosk", 0, &id, cause) != 0 ||
	    get_string(root, "", "province", 1, &pr, cause) != 0 ||
	    get_string(root, "", "commune", 1, &co, cause) != 0 ||
	    get_string(root, "", "hamlet", 1, &ha, cause) != 0 ||
	    get_string(root, "", "name", 1, &na, cause) != 0) {
		json_object_put(root);
		return -1;
	}
	k->kiosk = xstrdup(id);
	k->province = xstrdup(pr);
	k->commune = xstrdup(co);
	k->hamlet = xstrdup(ha);
	k->name = xstrdup(na);
	json_object_put(root);
	return 0;
}

/* Content -------------------------------------------------------------- */

int
protocol_content_encode(int64_t version, const char *const *checklists, size_t n,
    char **out, char **cause)
{
	json_object	*root, *arr;
	size_t		 i;

	*out = NULL;
	root = json_object_new_object();
	json_object_object_add(root, "ok", json_object_new_string(PROTOCOL_OK_CONTENT));
	json_object_object_add(root, "version", json_object_new_int64(version));
	arr = json_object_new_array_ext((int)n);
	json_object_object_add(root, "checklists", arr);
	for (i = 0; i < n; i++) {
		json_object *c = json_tokener_parse(checklists[i]);

		if (c == NULL || !json_object_is_type(c, json_type_object)) {
			json_object_put(c);
			json_object_put(root);
			return fail(cause, _("Danh mục thứ %zu không phải một đối tượng JSON."), i + 1);
		}
		json_object_array_add(arr, c);
	}
	*out = to_text(root);
	return 0;
}

void
protocol_content_free(struct protocol_content *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->checklists[i]);
	free(c->checklists);
	memset(c, 0, sizeof *c);
}

int
protocol_content_parse(const char *body, size_t len, struct protocol_content *c,
    char **cause)
{
	json_object	*root, *arr;
	size_t		 i, n;
	const char	*what = _("danh mục từ máy chủ");

	memset(c, 0, sizeof *c);
	if (parse_object(body, len, what, &root, cause) != 0)
		return -1;
	if (check_ok(root, what, PROTOCOL_OK_CONTENT, cause) != 0 ||
	    get_int(root, "", "version", 0, PROTOCOL_MAX_INT, &c->version, cause) != 0)
		goto bad;
	if (!json_object_object_get_ex(root, "checklists", &arr) || arr == NULL ||
	    !json_object_is_type(arr, json_type_array)) {
		fail(cause, _("%s: checklists phải là một mảng […]."), what);
		goto bad;
	}
	n = json_object_array_length(arr);
	c->checklists = xcalloc(n > 0 ? n : 1, sizeof *c->checklists);
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(o, json_type_object)) {
			fail(cause, _("%s: checklists[%zu] phải là một đối tượng."), what, i);
			goto bad;
		}
		/* Pretty, so a problem's message can point at a readable text. */
		c->checklists[i] = xstrdup(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		c->n = i + 1;
	}
	json_object_put(root);
	return 0;
bad:
	json_object_put(root);
	return -1;
}
