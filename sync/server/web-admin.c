/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-admin.c: the dashboard's kiosks (last contact, what each said of
 * itself at its last upload, a mark on the silent, the never synced and
 * the wrong clocks),
 * the conflicts the server kept per kiosk, and the accounts page where a
 * province officer adds, disables and enables officers of its province.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfc.h"
#include "secret.h"
#include "util.h"
#include "server-accounts.h"
#include "web.h"

#define CONFLICTS_SHOWN 1000

static int
in_scope(const struct web *w, const struct server_kiosk *k)
{
	const struct server_scope *s = &w->scope;

	return (s->province == NULL || *s->province == '\0' ||
	    strcmp(s->province, k->province) == 0) &&
	    (s->commune == NULL || *s->commune == '\0' ||
	    strcmp(s->commune, k->commune) == 0);
}

int
web_admin_kiosks_in_scope(struct web *w, struct server_kiosk **out, size_t *n)
{
	struct server_kiosk	*v;
	size_t			 all, i;
	char			*cause = NULL;

	*out = NULL;
	*n = 0;
	if (server_store_kiosk_list(w->ctx->store, &v, &all, &cause) != 0) {
		web_log_failed("dashboard", cause);
		return -1;
	}
	for (i = 0; i < all; i++) {
		if (in_scope(w, &v[i]))
			v[(*n)++] = v[i];
		else
			server_kiosk_free(&v[i]);
	}
	*out = v;
	return 0;
}

static void
store_failed(struct web *w, char *cause)
{
	web_html_failed(w, "dashboard", cause, W(w, "Không đọc được cơ sở dữ liệu; hãy thử "
	    "lại, và xem nhật ký máy chủ nếu vẫn lỗi.", "The database could not be read; "
	    "try again, and see the server's log if it persists."));
}

static void
free_kiosks(struct server_kiosk *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		server_kiosk_free(&v[i]);
	free(v);
}

/* "+3 phút" style: a clock offset in words. */
static void
offset_text(struct web *w, struct web_buf *b, int64_t ms)
{
	int64_t a = ms < 0 ? -ms : ms;

	/* The offset is server minus kiosk: positive means the kiosk is behind. */
	if (a < 1000)
		web_buf_put(b, W(w, "đúng giờ", "on time"));
	else if (a < 120000)
		web_buf_printf(b, "%s %lld s", ms > 0 ? W(w, "chậm", "behind") :
		    W(w, "nhanh", "ahead"), (long long)(a / 1000));
	else if (a < 2 * 3600000LL)
		web_buf_printf(b, "%s %lld %s", ms > 0 ? W(w, "chậm", "behind") :
		    W(w, "nhanh", "ahead"), (long long)(a / 60000), W(w, "phút", "min"));
	else
		web_buf_printf(b, "%s %lld %s", ms > 0 ? W(w, "chậm", "behind") :
		    W(w, "nhanh", "ahead"), (long long)(a / 3600000), W(w, "giờ", "h"));
}

