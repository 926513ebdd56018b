/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fold.c: Vietnamese letters to their base Latin letter. Each row lists
 * every precomposed letter (all tones, with breve, circumflex, horn) that
 * folds to one ASCII letter; lookup decodes the rows once into a sorted
 * table.
 */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "util.h"

static const struct { const char *ascii; const char *letters; } fold_rows[] = {
	{ "a", "àáảãạăằắẳẵặâầấẩẫậ" },
	{ "A", "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ" },
	{ "e", "èéẻẽẹêềếểễệ" },
	{ "E", "ÈÉẺẼẸÊỀẾỂỄỆ" },
	{ "i", "ìíỉĩị" },
	{ "I", "ÌÍỈĨỊ" },
	{ "o", "òóỏõọôồốổỗộơờớởỡợ" },
	{ "O", "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ" },
	{ "u", "ùúủũụưừứửữự" },
	{ "U", "ÙÚỦŨỤƯỪỨỬỮỰ" },
	{ "y", "ỳýỷỹỵ" },
	{ "Y", "ỲÝỶỸỴ" },
	{ "d", "đ" },
	{ "D", "Đ" },
	/* Typography and the few symbols the screens use. */
	{ "...", "…" },
	{ "-", "–—―−─━" },
	{ "\"", "“”„«»" },
	{ "'", "‘’‚" },
	{ ".", "·•" },
	{ "x", "✓✔×" },
	{ "*", "✎" },
	{ "#", "█▓" },
	{ "-", "░▒" },
	{ "^", "▀" },
	{ "_", "▄" },
	{ "|", "│┃" },
	{ "+", "┌┐└┘├┤┬┴┼" },
	{ "<-", "←" },
	{ "->", "→" },
	{ "^", "↑" },
	{ "v", "↓" },
	{ " ", "\xc2\xa0" },
};

struct fold_entry { uint32_t cp; const char *ascii; };
static struct fold_entry *fold_table;
static size_t fold_n;

size_t
fold_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t c, min;

	if (n == 0) {
		*cp = 0xfffd;
		return 1;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		len = 2; c = u[0] & 0x1f; min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3; c = u[0] & 0x0f; min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4; c = u[0] & 0x07; min = 0x10000;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = c;
	return len;
}

static int
fold_cmp(const void *a, const void *b)
{
	const struct fold_entry *x = a, *y = b;

	return (x->cp > y->cp) - (x->cp < y->cp);
}

static void
fold_init(void)
{
	size_t r, cap = 256, off, len, k;
	uint32_t cp;

	fold_table = xcalloc(cap, sizeof *fold_table);
	for (r = 0; r < sizeof fold_rows / sizeof fold_rows[0]; r++) {
		len = strlen(fold_rows[r].letters);
		for (off = 0; off < len; off += k) {
			k = fold_decode(fold_rows[r].letters + off, len - off, &cp);
			if (fold_n == cap) {
				cap *= 2;
				fold_table = xrealloc(fold_table, cap * sizeof *fold_table);
			}
			fold_table[fold_n].cp = cp;
			fold_table[fold_n++].ascii = fold_rows[r].ascii;
		}
	}
	qsort(fold_table, fold_n, sizeof *fold_table, fold_cmp);
}

const char *
fold_cp(uint32_t cp)
{
	static char one[2];
	struct fold_entry key, *e;

	if (cp < 0x80) {
		if (cp < 0x20 || cp == 0x7f)
			return " ";
		one[0] = (char)cp;
		one[1] = '\0';
		return one;
	}
	if (fold_table == NULL)
		fold_init();
	key.cp = cp;
	e = bsearch(&key, fold_table, fold_n, sizeof *fold_table, fold_cmp);
	return e != NULL ? e->ascii : "?";
}

char *
fold_ascii(const char *s)
{
	size_t n = strlen(s), off = 0, k, len = 0, cap = n + 1;
	char *out = xmalloc(cap);
	const char *a;
	uint32_t cp;

	while (off < n) {
		k = fold_decode(s + off, n - off, &cp);
		off += k;
		a = fold_cp(cp);
		while (len + strlen(a) + 1 > cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, a, strlen(a));
		len += strlen(a);
	}
	out[len] = '\0';
	return out;
}
