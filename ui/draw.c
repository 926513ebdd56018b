/* SPDX-License-Identifier: Apache-2.0 */
/*
 * draw.c: see draw.h. Widths come from wcwidth() in a UTF-8 locale and from
 * the folded ASCII otherwise, so the same string measures what it takes on
 * this terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "fold.h"
#include "util.h"

static int draw_is_utf8;
static int draw_colour;

enum { PAIR_TITLE = 1, PAIR_KEYS, PAIR_SEL, PAIR_OK, PAIR_WARN, PAIR_ERR, PAIR_BAR, PAIR_QR };

void
draw_init(int utf8)
{
	const char *nc = getenv("NO_COLOR");

	draw_is_utf8 = utf8;
	draw_colour = 0;
	if ((nc == NULL || *nc == '\0') && has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_KEYS, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_SEL, COLOR_BLACK, COLOR_YELLOW);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_ERR, COLOR_RED, -1);
		init_pair(PAIR_BAR, COLOR_GREEN, -1);
		init_pair(PAIR_QR, COLOR_BLACK, COLOR_WHITE);
		draw_colour = 1;
	}
}

int
draw_has_colour(void)
{
	return draw_colour;
}

int
draw_utf8(void)
{
	return draw_is_utf8;
}

attr_t
draw_attr(enum draw_style s)
{
	if (draw_colour) {
		switch (s) {
		case DS_TITLE:	return COLOR_PAIR(PAIR_TITLE) | A_BOLD;
		case DS_KEYS:	return COLOR_PAIR(PAIR_KEYS);
		case DS_SELECTED: return COLOR_PAIR(PAIR_SEL) | A_BOLD;
		case DS_BOLD:	return A_BOLD;
		case DS_DIM:	return A_DIM;
		case DS_OK:	return COLOR_PAIR(PAIR_OK) | A_BOLD;
		case DS_WARN:	return COLOR_PAIR(PAIR_WARN) | A_BOLD;
		case DS_ERROR:	return COLOR_PAIR(PAIR_ERR) | A_BOLD;
		case DS_BAR:	return COLOR_PAIR(PAIR_BAR);
		case DS_QR:	return COLOR_PAIR(PAIR_QR);
		default:	return A_NORMAL;
		}
	}
	/* Monochrome: reverse and bold carry the meaning. */
	switch (s) {
	case DS_TITLE:	return A_REVERSE | A_BOLD;
	case DS_KEYS:	return A_REVERSE;
	case DS_SELECTED: return A_REVERSE | A_BOLD;
	case DS_BOLD:	return A_BOLD;
	case DS_DIM:	return A_DIM;
	case DS_OK:	return A_BOLD;
	case DS_WARN:	return A_BOLD;
	case DS_ERROR:	return A_BOLD | A_UNDERLINE;
	default:	return A_NORMAL;
	}
}

void
draw_style_on(WINDOW *win, enum draw_style s)
{
	wattr_on(win, draw_attr(s), NULL);
}

void
draw_style_off(WINDOW *win, enum draw_style s)
{
	wattr_off(win, draw_attr(s), NULL);
}

/* Columns of one code point here; 0 for combining marks. */
static int
draw_cp_width(uint32_t cp)
{
	int n;

	if (!draw_is_utf8)
		return (int)strlen(fold_cp(cp));
	if (cp < 0x20 || cp == 0x7f)
		return 1;	/* shown as a blank */
	n = wcwidth((wchar_t)cp);
	return n < 0 ? 1 : n;
}

int
draw_width(const char *s)
{
	size_t n = strlen(s), off = 0;
	uint32_t cp;
	int w = 0;

	while (off < n) {
		off += fold_decode(s + off, n - off, &cp);
		w += draw_cp_width(cp);
	}
	return w;
}

