/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-migrate.c: copies one store into another, table by table, through
 * the stores' own row primitives (see server-migrate.h). Rows go over in
 * transactions of a few thousand, so a province of millions of events
 * moves without holding them all in memory, and an interrupted copy is
 * simply run again.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"
#include "server-store.h"
#include "server-migrate.h"
#include "server-ingest.h"

#define CHUNK	5000	/* rows per transaction */

struct copy {
	struct server_store		*to;
	struct server_tx		*tx;
	const struct server_table	*t;
	struct server_migrate_count	*count;
	int				 in_tx;
	char				**cause;
};

static int
put(void *arg, const char *const *vals)
{
	struct copy	*c = arg;
	int		 added, rc;

	if (c->tx == NULL && (rc = server_store_begin(c->to, &c->tx, c->cause)) != 0)
		return rc;
	if ((rc = server_store_row_put(c->tx, c->t, vals, &added, c->cause)) != 0) {
		server_store_rollback(c->tx);
		c->tx = NULL;
		return rc;
	}
	if (added)
		c->count->copied++;
	else
		c->count->present++;
	if (++c->in_tx == CHUNK) {
		rc = server_store_commit(c->tx, c->cause);
		c->tx = NULL;
		c->in_tx = 0;
		return rc;
	}
	return 0;
}

int
server_migrate(const char *from, const char *to, struct server_migrate_count *counts,
    char **cause)
{
	struct server_store	*src = NULL, *dst = NULL;
	struct copy		 c;
	size_t			 i;
	int			 rc;

	if (server_store_is_pg(from) || !server_store_is_pg(to))
		return fail(cause, _("migrate chuyển một tệp SQLite (--from TỆP.db) vào "
		    "PostgreSQL (--to postgresql://…)."));
	/* Opening a missing file would make an empty one: say so instead. */
	if (access(from, R_OK) != 0)
		return fail(cause, _("Không đọc được %s; hãy kiểm tra đường dẫn tệp "
		    "cơ sở dữ liệu của máy chủ tỉnh."), from);
	if ((rc = server_store_open(from, &src, cause)) != 0)
		return rc;
	if ((rc = server_store_open(to, &dst, cause)) != 0) {
		server_store_close(src);
		return rc;
	}
	for (i = 0; i < server_ntables; i++) {
		memset(&counts[i], 0, sizeof counts[i]);
		counts[i].table = server_tables[i].name;
		memset(&c, 0, sizeof c);
		c.to = dst;
		c.t = &server_tables[i];
		c.count = &counts[i];
		c.cause = cause;
		rc = server_store_rows(src, &server_tables[i], put, &c, cause);
		if (rc == 0 && c.tx != NULL)
			rc = server_store_commit(c.tx, cause);
		else if (c.tx != NULL)
			server_store_rollback(c.tx);
		if (rc != 0)
			break;
	}
	/* The copied facts, counted afresh: the target's rollups match them. */
	if (rc == 0)
		rc = server_ingest_rollups_build(dst, 1, cause);
	server_store_close(dst);
	server_store_close(src);
	return rc;
}
