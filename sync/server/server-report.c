/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-report.c: the reports of GET /v1/reports as JSON or CSV. The rows
 * come from the store (server_store_report); this file only names the
 * columns and writes them out. CSV follows RFC 4180 quoting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util.h"
#include "server.h"

static const char *const by_names[] = {
	[SERVER_BY_COMMUNE] = "commune",
	[SERVER_BY_HAMLET] = "hamlet",
	[SERVER_BY_CHECKLIST] = "checklist",
	[SERVER_BY_CATEGORY] = "category",
	[SERVER_BY_DAY] = "day",
	[SERVER_BY_REASON] = "reason",
	[SERVER_BY_PROVINCE] = "province",
};
#define NBY ((int)(sizeof by_names / sizeof by_names[0]))

int
server_report_parse_by(const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < NBY; i++)
		if (strcmp(by_names[i], s) == 0)
			return i;
	return -1;
}

const char *
server_report_by_name(enum server_report_by by)
{
	return (int)by >= 0 && (int)by < NBY ? by_names[by] : "?";
}

char *
server_report_json(const struct server_report *r, const char *from, const char *to)
{
	json_object	*root, *rows;
	size_t		 i;
	char		*out;

	root = json_object_new_object();
	json_object_object_add(root, "ok", json_object_new_string(PROTOCOL_OK_REPORT));
	json_object_object_add(root, "by", json_object_new_string(
	    server_report_by_name(r->by)));
	json_object_object_add(root, "from", from != NULL ?
	    json_object_new_string(from) : NULL);
	json_object_object_add(root, "to", to != NULL ? json_object_new_string(to) : NULL);
	rows = json_object_new_array();
	for (i = 0; i < r->n; i++) {
		const struct server_report_row	*w = &r->rows[i];
		json_object			*o = json_object_new_object();

		if (r->by == SERVER_BY_REASON) {
			json_object_object_add(o, "checklist", json_object_new_string(w->checklist));
			json_object_object_add(o, "step", json_object_new_string(w->step));
			json_object_object_add(o, "reason", json_object_new_string(w->reason));
			json_object_object_add(o, "count", json_object_new_int64(w->count));
		} else {
			if (r->by == SERVER_BY_HAMLET)
				json_object_object_add(o, "commune",
				    json_object_new_string(w->commune));
			json_object_object_add(o, server_report_by_name(r->by),
			    json_object_new_string(w->key));
			if (w->province != NULL)
				json_object_object_add(o, "province",
				    json_object_new_string(w->province));
			if (w->commune_code != NULL)
				json_object_object_add(o, "commune_code",
				    json_object_new_string(w->commune_code));
			json_object_object_add(o, "people", json_object_new_int64(w->people));
			json_object_object_add(o, "sessions_started",
			    json_object_new_int64(w->started));
			json_object_object_add(o, "sessions_finished",
			    json_object_new_int64(w->finished));
			json_object_object_add(o, "sessions_completed",
			    json_object_new_int64(w->completed));
			json_object_object_add(o, "steps_blocked",
			    json_object_new_int64(w->blocked));
		}
		json_object_array_add(rows, o);
	}
	json_object_object_add(root, "rows", rows);
	out = xstrdup(json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}

/* One CSV cell, quoted when it holds a comma, a quote or a line break. */
static void
cell(FILE *f, const char *s, int last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") != NULL) {
		fputc('"', f);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else
		fputs(s, f);
	fputs(last ? "\r\n" : ",", f);
}

char *
server_report_csv(const struct server_report *r)
{
	char	*buf = NULL;
	size_t	 len = 0, i;
	FILE	*f = open_memstream(&buf, &len);

	if (f == NULL)
		return xstrdup("");
	if (r->by == SERVER_BY_REASON)
		fputs("checklist,step,reason,count\r\n", f);
	else
		fprintf(f, "%s%s,people,sessions_started,sessions_finished,"
		    "sessions_completed,steps_blocked%s\r\n",
		    r->by == SERVER_BY_HAMLET ? "commune," : "",
		    server_report_by_name(r->by),
		    r->by == SERVER_BY_COMMUNE ? ",province,commune_code" :
		    r->by == SERVER_BY_HAMLET ? ",province" : "");
	for (i = 0; i < r->n; i++) {
		const struct server_report_row *w = &r->rows[i];

		if (r->by == SERVER_BY_REASON) {
			cell(f, w->checklist, 0);
			cell(f, w->step, 0);
			cell(f, w->reason, 0);
			fprintf(f, "%lld\r\n", (long long)w->count);
			continue;
		}
		if (r->by == SERVER_BY_HAMLET)
			cell(f, w->commune, 0);
		cell(f, w->key, 0);
		fprintf(f, "%lld,%lld,%lld,%lld,%lld%s", (long long)w->people,
		    (long long)w->started, (long long)w->finished,
		    (long long)w->completed, (long long)w->blocked,
		    r->by == SERVER_BY_COMMUNE || r->by == SERVER_BY_HAMLET ? "," :
		    "\r\n");
		/* Province (and code) last, so older readers of the columns still work. */
		if (r->by == SERVER_BY_COMMUNE) {
			cell(f, w->province, 0);
			cell(f, w->commune_code, 1);
		} else if (r->by == SERVER_BY_HAMLET)
			cell(f, w->province, 1);
	}
	fclose(f);
	return buf;
}
