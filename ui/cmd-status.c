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
#include "content-store.h"
#include "journey.h"
#include "people.h"
#include "store.h"
#include "sync-state.h"

/* A string, or null. */
static json_object *
str_json(const char *v)
{
	return v != NULL ? json_object_new_string(v) : NULL;
}

void
cmd_status_usage(FILE *f)
{
	fputs(_("Cách dùng: sotay status [--json]\n"), f);
}

int
cmd_status(struct app *app, int argc, char **argv)
{
	int as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
	struct store_counts c;
	struct volunteer *vol = NULL;
	size_t nvol = 0;
	int64_t nopen = 0;
	int nlists = 0;
	struct store *st;
	struct sync_state ss = { 0 };
	char *cause = NULL;

	if (argc > 2 || (argc == 2 && !as_json)) {
		cmd_status_usage(stderr);
		return EXIT_USAGE;
	}
	if (app_open_store(app, 0, &st) != 0)
		return EXIT_PROBLEM;
	if (store_counts(st, &c, &cause) != 0 || content_store_count(st, &nlists, &cause) != 0 ||
	    journey_count_open(st, &nopen, &cause) != 0 ||
	    people_volunteer_list(st, &vol, &nvol, &cause) != 0 ||
	    sync_state_read(st, &ss, &cause) != 0) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
		store_close(st);
		return EXIT_PROBLEM;
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "database", json_object_new_string(store_path(st)));
	json_object_object_add(o, "events", json_object_new_int64(c.events));
	json_object_object_add(o, "pending", json_object_new_int64(c.pending));
	/* Times are ms since the epoch; null when it never happened. */
	json_object_object_add(o, "last_sync_ok", ss.last_ok_ms > 0 ?
	    json_object_new_int64(ss.last_ok_ms) : NULL);
	json_object_object_add(o, "last_sync_error", str_json(ss.last_error));
	json_object_object_add(o, "server_url", str_json(ss.server_url));
	json_object_object_add(o, "kiosk_id", str_json(ss.kiosk_id));
	json_object_object_add(o, "content_version", ss.content_version > 0 ?
	    json_object_new_int64(ss.content_version) : NULL);
	json_object_object_add(o, "clock_offset_ms", ss.has_clock_offset ?
	    json_object_new_int64(ss.clock_offset_ms) : NULL);
	json_object_object_add(o, "checklists", json_object_new_int(nlists));
	json_object_object_add(o, "open_sessions", json_object_new_int64(nopen));
	json_object_object_add(o, "volunteers", json_object_new_int((int)nvol));

	if (as_json)
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	else {
		char when[17] = "";
		if (ss.last_ok_ms > 0)
			util_format_time(ss.last_ok_ms, when);
		printf(_("Tệp dữ liệu:       %s\n"), store_path(st));
		printf(_("Sự kiện chờ gửi:   %lld (tổng %lld)\n"),
		    (long long)c.pending, (long long)c.events);
		printf(_("Đồng bộ thành công lần cuối: %s\n"),
		    *when ? when : _("chưa bao giờ"));
		if (ss.last_error != NULL)
			printf(_("Lỗi đồng bộ gần nhất: %s\n"),
			    ss.last_error);
		printf(_("Máy chủ:           %s\n"),
		    ss.server_url ? ss.server_url : _("chưa đăng ký"));
		if (ss.content_version > 0)
			printf(_("Phiên bản nội dung: %lld\n"),
			    (long long)ss.content_version);
		else
			printf(_("Phiên bản nội dung: %s\n"),
			    _("đi kèm"));
		printf(_("Danh mục:          %d\n"), nlists);
		printf(_("Phiên chưa xong:   %lld\n"), (long long)nopen);
		printf(_("Tình nguyện viên:  %zu\n"), nvol);
	}
	json_object_put(o);
	people_volunteers_free(vol, nvol);
	sync_state_free(&ss);
	store_close(st);
	return EXIT_OK;
}
