/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fold.h: Vietnamese (and a few typographic marks) without diacritics, for
 * terminals whose locale cannot show UTF-8: "Đăng ký" becomes "Dang ky".
 * glibc's iconv //TRANSLIT drops or garbles these letters, so the table is
 * our own. Also the small UTF-8 decoder the drawing code uses, and the
 * key residents are searched by ("Đỗ Thị Út" is found by "do thi ut").
 */
#ifndef SOTAY_FOLD_H
#define SOTAY_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point from s (at most n bytes) into *cp and returns the
 * bytes used (at least 1). Invalid bytes give U+FFFD and use one byte.
 */
size_t		 fold_decode(const char *s, size_t n, uint32_t *cp);
/* The ASCII text for cp: itself when ASCII, the base letter, or "?". Static. */
const char	*fold_cp(uint32_t cp);
/* A malloc'd ASCII copy of the UTF-8 string s; the caller frees it. */
char		*fold_ascii(const char *s);

#endif
