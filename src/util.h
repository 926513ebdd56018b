/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h: small helpers every part of Sổ tay số uses: allocation that never
 * returns NULL, formatted strings, the clock, UUIDv7 ids, UTF-8 checks.
 *
 * Errors across the project follow one style: a function returns 0 on
 * success and -1 on failure, and on failure sets *cause to a message the
 * caller must free(). The message says what went wrong, where, and what to
 * do, in the language chosen by i18n_set_lang().
 */
#ifndef SOTAY_UTIL_H
#define SOTAY_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define UUID_STR_LEN 37		/* 36 characters and the NUL */

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
/* Returns a malloc'd string; the caller frees it. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);
/* Sets *cause (if cause is not NULL) to a new message and returns -1. */
/* (fail) in parentheses: cmocka, in tests, has a macro of that name. */
int	 (fail)(char **cause, const char *, ...) __attribute__((format(printf, 2, 3)));

/*
 * Milliseconds since the epoch. Tests move the clock with
 * util_clock_offset_ms so that lockouts and idle timeouts can be checked
 * without sleeping; SOTAY_CLOCK_OFFSET_MS does the same for a test that
 * drives the real binary.
 */
int64_t	 util_now_ms(void);
void	 util_clock_offset_ms(int64_t);
/* Milliseconds of a clock that never jumps: for timeouts, not for dates. */
int64_t	 util_mono_ms(void);

/* A new UUIDv7 (time-ordered, random tail from libsodium). */
void	 util_uuid7(char out[UUID_STR_LEN]);
/* "YYYY-MM-DD" (local time) to ms at local midnight; -1 if not a real date. */
int64_t	 util_parse_date(const char *);
/* ms to "YYYY-MM-DD HH:MM" in local time; out must hold 17 bytes. */
void	 util_format_time(int64_t ms, char out[17]);
/* 1 if s is valid UTF-8 (no overlongs, no surrogates). */
int	 util_utf8_valid(const char *s, size_t len);
/* Length in bytes of the longest valid UTF-8 prefix of s. */
size_t	 util_utf8_prefix(const char *s, size_t len);
/* Number of UTF-8 code points in s. */
size_t	 util_utf8_len(const char *s);
/* Creates a directory and its parents with mode 0700; 0 or -1 with errno. */
int	 util_mkdir_p(const char *path);
/* Reads a whole file; returns malloc'd bytes (NUL-terminated) or NULL with errno. */
char	*util_read_file(const char *path, size_t *len);

#endif
