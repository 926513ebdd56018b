/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-svg.c: bar charts drawn as inline SVG, so a page is one document
 * with nothing to fetch and nothing to run. Rows (a label and a bar each,
 * for communes, skills, checklists) or columns (for time). Every label is
 * escaped; each bar carries its figure in a <title> for a mouse or a
 * screen reader.
 */
#include <stdio.h>
#include <string.h>

#include "web.h"

#define SVG_W		640
#define LABEL_W		230
#define ROW_H		26
#define COL_H		180
#define LABEL_CHARS	30
#define COL_CHAR_W	7.5	/* the width of a digit at the columns' 12px, about */

/* label cut to LABEL_CHARS characters (whole UTF-8 sequences), escaped. */
static void
short_label(struct web_buf *b, const char *label)
{
	size_t	i, chars = 0;
	char	cut[LABEL_CHARS * 4 + 4];

	for (i = 0; label[i] != '\0' && i < sizeof cut - 4; i++) {
		if (((unsigned char)label[i] & 0xC0) != 0x80 && ++chars > LABEL_CHARS)
			break;
		cut[i] = label[i];
	}
	cut[i] = '\0';
	web_html_esc(b, cut);
	if (label[i] != '\0')
		web_buf_put(b, "…");
}

static void
legend(struct web_buf *b, const char *a, const char *bl, int has_b)
{
	web_buf_put(b, "<div class=\"legend\"><i class=\"a\"></i>");
	web_html_esc(b, a);
	if (has_b) {
		web_buf_put(b, "<i class=\"b\"></i>");
		web_html_esc(b, bl);
	}
	web_buf_put(b, "</div>");
}

/* The chart's svg element, named by its title for screen readers. */
static void
svg_open(struct web_buf *b, int h, const char *title, int font_size)
{
	web_buf_printf(b, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", SVG_W, h);
	web_html_esc(b, title);
	web_buf_printf(b, "\" font-size=\"%d\" font-family=\"sans-serif\">", font_size);
}

/* A bar's group and its tooltip: the label and the figures. */
static void
bar_open(struct web_buf *b, const struct web_bar *v)
{
	web_buf_put(b, "<g><title>");
	web_html_esc(b, v->label);
	web_buf_printf(b, ": %lld", (long long)v->a);
	if (v->b >= 0)
		web_buf_printf(b, " / %lld", (long long)v->b);
	web_buf_put(b, "</title>");
}

void
web_svg_bars(struct web_buf *b, const char *title, const char *legend_a,
    const char *legend_b, const struct web_bar *v, size_t n, int columns)
{
	int64_t	max = 1;
	size_t	i;
	int	has_b = 0, h;

	for (i = 0; i < n; i++) {
		if (v[i].a > max)
			max = v[i].a;
		if (v[i].b >= 0)
			has_b = 1;
	}
	web_buf_put(b, "<figure class=\"chart\"><figcaption class=\"t\">");
	web_html_esc(b, title);
	web_buf_put(b, "</figcaption>");
	if (n == 0) {
		web_buf_put(b, "<p class=\"legend\">—</p></figure>");
		return;
	}
	if (!columns) {
		h = (int)n * ROW_H + 4;
		svg_open(b, h, title, 13);
		for (i = 0; i < n; i++) {
			int	y = (int)i * ROW_H + 2;
			int	wa = (int)((SVG_W - LABEL_W - 70) * v[i].a / max);
			int	wb = v[i].b > 0 ? (int)((SVG_W - LABEL_W - 70) * v[i].b / max) : 0;

			bar_open(b, &v[i]);
			web_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			    "fill=\"#1d2a33\">", LABEL_W - 8, y + 17);
			short_label(b, v[i].label);
			web_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"#1f6f8b\"/>", LABEL_W, y + 3,
			    wa > 0 ? wa : 1, ROW_H - 8);
			if (wb > 0)
				web_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				    "height=\"%d\" fill=\"#2e9e6a\"/>", LABEL_W, y + 8, wb,
				    ROW_H - 18);
			web_buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#5b6b76\">%lld"
			    "</text></g>", LABEL_W + (wa > 0 ? wa : 1) + 6, y + 17,
			    (long long)v[i].a);
		}
	} else {
		int		 plot = SVG_W - 50, every = (int)(n + 11) / 12;
		double		 cw = (double)plot / (double)n;
		const char	*label;

		h = COL_H + 40;
		svg_open(b, h, title, 12);
		web_buf_printf(b, "<line x1=\"40\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d5dde2\"/>"
		    "<text x=\"36\" y=\"14\" text-anchor=\"end\" fill=\"#5b6b76\">%lld</text>"
		    "<text x=\"36\" y=\"%d\" text-anchor=\"end\" fill=\"#5b6b76\">0</text>",
		    COL_H + 10, SVG_W, COL_H + 10, (long long)max, COL_H + 10);
		for (i = 0; i < n; i++) {
			double	x = 44 + cw * (double)i;
			int	ha = (int)(COL_H * v[i].a / max);
			int	hb = v[i].b > 0 ? (int)(COL_H * v[i].b / max) : 0;
			double	bw = cw > 3 ? cw - 2 : cw;

			bar_open(b, &v[i]);
			web_buf_printf(b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			    "height=\"%d\" fill=\"#1f6f8b\"/>", x, COL_H + 10 - ha, bw, ha);
			if (hb > 0)
				web_buf_printf(b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
				    "height=\"%d\" fill=\"#2e9e6a\"/>", x + bw / 4,
				    COL_H + 10 - hb, bw / 2, hb);
			web_buf_put(b, "</g>");
			/* "2026-03-09" is drawn "03-09": the year is in the form. */
			label = strlen(v[i].label) == 10 && v[i].label[4] == '-' ?
			    v[i].label + 5 : v[i].label;
			/* Every so many bars, and none cut by the right edge. */
			if ((int)i % every == 0 &&
			    x + COL_CHAR_W * (double)strlen(label) <= SVG_W) {
				web_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" fill=\"#5b6b76\">",
				    x, COL_H + 28);
				short_label(b, label);
				web_buf_put(b, "</text>");
			}
		}
	}
	web_buf_put(b, "</svg>");
	legend(b, legend_a, legend_b, has_b);
	web_buf_put(b, "</figure>");
}
