/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-accounts.c: the dashboard's account rules (see server-accounts.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "nfc.h"
#include "util.h"
#include "server-accounts.h"

int
server_accounts_parse_role(const char *s)
{
	if (s != NULL && strcmp(s, "province") == 0)
		return SERVER_ROLE_PROVINCE;
	if (s != NULL && strcmp(s, "commune") == 0)
		return SERVER_ROLE_COMMUNE;
	return -1;
}

/* Characters, not bytes: a Vietnamese password is counted as it is typed. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int
server_accounts_login_ok(const char *login)
{
	const unsigned char *p = (const unsigned char *)login;
	size_t n;

	if (login == NULL || *login == '\0' || *login == '-' ||
	    !util_utf8_valid(login, strlen(login)))
		return 0;
	/* Letters of any script (a login may be "lân"); no space, control or ':'. */
	for (; *p != '\0'; p++)
		if (*p <= ' ' || *p == ':' || *p == 0x7f)
			return 0;
	n = utf8_chars(login);
	return n >= 1 && n <= SERVER_LOGIN_MAX;
}

int
server_accounts_password_ok(const char *password)
{
	if (strlen(password) > SERVER_PASSWORD_MAX ||
	    !util_utf8_valid(password, strlen(password)))
		return SERVER_PASSWORD_BAD;
	if (utf8_chars(password) < SERVER_PASSWORD_MIN)
		return SERVER_PASSWORD_SHORT;
	return 0;
}

int
server_accounts_hash(const char *password, char **hash, char **cause)
{
	char	out[crypto_pwhash_STRBYTES];
	int	bad = server_accounts_password_ok(password);

	*hash = NULL;
	if (bad == SERVER_PASSWORD_BAD)
		return fail(cause, _("Mật khẩu phải là văn bản UTF-8 tối đa %d byte."),
		    SERVER_PASSWORD_MAX);
	if (bad == SERVER_PASSWORD_SHORT)
		return fail(cause, _("Mật khẩu phải dài ít nhất %d ký tự."),
		    SERVER_PASSWORD_MIN);
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return fail(cause, _("Không đủ bộ nhớ để băm mật khẩu."));
	*hash = xstrdup(out);
	return 0;
}

void
server_accounts_audit(struct server_store *st, const char *login, const char *action,
    const char *detail, const char *addr)
{
	struct server_audit	 a;
	char			*cause = NULL;

	memset(&a, 0, sizeof a);
	a.at = util_now_ms();
	a.login = (char *)(login != NULL && *login != '\0' ? login : "-");
	a.action = (char *)action;
	a.detail = (char *)(detail != NULL ? detail : "");
	a.addr = (char *)(addr != NULL ? addr : "");
	if (server_store_audit_add(st, &a, &cause) != 0) {
		fprintf(stderr, "sotay-server: audit: %s\n", cause != NULL ? cause : "?");
		free(cause);
	}
}

/* A real hash to check against for an unknown login. */
static char		 dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t	 dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	if (crypto_pwhash_str(dummy_hash, "sotay-no-such-account", 21,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

/*
 * One login checked at a time: the count of wrong passwords is read,
 * checked and written back, and guesses sent side by side each read the
 * same count: 30 at once had 11 tries, not SERVER_LOCK_FAILURES. The count
 * itself is kept by the database (server_store_user_failed), so several
 * processes on one PostgreSQL database add up: each has at most one guess
 * in flight when the lock falls.
 */
static pthread_mutex_t	 login_lock = PTHREAD_MUTEX_INITIALIZER;

static int
login_checked(struct server_store *st, const char *login, const char *password,
    const char *addr, enum server_login *result, struct server_user *u, char **cause)
{
	int64_t	now = util_now_ms();
	int	found, rc;
	char	detail[64];

	*result = SERVER_LOGIN_WRONG;
	if ((rc = server_store_user_get(st, login, u, &found, cause)) != 0)
		return rc;
	if (!found) {
		/* The same work as a real check, so timing tells nothing. */
		pthread_once(&dummy_once, make_dummy);
		if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			dummy_hash[0] = '\0';	/* cannot happen; keeps the result used */
		server_accounts_audit(st, login, SERVER_AUDIT_LOGIN_FAILED,
		    "unknown login", addr);
		return 0;
	}
	if (u->disabled_at != 0) {
		*result = SERVER_LOGIN_DISABLED;
		server_accounts_audit(st, login, SERVER_AUDIT_LOGIN_FAILED, "disabled",
		    addr);
		goto refused;
	}
	if (u->locked_until > now) {
		*result = SERVER_LOGIN_LOCKED;
		server_accounts_audit(st, login, SERVER_AUDIT_LOGIN_FAILED, "locked",
		    addr);
		goto refused;
	}
	if (crypto_pwhash_str_verify(u->pwhash, password, strlen(password)) != 0) {
		int locked;

		/* Counted in the database: every process sharing it counts together. */
		if ((rc = server_store_user_failed(st, login, SERVER_LOCK_FAILURES,
		    now + SERVER_LOCK_MS, &locked, cause)) != 0) {
			server_user_free(u);
			return rc;
		}
		if (locked) {
			*result = SERVER_LOGIN_LOCKED;
			snprintf(detail, sizeof detail, "%d wrong passwords",
			    SERVER_LOCK_FAILURES);
			server_accounts_audit(st, login, SERVER_AUDIT_LOGIN_LOCKED, detail,
			    addr);
		} else
			server_accounts_audit(st, login, SERVER_AUDIT_LOGIN_FAILED,
			    "wrong password", addr);
		goto refused;
	}
	u->failures = 0;
	u->locked_until = 0;
	u->last_login = now;
	if ((rc = server_store_user_update(st, u, cause)) != 0) {
		server_user_free(u);
		return rc;
	}
	server_accounts_audit(st, login, SERVER_AUDIT_LOGIN, "", addr);
	*result = SERVER_LOGIN_OK;
	return 0;
refused:
	server_user_free(u);
	return 0;
}

int
server_accounts_login(struct server_store *st, const char *login,
    const char *password, const char *addr, enum server_login *result,
    struct server_user *u, char **cause)
{
	int rc;

	pthread_mutex_lock(&login_lock);
	rc = login_checked(st, login, password, addr, result, u, cause);
	pthread_mutex_unlock(&login_lock);
	return rc;
}

int
server_accounts_provinces_of(struct server_store *st, const char *commune,
    char ***provinces, size_t *n, char **cause)
{
	struct server_kiosk	*k;
	size_t			 nk, i, j;
	char			*want;

	*provinces = NULL;
	*n = 0;
	if (server_store_kiosk_list(st, &k, &nk, cause) != 0)
		return -1;
	want = nfc_dup(commune);
	*provinces = xcalloc(nk + 1, sizeof **provinces);
	for (i = 0; i < nk; i++) {
		if (strcmp(k[i].commune, want) == 0) {
			for (j = 0; j < *n && strcmp((*provinces)[j], k[i].province) != 0; j++)
				;
			if (j == *n)
				(*provinces)[(*n)++] = xstrdup(k[i].province);
		}
		server_kiosk_free(&k[i]);
	}
	free(k);
	free(want);
	return 0;
}
