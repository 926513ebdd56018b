/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helpers.h: what the core's unit tests share — a fresh database in the
 * test's private folder, with the test checklists installed.
 */
#ifndef SOTAY_TEST_HELPERS_H
#define SOTAY_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

struct store;
struct library;

/* A new path in the test's private folder ($TEST_TMP, else a fresh one); caller frees. */
char	*test_path(const char *name);
/* Opens a new database at test_path(name) and installs tests/data/checklists. */
struct store *test_store(const char *name);
/* Loads tests/data/checklists into lib (asserts it loads cleanly). */
void	 test_library(struct library *lib);
/* Runs an SQL query (printf-style) that returns one integer, on what is committed to st's file. */
int64_t	 test_sql_int(struct store *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* How many events the outbox holds. */
int64_t	 test_outbox_count(struct store *);

/*
 * Asserts that a call was refused with a message containing want and wrote
 * no event. The call gets its cause pointer as CAUSE.
 */
#define REFUSED(st, call, want) do {						\
	int64_t before_ = test_outbox_count(st);				\
	char *cause_ = NULL;							\
	assert_int_equal((call), -1);						\
	assert_non_null(cause_);						\
	if (strstr(cause_, (want)) == NULL)					\
		fail_msg("message \"%s\" does not say \"%s\"", cause_, (want));	\
	free(cause_);								\
	assert_int_equal(test_outbox_count(st), before_);			\
} while (0)
#define CAUSE (&cause_)
/* The same on a database file, through its own connection. */
int64_t	 test_file_sql_int(const char *path, const char *sql);

#endif
