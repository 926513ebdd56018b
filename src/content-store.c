/* SPDX-License-Identifier: Apache-2.0 */
/*
 * content-store.c: the kiosk's checklists in its database — every version
 * it has seen, as the JSON text it was given, so a session pinned to an old
 * version still reads it. The table is this module's (its schema below).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "content.h"
#include "content-store.h"
#include "i18n.h"
#include "store.h"
#include "util.h"

/* Every version of every checklist, as the JSON text it came as. */
static const char *const content_steps[STORE_SCHEMA_VERSION] = {
	[0] =
	"CREATE TABLE checklists ("
	"  id TEXT NOT NULL, version INTEGER NOT NULL, category TEXT NOT NULL,"
	"  json TEXT NOT NULL, installed_at INTEGER NOT NULL,"
	"  PRIMARY KEY (id, version));",
};
const struct store_schema content_store_tables = { "content", content_steps };

int
content_store_install(struct store *st, const struct library *lib, int *added, char **cause)
{
	int n = 0;

	if (store_begin(st, cause) != 0)
		return -1;
	for (size_t i = 0; i < lib->n; i++) {
		const struct checklist *cl = lib->items[i];
		sqlite3_stmt *s = store_stmt(st, "INSERT INTO checklists "
		    "(id, version, category, json, installed_at) SELECT ?1, ?2, ?3, ?4, ?5 "
		    "WHERE ?2 > (SELECT coalesce(max(version), 0) FROM checklists WHERE id = ?1)");
		if (s == NULL)
			goto fail;
		sqlite3_bind_text(s, 1, cl->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, cl->version);
		sqlite3_bind_text(s, 3, category_id(cl->category), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, cl->json, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, util_now_ms());
		if (sqlite3_step(s) != SQLITE_DONE)
			goto fail;
		n += sqlite3_changes(sqlite3_db_handle(s));
	}
	if (store_commit(st, cause) != 0)
		return -1;
	if (added != NULL)
		*added = n;
	return 0;
fail:
	store_fail(st, cause);
	store_rollback(st);
	return -1;
}

/* Parses a stored checklist; stored text was valid once, so a failure means damage. */
static struct checklist *
parse_stored(struct store *st, const char *json, char **cause)
{
	struct problems pr = { 0 };
	struct checklist *cl = checklist_parse(json, strlen(json), store_path(st), &pr);

	if (cl == NULL)
		fail(cause, _("Một danh mục trong %s bị hỏng: %s"),
		    store_path(st), pr.n ? pr.lines[0] : "?");
	problems_free(&pr);
	return cl;
}

int
content_store_load(struct store *st, struct library *lib, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT json FROM checklists c WHERE version = "
	    "(SELECT max(version) FROM checklists WHERE id = c.id) ORDER BY category, id");
	int rc;

	lib->items = NULL;
	lib->n = 0;
	if (s == NULL)
		return store_fail(st, cause);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct checklist *cl = parse_stored(st, (const char *)sqlite3_column_text(s, 0), cause);
		if (cl == NULL) {
			sqlite3_reset(s);
			library_free(lib);
			return -1;
		}
		library_add(lib, cl);
	}
	if (rc != SQLITE_DONE) {
		library_free(lib);
		return store_fail(st, cause);
	}
	return 0;
}

int
content_store_count(struct store *st, int *n, char **cause)
{
	int64_t count;
	int rc = store_int64(st, "SELECT count(DISTINCT id) FROM checklists", &count, cause);

	*n = (int)count;
	return rc;
}

int
content_store_get(struct store *st, const char *id, int version, struct checklist **out, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT json FROM checklists WHERE id = ? AND version = ?");
	int rc;

	*out = NULL;
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return fail(cause, _("Không có danh mục %s phiên bản %d trong %s."), id, version, store_path(st));
	if (rc != SQLITE_ROW)
		return store_fail(st, cause);
	*out = parse_stored(st, (const char *)sqlite3_column_text(s, 0), cause);
	sqlite3_reset(s);
	return *out != NULL ? 0 : -1;
}
