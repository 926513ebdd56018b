/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog.c: the table behind catalog.h, expanded once.
 */
#include "catalog.h"
#include "i18n.h"

static const struct { const char *vi, *en; } catalog_table[T_COUNT] = {
#define CATALOG_ROW(id, v, e) [id] = { v, e },
	CATALOG(CATALOG_ROW)
#undef CATALOG_ROW
};

const char *
catalog_text(int id)
{
	if (id < 0 || id >= T_COUNT)
		return "";
	return i18n_lang() == LANG_EN ? catalog_table[id].en : catalog_table[id].vi;
}
