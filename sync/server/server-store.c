/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store.c: picks the storage implementation named by --db and
 * forwards each call to its table of operations (see server-store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "server-store.h"

int
server_store_open(const char *where, struct server_store **st, char **cause)
{
	*st = NULL;
	if (where == NULL || *where == '\0')
		return fail(cause, L("Chưa chỉ định cơ sở dữ liệu: dùng --db ĐƯỜNG_DẪN "
		    "hoặc biến SOTAY_SERVER_DB.", "No database given: use --db PATH or "
		    "the SOTAY_SERVER_DB variable."));
	if (strncmp(where, "postgres://", 11) == 0 ||
	    strncmp(where, "postgresql://", 13) == 0)
		return fail(cause, L("Bản này chưa có phần lưu trữ PostgreSQL (%s); "
		    "hãy dùng một tệp SQLite.", "This build has no PostgreSQL store "
		    "(%s); use an SQLite file."), where);
	return server_store_sqlite.open(where, st, cause);
}

int
server_store_check(struct server_store *st, char **cause)
{
	return st->ops->check != NULL ? st->ops->check(st, cause) : 0;
}

void
server_store_close(struct server_store *st)
{
	if (st != NULL)
		st->ops->close(st);
}

void
server_kiosk_free(struct server_kiosk *k)
{
	if (k == NULL)
		return;
	free(k->id);
	free(k->province);
	free(k->commune);
	free(k->hamlet);
	free(k->name);
	memset(k, 0, sizeof *k);
}

void
server_report_free(struct server_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->rows[i].key);
		free(r->rows[i].commune);
		free(r->rows[i].checklist);
		free(r->rows[i].step);
		free(r->rows[i].reason);
	}
	free(r->rows);
	memset(r, 0, sizeof *r);
}

int
server_store_kiosk_add(struct server_store *st, const struct server_kiosk *k,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	return st->ops->kiosk_add(st, k, hash, cause);
}

int
server_store_kiosk_list(struct server_store *st, struct server_kiosk **v, size_t *n,
    char **cause)
{
	return st->ops->kiosk_list(st, v, n, cause);
}

int
server_store_kiosk_revoke(struct server_store *st, const char *id, char **cause)
{
	return st->ops->kiosk_revoke(st, id, cause);
}

int
server_store_kiosk_by_token(struct server_store *st,
    const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *k, int *found,
    char **cause)
{
	return st->ops->kiosk_by_token(st, hash, k, found, cause);
}

int
server_store_events_put(struct server_store *st, const struct server_kiosk *k,
    const struct protocol_batch *b, struct protocol_ack *ack, char **cause)
{
	return st->ops->events_put(st, k, b, ack, cause);
}

int
server_store_content_publish(struct server_store *st,
    const struct server_checklist *c, size_t n, int64_t *version, size_t *added,
    char ***problems, size_t *nproblems, char **cause)
{
	return st->ops->content_publish(st, c, n, version, added, problems, nproblems,
	    cause);
}

int
server_store_content_since(struct server_store *st, int64_t since, int64_t *version,
    char ***jsons, size_t *n, char **cause)
{
	return st->ops->content_since(st, since, version, jsons, n, cause);
}

int
server_store_report(struct server_store *st, enum server_report_by by, int64_t from,
    int64_t to, struct server_report *r, char **cause)
{
	return st->ops->report(st, by, from, to, r, cause);
}