static int
draw_text1(WINDOW *win, int y, int x, int maxw, const char *s, enum draw_style st, int cut)
{
	size_t n = strlen(s), off = 0, k, nw = 0;
	wchar_t *buf;
	uint32_t cp;
	int used = 0, cw, total, room = maxw;
	const char *a;

	if (maxw <= 0)
		return 0;
	total = cut ? draw_width(s) : 0;
	if (cut && total > maxw)
		room = maxw - (draw_is_utf8 ? 1 : 3);
	buf = xcalloc(n * 3 + 8, sizeof *buf);
	while (off < n) {
		k = fold_decode(s + off, n - off, &cp);
		if (cp == '\n')
			break;
		cw = draw_cp_width(cp);
		if (used + cw > room)
			break;
		off += k;
		if (!draw_is_utf8) {
			for (a = fold_cp(cp); *a != '\0'; a++)
				buf[nw++] = (wchar_t)(unsigned char)*a;
		} else if (cp < 0x20 || cp == 0x7f || wcwidth((wchar_t)cp) < 0)
			buf[nw++] = cp == 0xfffd ? L'?' : L' ';
		else
			buf[nw++] = (wchar_t)cp;
		used += cw;
	}
	if (cut && total > maxw && room >= 0) {
		if (draw_is_utf8)
			buf[nw++] = L'…';
		else {
			buf[nw++] = L'.';
			buf[nw++] = L'.';
			buf[nw++] = L'.';
		}
		used = maxw;
	}
	wattr_on(win, draw_attr(st), NULL);
	mvwaddnwstr(win, y, x, buf, (int)nw);
	wattr_off(win, draw_attr(st), NULL);
	free(buf);
	return used;
}

int
draw_text(WINDOW *win, int y, int x, int maxw, const char *s, enum draw_style st)
{
	return draw_text1(win, y, x, maxw, s, st, 0);
}

int
draw_textcut(WINDOW *win, int y, int x, int maxw, const char *s, enum draw_style st)
{
	return draw_text1(win, y, x, maxw, s, st, 1);
}

void
draw_fill(WINDOW *win, int y, int x, int n, enum draw_style st)
{
	if (n <= 0)
		return;
	wattr_on(win, draw_attr(st), NULL);
	mvwhline(win, y, x, ' ', n);
	wattr_off(win, draw_attr(st), NULL);
}

void
draw_lines_add(struct draw_lines *l, const char *s)
{
	l->line = xrealloc(l->line, (l->n + 1) * sizeof *l->line);
	l->line[l->n++] = xstrdup(s);
}

void
draw_lines_free(struct draw_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	l->line = NULL;
	l->n = 0;
}

/*
 * Greedy word wrap by display width. A word wider than the line is cut
 * where it must be; newlines in s start new lines.
 */
void
draw_wrap(const char *s, int width, struct draw_lines *out)
{
	size_t n = strlen(s), off = 0, k, linelen = 0, lastsp = 0;
	char *line = xmalloc(n + 1);
	int w = 0, wsp = 0, cw;
	uint32_t cp;

	if (width < 1)
		width = 1;
	while (off <= n) {
		if (off == n || s[off] == '\n') {
			line[linelen] = '\0';
			draw_lines_add(out, line);
			linelen = 0;
			w = 0;
			lastsp = 0;
			off++;
			continue;
		}
		k = fold_decode(s + off, n - off, &cp);
		cw = draw_cp_width(cp);
		if (cp == ' ' && linelen == 0) {	/* no blank at a line's start */
			off += k;
			continue;
		}
		if (w + cw > width) {
			if (cp == ' ') {
				line[linelen] = '\0';
				draw_lines_add(out, line);
				linelen = 0;
				w = 0;
				lastsp = 0;
				off += k;
				continue;
			}
			if (lastsp > 0) {
				/* Move the unfinished word to the next line. */
				char *rest;

				line[linelen] = '\0';
				rest = xstrdup(line + lastsp + 1);
				size_t rl = linelen - lastsp - 1;

				line[lastsp] = '\0';
				draw_lines_add(out, line);
				memcpy(line, rest, rl);
				linelen = rl;
				line[linelen] = '\0';
				free(rest);
				w = w - wsp - 1;
			} else {
				line[linelen] = '\0';
				draw_lines_add(out, line);
				linelen = 0;
				w = 0;
			}
			lastsp = 0;
		}
		if (cp == ' ') {
			lastsp = linelen;
			wsp = w;
		}
		memcpy(line + linelen, s + off, k);
		linelen += k;
		w += cw;
		off += k;
	}
	free(line);
}

