/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-api.c: the handlers of sync/PROTOCOL.md — who may call what, what
 * each path answers, and which error each failure becomes. Bodies come in
 * already gunzipped and bounded (server-http.c); the wire formats are in
 * sync/protocol.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "i18n.h"
#include "util.h"
#include "protocol.h"
#include "server.h"
#include "server-ingest.h"

#define TOKEN_MAX 256

static void kiosk_status(struct server_ctx *, const struct server_kiosk *,
    const struct protocol_kiosk_status *, int64_t);

void
server_api_hash_token(const char *token, unsigned char out[SERVER_HASH_LEN])
{
	crypto_generichash(out, SERVER_HASH_LEN, (const unsigned char *)token,
	    strlen(token), NULL, 0);
}

void
server_api_error(struct server_reply *rep, enum protocol_error e, const char *message)
{
	free(rep->body);
	rep->status = protocol_error_status(e);
	rep->body = protocol_error_encode(e, message);
	rep->len = strlen(rep->body);
	rep->content_type = PROTOCOL_CONTENT_TYPE;
}

void
server_reply_header(struct server_reply *rep, const char *name, const char *value)
{
	if (rep->nheaders == SERVER_REPLY_HEADERS)
		return;
	rep->headers[rep->nheaders].name = name;
	rep->headers[rep->nheaders++].value = xstrdup(value);
}

void
server_reply_free(struct server_reply *rep)
{
	free(rep->body);
	rep->body = NULL;
	while (rep->nheaders > 0)
		free(rep->headers[--rep->nheaders].value);
}

static void
reply_json(struct server_reply *rep, char *body)
{
	free(rep->body);
	rep->status = 200;
	rep->body = body;
	rep->len = strlen(body);
	rep->content_type = PROTOCOL_CONTENT_TYPE;
}

static void
internal(struct server_reply *rep, const char *what, int rc, char *cause)
{
	int busy = rc == SERVER_STORE_BUSY;

	char *esc = server_log_escape(cause, cause != NULL ? strlen(cause) : 0, 0);

	/* The details go to the log; the kiosk learns only that it may retry. */
	server_log(SERVER_LOG_ERR, "sotay-server: %s: %s", what, esc);
	free(esc);
	if (busy) {
		server_api_error(rep, PROTOCOL_E_UNAVAILABLE, _("Máy chủ đang bận; hãy "
		    "thử lại sau ít phút."));
		rep->retry_after = 5;
	} else
		server_api_error(rep, PROTOCOL_E_INTERNAL, _("Máy chủ gặp lỗi; yêu cầu "
		    "này chưa được lưu. Hãy thử lại sau."));
	free(cause);
}

/* The token of "Authorization: Bearer TOKEN", or NULL. */
static const char *
bearer(const struct server_request *req)
{
	const char *a = req->authorization, *t;

	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0)
		return NULL;
	for (t = a + 7; *t == ' '; t++)
		;
	if (*t == '\0' || strlen(t) > TOKEN_MAX)
		return NULL;
	return t;
}

/* Finds the kiosk of the request's token; 0 if found, else rep is set. */
static int
auth_kiosk(struct server_ctx *ctx, const struct server_request *req,
    struct server_kiosk *k, struct server_reply *rep)
{
	const char	*token = bearer(req);
	unsigned char	 h[SERVER_HASH_LEN];
	char		*cause = NULL;
	int		 found, rc;

	memset(k, 0, sizeof *k);
	if (token == NULL) {
		server_api_error(rep, PROTOCOL_E_UNAUTHORIZED, _("Thiếu mã truy cập "
		    "(Authorization: Bearer …); hãy đăng ký trạm với máy chủ."));
		return -1;
	}
	server_api_hash_token(token, h);
	if ((rc = server_store_kiosk_by_token(ctx->store, h, k, &found, &cause)) != 0) {
		internal(rep, "auth", rc, cause);
		return -1;
	}
	if (found == 1) {
		snprintf(rep->kiosk, sizeof rep->kiosk, "%s", k->id);
		return 0;
	}
	if (found == -1)
		server_api_error(rep, PROTOCOL_E_UNAUTHORIZED, _("Mã truy cập của trạm "
		    "này đã bị thu hồi; hãy xin mã mới và đăng ký lại."));
	else
		server_api_error(rep, PROTOCOL_E_UNAUTHORIZED, _("Mã truy cập không "
		    "đúng; hãy kiểm tra mã hoặc đăng ký lại."));
	return -1;
}

/*
 * 200 while the database takes writes; 503 after an upload's write failed
 * (a full or damaged disk), until one succeeds again, and while PostgreSQL
 * cannot be reached (every kiosk then gets 503 "busy", which sets no
 * failed write): a load balancer or a monitor sees what every kiosk would.
 */
