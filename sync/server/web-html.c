/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-html.c: the dashboard's HTML — a growing buffer, escaping (every
 * value that came from a kiosk or an officer passes web_html_esc), the
 * frame of every page (title, menu, language switch, logout), the date
 * range form, and the stylesheet. Plain HTML and CSS, no script, nothing
 * fetched from elsewhere; one column on a phone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "web.h"

void
web_buf_putn(struct web_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if (b->cap < 4096)
			b->cap = 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
web_buf_put(struct web_buf *b, const char *s)
{
	web_buf_putn(b, s, strlen(s));
}

void
web_buf_printf(struct web_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	web_buf_put(b, s);
	free(s);
}

char *
web_buf_take(struct web_buf *b, size_t *len)
{
	char *p = b->p != NULL ? b->p : xstrdup("");

	*len = b->len;
	memset(b, 0, sizeof *b);
	return p;
}

void
web_html_esc(struct web_buf *b, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		const char *e = NULL;

		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		web_buf_putn(b, run, (size_t)(s - run));
		web_buf_put(b, e);
		run = s + 1;
	}
	web_buf_put(b, run);
}

void
web_html_num(struct web *w, struct web_buf *b, int64_t v)
{
	char	digits[32], out[48];
	int	n, i, o = 0;

	n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	if (v < 0)
		out[o++] = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = w->en ? ',' : '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	web_buf_put(b, out);
}

void
web_html_time(struct web_buf *b, int64_t ms)
{
	char s[17];

	if (ms <= 0) {
		web_buf_put(b, "—");
		return;
	}
	util_format_time(ms, s);
	web_buf_put(b, s);
}

/* The menu: path, Vietnamese, English; province-only entries last. */
static const struct {
	const char	*path;
	const char	*vi;
	const char	*en;
	int		 province_only;
} menu[] = {
	{ "/overview", "Tổng quan", "Overview", 0 },
	{ "/communes", "Theo xã, thôn", "By commune and hamlet", 0 },
	{ "/checklists", "Theo danh mục", "By checklist", 0 },
	{ "/blocked", "Bước hay vướng", "Steps most often blocked", 0 },
	{ "/kiosks", "Trạm", "Kiosks", 0 },
	{ "/conflicts", "Xung đột", "Conflicts", 0 },
	{ "/accounts", "Tài khoản", "Accounts", 1 },
};

char *
web_html_url_escape(const char *s)
{
	struct web_buf	b = { 0 };
	size_t		len;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
			web_buf_putn(&b, s, 1);
		else
			web_buf_printf(&b, "%%%02X", c);
	}
	return web_buf_take(&b, &len);
}

