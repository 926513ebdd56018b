/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nfc.h: Unicode normalisation (NFC) of what people type. Vietnamese can
 * reach the kiosk precomposed ("ễ", one code point) or decomposed ("e" and
 * two combining marks), depending on the keyboard or input method; the
 * core keeps and compares text in NFC only, so "Nguyễn" is one name however
 * it was typed. The work is libunistring's (uninorm.h).
 */
#ifndef SOTAY_NFC_H
#define SOTAY_NFC_H

/*
 * s in NFC, malloc'd (the caller frees it); NULL for NULL. Text that is not
 * valid UTF-8 is returned unchanged (the callers' own checks refuse it).
 */
char	*nfc_dup(const char *s);

#endif