void
web_admin_kiosks(struct web *w)
{
	struct web_buf			 b = { 0 };
	struct server_kiosk		*k;
	struct server_kiosk_status	*st;
	size_t				 n, ns, i, j, silent = 0, clock = 0, never = 0;
	int64_t				 now = util_now_ms();
	char				*cause = NULL;

	if (web_admin_kiosks_in_scope(w, &k, &n) != 0) {
		store_failed(w, NULL);
		return;
	}
	if (server_store_kiosk_status_list(w->ctx->store, &st, &ns, &cause) != 0) {
		free_kiosks(k, n);
		store_failed(w, cause);
		return;
	}
	web_html_begin(w, &b, W(w, "Trạm", "Kiosks"), "/kiosks");
	web_buf_printf(&b, "<div class=\"table\"><table id=\"kiosks\"><thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	    W(w, "Trạm", "Kiosk"), W(w, "Xã", "Commune"), W(w, "Thôn", "Hamlet"),
	    W(w, "Liên lạc lần cuối", "Last contact"),
	    W(w, "Sự kiện chờ gửi lúc đó", "Events waiting then"),
	    W(w, "Phiên bản danh mục", "Content version"),
	    W(w, "Phiên bản chương trình", "Program version"),
	    W(w, "Đồng hồ", "Clock"), W(w, "Cần xem", "Attention"));
	for (i = 0; i < n; i++) {
		const struct server_kiosk_status *s = NULL;
		int is_silent, is_off, is_never, is_late;

		for (j = 0; j < ns; j++)
			if (strcmp(st[j].kiosk, k[i].id) == 0)
				s = &st[j];
		/*
		 * A kiosk that never sent anything is not "silent" (it had nothing
		 * to break); it is said so, and needs a look only once it was
		 * added as long ago as a silent one is quiet.
		 */
		is_never = k[i].revoked_at == 0 && k[i].last_seen == 0;
		is_late = is_never && now - k[i].created_at > WEB_SILENT_MS;
		is_silent = k[i].revoked_at == 0 && k[i].last_seen != 0 &&
		    now - k[i].last_seen > WEB_SILENT_MS;
		is_off = k[i].revoked_at == 0 && s != NULL &&
		    (s->clock_offset > WEB_CLOCK_OFF_MS || s->clock_offset < -WEB_CLOCK_OFF_MS);
		silent += is_silent;
		clock += is_off;
		never += is_never;
		web_buf_printf(&b, "<tr%s><td>", is_silent || is_off || is_late ?
		    " class=\"warn\"" : "");
		web_html_esc(&b, k[i].name);
		web_buf_put(&b, "</td><td>");
		web_html_esc(&b, k[i].commune);
		web_buf_put(&b, "</td><td>");
		web_html_esc(&b, k[i].hamlet);
		web_buf_put(&b, "</td><td>");
		web_html_time(&b, k[i].last_seen);
		web_buf_put(&b, "</td><td class=\"n\">");
		if (s != NULL)
			web_html_num(w, &b, s->pending);
		else
			web_buf_put(&b, "—");
		web_buf_put(&b, "</td><td class=\"n\">");
		if (s != NULL)
			web_html_num(w, &b, s->content_version);
		else
			web_buf_put(&b, "—");
		web_buf_put(&b, "</td><td>");
		web_html_esc(&b, s != NULL && *s->program_version != '\0' ?
		    s->program_version : "—");
		web_buf_put(&b, "</td><td>");
		if (s != NULL)
			offset_text(w, &b, s->clock_offset);
		else
			web_buf_put(&b, "—");
		web_buf_put(&b, "</td><td>");
		if (k[i].revoked_at != 0)
			web_buf_put(&b, W(w, "đã thu hồi", "revoked"));
		if (is_never)
			web_buf_printf(&b, "<span class=\"%snever\">%s</span> ",
			    is_late ? "mark " : "", W(w, "chưa đồng bộ lần nào",
			    "never synced"));
		if (is_silent)
			web_buf_printf(&b, "<span class=\"mark silent\">%s</span> ",
			    W(w, "im lặng quá 7 ngày", "silent over 7 days"));
		if (is_off)
			web_buf_printf(&b, "<span class=\"mark clock\">%s</span>",
			    W(w, "đồng hồ lệch quá 5 phút", "clock over 5 minutes off"));
		web_buf_put(&b, "</td></tr>");
	}
	if (n == 0)
		web_buf_printf(&b, "<tr><td colspan=\"9\" class=\"empty\">%s</td></tr>",
		    w->user.role == SERVER_ROLE_COMMUNE ? W(w, "Xã chưa có trạm nào.",
		    "The commune has no kiosk yet.") : W(w, "Chưa có trạm nào. Trạm được "
		    "thêm trên máy chủ bằng lệnh sotay-server kiosk add.", "No kiosk yet. "
		    "Kiosks are added on the server with sotay-server kiosk add."));
	web_buf_put(&b, "</tbody></table></div>");
	web_buf_printf(&b, "<p id=\"kiosk-summary\">%zu %s · %zu %s · %zu %s · %zu %s</p>",
	    n, W(w, "trạm", "kiosks"), never, W(w, "chưa đồng bộ lần nào", "never synced"),
	    silent, W(w, "im lặng quá 7 ngày", "silent over 7 days"),
	    clock, W(w, "đồng hồ lệch", "with a clock off"));
	web_html_end(w, &b);
	web_html_reply(w, &b, 200);
	free_kiosks(k, n);
	for (j = 0; j < ns; j++)
		server_kiosk_status_free(&st[j]);
	free(st);
}

