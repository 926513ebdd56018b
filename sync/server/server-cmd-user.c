/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-cmd-user.c: the command line of the dashboard's accounts —
 * `sotay-server user add|list|disable|enable|password` and `sotay-server audit`.
 * Every change is written to the audit log with the login "cli".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "nfc.h"
#include "secret.h"
#include "util.h"
#include "server-accounts.h"
#include "server-cmd.h"

static int
die(struct server_store *st, char *cause)
{
	fprintf(stderr, "sotay-server: %s\n", cause != NULL ? cause : "?");
	free(cause);
	server_store_close(st);
	return 1;
}

/* One line of standard input, without its end of line (malloc'd). */
static char *
read_password(char **cause)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n = getline(&line, &cap, stdin);

	if (n <= 0) {
		free(line);
		fail(cause, _("Không đọc được mật khẩu: --password-stdin cần một dòng ở "
		    "đầu vào chuẩn, ví dụ: echo 'mật khẩu' | sotay-server user add …"));
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static int
hash_from_stdin(char **hash, char **cause)
{
	char	*pw = read_password(cause);
	int	 rc;

	if (pw == NULL)
		return -1;
	rc = server_accounts_hash(pw, hash, cause);
	secret_free(pw);
	return rc;
}

/* A login refused as taken by a disabled account: say how to enable it. */
static char *
taken_hint(struct server_store *st, const char *login, char *cause)
{
	struct server_user	 u;
	char			*ignored = NULL, *m;
	int			 found;

	if (server_store_user_get(st, login, &u, &found, &ignored) != 0 || !found) {
		free(ignored);
		return cause;
	}
	m = u.disabled_at == 0 ? cause : xasprintf(_("%s Tài khoản này đang tắt; bật lại "
	    "bằng `sotay-server user enable %s`."), cause != NULL ? cause : "", login);
	if (m != cause)
		free(cause);
	server_user_free(&u);
	return m;
}

/*
 * The province of a commune officer added without --province: the one
 * province whose kiosks are in that commune (server_accounts_provinces_of).
 * *province is NULL when no kiosk is in that commune yet. 1 when the
 * commune is in several provinces (said in *cause), -1 when the store failed.
 */
static int
commune_province(struct server_store *st, const char *commune, char **province,
    char **cause)
{
	char	**found, *list, *more;
	size_t	  nfound, j;

	*province = NULL;
	if (server_accounts_provinces_of(st, commune, &found, &nfound, cause) != 0)
		return -1;
	if (nfound == 1)
		*province = xstrdup(found[0]);
	else if (nfound > 1) {
		list = xasprintf("\"%s\"", found[0]);
		for (j = 1; j < nfound; j++) {
			more = xasprintf("%s, \"%s\"", list, found[j]);
			free(list);
			list = more;
		}
		fail(cause, _("Xã \"%s\" có ở nhiều tỉnh (%s): hãy thêm --province TỈNH "
		    "để tài khoản chỉ thấy xã của tỉnh mình."), commune, list);
		free(list);
	}
	for (j = 0; j < nfound; j++)
		free(found[j]);
	free(found);
	return nfound > 1 ? 1 : 0;
}

static int
user_add(const char *db, const char *login, const struct server_cmd_opts *o)
{
	struct server_store	*st = NULL;
	struct server_user	 u;
	char			*cause = NULL, *hash = NULL, *detail, *province = NULL;
	char			*commune;
	int			 role = server_accounts_parse_role(o->role), rc;

	if (role < 0) {
		fprintf(stderr, "sotay-server: %s\n", _("--role phải là province (cấp "
		    "tỉnh) hoặc commune (cấp xã)."));
		return 2;
	}
	if (role == SERVER_ROLE_COMMUNE && (o->commune == NULL || *o->commune == '\0')) {
		fprintf(stderr, "sotay-server: %s\n", _("tài khoản cấp xã cần --commune "
		    "TÊN_XÃ (đúng như khi thêm trạm)."));
		return 2;
	}
	if (role == SERVER_ROLE_PROVINCE && o->commune != NULL) {
		fprintf(stderr, "sotay-server: %s\n", _("--commune chỉ dùng cho tài khoản "
		    "cấp xã."));
		return 2;
	}
	if (!server_accounts_login_ok(login)) {
		fprintf(stderr, "sotay-server: %s\n", _("tên đăng nhập phải có 1–64 ký tự, "
		    "không có khoảng trắng hay dấu ':'."));
		return 2;
	}
	if (!o->password_stdin) {
		fprintf(stderr, "sotay-server: %s\n", _("hãy đưa mật khẩu qua đầu vào chuẩn "
		    "với --password-stdin."));
		return 2;
	}
	if (hash_from_stdin(&hash, &cause) != 0)
		return die(NULL, cause);
	if (server_store_open(db, &st, &cause) != 0) {
		free(hash);
		return die(NULL, cause);
	}
	/* In NFC from here on, as the store keeps them: the audit log and the
	 * reply name the commune as the kiosks' rows do. */
	commune = nfc_dup(o->commune != NULL ? o->commune : "");
	if (o->province != NULL)
		province = nfc_dup(o->province);
	else if (role == SERVER_ROLE_COMMUNE &&
	    (rc = commune_province(st, commune, &province, &cause)) != 0) {
		free(hash);
		free(commune);
		die(st, cause);
		return rc > 0 ? 2 : 1;	/* several provinces: the command line says which */
	}
	memset(&u, 0, sizeof u);
	u.login = (char *)login;
	u.role = (enum server_role)role;
	u.province = province != NULL ? province : "";
	u.commune = commune;
	u.pwhash = hash;
	u.created_at = util_now_ms();
	if (server_store_user_add(st, &u, &cause) != 0) {
		free(hash);
		free(province);
		free(commune);
		return die(st, taken_hint(st, login, cause));
	}
	free(hash);
	detail = xasprintf("%s role=%s province=%s commune=%s", login, o->role,
	    u.province, u.commune);
	server_accounts_audit(st, "cli", SERVER_AUDIT_USER_ADD, detail, "");
	free(detail);
	server_store_close(st);
	/* No kiosk to take the province from: a misspelt commune, or one whose
	 * kiosks come later, and then every province's commune of that name. */
	if (role == SERVER_ROLE_COMMUNE && o->province == NULL && province == NULL)
		fprintf(stderr, "sotay-server: %s\n", _("Chưa có trạm nào ở xã này (tên phải "
		    "đúng như khi thêm trạm; xem `sotay-server kiosk list`); hãy thêm --province "
		    "TỈNH để tài khoản chỉ thấy xã của tỉnh đó."));
	if (role == SERVER_ROLE_COMMUNE && *u.province != '\0')
		printf(_("đã thêm tài khoản %s (%s, %s)\n"), login, commune, u.province);
	else
		printf(_("đã thêm tài khoản %s (%s)\n"), login,
		    role == SERVER_ROLE_COMMUNE ? commune : (*u.province != '\0' ?
		    u.province : _("mọi tỉnh")));
	free(province);
	free(commune);
	return 0;
}

static int
user_list(const char *db)
{
	struct server_store	*st = NULL;
	struct server_user	*v;
	size_t			 n, i;
	char			*cause = NULL, last[17];

	if (server_store_open(db, &st, &cause) != 0)
		return die(NULL, cause);
	if (server_store_user_list(st, &v, &n, &cause) != 0)
		return die(st, cause);
	printf("login\trole\tprovince\tcommune\tstatus\tlast_login\n");
	for (i = 0; i < n; i++) {
		if (v[i].last_login > 0)
			util_format_time(v[i].last_login, last);
		else
			snprintf(last, sizeof last, "-");
		/* The level and status in the reader's language; the database
		 * keeps "province"/"commune", as --role takes them. */
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", v[i].login, v[i].role ==
		    SERVER_ROLE_COMMUNE ? C_("role", "xã") : C_("role", "tỉnh"),
		    v[i].province, v[i].commune, v[i].disabled_at != 0 ?
		    C_("account", "đã tắt") : v[i].locked_until > util_now_ms() ?
		    C_("account", "tạm khoá") : C_("account", "hoạt động"), last);
		server_user_free(&v[i]);
	}
	free(v);
	server_store_close(st);
	return 0;
}

