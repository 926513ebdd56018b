/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-route.c: the door of the officers' dashboard — every path outside
 * /v1/. It serves the stylesheet and the login form to anyone; everything
 * else needs a session. Every form (POST) must carry its CSRF token. What
 * an officer may see is decided here, on the server, for every request: a
 * commune officer only its commune, a province officer only its province;
 * asking for another commune is 403 and goes to the audit log. Then it
 * calls the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "secret.h"
#include "util.h"
#include "server-accounts.h"
#include "web.h"

void
web_route_audit(struct web *w, const char *action, const char *detail)
{
	server_accounts_audit(w->ctx->store, w->user.login, action, detail,
	    w->req->addr);
}

static const char *
arg(const struct web *w, const char *key)
{
	const char *v = w->req->arg != NULL ? w->req->arg(w->req, key) : NULL;

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * Whether next is a path of this site to go back to: "/" then printable
 * ASCII (web_html_begin percent-encodes the rest). A browser drops a tab
 * or a newline inside a URL and reads a backslash as "/", so "/<tab>/host"
 * or "/\host" would lead to another site.
 */
static int
local_path(const char *next)
{
	const unsigned char *p;

	if (next == NULL || next[0] != '/' || next[1] == '/')
		return 0;
	for (p = (const unsigned char *)next; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			return 0;
	return 1;
}

/* The login form; next, a page of this site, is where it leads after. */
static void
login_page(struct web *w, const char *error, int status, const char *next)
{
	struct web_buf	 b = { 0 };
	char		 token[WEB_TOKEN_LEN], *c;

	/*
	 * Before any session, the login form's token lives in its own cookie;
	 * one already there is kept, so a second tab or a request the browser
	 * makes on its own does not spoil the form on screen.
	 */
	c = web_session_cookie(w, WEB_COOKIE_LOGIN_CSRF);
	if (c != NULL && strlen(c) == WEB_TOKEN_LEN - 1 &&
	    strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == WEB_TOKEN_LEN - 1)
		memcpy(token, c, WEB_TOKEN_LEN);
	else
		web_session_token(token);
	free(c);
	c = xasprintf("%s=%s; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600%s",
	    WEB_COOKIE_LOGIN_CSRF, token, w->req->secure ? "; Secure" : "");
	server_reply_header(w->rep, "Set-Cookie", c);
	free(c);
	web_html_begin(w, &b, W(w, "Đăng nhập", "Log in"), "/login");
	web_buf_put(&b, "<form method=\"post\" action=\"/login\" class=\"login-box\" "
	    "id=\"login-form\">");
	if (error != NULL) {
		web_buf_put(&b, "<p class=\"error\" id=\"login-error\">");
		web_html_esc(&b, error);
		web_buf_put(&b, "</p>");
	}
	web_buf_printf(&b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", token);
	if (local_path(next)) {
		web_buf_put(&b, "<input type=\"hidden\" name=\"next\" value=\"");
		web_html_esc(&b, next);
		web_buf_put(&b, "\">");
	}
	web_buf_printf(&b, "<label>%s <input name=\"login\" id=\"login\" required "
	    "autocomplete=\"username\" autocapitalize=\"none\"></label>",
	    W(w, "Tên đăng nhập", "Login"));
	web_buf_printf(&b, "<label>%s <input type=\"password\" name=\"password\" "
	    "id=\"password\" required autocomplete=\"current-password\"></label>",
	    W(w, "Mật khẩu", "Password"));
	web_buf_printf(&b, "<button type=\"submit\" id=\"submit\">%s</button></form>",
	    W(w, "Đăng nhập", "Log in"));
	web_html_end(w, &b);
	web_html_reply(w, &b, status);
}

/*
 * Drops the spaces around a login: a phone's keyboard adds one after a word
 * it completed, and a login has none (server_accounts_login_ok).
 */
static void
trim(char *s)
{
	size_t n = strlen(s), lead = strspn(s, " \t");

	while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(s, s + lead, n - lead);
	s[n - lead] = '\0';
}

static void
login_post(struct web *w)
{
	char			*expect = web_session_cookie(w, WEB_COOKIE_LOGIN_CSRF);
	char			*given = web_session_form(w->req->body, "csrf");
	char			*login = web_session_form(w->req->body, "login");
	char			*pw = web_session_form(w->req->body, "password");
	char			*next = web_session_form(w->req->body, "next");
	char			*cause = NULL;
	enum server_login	 result;
	struct server_user	 u;

	if (expect == NULL || given == NULL || strlen(expect) != strlen(given) ||
	    sodium_memcmp(expect, given, strlen(given)) != 0) {
		web_route_audit(w, SERVER_AUDIT_FORBIDDEN, "login form without its token");
		login_page(w, W(w, "Biểu mẫu đăng nhập đã hết hạn; hãy đăng nhập lại.",
		    "The login form expired; log in again."), 403, next);
		goto out;
	}
	if (login != NULL)
		trim(login);
	if (login == NULL || *login == '\0' || pw == NULL) {
		login_page(w, W(w, "Hãy nhập tên đăng nhập và mật khẩu.",
		    "Enter your login and password."), 400, next);
		goto out;
	}
	if (server_accounts_login(w->ctx->store, login, pw, w->req->addr, &result, &u,
	    &cause) != 0) {
		web_html_failed(w, "login", cause, W(w, "Không kiểm tra được tài khoản; hãy "
		    "thử lại.", "The account could not be checked; try again."));
		goto out;
	}
	switch (result) {
	case SERVER_LOGIN_OK:
		server_user_free(&u);
		if (web_session_start(w, login) != 0)
			web_html_error(w, 500, W(w, "Không tạo được phiên đăng nhập; hãy "
			    "thử lại.", "The session could not be made; try again."));
		else
			web_html_redirect(w, local_path(next) ? next : "/overview");
		break;
	case SERVER_LOGIN_LOCKED:
		login_page(w, W(w, "Tài khoản tạm khoá vì nhập sai mật khẩu nhiều lần; hãy "
		    "thử lại sau 15 phút.", "The account is locked after too many wrong "
		    "passwords; try again in 15 minutes."), 403, next);
		break;
	default:
		/* Unknown, wrong or disabled: the same words, so none is revealed. */
		login_page(w, W(w, "Sai tên đăng nhập hoặc mật khẩu.",
		    "Wrong login or password."), 401, next);
		break;
	}
out:
	secret_free(pw);
	free(next);
	free(login);
	free(given);
	free(expect);
}

static void
lang_switch(struct web *w)
{
	const char	*to = arg(w, "to"), *next = arg(w, "next");
	char		*c;

	c = xasprintf("%s=%s; Path=/; SameSite=Strict; Max-Age=31536000%s",
	    WEB_COOKIE_LANG, to != NULL && strcmp(to, "en") == 0 ? "en" : "vi",
	    w->req->secure ? "; Secure" : "");
	server_reply_header(w->rep, "Set-Cookie", c);
	free(c);
	/* Only a path of this site: never a redirect elsewhere. */
	if (!local_path(next))
		next = "/overview";
	web_html_redirect(w, next);
}

static void
forbidden(struct web *w, const char *what)
{
	char *detail = xasprintf("%s %s", w->req->path, what);

	web_route_audit(w, SERVER_AUDIT_FORBIDDEN, detail);
	free(detail);
	web_html_error(w, 403, W(w, "Tài khoản của bạn không được xem số liệu này.",
	    "Your account may not see these figures."));
}

/* The scope of the officer, narrowed by ?commune=; 0 or a reply sent. */
static int
scope(struct web *w)
{
	const char		*want = arg(w, "commune");
	struct server_kiosk	*k;
	size_t			 n, i;
	int			 known = 0;

	w->scope.province = w->user.province;
	w->scope.commune = w->user.role == SERVER_ROLE_COMMUNE ? w->user.commune : NULL;
	if (w->user.role == SERVER_ROLE_COMMUNE && *w->user.commune == '\0') {
		forbidden(w, "commune account without a commune");
		return -1;
	}
	if (want == NULL)
		return 0;
	if (w->user.role == SERVER_ROLE_COMMUNE) {
		if (strcmp(want, w->user.commune) != 0) {
			forbidden(w, want);
			return -1;
		}
		w->commune = w->user.commune;
		return 0;
	}
	/* A province officer: the commune must have a kiosk in its province. */
	if (web_admin_kiosks_in_scope(w, &k, &n) != 0) {
		web_html_error(w, 500, W(w, "Không đọc được danh sách trạm.",
		    "The list of kiosks could not be read."));
		return -1;
	}
	for (i = 0; i < n; i++) {
		known |= strcmp(k[i].commune, want) == 0;
		server_kiosk_free(&k[i]);
	}
	free(k);
	if (!known) {
		forbidden(w, want);
		return -1;
	}
	w->commune = want;
	w->scope.commune = want;
	return 0;
}

static void
day_string(int64_t ms, char out[11])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ?from= and ?to= (days, both included); the last 30 days by default. */
static int
range(struct web *w)
{
	const char	*f = arg(w, "from"), *t = arg(w, "to");
	int64_t		 today, from, to;
	char		 s[11];

	day_string(util_now_ms(), s);
	today = util_parse_date(s);
	from = f != NULL ? util_parse_date(f) : today - 29 * WEB_DAY_MS;
	to = t != NULL ? util_parse_date(t) : today;
	/*
	 * The range ends at the midnight after "to" (a day may not be 24 h
	 * long), which must be a date too: not past the last year there is.
	 */
	if (to >= 0) {
		day_string(to + WEB_DAY_MS + 2 * 3600 * 1000, s);
		w->to = util_parse_date(s);
	}
	if (from < 0 || to < 0 || w->to < 0) {
		web_html_error(w, 400, W(w, "Ngày phải có dạng NĂM-THÁNG-NGÀY, ví dụ "
		    "2026-03-01, từ 2000-01-01 đến 2200-12-30.", "A date must be "
		    "YEAR-MONTH-DAY, e.g. 2026-03-01, from 2000-01-01 to 2200-12-30."));
		return -1;
	}
	if (from > to) {
		web_html_error(w, 400, W(w, "\"Từ ngày\" phải trước \"Đến ngày\".",
		    "\"From\" must come before \"To\"."));
		return -1;
	}
	w->from = from;
	day_string(from, w->from_s);
	day_string(to, w->to_s);
	return 0;
}

/*
 * No session: to the login form, which leads back to the page asked for
 * with the arguments a page reads (an expired session, a bookmark).
 */
static void
to_login(struct web *w)
{
	static const char *const keys[] = { "from", "to", "commune" };
	struct web_buf	 b = { 0 };
	const char	*v;
	char		*e, *page;
	size_t		 i, len;
	int		 args = 0;

	web_buf_put(&b, w->req->path);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if ((v = arg(w, keys[i])) == NULL)
			continue;
		e = web_html_url_escape(v);
		web_buf_printf(&b, "%s%s=%s", args++ ? "&" : "?", keys[i], e);
		free(e);
	}
	page = web_buf_take(&b, &len);
	if (!local_path(page) || strcmp(page, "/overview") == 0 || strcmp(page, "/") == 0)
		web_html_redirect(w, "/login");
	else {
		e = web_html_url_escape(page);
		free(page);
		page = xasprintf("/login?next=%s", e);
		free(e);
		web_html_redirect(w, page);
	}
	free(page);
}

static int
is_form(const struct web *w)
{
	const char *ct = w->req->content_type;

	return ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

void
server_web_handle(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	struct web	 w;
	const char	*p = req->path, *m = req->method;
	char		*lang;
	int		 get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
	int		 post = strcmp(m, "POST") == 0, s;

	memset(&w, 0, sizeof w);
	w.ctx = ctx;
	w.req = req;
	w.rep = rep;
	lang = web_session_cookie(&w, WEB_COOKIE_LANG);
	w.en = lang != NULL && strcmp(lang, "en") == 0;
	free(lang);

	if (get && strcmp(p, "/style.css") == 0) {
		web_html_css(&w);
		return;
	}
	if (get && strcmp(p, "/favicon.ico") == 0) {
		web_html_error(&w, 404, W(&w, "Không có trang này.", "No such page."));
		return;
	}
	if (get && strcmp(p, "/lang") == 0) {
		lang_switch(&w);
		return;
	}
	if (strcmp(p, "/login") == 0 && (get || post)) {
		if (post && is_form(&w))
			login_post(&w);
		else
			login_page(&w, NULL, 200, arg(&w, "next"));
		return;
	}
	if ((s = web_session_find(&w)) < 0) {
		web_html_error(&w, 500, W(&w, "Không đọc được phiên đăng nhập; hãy thử lại.",
		    "The session could not be read; try again."));
		return;
	}
	if (s == 0) {
		if (get)
			to_login(&w);
		else
			web_html_error(&w, 403, W(&w, "Phiên đăng nhập đã hết; hãy đăng nhập "
			    "lại.", "The session has ended; log in again."));
		return;
	}
	if (post) {
		char *given = is_form(&w) ? web_session_form(req->body, "csrf") : NULL;
		int ok = web_session_csrf_ok(&w, given);

		free(given);
		if (!ok) {
			web_route_audit(&w, SERVER_AUDIT_FORBIDDEN, "form without its CSRF token");
			web_html_error(&w, 403, W(&w, "Biểu mẫu không hợp lệ hoặc đã cũ; hãy tải "
			    "lại trang rồi thử lại.", "The form is not valid or is stale; "
			    "reload the page and try again."));
			goto out;
		}
		if (strcmp(p, "/logout") == 0) {
			web_route_audit(&w, SERVER_AUDIT_LOGOUT, "");
			web_session_end(&w);
			web_html_redirect(&w, "/login");
		} else if (strncmp(p, "/accounts/", 10) == 0 &&
		    (strcmp(p + 10, "add") == 0 || strcmp(p + 10, "disable") == 0 ||
		    strcmp(p + 10, "enable") == 0)) {
			if (w.user.role != SERVER_ROLE_PROVINCE)
				forbidden(&w, "accounts");
			else
				web_admin_account_post(&w, p + 10);
		} else
			web_html_error(&w, 404, W(&w, "Không có trang này.", "No such page."));
		goto out;
	}
	if (!get) {
		web_html_error(&w, 405, W(&w, "Phương thức không được hỗ trợ.",
		    "Method not allowed."));
		goto out;
	}
	if (strcmp(p, "/") == 0) {
		web_html_redirect(&w, "/overview");
		goto out;
	}
	if (scope(&w) != 0 || range(&w) != 0)
		goto out;
	if (strcmp(p, "/overview") == 0)
		web_pages_overview(&w);
	else if (strcmp(p, "/communes") == 0)
		web_pages_communes(&w, 0, 0);
	else if (strcmp(p, "/communes.csv") == 0)
		web_pages_communes(&w, 0, 1);
	else if (strcmp(p, "/hamlets.csv") == 0)
		web_pages_communes(&w, 1, 1);
	else if (strcmp(p, "/checklists") == 0)
		web_pages_checklists(&w, 0);
	else if (strcmp(p, "/checklists.csv") == 0)
		web_pages_checklists(&w, 1);
	else if (strcmp(p, "/blocked") == 0)
		web_pages_blocked(&w, 0);
	else if (strcmp(p, "/blocked.csv") == 0)
		web_pages_blocked(&w, 1);
	else if (strcmp(p, "/kiosks") == 0)
		web_admin_kiosks(&w);
	else if (strcmp(p, "/conflicts") == 0)
		web_admin_conflicts(&w);
	else if (strcmp(p, "/accounts") == 0) {
		if (w.user.role != SERVER_ROLE_PROVINCE)
			forbidden(&w, "accounts");
		else
			web_admin_accounts(&w, 200, NULL, NULL);
	} else
		web_html_error(&w, 404, W(&w, "Không có trang này.", "No such page."));
out:
	server_user_free(&w.user);
}