void
web_admin_conflicts(struct web *w)
{
	struct web_buf		 b = { 0 };
	struct server_kiosk	*k;
	struct server_conflict	*c;
	size_t			 n, nc, i, j, shown;
	char			*cause = NULL;

	if (web_admin_kiosks_in_scope(w, &k, &n) != 0) {
		store_failed(w, NULL);
		return;
	}
	if (server_store_conflict_list(w->ctx->store, CONFLICTS_SHOWN, &c, &nc,
	    &cause) != 0) {
		free_kiosks(k, n);
		store_failed(w, cause);
		return;
	}
	web_html_begin(w, &b, W(w, "Xung đột: những gì máy chủ đã từ chối",
	    "Conflicts: what the server refused"), "/conflicts");
	web_buf_printf(&b, "<p>%s</p>", W(w, "Một sự kiện bị từ chối khi trạm gửi lại "
	    "một mã đã có với nội dung khác, hoặc một số thứ tự đã dùng (trạm khôi phục "
	    "từ bản sao lưu cũ). Sự kiện được giữ lại ở đây để người phụ trách xem.",
	    "An event is refused when a kiosk sends an id already held with other "
	    "content, or a sequence number already used (a kiosk restored from an old "
	    "backup). It is kept here for a supervisor to look at."));
	/*
	 * Only the server's newest are read, of every kiosk: past that, one's
	 * own older ones may be missing, and "none" would not be true.
	 */
	if (nc >= CONFLICTS_SHOWN) {
		web_buf_printf(&b, "<p class=\"error\" id=\"conflicts-cut\">%s ",
		    W(w, "Trang này chỉ xét", "This page looks only at the"));
		web_html_num(w, &b, CONFLICTS_SHOWN);
		web_buf_printf(&b, " %s</p>", W(w, "xung đột mới nhất của mọi trạm trên máy "
		    "chủ; những xung đột cũ hơn (nếu có) không hiện ở đây.", "newest "
		    "conflicts of every kiosk on the server; older ones, if any, are not "
		    "shown here."));
	}
	shown = 0;
	for (i = 0; i < n; i++) {
		size_t count = 0;

		for (j = 0; j < nc; j++)
			count += strcmp(c[j].kiosk, k[i].id) == 0;
		if (count == 0)
			continue;
		shown++;
		web_buf_put(&b, "<h2>");
		web_html_esc(&b, k[i].name);
		web_buf_put(&b, " · ");
		web_html_esc(&b, k[i].commune);
		web_buf_printf(&b, " (%zu)</h2><div class=\"table\"><table class=\"conflicts\">"
		    "<thead><tr><th>%s</th><th class=\"n\">%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th></tr></thead><tbody>", count,
		    W(w, "Nhận lúc", "Received"), W(w, "Số thứ tự", "Seq"),
		    W(w, "Loại", "Type"), W(w, "Giờ trên trạm", "Kiosk time"),
		    W(w, "Lý do", "Reason"), W(w, "Mã sự kiện", "Event id"));
		for (j = 0; j < nc; j++) {
			if (strcmp(c[j].kiosk, k[i].id) != 0)
				continue;
			web_buf_put(&b, "<tr><td>");
			web_html_time(&b, c[j].received_at);
			web_buf_printf(&b, "</td><td class=\"n\">%lld</td><td>",
			    (long long)c[j].seq);
			web_html_esc(&b, c[j].type);
			web_buf_put(&b, "</td><td>");
			web_html_time(&b, c[j].at);
			web_buf_put(&b, "</td><td>");
			web_html_esc(&b, c[j].reason);
			web_buf_put(&b, "</td><td><code>");
			web_html_esc(&b, c[j].id);
			web_buf_put(&b, "</code></td></tr>");
		}
		web_buf_put(&b, "</tbody></table></div>");
	}
	if (shown == 0 && nc < CONFLICTS_SHOWN)
		web_buf_printf(&b, "<p class=\"notice\" id=\"no-conflicts\">%s</p>",
		    W(w, "Không có xung đột nào.", "There are no conflicts."));
	web_html_end(w, &b);
	web_html_reply(w, &b, 200);
	free_kiosks(k, n);
	for (j = 0; j < nc; j++)
		server_conflict_free(&c[j]);
	free(c);
}