void
draw_bar(WINDOW *win, int y, int x, int width, double value, double max)
{
	int fill, i;

	if (width <= 0)
		return;
	fill = max > 0 ? (int)(value / max * width + 0.5) : 0;
	if (fill > width)
		fill = width;
	if (value > 0 && fill == 0)
		fill = 1;
	for (i = 0; i < fill; i++)
		draw_text(win, y, x + i, 1, "█", DS_BAR);
	for (; i < width; i++)
		draw_text(win, y, x + i, 1, "░", DS_DIM);
}

/* A 5×5 font for the resume code alphabet (and the other digits and letters). */
static const struct { char c; const char *rows[5]; } draw_font[] = {
	{ '0', { " ### ", "#   #", "#   #", "#   #", " ### " } },
	{ '1', { "  #  ", " ##  ", "  #  ", "  #  ", " ### " } },
	{ '2', { " ### ", "#   #", "  ## ", " #   ", "#####" } },
	{ '3', { "#### ", "    #", " ### ", "    #", "#### " } },
	{ '4', { "#  # ", "#  # ", "#####", "   # ", "   # " } },
	{ '5', { "#####", "#    ", "#### ", "    #", "#### " } },
	{ '6', { " ### ", "#    ", "#### ", "#   #", " ### " } },
	{ '7', { "#####", "   # ", "  #  ", " #   ", " #   " } },
	{ '8', { " ### ", "#   #", " ### ", "#   #", " ### " } },
	{ '9', { " ### ", "#   #", " ####", "    #", " ### " } },
	{ 'A', { " ### ", "#   #", "#####", "#   #", "#   #" } },
	{ 'B', { "#### ", "#   #", "#### ", "#   #", "#### " } },
	{ 'C', { " ####", "#    ", "#    ", "#    ", " ####" } },
	{ 'D', { "#### ", "#   #", "#   #", "#   #", "#### " } },
	{ 'E', { "#####", "#    ", "#### ", "#    ", "#####" } },
	{ 'F', { "#####", "#    ", "#### ", "#    ", "#    " } },
	{ 'G', { " ####", "#    ", "#  ##", "#   #", " ### " } },
	{ 'H', { "#   #", "#   #", "#####", "#   #", "#   #" } },
	{ 'I', { "#####", "  #  ", "  #  ", "  #  ", "#####" } },
	{ 'J', { "  ###", "   # ", "   # ", "#  # ", " ##  " } },
	{ 'K', { "#   #", "#  # ", "###  ", "#  # ", "#   #" } },
	{ 'L', { "#    ", "#    ", "#    ", "#    ", "#####" } },
	{ 'M', { "#   #", "## ##", "# # #", "#   #", "#   #" } },
	{ 'N', { "#   #", "##  #", "# # #", "#  ##", "#   #" } },
	{ 'O', { " ### ", "#   #", "#   #", "#   #", " ### " } },
	{ 'P', { "#### ", "#   #", "#### ", "#    ", "#    " } },
	{ 'Q', { " ### ", "#   #", "# # #", "#  # ", " ## #" } },
	{ 'R', { "#### ", "#   #", "#### ", "#  # ", "#   #" } },
	{ 'S', { " ####", "#    ", " ### ", "    #", "#### " } },
	{ 'T', { "#####", "  #  ", "  #  ", "  #  ", "  #  " } },
	{ 'U', { "#   #", "#   #", "#   #", "#   #", " ### " } },
	{ 'V', { "#   #", "#   #", "#   #", " # # ", "  #  " } },
	{ 'W', { "#   #", "#   #", "# # #", "## ##", "#   #" } },
	{ 'X', { "#   #", " # # ", "  #  ", " # # ", "#   #" } },
	{ 'Y', { "#   #", " # # ", "  #  ", "  #  ", "  #  " } },
	{ 'Z', { "#####", "   # ", "  #  ", " #   ", "#####" } },
	{ '-', { "     ", "     ", " ### ", "     ", "     " } },
};