static void
get_health(struct server_ctx *ctx, struct server_reply *rep)
{
	char	*cause = NULL, *esc;

	if (server_store_ping(ctx->store, &cause) != 0) {
		esc = server_log_escape(cause, cause != NULL ? strlen(cause) : 0, 0);
		server_log(SERVER_LOG_ERR, "sotay-server: health: %s", esc);
		free(esc);
		free(cause);
		server_api_error(rep, PROTOCOL_E_UNAVAILABLE, _("Máy chủ không kết nối được "
		    "cơ sở dữ liệu của nó; xem nhật ký của máy chủ."));
		rep->retry_after = 5;
	} else if (atomic_load(&ctx->write_failed))
		server_api_error(rep, PROTOCOL_E_UNAVAILABLE, _("Cơ sở dữ liệu của máy chủ "
		    "không ghi được ở lần tải lên gần nhất (đĩa đầy hoặc hỏng?); xem nhật ký "
		    "của máy chủ."));
	else
		reply_json(rep, protocol_health_encode(util_now_ms()));
}

/* A header's seq: decimal digits, 1…PROTOCOL_MAX_INT; 0 if it is not one. */
static int64_t
seq_header(const char *v)
{
	int64_t n = 0;

	if (*v == '\0' || strlen(v) > 16)
		return 0;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9')
			return 0;
		n = n * 10 + (*v - '0');
	}
	return n <= PROTOCOL_MAX_INT ? n : 0;
}

static void
get_kiosk(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	struct server_kiosk	k;
	struct protocol_kiosk	pk;
	char			*cause = NULL, install[PROTOCOL_ID_LEN];
	int64_t			 first = 0;
	int			 bound, rc;
	size_t			 i;

	if (auth_kiosk(ctx, req, &k, rep) != 0)
		return;
	/*
	 * A token enrols one machine: the first install id to come with it is
	 * kept, and only that one is answered after. Without one (a kiosk from
	 * before install ids) the answer is as before, while nobody holds it.
	 */
	if (req->install != NULL) {
		if (!protocol_is_uuid(req->install)) {
			server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("Tiêu đề "
			    "Sotay-Install phải là một UUID (mã máy do trạm tạo)."));
			goto out;
		}
		if (req->first_seq != NULL && (first = seq_header(req->first_seq)) == 0) {
			server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("Tiêu đề "
			    "Sotay-First-Seq phải là một số nguyên từ 1 đến 9007199254740991."));
			goto out;
		}
		for (i = 0; i < sizeof install - 1; i++)
			install[i] = (char)tolower((unsigned char)req->install[i]);
		install[i] = '\0';
		if ((rc = server_store_kiosk_bind(ctx->store, k.id, install, &bound,
		    &cause)) != 0 || (bound && first > 1 &&
		    (rc = server_store_kiosk_start(ctx->store, k.id, first, &cause)) != 0)) {
			internal(rep, "enrol", rc, cause);
			goto out;
		}
	} else
		bound = *k.install == '\0';
	if (!bound) {
		server_api_error(rep, PROTOCOL_E_CONFLICT, _("Mã này đã được một máy khác "
		    "dùng để ghi danh; mỗi mã chỉ dành cho một máy. Hãy xin tỉnh mã mới "
		    "(sotay-server kiosk token MÃ-TRẠM)."));
		goto out;
	}
	pk.kiosk = k.id;
	pk.province = k.province;
	pk.commune = k.commune;
	pk.hamlet = k.hamlet;
	pk.name = k.name;
	reply_json(rep, protocol_kiosk_encode(&pk));
out:
	server_kiosk_free(&k);
}

static void
post_events_version(int version, struct server_ctx *ctx,
    const struct server_request *req, struct server_reply *rep)
{
	struct server_kiosk	 k;
	struct protocol_batch	 b;
	struct protocol_ack	 ack;
	enum protocol_error	 err;
	char			*cause = NULL, *msg;
	int			 rc;

	if (auth_kiosk(ctx, req, &k, rep) != 0)
		return;
	if (protocol_batch_decode_version(version, req->body, req->len, &b, &err,
	    &cause) != 0) {
		server_api_error(rep, err, cause);
		free(cause);
		goto out_batch;
	}
	rep->events = (int)b.n;
	if (strcmp(b.kiosk, k.id) != 0) {
		msg = xasprintf(_("Lô này ghi trạm \"%s\" nhưng mã truy cập là của trạm "
		    "\"%s\"; một trạm chỉ gửi được sự kiện của chính nó."), b.kiosk, k.id);
		server_api_error(rep, PROTOCOL_E_FORBIDDEN, msg);
		free(msg);
		goto out_batch;
	}
	if ((rc = server_ingest_batch(ctx->store, &k, &b, &ack, &cause)) != 0) {
		/* Busy is not broken: /v1/health turns 503 only on a failed write. */
		if (rc != SERVER_STORE_BUSY)
			atomic_store(&ctx->write_failed, 1);
		internal(rep, "events", rc, cause);
		goto out_batch;
	}
	atomic_store(&ctx->write_failed, 0);
	reply_json(rep, protocol_ack_encode(&ack));
	if (b.status.present)
		kiosk_status(ctx, &k, &b.status, ack.accepted + ack.duplicates);
	protocol_ack_free(&ack);
out_batch:
	protocol_batch_free(&b);
	server_kiosk_free(&k);
}