/* A datalist of the communes (or the provinces) of kiosks k, each once. */
static void
datalist(struct web_buf *b, const char *id, const struct server_kiosk *k, size_t n,
    int provinces)
{
	size_t i, j;

	web_buf_printf(b, "<datalist id=\"%s\">", id);
	for (i = 0; i < n; i++) {
		const char *v = provinces ? k[i].province : k[i].commune;

		for (j = 0; j < i && strcmp(provinces ? k[j].province : k[j].commune,
		    v) != 0; j++)
			;
		if (j == i && *v != '\0') {
			web_buf_put(b, "<option value=\"");
			web_html_esc(b, v);
			web_buf_put(b, "\">");
		}
	}
	web_buf_put(b, "</datalist>");
}

/* The value attribute of field key as typed in body (NULL: none). */
static void
typed(struct web_buf *b, const char *body, const char *key)
{
	char *v = body != NULL ? web_session_form(body, key) : NULL;

	if (v != NULL) {
		web_buf_put(b, " value=\"");
		web_html_esc(b, v);
		web_buf_put(b, "\"");
		free(v);
	}
}

/* Whether the officer may manage u: its province, or every one. */
static int
may_manage(const struct web *w, const struct server_user *u)
{
	return *w->user.province == '\0' || strcmp(w->user.province, u->province) == 0;
}

