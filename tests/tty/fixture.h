/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixture.h: a private kiosk for one terminal test — its own folder under
 * $TEST_TMP with HOME and XDG folders, a settings file, a database with a
 * volunteer and a supervisor, the test checklists — and the exact
 * environment `sotay` runs with.
 */
#ifndef SOTAY_TTY_FIXTURE_H
#define SOTAY_TTY_FIXTURE_H

#include <limits.h>
#include <stdint.h>

#include "driver.h"

struct store;

#define FIX_VOLUNTEER		"Lan"
#define FIX_VOLUNTEER_PIN	"1234"
#define FIX_SUPERVISOR		"Hùng"
#define FIX_SUPERVISOR_PIN	"9876"

struct fixture {
	char	*dir;	/* these are malloc'd and live as long as the test */
	char	*db;
	char	*conf;
	char	*content;
	char	*sotay;
	int64_t	 volunteer_id, supervisor_id;
};

/* Makes the kiosk; conf_extra is appended to the settings file (may be NULL). Aborts on failure. */
void	 fixture_init(struct fixture *, const char *name, const char *conf_extra);
/*
 * Starts sotay at rows×cols in locale lang ("C.UTF-8", "C"); kiosk adds
 * --kiosk; extra_env adds NAME=VALUE entries (NULL-terminated, may be NULL;
 * a PATH there replaces the usual one, to put a test's own programs first).
 */
void	 fixture_start(struct fixture *, struct tty *, int rows, int cols, const char *lang,
	     int kiosk, const char *const *extra_env);
/* Starts any program (e.g. dialog) with the fixture's environment. */
void	 fixture_start_argv(struct fixture *, struct tty *, int rows, int cols,
	     char *const argv[], const char *const *extra_env);
/*
 * Runs a program to its end with the fixture's environment (plus extra_env),
 * its output to the file out (may be NULL: inherited). Returns its wait status.
 */
int	 fixture_run(struct fixture *, char *const argv[], const char *const *extra_env,
	     const char *out);
/* Starts a program in the background the same way; returns its pid. */
pid_t	 fixture_spawn(struct fixture *, char *const argv[], const char *const *extra_env,
	     const char *out);
/* Frees the fixture's paths (the folder stays for a failed run to be read). */
void	 fixture_free(struct fixture *);
/* Opens the kiosk's database to check what was saved. Aborts on failure. */
struct store *fixture_store(struct fixture *);

#endif
