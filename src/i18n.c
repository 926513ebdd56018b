/* SPDX-License-Identifier: Apache-2.0 */
/*
 * i18n.c: the language messages are shown in (process-wide).
 */
#include <string.h>

#include "i18n.h"

static enum lang current = LANG_VI;

void
i18n_set_lang(enum lang l)
{
	current = l;
}

enum lang
i18n_lang(void)
{
	return current;
}

int
i18n_parse_lang(const char *s)
{
	if (s == NULL)
		return -1;
	if (strncmp(s, "vi", 2) == 0)
		return LANG_VI;
	if (strncmp(s, "en", 2) == 0)
		return LANG_EN;
	return -1;
}

const char *
L(const char *vi, const char *en)
{
	return current == LANG_EN ? en : vi;
}
