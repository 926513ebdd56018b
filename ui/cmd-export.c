/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-export.c: `sotay export` — the whole journal (every event, sent or
 * not) as JSON lines on stdout, for a backup that any tool can read. Events
 * compacted away after sent_keep_days (store_events_compact) are no longer
 * on the kiosk: the server holds them, and so does any export taken before;
 * the export says so on stderr, so stdout stays the journal alone.
 */
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "app.h"
#include "store.h"

void
cmd_export_usage(FILE *f)
{
	fputs(_("Cách dùng: sotay export > sao-luu.jsonl\n"),
	    f);
}

int
cmd_export(struct app *app, int argc, char **argv)
{
	struct store_event *ev;
	struct store *st;
	char *cause = NULL;
	int64_t after = 0, first = 0;
	size_t n;

	(void)argv;
	if (argc != 1) {
		cmd_export_usage(stderr);
		return EXIT_USAGE;
	}
	if (app_open_store(app, STORE_READONLY, &st) != 0)
		return EXIT_PROBLEM;
	do {
		if (store_events(st, after, 1000, 0, &ev, &n, &cause) != 0) {
			fprintf(stderr, "sotay: %s\n", cause);
			free(cause);
			store_close(st);
			return EXIT_PROBLEM;
		}
		for (size_t i = 0; i < n; i++) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "seq", json_object_new_int64(ev[i].seq));
			json_object_object_add(o, "id", json_object_new_string(ev[i].id));
			json_object_object_add(o, "type", json_object_new_string(ev[i].type));
			json_object_object_add(o, "at", json_object_new_int64(ev[i].created_at));
			json_object_object_add(o, "sent", json_object_new_boolean(ev[i].sent));
			json_object_object_add(o, "payload", json_tokener_parse(ev[i].payload));
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
			if (first == 0)
				first = ev[i].seq;
			after = ev[i].seq;
		}
		store_events_free(ev, n);
	} while (n > 0);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror(_("sotay: ghi bản sao lưu thất bại"));
		store_close(st);
		return EXIT_PROBLEM;
	}
	struct store_counts c;
	if (store_counts(st, &c, NULL) == 0 && c.compacted > 0)
		fprintf(stderr, _("sotay export: %lld sự kiện cũ hơn đã được xóa khỏi máy này sau khi "
		    "máy chủ xác nhận giữ (sent_keep_days); máy chủ và các bản sao lưu trước vẫn có "
		    "chúng. Bản này bắt đầu từ sự kiện số %lld.\n"), (long long)c.compacted,
		    (long long)first);
	store_close(st);
	return EXIT_OK;
}