static void
post_events(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	post_events_version(1, ctx, req, rep);
}

/* The compact batch of a kiosk from version 2 on; the same acknowledgement. */
static void
post_events_v2(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	post_events_version(2, ctx, req, rep);
}

/*
 * Keeps what the kiosk said of itself, for the province's list of kiosks;
 * held is how many of the batch's events the server now holds (accepted or
 * had already), which the kiosk counted as waiting when it sent them.
 * Its clock offset is measured here: the server's clock now minus the
 * kiosk's as it sent (the upload's own time is small beside the 5 minutes
 * that matter). A failure only loses the status, never the events.
 */
static void
kiosk_status(struct server_ctx *ctx, const struct server_kiosk *k,
    const struct protocol_kiosk_status *ps, int64_t held)
{
	struct server_kiosk_status	 ks;
	char				*cause = NULL;

	memset(&ks, 0, sizeof ks);
	ks.kiosk = k->id;
	ks.at = util_now_ms();
	/* What still waits once this reply is in: the batch's held events are not. */
	ks.pending = ps->pending > held ? ps->pending - held : 0;
	ks.content_version = ps->content_version;
	ks.program_version = (char *)ps->program_version;
	ks.clock_offset = ks.at - ps->clock;
	if (server_store_kiosk_status_set(ctx->store, &ks, &cause) != 0) {
		/* A log line like the others: its priority, on one line. */
		char *esc = server_log_escape(cause, cause != NULL ? strlen(cause) : 0, 0);

		server_log(SERVER_LOG_WARNING, "sotay-server: kiosk status: %s", esc);
		free(esc);
		free(cause);
	}
}

/* Parses a non-negative integer; -1 if s is not one. */
static int64_t
parse_count(const char *s)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return -1;
	return v;
}

/* 1 if an If-None-Match header names version v ("V", W/"V" or *). */
static int
etag_matches(const char *inm, int64_t v)
{
	char	 want[32];
	char	*copy, *tok, *save;
	int	 hit = 0;

	if (inm == NULL)
		return 0;
	snprintf(want, sizeof want, "\"%lld\"", (long long)v);
	copy = xstrdup(inm);
	for (tok = strtok_r(copy, ", ", &save); tok != NULL && !hit;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (strncmp(tok, "W/", 2) == 0)
			tok += 2;
		if (strcmp(tok, want) == 0 || strcmp(tok, "*") == 0)
			hit = 1;
	}
	free(copy);
	return hit;
}

static void
get_content(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	struct server_kiosk	  k;
	char			**jsons = NULL, *cause = NULL, *body;
	size_t			  n = 0, i;
	int64_t			  since = 0, version;
	int			  rc;

	if (auth_kiosk(ctx, req, &k, rep) != 0)
		return;
	server_kiosk_free(&k);
	if (req->since != NULL && (since = parse_count(req->since)) < 0) {
		server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("since: phải là số "
		    "nguyên ≥ 0 (phiên bản danh mục)."));
		return;
	}
	if ((rc = server_store_content_since(ctx->store, since, &version, &jsons, &n,
	    &cause)) != 0) {
		internal(rep, "content", rc, cause);
		return;
	}
	snprintf(rep->etag, sizeof rep->etag, "\"%lld\"", (long long)version);
	if (etag_matches(req->if_none_match, version)) {
		rep->status = 304;
		rep->body = NULL;
		rep->len = 0;
	} else if (protocol_content_encode(version, (const char *const *)jsons, n,
	    &body, &cause) != 0)
		internal(rep, "content", SERVER_STORE_FAIL, cause);
	else
		reply_json(rep, body);
	for (i = 0; i < n; i++)
		free(jsons[i]);
	free(jsons);
}

