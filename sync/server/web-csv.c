/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-csv.c: the dashboard's downloads. UTF-8 with a byte order mark and
 * CRLF lines, cells quoted as RFC 4180 says, so Excel opens Vietnamese
 * names right with a double click. A cell that would start a formula
 * (=, +, -, @) gets a leading apostrophe: a hamlet name typed on a kiosk
 * must never run in an officer's spreadsheet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "web.h"

void
web_csv_begin(struct web_buf *b)
{
	web_buf_put(b, "\xEF\xBB\xBF");
}

/* Called before every cell: a comma unless the row is new. */
static void
sep(struct web_buf *b)
{
	if (b->len > 3 && b->p[b->len - 1] != '\n')
		web_buf_put(b, ",");
}

void
web_csv_cell(struct web_buf *b, const char *s)
{
	const char *p;

	sep(b);
	if (s == NULL)
		s = "";
	web_buf_put(b, "\"");
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		web_buf_put(b, "'");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			web_buf_put(b, "\"\"");
		else
			web_buf_putn(b, p, 1);
	}
	web_buf_put(b, "\"");
}

void
web_csv_int(struct web_buf *b, int64_t v)
{
	sep(b);
	web_buf_printf(b, "%lld", (long long)v);
}

void
web_csv_row_end(struct web_buf *b)
{
	web_buf_put(b, "\r\n");
}

void
web_csv_reply(struct web *w, struct web_buf *b, const char *name)
{
	char *cd, *c = NULL;

	/* Whose figures they are: a commune officer's always its commune's. */
	if (w->scope.commune == NULL)
		cd = xasprintf("attachment; filename=\"%s-%s-%s.csv\"", name, w->from_s,
		    w->to_s);
	else {
		/* The commune, in UTF-8, where a browser reads it (RFC 6266). */
		c = web_html_url_escape(w->scope.commune);
		cd = xasprintf("attachment; filename=\"%s-%s-%s.csv\"; "
		    "filename*=UTF-8''%s-%s-%s-%s.csv", name, w->from_s, w->to_s, name, c,
		    w->from_s, w->to_s);
	}
	free(w->rep->body);
	w->rep->status = 200;
	w->rep->body = web_buf_take(b, &w->rep->len);
	w->rep->content_type = "text/csv; charset=utf-8";
	server_reply_header(w->rep, "Content-Disposition", cd);
	server_reply_header(w->rep, "Cache-Control", "no-store");
	server_reply_header(w->rep, "X-Content-Type-Options", "nosniff");
	free(cd);
	free(c);
}
