/* SPDX-License-Identifier: Apache-2.0 */
/*
 * people.h: volunteers (PIN login, roles, lockout) and residents (the least
 * data needed, a recorded consent, a resume code).
 *
 * PINs are hashed with Argon2id (libsodium). Five wrong PINs lock the
 * volunteer out for five minutes; the count and the lock are in the
 * database, so a restart does not reset them. Residents' names and phones
 * never leave the kiosk: their events carry a pseudonymous id, birth year,
 * sex and hamlet only.
 */
#ifndef SOTAY_PEOPLE_H
#define SOTAY_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct store;
struct store_schema;

extern const struct store_schema people_tables;	/* volunteers, residents */

#define PEOPLE_PIN_MIN		4
#define PEOPLE_PIN_MAX		12
#define PEOPLE_MAX_TRIES	5
#define PEOPLE_LOCK_MS		(5 * 60 * 1000)
#define RESUME_CODE_LEN		6	/* characters, from RESUME_ALPHABET */
/*
 * New codes: no 0/O, 1/I/L, 8/B, 5/S, so a code read aloud, from a slip or
 * from a screen is typed right. Codes given before B, 8, S and 5 were left
 * out are kept as they are and still read: a typed code may use
 * RESUME_ALPHABET_READ, and is matched exactly against the stored codes.
 */
#define RESUME_ALPHABET		"234679ACDEFGHJKMNPQRTUVWXYZ"
#define RESUME_ALPHABET_READ	"23456789ABCDEFGHJKMNPQRSTUVWXYZ"
/* Wrong resume codes typed at the kiosk: this many are free, then each waits. */
#define PEOPLE_CODE_FREE_TRIES	3
#define PEOPLE_CODE_WAIT_MS	(30 * 1000)	/* after the free ones; doubles each time */
#define PEOPLE_CODE_WAIT_MAX_MS	(15 * 60 * 1000)
#define PEOPLE_CODE_FORGET_MS	(60 * 60 * 1000)	/* quiet this long after a wait: free tries again */

enum role { ROLE_VOLUNTEER, ROLE_SUPERVISOR };
const char *role_id(enum role);
const char *role_name(enum role);	/* in the reader's language */
int	 role_parse(const char *);	/* -1 if unknown */

struct volunteer {
	int64_t		 id;
	char		*name;
	enum role	 role;
	int		 disabled;
	int		 failed;	/* wrong PINs in a row */
	int64_t		 locked_until;	/* ms; 0 if not locked */
};

/* The PIN is 4–12 digits. *id may be NULL. */
int	 people_volunteer_add(struct store *, const char *name, enum role, const char *pin,
	     int64_t *id, char **cause);
int	 people_volunteer_list(struct store *, struct volunteer **, size_t *n, char **cause);
void	 people_volunteers_free(struct volunteer *, size_t n);
int	 people_volunteer_disable(struct store *, int64_t id, int disabled, char **cause);
int	 people_volunteer_set_pin(struct store *, int64_t id, const char *pin, char **cause);

enum login {
	LOGIN_OK,
	LOGIN_WRONG,	/* *tries_left says how many remain */
	LOGIN_LOCKED,	/* *until says when it opens again */
	LOGIN_UNKNOWN,
	LOGIN_DISABLED,
};
/*
 * Checks a PIN. Returns -1 only on a database error; otherwise 0 with the
 * outcome in *result. On LOGIN_OK, *who (if not NULL) is filled; free its
 * name with people_volunteers_free(who, 1)-style ownership: free(who->name).
 */
int	 people_login(struct store *, int64_t volunteer_id, const char *pin,
	     enum login *result, int *tries_left, int64_t *until, struct volunteer *who,
	     char **cause);

enum sex { SEX_UNSAID = 0, SEX_FEMALE = 'f', SEX_MALE = 'm' };

struct resident {
	char		 id[UUID_STR_LEN];	/* pseudonymous */
	char		*display_name;
	int		 birth_year;		/* 0 if not given */
	enum sex	 sex;
	char		*hamlet;		/* may be NULL */
	char		*phone;			/* may be NULL */
	char		 code[RESUME_CODE_LEN + 1];
	int64_t		 consent_at;
	int64_t		 created_at;
};

/*
 * Adds a resident. consent must be non-zero (the resident agreed that the
 * kiosk keeps these details); display_name is required; the rest optional.
 * out receives the new id and resume code.
 */
int	 people_resident_add(struct store *, const char *display_name, int birth_year,
	     enum sex, const char *hamlet, const char *phone, int consent,
	     struct resident *out, char **cause);
/* By resume code (case and spaces ignored); *found is 0 if none. */
int	 people_resident_by_code(struct store *, const char *code, struct resident *,
	     int *found, char **cause);
int	 people_resident_get(struct store *, const char *id, struct resident *, int *found,
	     char **cause);
enum code_try {
	CODE_FOUND,	/* *r is filled; the count of wrong codes starts again */
	CODE_UNKNOWN,	/* no such code; *until is when the next may be tried (0: now) */
	CODE_WAIT,	/* not looked at: too many wrong codes, wait until *until */
};
/*
 * A code typed by a resident on their own: by code as people_resident_by_code,
 * but after PEOPLE_CODE_FREE_TRIES wrong codes in a row each further try
 * waits, longer each time, so codes cannot be guessed one after another.
 * The count is kept in the database: a restart does not lift it.
 */
int	 people_code_try(struct store *, const char *code, struct resident *,
	     enum code_try *result, int64_t *until, char **cause);
/*
 * Residents whose name contains every word of part, in any order ("Đức Ba"
 * finds "Bà Ba Đức"), ignoring case and diacritics; all when part is "";
 * newest first.
 */
int	 people_resident_search(struct store *, const char *part, int limit,
	     struct resident **, size_t *n, char **cause);
void	 people_resident_clear(struct resident *);	/* frees the strings inside */
void	 people_residents_free(struct resident *, size_t n);
/* Records that a resident was seen now (inside the caller's transaction). */
int	 people_resident_touch(struct store *, const char *id, char **cause);
/* Removes names and phones of residents not seen for days; *purged counts them. */
int	 people_purge(struct store *, int days, int *purged, char **cause);
/* Normalises a typed code: upper case, spaces and dashes dropped. 0 if it cannot be a code. */
int	 people_code_normalise(const char *in, char out[RESUME_CODE_LEN + 1]);

#endif