void
web_html_csrf(struct web *w, struct web_buf *b)
{
	web_buf_put(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	web_html_esc(b, w->csrf);
	web_buf_put(b, "\">");
}

void
web_html_begin(struct web *w, struct web_buf *b, const char *title, const char *path)
{
	size_t	 i;
	char	*here, *next;

	web_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<title>", w->en ? "en" : "vi");
	web_html_esc(b, title);
	web_buf_put(b, " — Sổ tay số</title><link rel=\"stylesheet\" href=\"/style.css\">"
	    "</head><body><header><a class=\"brand\" href=\"/overview\">Sổ tay số</a>");
	if (w->user.login != NULL) {
		web_buf_put(b, "<nav>");
		for (i = 0; i < sizeof menu / sizeof menu[0]; i++) {
			if (menu[i].province_only && w->user.role != SERVER_ROLE_PROVINCE)
				continue;
			web_buf_printf(b, "<a href=\"%s\"%s>%s</a>", menu[i].path,
			    strcmp(path, menu[i].path) == 0 ? " class=\"here\"" : "",
			    w->en ? menu[i].en : menu[i].vi);
		}
		web_buf_put(b, "</nav>");
	}
	web_buf_put(b, "<div class=\"who\">");
	/* The other language comes back to this page with its range and commune. */
	if (w->from_s[0] != '\0' && *path != '\0') {
		char *c = w->commune != NULL ? web_html_url_escape(w->commune) : NULL;

		here = xasprintf("%s?from=%s&to=%s%s%s", path, w->from_s, w->to_s,
		    c != NULL ? "&commune=" : "", c != NULL ? c : "");
		free(c);
	} else
		here = xstrdup(path);
	next = web_html_url_escape(here);
	web_buf_printf(b, "<a href=\"/lang?to=%s&amp;next=%s\" lang=\"%s\">%s</a>",
	    w->en ? "vi" : "en", next, w->en ? "vi" : "en",
	    w->en ? "Tiếng Việt" : "English");
	free(next);
	free(here);
	if (w->user.login != NULL) {
		web_buf_put(b, " <span class=\"login\">");
		web_html_esc(b, w->user.login);
		if (w->user.role == SERVER_ROLE_COMMUNE) {
			web_buf_put(b, " · ");
			web_html_esc(b, w->user.commune);
		} else if (*w->user.province != '\0') {
			web_buf_put(b, " · ");
			web_html_esc(b, w->user.province);
		}
		web_buf_put(b, "</span><form method=\"post\" action=\"/logout\" class=\"inline\">");
		web_html_csrf(w, b);
		web_buf_printf(b, "<button type=\"submit\" id=\"logout\">%s</button></form>",
		    W(w, "Đăng xuất", "Log out"));
	}
	web_buf_put(b, "</div></header><main><h1>");
	web_html_esc(b, title);
	web_buf_put(b, "</h1>");
}

void
web_html_end(struct web *w, struct web_buf *b)
{
	web_buf_printf(b, "</main><footer>Sổ tay số · %s</footer></body></html>\n",
	    W(w, "số liệu từ các trạm đã đồng bộ", "figures from the kiosks that have synced"));
}

void
web_html_link(struct web *w, struct web_buf *b, const char *path, const char *extra)
{
	web_buf_put(b, path);
	web_buf_put(b, "?from=");
	web_html_esc(b, w->from_s);
	web_buf_put(b, "&amp;to=");
	web_html_esc(b, w->to_s);
	if (w->commune != NULL) {
		char *e = web_html_url_escape(w->commune);

		web_buf_put(b, "&amp;commune=");
		web_html_esc(b, e);
		free(e);
	}
	if (extra != NULL) {
		web_buf_put(b, "&amp;");
		web_buf_put(b, extra);
	}
}

void
web_html_range(struct web *w, struct web_buf *b, const char *path)
{
	struct server_kiosk	*k = NULL;
	size_t			 n = 0, i, j;

	web_buf_printf(b, "<form method=\"get\" action=\"%s\" class=\"range\">", path);
	web_buf_printf(b, "<label>%s <input type=\"date\" name=\"from\" value=\"",
	    W(w, "Từ ngày", "From"));
	web_html_esc(b, w->from_s);
	web_buf_printf(b, "\" required></label><label>%s <input type=\"date\" name=\"to\" "
	    "value=\"", W(w, "Đến ngày", "To"));
	web_html_esc(b, w->to_s);
	web_buf_put(b, "\" required></label>");
	/* A province officer may narrow to one commune. */
	if (w->user.role == SERVER_ROLE_PROVINCE &&
	    web_admin_kiosks_in_scope(w, &k, &n) == 0) {
		web_buf_printf(b, "<label>%s <select name=\"commune\"><option value=\"\">%s"
		    "</option>", W(w, "Xã", "Commune"), W(w, "Tất cả", "All"));
		for (i = 0; i < n; i++) {
			for (j = 0; j < i; j++)
				if (strcmp(k[j].commune, k[i].commune) == 0)
					break;
			if (j < i)
				continue;
			web_buf_put(b, "<option value=\"");
			web_html_esc(b, k[i].commune);
			web_buf_put(b, "\"");
			if (w->commune != NULL && strcmp(w->commune, k[i].commune) == 0)
				web_buf_put(b, " selected");
			web_buf_put(b, ">");
			web_html_esc(b, k[i].commune);
			web_buf_put(b, "</option>");
		}
		web_buf_put(b, "</select></label>");
		for (i = 0; i < n; i++)
			server_kiosk_free(&k[i]);
		free(k);
	}
	web_buf_printf(b, "<button type=\"submit\">%s</button></form>",
	    W(w, "Xem", "Show"));
}

static void
security_headers(struct web *w)
{
	/* Nothing from elsewhere, no script, no framing. */
	server_reply_header(w->rep, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'self'; img-src 'self' data:; form-action 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'");
	server_reply_header(w->rep, "X-Content-Type-Options", "nosniff");
	server_reply_header(w->rep, "Referrer-Policy", "same-origin");
	server_reply_header(w->rep, "Cache-Control", "no-store");
}

void
web_html_reply(struct web *w, struct web_buf *b, int status)
{
	free(w->rep->body);
	w->rep->status = status;
	w->rep->body = web_buf_take(b, &w->rep->len);
	w->rep->content_type = "text/html; charset=utf-8";
	security_headers(w);
}

void
web_html_error(struct web *w, int status, const char *message)
{
	struct web_buf b = { 0 };

	web_html_begin(w, &b, status == 403 ? W(w, "Không được phép", "Forbidden") :
	    status == 404 ? W(w, "Không có trang này", "Not found") :
	    W(w, "Có lỗi", "Something went wrong"), "");
	web_buf_put(&b, "<p class=\"error\">");
	web_html_esc(&b, message);
	web_buf_printf(&b, "</p><p><a href=\"/overview\">%s</a></p>",
	    W(w, "Về trang tổng quan", "Back to the overview"));
	web_html_end(w, &b);
	web_html_reply(w, &b, status);
}

void
web_log_failed(const char *what, char *cause)
{
	char *esc = server_log_escape(cause, cause != NULL ? strlen(cause) : 0, 0);

	server_log(SERVER_LOG_ERR, "sotay-server: %s: %s", what, esc);
	free(esc);
	free(cause);
}

void
web_html_failed(struct web *w, const char *what, char *cause, const char *message)
{
	web_log_failed(what, cause);
	web_html_error(w, 500, message);
}

void
web_html_redirect(struct web *w, const char *to)
{
	free(w->rep->body);
	w->rep->body = NULL;
	w->rep->len = 0;
	w->rep->status = 303;
	server_reply_header(w->rep, "Location", to);
	server_reply_header(w->rep, "Cache-Control", "no-store");
}

static const char css[] =
	":root{--ink:#1d2a33;--muted:#5b6b76;--line:#d5dde2;--bg:#f6f8f9;"
	"--a:#1f6f8b;--b:#2e9e6a;--warn:#b3261e;--warnbg:#fdecea}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'Noto Sans',Arial,sans-serif;color:var(--ink);background:var(--bg)}"
	"header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;"
	"padding:.6rem 1rem;background:#fff;border-bottom:1px solid var(--line)}"
	".brand{font-weight:700;color:var(--a);text-decoration:none;font-size:1.15rem}"
	"nav{display:flex;flex-wrap:wrap;gap:.25rem .9rem;flex:1}"
	"nav a{color:var(--ink);text-decoration:none;padding:.2rem 0}"
	"nav a.here{border-bottom:3px solid var(--a);font-weight:600}"
	".who{display:flex;align-items:center;gap:.6rem;font-size:.92rem;color:var(--muted)}"
	".inline{display:inline}"
	"button{font:inherit;padding:.35rem .8rem;border:1px solid var(--a);"
	"background:var(--a);color:#fff;border-radius:4px;cursor:pointer}"
	".who button{background:#fff;color:var(--a)}"
	"main{max-width:70rem;margin:0 auto;padding:1rem}"
	"h1{font-size:1.4rem;margin:.3rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));"
	"gap:.7rem;margin-bottom:1rem}"
	".card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.7rem}"
	".card b{display:block;font-size:1.6rem}.card span{color:var(--muted);font-size:.9rem}"
	"form.range{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;"
	"background:#fff;border:1px solid var(--line);border-radius:6px;padding:.7rem;"
	"margin-bottom:1rem}"
	"label{display:flex;flex-direction:column;font-size:.9rem;color:var(--muted)}"
	"input,select{font:inherit;padding:.3rem;border:1px solid var(--line);"
	"border-radius:4px;color:var(--ink);min-width:9rem}"
	".table{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:6px}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{padding:.4rem .6rem;border-bottom:1px solid var(--line);text-align:left;"
	"vertical-align:top}"
	"th{background:#eef2f4;font-weight:600;font-size:.9rem}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"td.empty{color:var(--muted);text-align:center;padding:1rem .6rem}"
	"tr.warn td{background:var(--warnbg)}.mark{color:var(--warn);font-weight:600}"
	".chart{background:#fff;border:1px solid var(--line);border-radius:6px;"
	"padding:.5rem;margin-bottom:1rem}"
	".chart svg{width:100%;height:auto;display:block}"
	".chart .t{font-weight:600;margin:0 0 .3rem}"
	".legend{font-size:.85rem;color:var(--muted)}"
	".legend i{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;"
	"vertical-align:middle}.legend i.a{background:#1f6f8b}.legend i.b{background:#2e9e6a}"
	"figure{margin:0 0 1rem}"
	".downloads{margin:.5rem 0 1rem}.downloads a{margin-right:1rem}"
	".error{color:var(--warn);background:var(--warnbg);padding:.6rem;border-radius:4px}"
	".notice{background:#e7f5ee;padding:.6rem;border-radius:4px}"
	".login-box{max-width:22rem;margin:3rem auto;background:#fff;border:1px solid "
	"var(--line);border-radius:6px;padding:1.2rem}"
	".login-box label{margin-bottom:.8rem}.login-box input{width:100%}"
	"footer{color:var(--muted);font-size:.85rem;text-align:center;padding:1.5rem}"
	"a{color:var(--a)}"
	"@media (max-width:40rem){main{padding:.6rem}.card b{font-size:1.3rem}"
	"th,td{padding:.3rem .4rem;font-size:.9rem}}";

void
web_html_css(struct web *w)
{
	free(w->rep->body);
	w->rep->status = 200;
	w->rep->body = xstrdup(css);
	w->rep->len = sizeof css - 1;
	w->rep->content_type = "text/css; charset=utf-8";
	server_reply_header(w->rep, "Cache-Control", "max-age=3600");
	server_reply_header(w->rep, "X-Content-Type-Options", "nosniff");
}
