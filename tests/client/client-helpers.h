/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client-helpers.h: what the sync client's tests share — a kiosk database
 * in the test's folder with events in its outbox, and views of the outbox
 * read straight from the SQLite file (not through the store), so a test
 * sees the rows themselves.
 */
#ifndef SOTAY_CLIENT_HELPERS_H
#define SOTAY_CLIENT_HELPERS_H

#include <stdint.h>

struct store;

/* $TEST_TMP (made if missing), else a new folder under /tmp. Owned here. */
const char *th_tmp(void);
/* A malloc'd path th_tmp()/name. */
char	*th_path(const char *name);
/* Opens (creating) a kiosk database at th_tmp()/name; fails the test on error. */
struct store *th_store(const char *name);
/* Appends n events to the outbox in one transaction. */
void	 th_add_events(struct store *, int n);
/* Sets the meta keys client_enroll would, without asking a server. */
void	 th_enrol(struct store *, const char *url, const char *kiosk, const char *token);
/* Read with the sqlite3 API from the file: rows of the outbox, and those not sent. */
int64_t	 th_rows(const char *db_path, const char *where);
/* Every outbox row as text "seq|id|type|payload|sent\n…" (malloc'd), to compare. */
char	*th_outbox_dump(const char *db_path);
/* The value of a meta key (malloc'd) or NULL. */
char	*th_meta(struct store *, const char *key);
/* 1 if haystack contains needle. */
int	 th_has(const char *haystack, const char *needle);


#include <sys/types.h>

/*
 * Starts argv (argv[0] a path) with stdout and stderr going to the files
 * out and err (either may be NULL: /dev/null). Returns its pid.
 */
pid_t	 th_spawn(char *const argv[], const char *out, const char *err);
/* Waits up to ms for pid; returns its exit code, or fails the test (and kills it) on timeout. */
int	 th_wait(pid_t pid, int ms);
/* Runs argv to the end (at most 60 s) and returns its exit code. */
int	 th_run(char *const argv[], const char *out, const char *err);
/* The whole of a file as a malloc'd string ("" if missing). */
char	*th_slurp(const char *path);

#endif
