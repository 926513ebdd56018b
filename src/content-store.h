/* SPDX-License-Identifier: Apache-2.0 */
/*
 * content-store.h: the kiosk's database keeps every version of every
 * checklist it has seen. content_store_install adds the checklists of lib
 * that are newer than what the database holds (how many in *added, which
 * may be NULL). content_store_load gives the newest version of each;
 * content_store_get one exact version (for a session pinned to it). The
 * caller frees what it gets.
 */
#ifndef SOTAY_CONTENT_STORE_H
#define SOTAY_CONTENT_STORE_H

struct store;
struct store_schema;
struct library;
struct checklist;

extern const struct store_schema content_store_tables;	/* checklists */

int	 content_store_install(struct store *, const struct library *, int *added, char **cause);
int	 content_store_load(struct store *, struct library *, char **cause);
int	 content_store_get(struct store *, const char *id, int version, struct checklist **,
	     char **cause);
/* How many checklists the kiosk holds (one per id), without parsing them. */
int	 content_store_count(struct store *, int *n, char **cause);

#endif
