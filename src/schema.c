/* SPDX-License-Identifier: Apache-2.0 */
/*
 * schema.c: which modules have tables in the kiosk's database, in the order
 * their migrations run (a table another refers to comes first). Each
 * module declares its own tables (store.h: struct store_schema); store.c
 * runs them. report.c owns none: it is the declared reader of journey's
 * sessions and marks and content's checklists (its read model), and writes
 * nothing.
 */
#include <stddef.h>

#include "content-store.h"
#include "journey.h"
#include "people.h"
#include "store.h"

const struct store_schema *const store_schemas[] = {
	&store_tables,
	&content_store_tables,
	&people_tables,
	&journey_tables,
	NULL
};