enum change { CHANGE_DISABLE, CHANGE_ENABLE, CHANGE_PASSWORD };

/* Disables, enables (which also ends a lockout) or sets a new password. */
static int
user_change(const char *db, const char *login, enum change what,
    const struct server_cmd_opts *o)
{
	static const char *const actions[] = { SERVER_AUDIT_USER_DISABLE,
	    SERVER_AUDIT_USER_ENABLE, SERVER_AUDIT_USER_PASSWORD };
	struct server_store	*st = NULL;
	struct server_user	 u;
	char			*cause = NULL, *hash = NULL;
	int			 found;

	if (what == CHANGE_PASSWORD && !o->password_stdin) {
		fprintf(stderr, "sotay-server: %s\n", _("hãy đưa mật khẩu mới qua đầu vào "
		    "chuẩn với --password-stdin."));
		return 2;
	}
	if (what == CHANGE_PASSWORD && hash_from_stdin(&hash, &cause) != 0)
		return die(NULL, cause);
	if (server_store_open(db, &st, &cause) != 0) {
		free(hash);
		return die(NULL, cause);
	}
	if (server_store_user_get(st, login, &u, &found, &cause) != 0) {
		free(hash);
		return die(st, cause);
	}
	if (!found) {
		free(hash);
		return die(st, xasprintf(_("Không có tài khoản \"%s\"; xem danh sách bằng "
		    "`sotay-server user list`."), login));
	}
	switch (what) {
	case CHANGE_DISABLE:
		if (u.disabled_at == 0)
			u.disabled_at = util_now_ms();
		break;
	case CHANGE_ENABLE:
		u.disabled_at = 0;
		u.failures = 0;
		u.locked_until = 0;
		break;
	case CHANGE_PASSWORD:
		free(u.pwhash);
		u.pwhash = hash;
		u.failures = 0;
		u.locked_until = 0;
		break;
	}
	if (server_store_user_update(st, &u, &cause) != 0) {
		server_user_free(&u);
		return die(st, cause);
	}
	server_user_free(&u);
	server_accounts_audit(st, "cli", actions[what], login, "");
	server_store_close(st);
	printf(what == CHANGE_DISABLE ? _("đã tắt tài khoản %s\n") :
	    what == CHANGE_ENABLE ? _("đã bật lại tài khoản %s\n") :
	    _("đã đổi mật khẩu của %s\n"), login);
	return 0;
}

