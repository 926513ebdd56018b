/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync-output.c: writes and reads sotay-sync's progress lines and result
 * (see sync-output.h). In the core, json-c only: the kiosk's screen and
 * sotay-sync both link it, and the screen never includes a sync/ header.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sync-output.h"
#include "util.h"

#define PROGRESS	"progress"

/* The result's keys. */
#define K_STATUS	"status"
#define K_EXIT		"exit"
#define K_TOTAL		"total"
#define K_SENT		"sent"
#define K_ACCEPTED	"accepted"
#define K_DUPLICATES	"duplicates"
#define K_CONFLICTS	"conflicts"
#define K_RENUMBERED	"renumbered"
#define K_PENDING	"pending"
#define K_BYTES		"bytes"
#define K_BATCHES	"batches"
#define K_CONTENT_VER	"content_version"
#define K_CONTENT_ADDED	"content_added"
#define K_CLOCK_OFFSET	"clock_offset_ms"
#define K_HTTP_STATUS	"http_status"
#define K_RETRY_AFTER	"retry_after"
#define K_MESSAGE	"message"
#define K_NEXT		"next_attempt_s"

void
sync_output_write_progress(FILE *f, const struct sync_output_progress *p)
{
	fprintf(f, PROGRESS " %" PRId64 " %" PRId64 " %" PRId64 "\n", p->sent, p->total, p->bytes);
	fflush(f);
}

void
sync_output_write_result(FILE *f, const struct sync_output_result *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, K_STATUS, json_object_new_string(r->status ? r->status : "?"));
	json_object_object_add(o, K_EXIT, json_object_new_int(r->exit));
	json_object_object_add(o, K_TOTAL, json_object_new_int64(r->total));
	json_object_object_add(o, K_SENT, json_object_new_int64(r->sent));
	json_object_object_add(o, K_ACCEPTED, json_object_new_int64(r->accepted));
	json_object_object_add(o, K_DUPLICATES, json_object_new_int64(r->duplicates));
	json_object_object_add(o, K_CONFLICTS, json_object_new_int64(r->conflicts));
	json_object_object_add(o, K_RENUMBERED, json_object_new_int64(r->renumbered));
	json_object_object_add(o, K_PENDING, json_object_new_int64(r->pending));
	json_object_object_add(o, K_BYTES, json_object_new_int64(r->bytes));
	json_object_object_add(o, K_BATCHES, json_object_new_int(r->batches));
	json_object_object_add(o, K_CONTENT_VER, json_object_new_int64(r->content_version));
	json_object_object_add(o, K_CONTENT_ADDED, json_object_new_int(r->content_added));
	json_object_object_add(o, K_CLOCK_OFFSET, json_object_new_int64(r->clock_offset_ms));
	json_object_object_add(o, K_HTTP_STATUS, json_object_new_int64(r->http_status));
	json_object_object_add(o, K_RETRY_AFTER, json_object_new_int(r->retry_after_s));
	json_object_object_add(o, K_MESSAGE, r->message != NULL ?
	    json_object_new_string(r->message) : NULL);
	if (r->next_attempt_s >= 0)
		json_object_object_add(o, K_NEXT, json_object_new_int(r->next_attempt_s));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	fflush(f);
	json_object_put(o);
}

static int64_t
jint(json_object *o, const char *key, int64_t dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return dflt;
	return json_object_get_int64(v);
}

static char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return xstrdup(json_object_get_string(v));
}

enum sync_output_line
sync_output_parse(const char *line, struct sync_output_progress *p, struct sync_output_result *r)
{
	long long a, b, c;
	char end;
	json_object *o;

	if (sscanf(line, PROGRESS " %lld %lld %lld%c", &a, &b, &c, &end) == 3) {
		p->sent = a;
		p->total = b;
		p->bytes = c;
		return SYNC_OUTPUT_PROGRESS;
	}
	if (line[0] != '{' || (o = json_tokener_parse(line)) == NULL)
		return SYNC_OUTPUT_TEXT;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, K_STATUS, NULL)) {
		json_object_put(o);
		return SYNC_OUTPUT_TEXT;
	}
	memset(r, 0, sizeof *r);
	r->status = jstr(o, K_STATUS);
	r->exit = (int)jint(o, K_EXIT, -1);
	r->total = jint(o, K_TOTAL, 0);
	r->sent = jint(o, K_SENT, 0);
	r->accepted = jint(o, K_ACCEPTED, 0);
	r->duplicates = jint(o, K_DUPLICATES, 0);
	r->conflicts = jint(o, K_CONFLICTS, 0);
	r->renumbered = jint(o, K_RENUMBERED, 0);
	r->pending = jint(o, K_PENDING, 0);
	r->bytes = jint(o, K_BYTES, 0);
	r->batches = (int)jint(o, K_BATCHES, 0);
	r->content_version = jint(o, K_CONTENT_VER, 0);
	r->content_added = (int)jint(o, K_CONTENT_ADDED, 0);
	r->clock_offset_ms = jint(o, K_CLOCK_OFFSET, 0);
	r->http_status = (long)jint(o, K_HTTP_STATUS, 0);
	r->retry_after_s = (int)jint(o, K_RETRY_AFTER, 0);
	r->message = jstr(o, K_MESSAGE);
	r->next_attempt_s = (int)jint(o, K_NEXT, -1);
	json_object_put(o);
	if (r->status == NULL) {
		sync_output_result_free(r);
		return SYNC_OUTPUT_TEXT;
	}
	return SYNC_OUTPUT_RESULT;
}

void
sync_output_result_free(struct sync_output_result *r)
{
	free(r->status);
	free(r->message);
	r->status = r->message = NULL;
}

int
sync_output_done(const struct sync_output_result *r)
{
	return r->status != NULL && strcmp(r->status, SYNC_OUTPUT_DONE) == 0;
}