int
draw_big_width(const char *text)
{
	return (int)strlen(text) * 6 - 1;
}

int
draw_big(WINDOW *win, int y, int x, const char *text)
{
	size_t i, g, r, c;
	int cx = x;

	for (i = 0; text[i] != '\0'; i++) {
		for (g = 0; g < sizeof draw_font / sizeof draw_font[0]; g++)
			if (draw_font[g].c == text[i])
				break;
		for (r = 0; r < 5; r++)
			for (c = 0; c < 5; c++) {
				int on = g < sizeof draw_font / sizeof draw_font[0] &&
				    draw_font[g].rows[r][c] == '#';
				draw_text(win, y + (int)r, cx + (int)c, 1, on ? "█" : " ",
				    on ? DS_BOLD : DS_NORMAL);
			}
		cx += 6;
	}
	return cx - x - 1;
}

void
draw_keys(WINDOW *win, int y, int w, const struct draw_key *k, size_t n)
{
	size_t i;
	int x = 0, kw, ww;

	draw_fill(win, y, 0, w, DS_NORMAL);
	for (i = 0; i < n; i++) {
		kw = draw_width(k[i].key);
		ww = draw_width(k[i].what);
		if (x + kw + ww + 2 > w)
			continue;	/* a shorter one later may still fit */
		draw_text(win, y, x, kw, k[i].key, DS_KEYS);
		x += kw;
		draw_text(win, y, x + 1, ww, k[i].what, DS_NORMAL);
		x += ww + 2;
	}
}

void
draw_titlebar(WINDOW *win, int w, const char *title, const char *right)
{
	int rw = right != NULL ? draw_width(right) : 0, tw;

	draw_fill(win, 0, 0, w, DS_TITLE);
	if (rw > 0 && rw < w - 10) {
		draw_text(win, 0, w - rw - 1, rw, right, DS_TITLE);
		tw = w - rw - 3;
	} else
		tw = w - 2;
	/* A long title takes the blank row under the bar rather than losing its end. */
	if (draw_width(title) > tw) {
		draw_fill(win, 1, 0, w, DS_TITLE);
		draw_textwrap(win, 0, 1, tw, 2, title, DS_TITLE);
	} else
		draw_text(win, 0, 1, tw, title, DS_TITLE);
}

int
draw_textwrap(WINDOW *win, int y, int x, int maxw, int maxrows, const char *s, enum draw_style st)
{
	struct draw_lines l = { 0 };
	size_t i;
	int rows;

	if (maxrows <= 0 || maxw <= 0)
		return 0;
	draw_wrap(s, maxw, &l);
	rows = l.n < (size_t)maxrows ? (int)l.n : maxrows;
	for (i = 0; i < (size_t)rows; i++) {
		/* Only when even the rows given are too few is the last one cut. */
		if (i + 1 == (size_t)rows && l.n > (size_t)rows) {
			char *rest = xstrdup(l.line[i]), *more;

			for (size_t k = i + 1; k < l.n; k++) {
				more = xasprintf("%s %s", rest, l.line[k]);
				free(rest);
				rest = more;
			}
			draw_textcut(win, y + (int)i, x, maxw, rest, st);
			free(rest);
		} else
			draw_text(win, y + (int)i, x, maxw, l.line[i], st);
	}
	draw_lines_free(&l);
	return rows;
}

int
draw_wrap_rows(const char *s, int width)
{
	struct draw_lines l = { 0 };
	int n;

	draw_wrap(s, width, &l);
	n = (int)l.n;
	draw_lines_free(&l);
	return n;
}