int
server_cmd_user(const char *db, char **pos, int npos, const struct server_cmd_opts *o)
{
	if (npos == 3 && strcmp(pos[1], "add") == 0)
		return user_add(db, pos[2], o);
	if (npos == 2 && strcmp(pos[1], "list") == 0)
		return user_list(db);
	if (npos == 3 && strcmp(pos[1], "disable") == 0)
		return user_change(db, pos[2], CHANGE_DISABLE, o);
	if (npos == 3 && strcmp(pos[1], "enable") == 0)
		return user_change(db, pos[2], CHANGE_ENABLE, o);
	if (npos == 3 && strcmp(pos[1], "password") == 0)
		return user_change(db, pos[2], CHANGE_PASSWORD, o);
	return -1;
}

int
server_cmd_audit(const char *db, int64_t limit)
{
	struct server_store	*st = NULL;
	struct server_audit	*v;
	size_t			 n, i;
	char			*cause = NULL, when[17];

	if (server_store_open(db, &st, &cause) != 0)
		return die(NULL, cause);
	if (server_store_audit_list(st, limit, &v, &n, &cause) != 0)
		return die(st, cause);
	printf("time\tlogin\taction\tdetail\taddress\n");
	for (i = n; i-- > 0;) {		/* oldest first, as a log reads */
		util_format_time(v[i].at, when);
		printf("%s\t%s\t%s\t%s\t%s\n", when, v[i].login, v[i].action,
		    v[i].detail, *v[i].addr != '\0' ? v[i].addr : "-");
		server_audit_free(&v[i]);
	}
	free(v);
	server_store_close(st);
	return 0;
}
