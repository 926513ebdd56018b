/* SPDX-License-Identifier: Apache-2.0 */
/*
 * draw.h: drawing primitives over a curses window — text clipped to a
 * width in terminal columns, word wrapping, bars, the key bar, large
 * letters — and the colour scheme with its monochrome fallback. Only ui/
 * includes curses, and only through this header.
 *
 * Text is UTF-8 everywhere in the program; it is folded to ASCII here, at
 * the last moment, when the locale cannot show it (see fold.h).
 */
#ifndef SOTAY_DRAW_H
#define SOTAY_DRAW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>

/* What a piece of text is, for colour or its monochrome stand-in. */
enum draw_style {
	DS_NORMAL,
	DS_TITLE,	/* the top bar */
	DS_KEYS,	/* key names in the bottom bar */
	DS_SELECTED,	/* the chosen menu line */
	DS_BOLD,
	DS_DIM,
	DS_OK,
	DS_WARN,
	DS_ERROR,
	DS_BAR,		/* the filled part of a bar */
	DS_QR,		/* QR code: dark modules on a light ground */
	DS_COUNT
};

/* Starts colours unless NO_COLOR is set or the terminal has none. */
void	 draw_init(int utf8);
int	 draw_has_colour(void);
int	 draw_utf8(void);
attr_t	 draw_attr(enum draw_style);
void	 draw_style_on(WINDOW *, enum draw_style);
void	 draw_style_off(WINDOW *, enum draw_style);

/* Columns s takes on screen (after folding when not UTF-8). */
int	 draw_width(const char *s);
/*
 * Draws s at (y, x) in at most maxw columns; returns columns used. Stops at
 * a newline. An ellipsis marks text cut short when cut is non-zero.
 */
int	 draw_text(WINDOW *, int y, int x, int maxw, const char *s, enum draw_style);
int	 draw_textcut(WINDOW *, int y, int x, int maxw, const char *s, enum draw_style);
/* Fills n columns from (y, x) with blanks in style. */
void	 draw_fill(WINDOW *, int y, int x, int n, enum draw_style);

/* Word-wrapped lines of s, each at most width columns. Free with draw_lines_free. */
struct draw_lines {
	char	**line;
	size_t	 n;
};
void	 draw_wrap(const char *s, int width, struct draw_lines *);
void	 draw_lines_add(struct draw_lines *, const char *);
void	 draw_lines_free(struct draw_lines *);
/* Rows s takes wrapped at width. */
int	 draw_wrap_rows(const char *s, int width);
/*
 * Draws s word-wrapped from (y, x) in rows of maxw columns, at most maxrows
 * of them (the last cut with an ellipsis only if even they are too few);
 * returns the rows used.
 */
int	 draw_textwrap(WINDOW *, int y, int x, int maxw, int maxrows, const char *s,
	     enum draw_style);

/* A bar of width columns filled value/max; "█░" or "#-". */
void	 draw_bar(WINDOW *, int y, int x, int width, double value, double max);

/* Large letters (5 rows) for a resume code; returns columns used. */
int	 draw_big(WINDOW *, int y, int x, const char *text);
int	 draw_big_width(const char *text);
#define DRAW_BIG_ROWS 5

/* The bottom bar: pairs of key and what it does; drops what does not fit. */
struct draw_key {
	const char *key;
	const char *what;
};
void	 draw_keys(WINDOW *, int y, int w, const struct draw_key *, size_t n);
/* The top bar: title on the left, right on the right; a long title wraps onto the row below. */
void	 draw_titlebar(WINDOW *, int w, const char *title, const char *right);

#endif
