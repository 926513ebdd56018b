/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web.h: how the parts of the officers' dashboard meet. web-route.c takes
 * every request outside /v1/ (server_web_handle), finds the officer's
 * session (web-session.c), checks the CSRF token of every form and what
 * the officer may see, then calls a page: the reports (web-pages.c, which
 * names checklists, steps and reasons through web-names.c) or the kiosks,
 * conflicts and accounts (web-admin.c). Pages write HTML through
 * web-html.c (every value escaped there), charts through web-svg.c and
 * downloads through web-csv.c.
 */
#ifndef SOTAY_WEB_H
#define SOTAY_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "server.h"

#define WEB_COOKIE_SESSION	"sotay_session"
#define WEB_COOKIE_LOGIN_CSRF	"sotay_login"	/* the login form's token */
#define WEB_COOKIE_LANG		"sotay_lang"
#define WEB_TOKEN_LEN		44	/* base64url of 32 bytes, with its NUL */
#define WEB_SESSION_MS		(12LL * 3600 * 1000)
#define WEB_DAY_MS		(24LL * 3600 * 1000)
#define WEB_SILENT_MS		(7 * WEB_DAY_MS)	/* a kiosk this quiet is marked */
#define WEB_CLOCK_OFF_MS	(5 * 60 * 1000)		/* a clock this far off is marked */

/* A growing text. */
struct web_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};
void	 web_buf_put(struct web_buf *, const char *);
void	 web_buf_putn(struct web_buf *, const char *, size_t);
void	 web_buf_printf(struct web_buf *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* The text, handed over (malloc'd; the buffer is empty after). */
char	*web_buf_take(struct web_buf *, size_t *len);

/* One request as the pages see it. */
struct web {
	struct server_ctx		*ctx;
	const struct server_request	*req;
	struct server_reply		*rep;
	int				 en;		/* English, else Vietnamese */
	struct server_user		 user;		/* the officer logged in */
	char				 csrf[WEB_TOKEN_LEN];
	struct server_scope		 scope;		/* what may be shown */
	const char			*commune;	/* ?commune=, checked; NULL all */
	int64_t				 from, to;	/* ms, [from, to) */
	char				 from_s[11], to_s[11];	/* days, inclusive */
};
#define W(w, vi_, en_) ((w)->en ? (en_) : (vi_))

/* web-session.c: sessions, CSRF, cookies and forms. */
int	 web_session_find(struct web *);	/* 1 logged in, 0 not, -1 failed */
int	 web_session_start(struct web *, const char *login);
void	 web_session_end(struct web *);
/* 1 when the request's form carries this session's CSRF token. */
int	 web_session_csrf_ok(struct web *, const char *given);
/* The value of cookie name from the Cookie header (malloc'd) or NULL. */
char	*web_session_cookie(const struct web *, const char *name);
/* The value of key in an application/x-www-form-urlencoded body (malloc'd,
 * decoded) or NULL. */
char	*web_session_form(const char *body, const char *key);
/* A new random token, base64url. */
void	 web_session_token(char out[WEB_TOKEN_LEN]);

/* web-html.c: pages. Everything from a kiosk or an officer goes through
 * web_html_esc. */
void	 web_html_esc(struct web_buf *, const char *);
void	 web_html_begin(struct web *, struct web_buf *, const char *title,
	     const char *path);
void	 web_html_end(struct web *, struct web_buf *);
/* The date range and commune form of a report page, and its CSV links. */
void	 web_html_range(struct web *, struct web_buf *, const char *path);
/* A link to path carrying the page's range and commune (escaped). */
void	 web_html_link(struct web *, struct web_buf *, const char *path,
	     const char *extra);
void	 web_html_csrf(struct web *, struct web_buf *);	/* the hidden field */
/* Sends b as the page with status. */
void	 web_html_reply(struct web *, struct web_buf *, int status);
/* A whole page saying what went wrong. */
void	 web_html_error(struct web *, int status, const char *message);
/*
 * The database failed: the server's log says "sotay-server: what: cause"
 * (cause is freed; NULL logs "?"), the officer gets message in a 500 page.
 */
void	 web_html_failed(struct web *, const char *what, char *cause, const char *message);
/* A failure the officer is not shown: a log line with its priority; frees cause. */
void	 web_log_failed(const char *what, char *cause);
void	 web_html_redirect(struct web *, const char *to);
/* s percent-encoded for a query argument or a file name (malloc'd). */
char	*web_html_url_escape(const char *s);
/* The stylesheet, served at /style.css. */
void	 web_html_css(struct web *);
/* A number with thousands separators, in the page's language. */
void	 web_html_num(struct web *, struct web_buf *, int64_t);
/* "YYYY-MM-DD HH:MM" local time, or "—" for 0. */
void	 web_html_time(struct web_buf *, int64_t ms);

/* web-svg.c: bar charts as inline SVG. */
struct web_bar {
	const char	*label;
	int64_t		 a;		/* the bar */
	int64_t		 b;		/* drawn inside it (b ≤ a), or -1 */
};
void	 web_svg_bars(struct web_buf *, const char *title, const char *legend_a,
	     const char *legend_b, const struct web_bar *, size_t n, int columns);

/* web-csv.c: downloads that open right in Excel (UTF-8 with BOM, CRLF). */
void	 web_csv_begin(struct web_buf *);
void	 web_csv_cell(struct web_buf *, const char *);
void	 web_csv_int(struct web_buf *, int64_t);
void	 web_csv_row_end(struct web_buf *);
/* Sends b as name-FROM-TO.csv (the page's range; the commune, when the
 * figures are one commune's, in the name too): a download says what it holds. */
void	 web_csv_reply(struct web *, struct web_buf *, const char *name);

/* web-pages.c: the reports. */
void	 web_pages_overview(struct web *);
void	 web_pages_communes(struct web *, int csv_hamlets, int csv);
void	 web_pages_checklists(struct web *, int csv);
void	 web_pages_blocked(struct web *, int csv);
/* The five basic digital skills' names. */
const char *web_pages_skill(struct web *, const char *category);

/* web-names.c: the titles and reasons (in the page's language) of the
 * checklists published, for the ids a report holds. */
struct checklist;
struct web_names {
	struct checklist	**c;
	size_t			  n;
};
/* Every checklist published; none when they cannot be read (said in the log). */
void	 web_names_load(struct web *, struct web_names *);
void	 web_names_free(struct web_names *);
/* The name for an id, or the id itself when no checklist has it. */
const char *web_names_checklist(const struct web *, const struct web_names *,
	     const char *checklist);
const char *web_names_step(const struct web *, const struct web_names *,
	     const char *checklist, const char *step);
/* A suggested reason's words; a reason typed by hand as it was typed. */
const char *web_names_reason(const struct web *, const struct web_names *,
	     const char *checklist, const char *reason);

/* web-admin.c: kiosks, conflicts, accounts. */
void	 web_admin_kiosks(struct web *);
void	 web_admin_conflicts(struct web *);
/* The accounts page with status: what was done (notice, green) and what
 * was refused or needs a look (warning, red); either may be NULL. */
void	 web_admin_accounts(struct web *, int status, const char *notice,
	     const char *warning);
void	 web_admin_account_post(struct web *, const char *action);
/* Every kiosk the officer may see (by scope); free with server_kiosk_free. */
int	 web_admin_kiosks_in_scope(struct web *, struct server_kiosk **, size_t *);

/* web-route.c */
/* Writes the audit log for this request's officer. */
void	 web_route_audit(struct web *, const char *action, const char *detail);

#endif
