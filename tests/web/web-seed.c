/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-seed.c: fills a kiosk's database with the events a day at a kiosk
 * makes — residents added, sessions started on a checklist, steps done and
 * blocked with a reason, sessions finished — through the kiosk's own store
 * (store_event, as the screens do), for the dashboard's browser test to
 * sync with the real `sotay sync`.
 *
 *   web-seed KIOSK_DB HAMLET SESSIONS [CHECKLIST CATEGORY]
 *
 * Every third session ends blocked on "get-otp" with "no-otp"; the others
 * are completed. The resident's hamlet is HAMLET (any text, e.g. markup).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store.h"
#include "util.h"

static void
event(struct store *st, const char *type, json_object *p)
{
	char *cause = NULL;

	if (store_event(st, type, p, NULL, &cause) != 0) {
		fprintf(stderr, "web-seed: %s: %s\n", type, cause);
		exit(1);
	}
}

static json_object *
obj(const char *k1, const char *v1, const char *k2, const char *v2)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, k1, json_object_new_string(v1));
	if (k2 != NULL)
		json_object_object_add(o, k2, json_object_new_string(v2));
	return o;
}

static void
mark(struct store *st, const char *session, const char *checklist, const char *step,
    int index, const char *m, const char *reason)
{
	json_object *p = obj("session", session, "checklist", checklist);

	json_object_object_add(p, "step", json_object_new_string(step));
	json_object_object_add(p, "index", json_object_new_int(index));
	json_object_object_add(p, "mark", json_object_new_string(m));
	json_object_object_add(p, "reason", reason != NULL ?
	    json_object_new_string(reason) : NULL);
	event(st, "step.marked", p);
}

int
main(int argc, char **argv)
{
	struct store	*st = NULL;
	char		*cause = NULL, resident[UUID_STR_LEN], session[UUID_STR_LEN];
	const char	*checklist = argc > 5 ? argv[4] : "test-basic";
	const char	*category = argc > 5 ? argv[5] : "public_services";
	int		 n, i;

	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: web-seed KIOSK_DB HAMLET SESSIONS [CHECKLIST CATEGORY]\n");
		return 2;
	}
	n = atoi(argv[3]);
	if (store_open(argv[1], STORE_CREATE, &st, &cause) != 0) {
		fprintf(stderr, "web-seed: %s\n", cause);
		return 1;
	}
	for (i = 0; i < n; i++) {
		json_object *p;

		if (store_begin(st, &cause) != 0) {
			fprintf(stderr, "web-seed: %s\n", cause);
			return 1;
		}
		util_uuid7(resident);
		util_uuid7(session);
		p = obj("resident", resident, "hamlet", argv[2]);
		json_object_object_add(p, "birth_year", json_object_new_int(1950 + i % 50));
		json_object_object_add(p, "sex", json_object_new_string(i % 2 ? "f" : "m"));
		event(st, "resident.added", p);
		p = obj("session", session, "resident", resident);
		json_object_object_add(p, "checklist", json_object_new_string(checklist));
		json_object_object_add(p, "version", json_object_new_int(1));
		json_object_object_add(p, "category", json_object_new_string(category));
		json_object_object_add(p, "volunteer", json_object_new_int(1));
		event(st, "session.started", p);
		mark(st, session, checklist, "open-app", 0, "done", NULL);
		mark(st, session, checklist, "enter-number", 1, "done", NULL);
		if (i % 3 == 2) {
			mark(st, session, checklist, "get-otp", 2, "blocked", "no-otp");
			p = obj("session", session, "checklist", checklist);
			json_object_object_add(p, "outcome", json_object_new_string("blocked"));
			json_object_object_add(p, "done", json_object_new_int(2));
			json_object_object_add(p, "skipped", json_object_new_int(0));
			json_object_object_add(p, "blocked", json_object_new_int(1));
		} else {
			mark(st, session, checklist, "get-otp", 2, "done", NULL);
			mark(st, session, checklist, "confirm", 3, "done", NULL);
			p = obj("session", session, "checklist", checklist);
			json_object_object_add(p, "outcome", json_object_new_string("completed"));
			json_object_object_add(p, "done", json_object_new_int(4));
			json_object_object_add(p, "skipped", json_object_new_int(0));
			json_object_object_add(p, "blocked", json_object_new_int(0));
		}
		event(st, "session.finished", p);
		if (store_commit(st, &cause) != 0) {
			fprintf(stderr, "web-seed: %s\n", cause);
			return 1;
		}
	}
	store_close(st);
	return 0;
}