/* Reports need the admin token; a kiosk's token gets 403, anything else 401. */
static int
auth_admin(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	const char		*token = bearer(req);
	unsigned char		 h[SERVER_HASH_LEN];
	struct server_kiosk	 k;
	char			*cause = NULL;
	int			 found, rc;

	if (token == NULL) {
		server_api_error(rep, PROTOCOL_E_UNAUTHORIZED, _("Báo cáo cần mã quản "
		    "trị (Authorization: Bearer …)."));
		return -1;
	}
	server_api_hash_token(token, h);
	if (ctx->have_admin && sodium_memcmp(h, ctx->admin_hash, sizeof h) == 0)
		return 0;
	if ((rc = server_store_kiosk_by_token(ctx->store, h, &k, &found, &cause)) != 0) {
		internal(rep, "auth", rc, cause);
		return -1;
	}
	if (found == 1) {
		server_kiosk_free(&k);
		server_api_error(rep, PROTOCOL_E_FORBIDDEN, _("Mã của một trạm không "
		    "xem được báo cáo; cần mã quản trị."));
		return -1;
	}
	server_api_error(rep, PROTOCOL_E_UNAUTHORIZED, ctx->have_admin ?
	    _("Mã quản trị không đúng.") :
	    _("Máy chủ chưa đặt mã quản trị (--admin-token-file hoặc "
	    "SOTAY_ADMIN_TOKEN)."));
	return -1;
}

static void
get_reports(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	struct server_report	 r;
	char			*cause = NULL, *msg;
	int			 by, csv = 0, rc;
	int64_t			 from = 0, to = INT64_MAX;

	if (auth_admin(ctx, req, rep) != 0)
		return;
	if (req->by == NULL || (by = server_report_parse_by(req->by)) < 0) {
		msg = xasprintf(_("by: phải là một trong province, commune, hamlet, checklist, "
		    "category, day, reason (đang là \"%s\")."),
		    req->by != NULL ? req->by : "");
		server_api_error(rep, PROTOCOL_E_BAD_REQUEST, msg);
		free(msg);
		return;
	}
	if (req->from != NULL && (from = util_parse_date(req->from)) < 0) {
		server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("from: phải là một ngày "
		    "có thật, dạng YYYY-MM-DD."));
		return;
	}
	if (req->to != NULL && (to = util_parse_date(req->to)) < 0) {
		server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("to: phải là một ngày "
		    "có thật, dạng YYYY-MM-DD."));
		return;
	}
	/* A range that holds no day is a mistake (dates swapped, or to taken as
	 * the last day counted), not an empty report. */
	if (to <= from) {
		server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("to: phải sau from (to là "
		    "ngày đầu tiên không tính: một ngày D là from=D&to=D+1)."));
		return;
	}
	if (req->format != NULL && strcmp(req->format, "csv") == 0)
		csv = 1;
	else if (req->format != NULL && strcmp(req->format, "json") != 0) {
		server_api_error(rep, PROTOCOL_E_BAD_REQUEST, _("format: phải là json "
		    "hoặc csv."));
		return;
	}
	if ((rc = server_store_report(ctx->store, (enum server_report_by)by, from, to,
	    &r, &cause)) != 0) {
		internal(rep, "report", rc, cause);
		return;
	}
	if (csv) {
		reply_json(rep, server_report_csv(&r));
		rep->content_type = "text/csv; charset=utf-8";
	} else
		reply_json(rep, server_report_json(&r, req->from, req->to));
	server_report_free(&r);
}

static const struct route {
	const char	*path;
	const char	*method;
	void		(*fn)(struct server_ctx *, const struct server_request *,
			    struct server_reply *);
} routes[] = {
	{ PROTOCOL_PATH_KIOSK, "GET", get_kiosk },
	{ PROTOCOL_PATH_EVENTS, "POST", post_events },
	{ PROTOCOL_PATH_EVENTS_V2, "POST", post_events_v2 },
	{ PROTOCOL_PATH_CONTENT, "GET", get_content },
	{ PROTOCOL_PATH_REPORTS, "GET", get_reports },
};

void
server_api_handle(struct server_ctx *ctx, const struct server_request *req,
    struct server_reply *rep)
{
	size_t i;

	if (strcmp(req->path, PROTOCOL_PATH_HEALTH) == 0) {
		if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
			get_health(ctx, rep);
		else
			server_api_error(rep, PROTOCOL_E_METHOD_NOT_ALLOWED,
			    _("Đường dẫn này chỉ nhận GET."));
		return;
	}
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strcmp(req->path, routes[i].path) != 0)
			continue;
		if (strcmp(req->method, routes[i].method) != 0) {
			char *msg = xasprintf(_("%s chỉ nhận %s."),
			    routes[i].path, routes[i].method);

			server_api_error(rep, PROTOCOL_E_METHOD_NOT_ALLOWED, msg);
			free(msg);
			return;
		}
		routes[i].fn(ctx, req, rep);
		return;
	}
	server_api_error(rep, PROTOCOL_E_NOT_FOUND, _("Không có đường dẫn này; các "
	    "đường dẫn bắt đầu bằng /v1/."));
}