void
web_admin_accounts(struct web *w, int status, const char *notice, const char *warning)
{
	struct web_buf		 b = { 0 };
	struct server_user	*v;
	struct server_kiosk	*k;
	size_t			 n, nk, i;
	const char		*body = NULL;
	char			*cause = NULL, *role;

	if (server_store_user_list(w->ctx->store, &v, &n, &cause) != 0) {
		store_failed(w, cause);
		return;
	}
	web_html_begin(w, &b, W(w, "Tài khoản", "Accounts"), "/accounts");
	if (notice != NULL) {
		web_buf_put(&b, "<p class=\"notice\" id=\"notice\">");
		web_html_esc(&b, notice);
		web_buf_put(&b, "</p>");
	}
	/* What was refused, or needs a look, is said in red, not as done. */
	if (warning != NULL) {
		web_buf_put(&b, "<p class=\"error\" id=\"warning\">");
		web_html_esc(&b, warning);
		web_buf_put(&b, "</p>");
	}
	web_buf_printf(&b, "<div class=\"table\"><table id=\"accounts\"><thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th>"
	    "</tr></thead><tbody>", W(w, "Tên đăng nhập", "Login"), W(w, "Cấp", "Level"),
	    W(w, "Tỉnh", "Province"), W(w, "Xã", "Commune"), W(w, "Trạng thái", "Status"),
	    W(w, "Đăng nhập lần cuối", "Last login"));
	for (i = 0; i < n; i++) {
		if (!may_manage(w, &v[i])) {
			server_user_free(&v[i]);
			continue;
		}
		web_buf_put(&b, "<tr><td>");
		web_html_esc(&b, v[i].login);
		web_buf_printf(&b, "</td><td>%s</td><td>", v[i].role == SERVER_ROLE_COMMUNE ?
		    W(w, "xã", "commune") : W(w, "tỉnh", "province"));
		web_html_esc(&b, *v[i].province != '\0' ? v[i].province :
		    W(w, "(mọi tỉnh)", "(every province)"));
		web_buf_put(&b, "</td><td>");
		web_html_esc(&b, v[i].commune);
		web_buf_printf(&b, "</td><td>%s</td><td>", v[i].disabled_at != 0 ?
		    W(w, "đã tắt", "disabled") : v[i].locked_until > util_now_ms() ?
		    W(w, "tạm khoá", "locked") : W(w, "hoạt động", "active"));
		web_html_time(&b, v[i].last_login);
		web_buf_put(&b, "</td><td>");
		if (strcmp(v[i].login, w->user.login) != 0) {
			/* A disabled account is enabled again, not added anew. */
			web_buf_printf(&b, "<form method=\"post\" action=\"/accounts/%s\" "
			    "class=\"inline\">", v[i].disabled_at == 0 ? "disable" : "enable");
			web_html_csrf(w, &b);
			web_buf_put(&b, "<input type=\"hidden\" name=\"login\" value=\"");
			web_html_esc(&b, v[i].login);
			web_buf_printf(&b, "\"><button type=\"submit\">%s</button></form>",
			    v[i].disabled_at == 0 ? W(w, "Tắt", "Disable") :
			    W(w, "Bật lại", "Enable"));
		}
		web_buf_put(&b, "</td></tr>");
		server_user_free(&v[i]);
	}
	free(v);
	web_buf_put(&b, "</tbody></table></div>");
	web_buf_printf(&b, "<h2>%s</h2><form method=\"post\" action=\"/accounts/add\" "
	    "class=\"range\" id=\"add-user\">", W(w, "Thêm tài khoản", "Add an account"));
	web_html_csrf(w, &b);
	/* A refused form comes back as typed (but its password), to be mended. */
	if (status != 200 && strcmp(w->req->path, "/accounts/add") == 0)
		body = w->req->body;
	web_buf_printf(&b, "<label>%s <input name=\"login\" required maxlength=\"64\" "
	    "autocomplete=\"off\"", W(w, "Tên đăng nhập", "Login"));
	typed(&b, body, "login");
	web_buf_put(&b, "></label>");
	web_buf_printf(&b, "<label>%s <input type=\"password\" name=\"password\" required "
	    "minlength=\"%d\" autocomplete=\"new-password\"></label>",
	    W(w, "Mật khẩu", "Password"), SERVER_PASSWORD_MIN);
	role = body != NULL ? web_session_form(body, "role") : NULL;
	web_buf_printf(&b, "<label>%s <select name=\"role\"><option value=\"commune\">%s"
	    "</option><option value=\"province\"%s>%s</option></select></label>",
	    W(w, "Cấp", "Level"), W(w, "xã", "commune"), role != NULL &&
	    strcmp(role, "province") == 0 ? " selected" : "", W(w, "tỉnh", "province"));
	free(role);
	/* The communes and provinces of the kiosks, offered as spelt there. */
	web_buf_printf(&b, "<label>%s <input name=\"commune\" list=\"communes\" "
	    "autocomplete=\"off\"", W(w, "Xã (cho cấp xã)",
	    "Commune (for a commune account)"));
	typed(&b, body, "commune");
	web_buf_put(&b, "></label>");
	if (*w->user.province == '\0') {
		web_buf_printf(&b, "<label>%s <input name=\"province\" list=\"provinces\" "
		    "autocomplete=\"off\"", W(w, "Tỉnh (để trống: mọi tỉnh)",
		    "Province (empty: every one)"));
		typed(&b, body, "province");
		web_buf_put(&b, "></label>");
	}
	if (web_admin_kiosks_in_scope(w, &k, &nk) == 0) {
		datalist(&b, "communes", k, nk, 0);
		if (*w->user.province == '\0')
			datalist(&b, "provinces", k, nk, 1);
		free_kiosks(k, nk);
	}
	web_buf_printf(&b, "<button type=\"submit\">%s</button></form>",
	    W(w, "Thêm", "Add"));
	web_html_end(w, &b);
	web_html_reply(w, &b, status);
}

/*
 * Whether a kiosk is in province ("" any) and commune (NULL any), the
 * names compared in NFC as the kiosks' are kept.
 */
static int
place_known(struct web *w, const char *province, const char *commune)
{
	struct server_kiosk	*k;
	size_t			 n, i;
	char			*p = nfc_dup(province), *c = NULL, *cause = NULL;
	int			 known = 0;

	if (server_store_kiosk_list(w->ctx->store, &k, &n, &cause) != 0) {
		web_log_failed("dashboard", cause);
		free(p);
		return 1;	/* nothing to say against it */
	}
	if (commune != NULL)
		c = nfc_dup(commune);
	for (i = 0; i < n; i++) {
		known |= (*p == '\0' || strcmp(k[i].province, p) == 0) &&
		    (c == NULL || strcmp(k[i].commune, c) == 0);
		server_kiosk_free(&k[i]);
	}
	free(k);
	free(c);
	free(p);
	return known;
}

