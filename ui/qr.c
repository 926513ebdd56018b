/* SPDX-License-Identifier: Apache-2.0 */
/*
 * qr.c: see qr.h. Two module rows make one text row: upper half block for
 * the top module, lower half block for the bottom one, full block for both.
 */
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "qr.h"
#include "util.h"

struct qr *
qr_make(const char *text)
{
	QRcode *code;
	struct qr *q;
	int i;

	code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (code == NULL)
		return NULL;
	q = xcalloc(1, sizeof *q);
	q->size = code->width;
	q->dark = xmalloc((size_t)q->size * q->size);
	for (i = 0; i < q->size * q->size; i++)
		q->dark[i] = code->data[i] & 1;
	QRcode_free(code);
	return q;
}

void
qr_free(struct qr *q)
{
	if (q == NULL)
		return;
	free(q->dark);
	free(q);
}

int
qr_cols(const struct qr *q, int quiet)
{
	return q->size + 2 * quiet;
}

int
qr_rows(const struct qr *q, int quiet)
{
	return (q->size + 2 * quiet + 1) / 2;
}

static int
qr_at(const struct qr *q, int quiet, int r, int c)
{
	r -= quiet;
	c -= quiet;
	if (r < 0 || c < 0 || r >= q->size || c >= q->size)
		return 0;
	return q->dark[r * q->size + c];
}

void
qr_draw(WINDOW *win, int y, int x, const struct qr *q, int quiet)
{
	static const char *glyph[4] = { " ", "▄", "▀", "█" };	/* index: top<<1 | bottom */
	int n = q->size + 2 * quiet, r, c, top, bot, colour = draw_has_colour();

	for (r = 0; r < n; r += 2)
		for (c = 0; c < n; c++) {
			top = qr_at(q, quiet, r, c);
			bot = r + 1 < n ? qr_at(q, quiet, r + 1, c) : 0;
			if (!colour) {
				top = !top;
				bot = r + 1 < n ? !bot : 0;
			}
			draw_text(win, y + r / 2, x + c, 1, glyph[top << 1 | bot],
			    colour ? DS_QR : DS_NORMAL);
		}
}
