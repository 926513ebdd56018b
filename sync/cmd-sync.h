/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-sync.h: the commands of the `sotay-sync` program (sync/sotay-sync.c),
 * `enroll` and `sync`, over the sync client (client.h). The kiosk's `sotay`
 * runs that program for them, so the terminal UI never links libcurl.
 *
 * Commands are `int cmd_sync_NAME(const struct cmd_sync_env *, int argc,
 * char **argv)`: argv[0] is the command's name, the return value is the
 * exit code below, and messages go to stderr in the user's language.
 */
#ifndef SOTAY_CMD_SYNC_H
#define SOTAY_CMD_SYNC_H

#include "config.h"

/* What the commands share: the settings and the database, resolved by main. */
struct cmd_sync_env {
	const struct config	*cfg;
	const char		*db_path;
};

/* Exit codes, the same as every `sotay` command's, plus the network's. */
enum {
	CMD_SYNC_EXIT_OK = 0,
	CMD_SYNC_EXIT_PROBLEM = 1,	/* local: not enrolled, the database */
	CMD_SYNC_EXIT_USAGE = 2,	/* the command line is wrong */
	CMD_SYNC_EXIT_OFFLINE = 3,	/* no connection, timeout */
	CMD_SYNC_EXIT_REFUSED = 4,	/* the server refused the token */
	CMD_SYNC_EXIT_SERVER = 5,	/* the server failed or did not answer by the protocol */
};

/* enroll URL TOKEN [--ca-file F] */
int	 cmd_sync_enroll(const struct cmd_sync_env *, int argc, char **argv);
/* sync [--json] [--watch] [--ca-file F] [--timeout S] [--progress] */
int	 cmd_sync_run(const struct cmd_sync_env *, int argc, char **argv);

#endif