static void
account_add(struct web *w)
{
	const char		*body = w->req->body;
	char			*login = web_session_form(body, "login");
	char			*pw = web_session_form(body, "password");
	char			*role = web_session_form(body, "role");
	char			*commune = web_session_form(body, "commune");
	char			*province = web_session_form(body, "province");
	char			*hash = NULL, *cause = NULL, *msg = NULL, *done = NULL;
	char			*detail, *in_province = NULL;
	struct server_user	 u;
	int			 r = server_accounts_parse_role(role), bad, found;

	if (login == NULL || *login == '\0' || pw == NULL || r < 0) {
		msg = xstrdup(W(w, "Hãy điền tên đăng nhập, mật khẩu và cấp.",
		    "Fill in the login, the password and the level."));
		goto out;
	}
	if (!server_accounts_login_ok(login)) {
		msg = xstrdup(W(w, "Tên đăng nhập có 1–64 ký tự, không có khoảng trắng hay "
		    "dấu ':'.", "A login is 1–64 characters, with no spaces and no ':'."));
		goto out;
	}
	if (r == SERVER_ROLE_COMMUNE && (commune == NULL || *commune == '\0')) {
		msg = xstrdup(W(w, "Tài khoản cấp xã cần tên xã.",
		    "A commune account needs its commune."));
		goto out;
	}
	/*
	 * The refusals an officer meets, said here in the page's language (the
	 * server's messages are in the language it was started with).
	 */
	if ((bad = server_accounts_password_ok(pw)) != 0) {
		msg = bad == SERVER_PASSWORD_SHORT ? xasprintf(W(w, "Mật khẩu phải dài ít "
		    "nhất %d ký tự.", "A password is at least %d characters long."),
		    SERVER_PASSWORD_MIN) : xasprintf(W(w, "Mật khẩu dài tối đa %d byte.",
		    "A password is at most %d bytes long."), SERVER_PASSWORD_MAX);
		goto out;
	}
	if (server_store_user_get(w->ctx->store, login, &u, &found, &cause) != 0) {
		msg = cause;
		cause = NULL;
		goto out;
	}
	if (found) {
		server_user_free(&u);
		msg = xasprintf(W(w, "Đã có tài khoản \"%s\"; hãy chọn tên đăng nhập khác.",
		    "There is already an account \"%s\"; choose another login."), login);
		goto out;
	}
	/* An officer of one province adds accounts of that province only. */
	memset(&u, 0, sizeof u);
	u.province = *w->user.province != '\0' ? w->user.province :
	    province != NULL ? province : "";
	/*
	 * A province or commune spelt otherwise than its kiosks' (without
	 * diacritics, a space too many) would show its officer nothing, and
	 * for good: an account's places are not changed, nor its login taken
	 * again. (A province is typed only by an officer of every province.)
	 */
	if (*w->user.province == '\0' && *u.province != '\0' &&
	    !place_known(w, u.province, NULL)) {
		msg = xasprintf(W(w, "Không có trạm nào ở tỉnh \"%s\". Hãy viết tên tỉnh đúng "
		    "như trong danh sách trạm (có dấu), hoặc để trống cho mọi tỉnh.",
		    "No kiosk is in the province \"%s\". Spell the province as the list of "
		    "kiosks does (with its diacritics), or leave it empty for every one."),
		    u.province);
		goto out;
	}
	/*
	 * A commune account of no province would see every province's commune
	 * of its name: it is of the one province whose kiosks are there.
	 */
	if (r == SERVER_ROLE_COMMUNE && *u.province == '\0') {
		char	**pv;
		size_t	  npv, i;

		if (server_accounts_provinces_of(w->ctx->store, commune, &pv, &npv,
		    &cause) != 0) {
			msg = cause;
			cause = NULL;
			goto out;
		}
		if (npv == 1)
			u.province = in_province = xstrdup(pv[0]);
		else if (npv > 1) {
			struct web_buf l = { 0 };

			for (i = 0; i < npv; i++)
				web_buf_printf(&l, "%s\"%s\"", i > 0 ? ", " : "", pv[i]);
			msg = xasprintf(W(w, "Xã \"%s\" có ở nhiều tỉnh (%s): hãy chọn tỉnh của "
			    "tài khoản.", "There is a commune \"%s\" in several provinces (%s): "
			    "choose the account's province."), commune, l.p);
			free(l.p);
		}
		for (i = 0; i < npv; i++)
			free(pv[i]);
		free(pv);
		if (msg != NULL)
			goto out;
	}
	if (r == SERVER_ROLE_COMMUNE && !place_known(w, u.province, commune)) {
		msg = xasprintf(W(w, "Không có trạm nào ở xã \"%s\". Hãy viết tên xã đúng "
		    "như trong danh sách trạm (có dấu), hoặc thêm trạm của xã trước.",
		    "No kiosk is in the commune \"%s\". Spell the commune as the list of "
		    "kiosks does (with its diacritics), or add the commune's kiosk first."),
		    commune);
		goto out;
	}
	if (server_accounts_hash(pw, &hash, &cause) != 0) {
		msg = cause;
		cause = NULL;
		goto out;
	}
	u.login = login;
	u.role = (enum server_role)r;
	u.commune = r == SERVER_ROLE_COMMUNE ? commune : "";
	u.pwhash = hash;
	u.created_at = util_now_ms();
	if (server_store_user_add(w->ctx->store, &u, &cause) != 0) {
		msg = cause;
		cause = NULL;
		goto out;
	}
	detail = xasprintf("%s role=%s province=%s commune=%s", login, role, u.province,
	    u.commune);
	web_route_audit(w, SERVER_AUDIT_USER_ADD, detail);
	free(detail);
	done = xasprintf(W(w, "Đã thêm tài khoản %s.", "Added the account %s."), login);
out:
	web_admin_accounts(w, done != NULL ? 200 : 400, done, msg);
	free(login);
	secret_free(pw);
	free(role);
	free(commune);
	free(province);
	free(in_province);
	free(hash);
	free(cause);
	free(msg);
	free(done);
}

