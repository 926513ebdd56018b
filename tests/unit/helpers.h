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
/* Runs an SQL query that returns one integer, on what is committed to st's file. */
int64_t	 test_sql_int(struct store *, const char *sql);
/* The same on a database file, through its own connection. */
int64_t	 test_file_sql_int(const char *path, const char *sql);

#endif
