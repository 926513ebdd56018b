/* SPDX-License-Identifier: Apache-2.0 */
/*
 * content.h: checklists — the model, the JSON loader and validator (no
 * database: content-store.h keeps them on a kiosk). The format is described
 * in assets/checklists/FORMAT.md.
 */
#ifndef SOTAY_CONTENT_H
#define SOTAY_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "i18n.h"

/*
 * Text in any number of languages. vi is never NULL in a valid checklist;
 * en may be NULL; a province may add others (Hrê "hre", Xơ Đăng "sed", Ba
 * Na "bdq"…), kept in the order of the file.
 */
struct text_lang {
	char	*code;		/* a language code: "hre", "bdq", "sed", "km"… */
	char	*s;
};
struct text {
	char		*vi;
	char		*en;
	struct text_lang *more;	/* the other languages; NULL if none */
	size_t		 nmore;
};
/* The wording for lang, Vietnamese where English is missing ("" if t is empty). */
const char *text_get(const struct text *, enum lang);
/* The wording in the language with this code ("vi", "en", "hre"…), else Vietnamese. */
const char *text_for(const struct text *, const char *code);
/* 1 if code is a language code a checklist may use: 2–3 lower-case letters, then -Xxxx parts. */
int	 text_lang_valid(const char *code);

enum category {
	CAT_PUBLIC_SERVICES,
	CAT_SHOPPING,
	CAT_PAYMENT,
	CAT_SAFETY,
	CAT_LOCAL_PLATFORMS,
	CAT_COUNT
};
const char *category_id(enum category);		/* "public_services"… */
int	 category_parse(const char *);		/* -1 if unknown */
const char *category_name(enum category);	/* for people, in the UI's language */

struct step {
	char		*id;
	struct text	 title;
	struct text	 detail;
	struct text	 tip;		/* may be empty */
	struct text	 helper_tip;	/* for the helping volunteer only; may be empty */
};

/*
 * A step's tip for the helping volunteer in the language code (Vietnamese
 * where that language has none), or NULL when the step has none. Screens show it only in
 * volunteer mode, never to a resident on their own.
 */
const char *step_helper_tip(const struct step *, const char *code);

struct block_reason {
	char		*id;
	struct text	 text;
};

struct checklist {
	char		*id;
	int		 version;
	enum category	 category;
	struct text	 title;
	struct text	 summary;
	char		**prereqs;
	size_t		 nprereqs;
	struct text	*bring;
	size_t		 nbring;
	int		 minutes;
	char		*url;		/* may be NULL */
	char		*app;		/* may be NULL */
	struct step	*steps;
	size_t		 nsteps;
	struct block_reason *reasons;
	size_t		 nreasons;
	char		*reviewed;	/* YYYY-MM-DD */
	char		*source;
	char		*json;		/* the text it was loaded from */
	char		*where;		/* where it came from (a file path…), for messages */
};

/* A set of checklists; the set owns them. */
struct library {
	struct checklist **items;
	size_t		 n;
};

/*
 * Problems found while loading: every one, not only the first, each a line
 * naming the file, the checklist, the step and the field.
 */
struct problems {
	char	**lines;
	size_t	 n;
};
void	 problems_add(struct problems *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 problems_free(struct problems *);

/*
 * Parses one checklist from JSON text. where names the source in messages
 * (a file path, "server"…). Returns NULL and adds to *pr on any problem.
 * The caller frees the result with checklist_free.
 */
struct checklist *checklist_parse(const char *json, size_t len, const char *where,
	    struct problems *pr);
void	 checklist_free(struct checklist *);
/*
 * The checklist's suggested reason for a blocked step with this id, or NULL
 * when the reason was typed by hand (it is then its own words). c may be NULL.
 */
const struct block_reason *checklist_reason(const struct checklist *c, const char *id);

/*
 * Loads files (paths to .json files or folders of them) into lib, then
 * checks the whole set: duplicate ids, prerequisites that do not resolve or
 * form a cycle. Returns 0 if there was no problem.
 */
int	 library_load(struct library *, const char *const *paths, size_t n,
	     struct problems *);
/* Checks cross-references of a set already loaded (used by library_load). */
int	 library_check(const struct library *, struct problems *);
const struct checklist *library_find(const struct library *, const char *id);
/* Adds cl to lib, which then owns it. */
void	 library_add(struct library *, struct checklist *);
void	 library_free(struct library *);

#endif
