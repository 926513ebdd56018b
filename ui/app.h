/* SPDX-License-Identifier: Apache-2.0 */
/*
 * app.h: what every part of the `sotay` program shares — the settings, the
 * database path, and the one way to open the database (which also installs
 * the bundled checklists when they are newer than what the database holds).
 *
 * Commands are `int cmd_NAME(struct app *, int argc, char **argv)`; argv[0]
 * is the command's name, the return value is the exit code, and messages go
 * to stderr in the user's language.
 */
#ifndef SOTAY_APP_H
#define SOTAY_APP_H

#include <stdio.h>

#include "config.h"
#include "i18n.h"

struct store;

struct app {
	struct config	 cfg;
	char		*db_path;	/* from --db, $SOTAY_DB or the default */
	char		*content_dir;	/* bundled checklists: --content, $SOTAY_CONTENT or the default */
	int		 kiosk;		/* --kiosk: only a supervisor may leave */
	/* The kiosk's language: --lang, else the config, else the locale, else vi. */
	char		 lang[I18N_CODE_MAX];
};

/* Exit codes shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEM = 1,	/* what was asked is wrong or failed (the message says why) */
	EXIT_USAGE = 2,		/* the command line is wrong */
};

/*
 * Opens the database (creating it unless STORE_READONLY) and brings the
 * bundled checklists in. On failure prints the message and returns -1.
 */
int	 app_open_store(struct app *, int flags, struct store **);
/*
 * app_open_store's flag: the purge of personal data past its retention is
 * left to the caller (app_purge), so the kiosk's first screen, which shows
 * nobody's details, comes before it.
 */
#define APP_PURGE_LATER	0x100
/* Clears the details of residents not seen within the retention (people_purge). */
int	 app_purge(struct app *, struct store *, char **cause);
/* The folder this program runs from (malloc'd), or NULL. */
char	*app_exe_dir(void);

int	 cmd_content(struct app *, int, char **);
int	 cmd_volunteer(struct app *, int, char **);
int	 cmd_status(struct app *, int, char **);
int	 cmd_report(struct app *, int, char **);
int	 cmd_export(struct app *, int, char **);
/* Each command's usage, for `sotay CMD --help` (stdout) and its own errors (stderr). */
void	 cmd_content_usage(FILE *);
void	 cmd_volunteer_usage(FILE *);
void	 cmd_status_usage(FILE *);
void	 cmd_report_usage(FILE *);
void	 cmd_export_usage(FILE *);
/* enroll and sync are the sotay-sync program's (ui/spawn-sync.h, sync/cmd-sync.h). */
/* The terminal UI (ui/tui.c); runs until the user leaves. */
int	 tui_main(struct app *);

#endif
