/* SPDX-License-Identifier: Apache-2.0 */
/* server-store-pg.c: the server's store in PostgreSQL (see server-store.h). */
#include "i18n.h"
#include "util.h"
#include "server-store.h"

static int
pg_open(const char *where, int pool, struct server_store **out, char **cause)
{
	*out = NULL;
	return fail(cause, L("Bản này chưa có phần lưu trữ PostgreSQL; hãy dùng một "
	    "tệp SQLite.", "This build has no PostgreSQL store; use an SQLite file."));
}

const struct server_store_ops server_store_pg = {
	.name = "postgresql",
	.open = pg_open,
};
