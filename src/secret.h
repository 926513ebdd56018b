/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secret.h: tokens and the files that hold them. A token is read from a
 * file, a descriptor or standard input (never needing a command line,
 * where `ps` shows it to every user); a file that every user may read is
 * refused rather than trusted; databases and other private files are
 * created mode 0600 whatever the umask.
 */
#ifndef SOTAY_SECRET_H
#define SOTAY_SECRET_H

#include <stddef.h>

#define SECRET_MAX	512	/* bytes of a token's line */

/*
 * The first line of path, without its line end; malloc'd (free it with
 * secret_free). Refuses a file that users other than its owner and group
 * may read or write. what names the secret in messages ("the admin token").
 */
char	*secret_read_file(const char *path, const char *what, char **cause);
/* The first line read from fd (a pipe, standard input); malloc'd. */
char	*secret_read_fd(int fd, const char *what, char **cause);
/* Wipes and frees a secret. */
void	 secret_free(char *);
/* Creates path as an empty file of mode 0600 if it does not exist; 0 or -1 with errno. */
int	 secret_create_private(const char *path);

#endif
