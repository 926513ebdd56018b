/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-migrate.h: `sotay-server migrate --from FILE.db --to postgresql://…`
 * moves a province's SQLite server into PostgreSQL — every kiosk with its
 * token hash, event, conflict, report fact and checklist version, and the
 * dashboard's accounts and audit log — and can be run again safely (what
 * is there already is left as it is).
 */
#ifndef SOTAY_SERVER_MIGRATE_H
#define SOTAY_SERVER_MIGRATE_H

#include <stddef.h>

/* Rows copied and rows already there, per table of server_tables. */
struct server_migrate_count {
	const char	*table;
	long long	 copied;
	long long	 present;
};

/*
 * Copies from into to. counts (server_ntables entries, the caller's) says
 * what happened per table. 0, or a store result with *cause.
 */
int	 server_migrate(const char *from, const char *to,
	     struct server_migrate_count *counts, char **cause);

#endif
