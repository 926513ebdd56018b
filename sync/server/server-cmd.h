/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-cmd.h: the account and audit commands of sotay-server, called by
 * main.c with what it parsed from the command line.
 */
#ifndef SOTAY_SERVER_CMD_H
#define SOTAY_SERVER_CMD_H

#include <stdint.h>

struct server_cmd_opts {
	const char	*role;
	const char	*province;
	const char	*commune;
	int		 password_stdin;
};

/* `user add|list|disable|enable|password …` (pos[0] is "user"); the exit code,
 * or -1 when the words are not a user command. */
int	 server_cmd_user(const char *db, char **pos, int npos,
	     const struct server_cmd_opts *);
/* `audit`: the newest limit entries, oldest first. */
int	 server_cmd_audit(const char *db, int64_t limit);

#endif
