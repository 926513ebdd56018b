/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-status.c: `sotay status [--json]` — what is waiting to be sent, when
 * the last sync succeeded, which content the kiosk has, and a few counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "content.h"
#include "journey.h"
#include "people.h"
#include "store.h"

static json_object *
meta_json(struct store *st, const char *key)
{
	char *v = NULL;

	if (store_meta_get(st, key, &v, NULL) != 0 || v == NULL)
		return NULL;
	json_object *o = json_object_new_string(v);
	free(v);
	return o;
}

int
cmd_status(struct app *app, int argc, char **argv)
{
	int as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
	struct store_counts c;
	struct library lib = { 0 };
	struct journey_brief *open = NULL;
	struct volunteer *vol = NULL;
	size_t nopen = 0, nvol = 0;
	struct store *st;
	char *cause = NULL;

	if (argc > 2 || (argc == 2 && !as_json)) {
		fputs(_("Cách dùng: sotay status [--json]\n"), stderr);
		return EXIT_USAGE;
	}
	if (app_open_store(app, 0, &st) != 0)
		return EXIT_PROBLEM;
	if (store_counts(st, &c, &cause) != 0 || content_load(st, &lib, &cause) != 0 ||
	    journey_list_open(st, NULL, &open, &nopen, &cause) != 0 ||
	    people_volunteer_list(st, &vol, &nvol, &cause) != 0) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
		library_free(&lib);
		journey_briefs_free(open, nopen);
		store_close(st);
		return EXIT_PROBLEM;
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "database", json_object_new_string(store_path(st)));
	json_object_object_add(o, "events", json_object_new_int64(c.events));
	json_object_object_add(o, "pending", json_object_new_int64(c.pending));
	json_object_object_add(o, "last_sync_ok", meta_json(st, "last_sync_ok"));
	json_object_object_add(o, "last_sync_error", meta_json(st, "last_sync_error"));
	json_object_object_add(o, "server_url", meta_json(st, "server_url"));
	json_object_object_add(o, "kiosk_id", meta_json(st, "kiosk_id"));
	json_object_object_add(o, "content_version", meta_json(st, "content_version"));
	json_object_object_add(o, "checklists", json_object_new_int((int)lib.n));
	json_object_object_add(o, "open_sessions", json_object_new_int((int)nopen));
	json_object_object_add(o, "volunteers", json_object_new_int((int)nvol));

	if (as_json)
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	else {
		json_object *v;
		char when[17] = "";
		if (json_object_object_get_ex(o, "last_sync_ok", &v) && v != NULL)
			util_format_time(strtoll(json_object_get_string(v), NULL, 10), when);
		printf(_("Tệp dữ liệu:       %s\n"), store_path(st));
		printf(_("Sự kiện chờ gửi:   %lld (tổng %lld)\n"),
		    (long long)c.pending, (long long)c.events);
		printf(_("Đồng bộ thành công lần cuối: %s\n"),
		    *when ? when : _("chưa bao giờ"));
		if (json_object_object_get_ex(o, "last_sync_error", &v) && v != NULL)
			printf(_("Lỗi đồng bộ gần nhất: %s\n"),
			    json_object_get_string(v));
		printf(_("Máy chủ:           %s\n"),
		    json_object_object_get_ex(o, "server_url", &v) && v ? json_object_get_string(v) :
		    _("chưa đăng ký"));
		printf(_("Phiên bản nội dung: %s\n"),
		    json_object_object_get_ex(o, "content_version", &v) && v ? json_object_get_string(v) :
		    _("đi kèm"));
		printf(_("Danh mục:          %zu\n"), lib.n);
		printf(_("Phiên chưa xong:   %zu\n"), nopen);
		printf(_("Tình nguyện viên:  %zu\n"), nvol);
	}
	json_object_put(o);
	library_free(&lib);
	journey_briefs_free(open, nopen);
	people_volunteers_free(vol, nvol);
	store_close(st);
	return EXIT_OK;
}
