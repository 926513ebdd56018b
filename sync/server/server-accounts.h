/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-accounts.h: the rules of the dashboard's accounts, once for the
 * command line and the web — what a password must be, how it is hashed
 * (Argon2id), how a login is checked and when an account locks, and
 * writing the audit log.
 */
#ifndef SOTAY_SERVER_ACCOUNTS_H
#define SOTAY_SERVER_ACCOUNTS_H

#include "server-store.h"

#define SERVER_PASSWORD_MIN	10		/* characters */
#define SERVER_PASSWORD_MAX	256		/* bytes */
#define SERVER_LOCK_FAILURES	5		/* wrong passwords in a row */
#define SERVER_LOCK_MS		(15 * 60 * 1000)

enum server_login {
	SERVER_LOGIN_OK,
	SERVER_LOGIN_WRONG,	/* unknown login or wrong password */
	SERVER_LOGIN_LOCKED,	/* too many wrong passwords: wait */
	SERVER_LOGIN_DISABLED
};

/* Whether password may be one: 0, SERVER_PASSWORD_SHORT (under
 * SERVER_PASSWORD_MIN characters) or SERVER_PASSWORD_BAD (over
 * SERVER_PASSWORD_MAX bytes, or not UTF-8). */
#define SERVER_PASSWORD_SHORT	1
#define SERVER_PASSWORD_BAD	2
int	 server_accounts_password_ok(const char *password);
/* Checks password and makes its Argon2id string (malloc'd). */
int	 server_accounts_hash(const char *password, char **hash, char **cause);
/*
 * Checks login and password, counts a failure (locking the account after
 * SERVER_LOCK_FAILURES) or records the login, and writes the audit log.
 * *u is filled when the result is SERVER_LOGIN_OK. Returns 0 (with
 * *result) or a store failure.
 */
int	 server_accounts_login(struct server_store *, const char *login,
	     const char *password, const char *addr, enum server_login *result,
	     struct server_user *u, char **cause);
/* Appends to the audit log; a failure is reported on stderr, not returned. */
void	 server_accounts_audit(struct server_store *, const char *login,
	     const char *action, const char *detail, const char *addr);
/*
 * Whether login may name an account: 1 to SERVER_LOGIN_MAX characters of
 * valid UTF-8, none a space, a control character or ':', not starting
 * with '-' (it would read as an option).
 */
#define SERVER_LOGIN_MAX	64
int	 server_accounts_login_ok(const char *login);
/*
 * The provinces whose kiosks are in commune (compared in NFC), each once,
 * malloc'd: an account of a commune with no province would see every
 * province's commune of that name, so its province comes from here.
 */
int	 server_accounts_provinces_of(struct server_store *, const char *commune,
	     char ***provinces, size_t *n, char **cause);
/* "province" or "commune"; -1 for anything else. */
int	 server_accounts_parse_role(const char *);

#endif
