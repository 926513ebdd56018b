/* SPDX-License-Identifier: Apache-2.0 */
/*
 * i18n.h: which language messages are shown in. Vietnamese is the default;
 * English is for provincial staff and visitors. Every user-facing message
 * in the core is written in both, side by side: L("…", "…").
 */
#ifndef SOTAY_I18N_H
#define SOTAY_I18N_H

enum lang { LANG_VI = 0, LANG_EN = 1 };

void		 i18n_set_lang(enum lang);
enum lang	 i18n_lang(void);
/* "vi" or "en" (or NULL/unknown: -1). */
int		 i18n_parse_lang(const char *);
/* Picks the wording for the current language. */
const char	*L(const char *vi, const char *en) __attribute__((format_arg(1), format_arg(2)));

#endif