/* Disables an account, or enables it again (which also ends a lockout). */
static void
account_set(struct web *w, int enable)
{
	char			*login = web_session_form(w->req->body, "login");
	char			*cause = NULL, *msg = NULL;
	struct server_user	 u;
	int			 found;

	if (login == NULL || strcmp(login, w->user.login) == 0) {
		msg = xstrdup(W(w, "Không thể tắt hay bật tài khoản đang dùng.",
		    "You cannot disable or enable the account you are using."));
		goto out;
	}
	if (server_store_user_get(w->ctx->store, login, &u, &found, &cause) != 0) {
		free(login);
		store_failed(w, cause);
		return;
	}
	if (!found || !may_manage(w, &u)) {
		if (found)
			server_user_free(&u);
		free(login);
		web_html_error(w, 403, W(w, "Bạn không quản lý tài khoản này.",
		    "You do not manage this account."));
		return;
	}
	if (enable) {
		u.disabled_at = 0;
		u.failures = 0;
		u.locked_until = 0;
	} else if (u.disabled_at == 0)
		u.disabled_at = util_now_ms();
	if (server_store_user_update(w->ctx->store, &u, &cause) != 0) {
		server_user_free(&u);
		free(login);
		store_failed(w, cause);
		return;
	}
	server_user_free(&u);
	web_route_audit(w, enable ? SERVER_AUDIT_USER_ENABLE : SERVER_AUDIT_USER_DISABLE,
	    login);
	msg = xasprintf(enable ? W(w, "Đã bật lại tài khoản %s.", "Enabled the account %s "
	    "again.") : W(w, "Đã tắt tài khoản %s.", "Disabled the account %s."), login);
	web_admin_accounts(w, 200, msg, NULL);
	free(login);
	free(msg);
	return;
out:
	web_admin_accounts(w, 400, NULL, msg);
	free(login);
	free(msg);
}

void
web_admin_account_post(struct web *w, const char *action)
{
	if (strcmp(action, "add") == 0)
		account_add(w);
	else
		account_set(w, strcmp(action, "enable") == 0);
}
