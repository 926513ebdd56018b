/* SPDX-License-Identifier: Apache-2.0 */
/*
 * i18n.h: which language messages are shown in, and where their words come
 * from: gettext catalogues (po/CODE.po, built into CODE/LC_MESSAGES/sotay.mo).
 * A message's id is its Vietnamese wording, so a missing catalogue or an
 * untranslated message shows Vietnamese, the kiosk's first language; a
 * province adds a language of its people by adding a catalogue, no code.
 *
 * Code marks its words with _("…") (N_("…") where only the id is stored,
 * C_("context", "…") where one Vietnamese word means two things). Every
 * other language's words live only in its catalogue.
 */
#ifndef SOTAY_I18N_H
#define SOTAY_I18N_H

#define I18N_DOMAIN	"sotay"
/* A language code: "vi", "en", "bdq", "pt_BR" (letters and one '_'). */
#define I18N_CODE_MAX	16

/* The two languages checklists are written in today. */
enum lang { LANG_VI = 0, LANG_EN = 1 };

/* 1 if s looks like a language code. */
int		 i18n_is_code(const char *s);
/* Sets the language: a code (-1 if it is not one). */
int		 i18n_set(const char *code);
/* The language's code. */
const char	*i18n_code(void);
/* Where catalogues are found: DIR/CODE/LC_MESSAGES/sotay.mo. */
void		 i18n_bind(const char *dir);
const char	*i18n_dir(void);
/*
 * Binds the usual folder: $SOTAY_LOCALEDIR, else a build tree's (a locale
 * folder beside the program or up to two folders above it), else installed
 * (NULL: gettext's own). Setting a language first binds this way (with
 * NULL) if no folder was bound.
 */
void		 i18n_bind_default(const char *installed);
/* 1 if there are words for this language (Vietnamese always). */
int		 i18n_available(const char *code);
/* The language the locale asks for (LANGUAGE, else LC_ALL, LC_MESSAGES, LANG) if it has words; NULL. */
const char	*i18n_from_locale(void);
/* The languages with words, Vietnamese first; NULL-terminated. */
const char *const *i18n_languages(void);
/* The code after this one in i18n_languages() (F2 goes round them). */
const char	*i18n_next(const char *code);
/* A language's name in its own words (its catalogue's word for "Tiếng Việt"). */
const char	*i18n_name(const char *code);

/* The checklist language for the UI language (English, else Vietnamese). */
enum lang	 i18n_lang(void);
void		 i18n_set_lang(enum lang);
/* "vi" or "en" (or NULL/unknown: -1). */
int		 i18n_parse_lang(const char *);

/* The words for a message id (its Vietnamese wording) in the current language. */
const char	*i18n_text(const char *msgid) __attribute__((format_arg(1)));
/* The same with a context: ctxid is "context\004msgid". */
const char	*i18n_ctext(const char *ctxid, const char *msgid) __attribute__((format_arg(2)));
#define _(s)		i18n_text(s)
#define N_(s)		(s)
#define C_(ctx, s)	i18n_ctext(ctx "\004" s, s)

#endif
