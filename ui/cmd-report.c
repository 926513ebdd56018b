/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-report.c: `sotay report [--from DATE] [--to DATE] [--json]` — the
 * kiosk's report for a date range (both ends inclusive; by default this
 * month so far).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "app.h"
#include "report.h"
#include "store.h"

#define DAY_MS 86400000LL

static int64_t
date_arg(const char *s)
{
	int64_t t = util_parse_date(s);

	if (t < 0)
		fprintf(stderr, _("sotay: \"%s\" không phải ngày hợp lệ (dạng YYYY-MM-DD).\n"), s);
	return t;
}

void
cmd_report_usage(FILE *f)
{
	fputs(_("Cách dùng: sotay report [--from NGÀY] [--to NGÀY] [--json]\n"), f);
}

int
cmd_report(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t from = -1, to = -1;
	int as_json = 0, ch;
	struct report *r;
	struct store *st;
	char *cause = NULL;

	optind = 0;	/* glibc starts afresh */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((from = date_arg(optarg)) < 0)
				return EXIT_USAGE;
			break;
		case 't':
			if ((to = date_arg(optarg)) < 0)
				return EXIT_USAGE;
			to += DAY_MS;	/* through the end of that day */
			break;
		case 'j':
			as_json = 1;
			break;
		default:
			cmd_report_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (from < 0) {
		time_t now = (time_t)(util_now_ms() / 1000);
		struct tm tm;
		localtime_r(&now, &tm);
		tm.tm_mday = 1;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		from = (int64_t)mktime(&tm) * 1000;
	}
	if (to < 0)
		to = util_now_ms() + 1;
	if (to <= from) {
		fputs(_("sotay: --to phải sau --from.\n"), stderr);
		return EXIT_USAGE;
	}
	if (app_open_store(app, STORE_READONLY, &st) != 0)
		return EXIT_PROBLEM;
	if (report_build(st, from, to, &r, &cause) != 0) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
		store_close(st);
		return EXIT_PROBLEM;
	}
	if (as_json) {
		json_object *o = report_json(r);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else
		report_print(stdout, r);
	report_free(r);
	store_close(st);
	return EXIT_OK;
}
