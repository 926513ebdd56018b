/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nfc.c: see nfc.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>

#include "nfc.h"
#include "util.h"

char *
nfc_dup(const char *s)
{
	uint8_t *out;
	size_t len = 0;

	if (s == NULL)
		return NULL;
	/* The NUL goes through too, so the result is a C string. */
	out = u8_normalize(UNINORM_NFC, (const uint8_t *)s, strlen(s) + 1, NULL, &len);
	if (out == NULL || len == 0 || out[len - 1] != '\0') {
		free(out);
		return xstrdup(s);
	}
	return (char *)out;
}
