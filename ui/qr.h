/* SPDX-License-Identifier: Apache-2.0 */
/*
 * qr.h: a QR code of an official address (libqrencode), drawn with Unicode
 * half blocks so one terminal cell holds two modules, with a quiet zone.
 */
#ifndef SOTAY_QR_H
#define SOTAY_QR_H

#include "draw.h"

struct qr {
	int		 size;		/* modules a side */
	unsigned char	*dark;		/* size*size, 1 = dark module */
};

/* Encodes text (byte mode, error correction M); NULL if it cannot. Free with qr_free. */
struct qr *qr_make(const char *text);
void	 qr_free(struct qr *);
/* Columns and rows the code takes with quiet modules around it. */
int	 qr_cols(const struct qr *, int quiet);
int	 qr_rows(const struct qr *, int quiet);
/*
 * Draws the code at (y, x). With colours, dark modules are black on white;
 * without, the terminal's own (light on dark) colours are used and the
 * light modules are drawn, so the code keeps its contrast.
 */
void	 qr_draw(WINDOW *, int y, int x, const struct qr *, int quiet);

#endif
