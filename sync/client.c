/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.c: the kiosk's sync client (see client.h and sync/PROTOCOL.md).
 *
 * One libcurl handle carries every request of a sync, so a slow link pays
 * for one connection (and one TLS handshake), not one per batch. Replies
 * are read into memory with a hard ceiling, then parsed by the shared
 * protocol helpers, which refuse anything without the exact `ok` value.
 * The outbox is touched in exactly two places: store_events_ack() with the
 * held_seq of a valid acknowledgement, and store_events_rebase() when that
 * acknowledgement refuses an event because its seq is held under another id
 * (the kiosk was restored from an old backup): the pending events are
 * renumbered after the server's max_seq and sent again in the same sync.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <netinet/in.h>

#include <curl/curl.h>

#include "build-info.h"
#include "client.h"
#include "content.h"
#include "content-store.h"
#include "i18n.h"
#include "protocol.h"
#include "store.h"
#include "sync-output.h"
#include "sync-state.h"
#include "util.h"

#define CLIENT_BATCH_FIRST	200
#define CLIENT_BATCH_MIN	10		/* shrinking for slowness stops here (413 goes to 1) */
#define CLIENT_FAST_MS		2000		/* a batch acknowledged quicker than this grows */
#define CLIENT_SLOW_MS		10000		/* a batch slower than this shrinks */
#define CLIENT_MAX_SMALL_REPLY	(1024 * 1024)	/* ack, kiosk, error bodies */
#define CLIENT_CONNECT_MS	15000
#define CLIENT_TIMEOUT_MS	90000
#define CLIENT_MAX_RETRY_AFTER	86400
#define CLIENT_MAX_REBASES	4		/* a sync renumbers at most this often */

const char *
client_status_id(enum client_status s)
{
	switch (s) {
	case CLIENT_DONE:		return SYNC_OUTPUT_DONE;
	case CLIENT_OFFLINE:		return "offline";
	case CLIENT_REFUSED:		return "refused";
	case CLIENT_SERVER_ERROR:	return "server_error";
	case CLIENT_LOCAL:		return "local";
	case CLIENT_CANCELLED:		return "cancelled";
	}
	return "unknown";
}

/* ---- HTTP ---------------------------------------------------------- */

/* What one sync (or enrolment) talks to, and with what. */
struct conn {
	CURL		*curl;
	char		*base;		/* URL without a trailing slash */
	const char	*token;
	const char	*ca_file;
	const char	*install;	/* sent as PROTOCOL_HEADER_INSTALL; NULL: not sent */
	int64_t		 first_seq;	/* sent as PROTOCOL_HEADER_FIRST_SEQ; 0: not sent */
	long		 connect_ms;
	long		 timeout_ms;
	atomic_int	*cancel;
	int64_t		 bytes;		/* bodies on the wire, both ways */
	int		 poll_s;	/* the server's PROTOCOL_HEADER_POLL; 0: none */
};

struct reply {
	long	 status;
	char	*body;		/* NUL-terminated; decoded if it came gzipped */
	size_t	 len;
	size_t	 max;
	int	 too_large;
	int	 retry_after;
	char	*content_type;	/* may be NULL */
};

static void
reply_free(struct reply *r)
{
	free(r->body);
	free(r->content_type);
	memset(r, 0, sizeof *r);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void
curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct reply	*r = arg;
	size_t		 len = size * n;

	if (len > r->max - r->len) {
		r->too_large = 1;
		return 0;	/* makes curl stop with CURLE_WRITE_ERROR */
	}
	r->body = xrealloc(r->body, r->len + len + 1);
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	atomic_int *cancel = arg;

	return cancel != NULL && atomic_load(cancel) != 0;
}

static long
clamp(long v, long def, long lo, long hi)
{
	if (v <= 0)
		return def;
	return v < lo ? lo : v > hi ? hi : v;
}

/* A token goes into a header: printable ASCII without spaces, or nothing. */
static int
token_ok(const char *t)
{
	if (t == NULL || *t == '\0' || strlen(t) > 512)
		return 0;
	for (; *t != '\0'; t++)
		if (!isgraph((unsigned char)*t))
			return 0;
	return 1;
}

static int insecure_http_allowed;

void
client_allow_insecure_http(int allow)
{
	insecure_http_allowed = allow != 0;
}

/* 1 if host (as libcurl gives it: "[::1]" for IPv6) is this machine. */
static int
host_is_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 h[64];
	size_t		 n = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && n < sizeof h + 2 && host[0] == '[' && host[n - 1] == ']') {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
		return inet_pton(AF_INET6, h, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
	}
	return 0;
}

/*
 * Checks url is http(s)://host[:port][/path] and returns it without a
 * trailing slash. Plain http carries the kiosk's token in clear, so it is
 * refused but to this machine or where the config says allow_insecure_http.
 */
static char *
url_normalise(const char *url, char **cause)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *out;
	size_t	 len;
	int	 ok, clear = 0;

	u = curl_url();
	if (u == NULL)
		return (fail(cause, "%s", _("Hết bộ nhớ.")), NULL);
	ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    (strcmp(scheme, "https") == 0 || strcmp(scheme, "http") == 0);
	if (ok && strcmp(scheme, "http") == 0 && !host_is_loopback(host) &&
	    !insecure_http_allowed)
		clear = 1;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	if (!ok || strchr(url, '?') != NULL || strchr(url, '#') != NULL) {
		fail(cause, _("Địa chỉ máy chủ \"%s\" không hợp lệ: cần dạng "
		    "https://tên-máy[:cổng], ví dụ https://sotay.quangngai.gov.vn."), url);
		return NULL;
	}
	if (clear) {
		fail(cause, _("Địa chỉ máy chủ \"%s\" dùng http://, sẽ gửi mã của máy đi không mã "
		    "hóa: hãy dùng https://. (Chỉ cho máy thử nghiệm: đặt allow_insecure_http = yes "
		    "trong tệp cấu hình.)"), url);
		return NULL;
	}
	out = xstrdup(url);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
	return out;
}

static int
conn_open(struct conn *c, const char *url, const char *token, const char *ca_file,
    const struct client_opts *o, char **cause)
{
	memset(c, 0, sizeof *c);
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return fail(cause, _("Không khởi động được libcurl (%s)."), curl_easy_strerror(curl_init_rc));
	if ((c->base = url_normalise(url, cause)) == NULL)
		return -1;
	c->curl = curl_easy_init();
	if (c->curl == NULL) {
		free(c->base);
		return fail(cause, "%s", _("Không khởi động được libcurl."));
	}
	c->token = token;
	c->ca_file = ca_file;
	c->connect_ms = clamp(o ? o->connect_timeout_ms : 0, CLIENT_CONNECT_MS, 100, 120000);
	c->timeout_ms = clamp(o ? o->timeout_ms : 0, CLIENT_TIMEOUT_MS, 200, 600000);
	c->cancel = o ? o->cancel : NULL;
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c->base);
	memset(c, 0, sizeof *c);
}

/*
 * Turns a transfer that did not complete into a status and a message.
 * Network trouble is OFFLINE (try again later); a certificate that does not
 * verify or a reply over the ceiling is the server's side.
 */
/*
 * Why a transfer failed, in the user's words: libcurl's own text is English,
 * so the usual causes are said here; libcurl's text only for the rare rest.
 */
static const char *
transport_reason(CURLcode rc, const char *errbuf)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return _("không tìm ra tên máy chủ: mạng chưa nối hoặc địa chỉ sai");
	case CURLE_COULDNT_CONNECT:
		return _("máy chủ không nhận kết nối");
	case CURLE_OPERATION_TIMEDOUT:
		return _("quá thời gian chờ");
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return _("kết nối bị ngắt giữa chừng");
	case CURLE_SSL_CONNECT_ERROR:
		return _("không lập được kết nối mã hóa");
	case CURLE_PEER_FAILED_VERIFICATION:
		return _("chứng chỉ không hợp lệ hoặc không mang tên máy chủ này");
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return _("không đọc được tệp chứng chỉ");
	case CURLE_BAD_CONTENT_ENCODING:
		return _("dữ liệu nén không giải được");
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return _("địa chỉ không đúng dạng");
	default:
		return *errbuf != '\0' ? errbuf : curl_easy_strerror(rc);
	}
}

static enum client_status
transport_failure(const struct conn *c, CURLcode rc, const struct reply *r,
    const char *errbuf, char **cause)
{
	const char *why = transport_reason(rc, errbuf);

	switch (rc) {
	case CURLE_ABORTED_BY_CALLBACK:
		fail(cause, "%s", _("Đã dừng đồng bộ theo yêu cầu; những gì chưa gửi vẫn được giữ trên máy."));
		return CLIENT_CANCELLED;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (r->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
			fail(cause, _("Câu trả lời của máy chủ %s quá lớn (hơn %zu byte); đã bỏ qua. "
			    "Hãy báo cho người quản trị máy chủ."),
			    c->base, rc == CURLE_FILESIZE_EXCEEDED && r->max > PROTOCOL_MAX_WIRE ?
			    (size_t)PROTOCOL_MAX_WIRE : r->max);
			return CLIENT_SERVER_ERROR;
		}
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		fail(cause, _("Không xác minh được chứng chỉ TLS của máy chủ %s (%s). "
		    "Có thể mạng đang chặn hoặc giả mạo kết nối. Kiểm tra lại địa chỉ, "
		    "hoặc chỉ định tệp CA của tỉnh bằng --ca-file."), c->base, why);
		return CLIENT_SERVER_ERROR;
	case CURLE_BAD_CONTENT_ENCODING:
		fail(cause, _("Máy chủ %s gửi dữ liệu nén hỏng (%s). "
		    "Hãy báo cho người quản trị máy chủ."), c->base, why);
		return CLIENT_SERVER_ERROR;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		fail(cause, _("Địa chỉ máy chủ %s không dùng được (%s). Hãy ghi danh lại: "
		    "sotay enroll URL MÃ."), c->base, why);
		return CLIENT_LOCAL;
	case CURLE_OPERATION_TIMEDOUT:
		fail(cause, _("Máy chủ %s không trả lời kịp (%s). "
		    "Hãy kiểm tra mạng rồi thử lại."), c->base, why);
		return CLIENT_OFFLINE;
	default:
		break;
	}
	fail(cause, _("Không kết nối được máy chủ %s (%s). "
	    "Hãy kiểm tra mạng rồi thử lại."), c->base, why);
	return CLIENT_OFFLINE;
}

/*
 * One request. body (may be NULL) is sent gzipped with POST; if_none_match
 * (may be NULL) is a version number for GET. Returns CLIENT_DONE when a
 * whole HTTP reply arrived (of any status), else the failure and *cause.
 */
static enum client_status
conn_perform(struct conn *c, const char *path, const char *gz, size_t gzlen,
    const char *if_none_match, size_t max_reply, struct reply *r, char **cause)
{
	struct curl_slist	*h = NULL;
	char			 errbuf[CURL_ERROR_SIZE] = "";
	char			*url, *auth, *etag = NULL, *ct = NULL, *inst = NULL, *first = NULL;
	const char		*body = gz;
	curl_off_t		 up = 0, down = 0, retry = 0;
	CURLcode		 rc;
	CURL			*k = c->curl;
	struct curl_header	*poll;

	memset(r, 0, sizeof *r);
	r->max = max_reply;
	url = xasprintf("%s%s", c->base, path);
	auth = xasprintf("Authorization: Bearer %s", c->token);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "Expect:");	/* no 100-continue round trip on a slow link */
	if (body != NULL) {
		h = curl_slist_append(h, "Content-Type: " PROTOCOL_CONTENT_TYPE);
		h = curl_slist_append(h, "Content-Encoding: gzip");
	}
	if (if_none_match != NULL) {
		etag = xasprintf("If-None-Match: \"%s\"", if_none_match);
		h = curl_slist_append(h, etag);
	}
	if (c->install != NULL) {
		inst = xasprintf(PROTOCOL_HEADER_INSTALL ": %s", c->install);
		h = curl_slist_append(h, inst);
	}
	if (c->first_seq > 0) {
		first = xasprintf(PROTOCOL_HEADER_FIRST_SEQ ": %lld", (long long)c->first_seq);
		h = curl_slist_append(h, first);
	}

	curl_easy_reset(k);	/* keeps the live connection */
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file != NULL && *c->ca_file != '\0')
		curl_easy_setopt(k, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms);
	curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(k, CURLOPT_ACCEPT_ENCODING, "gzip");
	/* A declared length over the wire limit is refused before any of it is read. */
	curl_easy_setopt(k, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)(max_reply < PROTOCOL_MAX_WIRE ? max_reply : PROTOCOL_MAX_WIRE));
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(k, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(k, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(k, CURLOPT_XFERINFODATA, c->cancel);
	curl_easy_setopt(k, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(k, CURLOPT_USERAGENT, "sotay/" SOTAY_VERSION);
	if (body != NULL) {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, gz);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)gzlen);
	}

	rc = curl_easy_perform(k);

	curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(k, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(k, CURLINFO_SIZE_DOWNLOAD_T, &down);
	c->bytes += up + down;
	if (curl_easy_getinfo(k, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK && retry > 0)
		r->retry_after = retry > CLIENT_MAX_RETRY_AFTER ? CLIENT_MAX_RETRY_AFTER : (int)retry;
	if (curl_easy_getinfo(k, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != NULL)
		r->content_type = xstrdup(ct);
	if (rc == CURLE_OK && curl_easy_header(k, PROTOCOL_HEADER_POLL, 0, CURLH_HEADER, -1,
	    &poll) == CURLHE_OK) {
		char	*end;
		long	 v = strtol(poll->value, &end, 10);

		/* Out of range or not a number: as if unsaid. */
		if (*end == '\0' && v >= PROTOCOL_POLL_MIN && v <= PROTOCOL_POLL_MAX)
			c->poll_s = (int)v;
	}
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(k, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(h);
	free(etag);
	free(inst);
	free(first);
	free(auth);
	free(url);

	if (rc != CURLE_OK) {
		enum client_status s = transport_failure(c, rc, r, errbuf, cause);
		reply_free(r);
		return s;
	}
	if (r->body == NULL)
		r->body = xstrdup("");
	return CLIENT_DONE;
}

/* The same with a plain body (gzipped here), or none. */
static enum client_status
conn_request(struct conn *c, const char *path, const char *body, size_t body_len,
    const char *if_none_match, size_t max_reply, struct reply *r, char **cause)
{
	enum client_status	 st;
	char			*gz = NULL;
	size_t			 gzlen = 0;

	if (body != NULL && protocol_gzip(body, body_len, &gz, &gzlen, cause) != 0) {
		memset(r, 0, sizeof *r);
		return CLIENT_LOCAL;
	}
	st = conn_perform(c, path, gz, gzlen, if_none_match, max_reply, r, cause);
	free(gz);
	return st;
}

/* 1 if the reply looks like a web page (a captive portal's login page). */
static int
reply_is_html(const struct reply *r)
{
	const char *p = r->body;

	if (r->content_type != NULL && strncasecmp(r->content_type, "text/html", 9) == 0)
		return 1;
	while (p != NULL && isspace((unsigned char)*p))
		p++;
	return p != NULL && *p == '<';
}

/* The server's error code in the user's words ("internal" in English, as on the wire). */
static const char *
error_word(enum protocol_error e)
{
	switch (e) {
	case PROTOCOL_E_BAD_REQUEST:		return C_("server error", "yêu cầu sai");
	case PROTOCOL_E_UNAUTHORIZED:		return C_("server error", "chưa xác thực");
	case PROTOCOL_E_FORBIDDEN:		return C_("server error", "không được phép");
	case PROTOCOL_E_NOT_FOUND:		return C_("server error", "không có");
	case PROTOCOL_E_METHOD_NOT_ALLOWED:	return C_("server error", "sai cách gọi");
	case PROTOCOL_E_CONFLICT:		return C_("server error", "xung đột");
	case PROTOCOL_E_TOO_LARGE:		return C_("server error", "quá lớn");
	case PROTOCOL_E_UNSUPPORTED_ENCODING:	return C_("server error", "sai kiểu nén");
	case PROTOCOL_E_INTERNAL:		return C_("server error", "lỗi bên trong");
	case PROTOCOL_E_UNAVAILABLE:		return C_("server error", "tạm ngừng phục vụ");
	default:				return protocol_error_code(e);
	}
}

/* A 200 whose body the protocol helper refused (why in *why). */
static enum client_status
reply_malformed(const struct conn *c, const char *path, const struct reply *r,
    const char *why, char **cause)
{
	if (reply_is_html(r))
		fail(cause, _("Câu trả lời từ %s%s là một trang web, không phải của máy chủ Sổ tay số "
		    "(có thể là trang đăng nhập Wi-Fi). Hãy đăng nhập mạng trong trình duyệt "
		    "rồi thử lại."), c->base, path);
	else
		fail(cause, _("Câu trả lời của máy chủ %s%s không đúng giao thức: %s. "
		    "Hãy báo cho người quản trị máy chủ."),
		    c->base, path, why);
	return CLIENT_SERVER_ERROR;
}

/*
 * A reply whose status is not the one expected: 401/403 are REFUSED, the
 * rest SERVER_ERROR, each with the server's own message when it sent one.
 */
static enum client_status
reply_status_failure(const struct conn *c, const char *path, const struct reply *r,
    char **cause)
{
	enum protocol_error	 code;
	char			*msg = NULL, *why = NULL, *detail;

	if (protocol_error_parse(r->body, r->len, &code, &msg, &why) == 0)
		detail = xasprintf("%ld %s: %s", r->status, error_word(code), msg);
	else if (reply_is_html(r))
		detail = xasprintf("%ld, %s", r->status, _("một trang web, không phải máy chủ Sổ tay số"));
	else
		detail = xasprintf("%ld", r->status);
	free(msg);
	free(why);

	if (r->status == 401 || r->status == 403) {
		fail(cause, _("Máy chủ %s từ chối máy này (%s). Mã của máy có thể đã bị thu hồi; "
		    "hãy xin mã mới từ tỉnh rồi chạy: sotay enroll URL MÃ."), c->base, detail);
		free(detail);
		return CLIENT_REFUSED;
	}
	if (r->status == 503)
		fail(cause, _("Máy chủ %s đang bận (%s); thử lại sau %d giây."),
		    c->base, detail, r->retry_after > 0 ? r->retry_after : 60);
	else if (r->status >= 500)
		fail(cause, _("Máy chủ %s gặp lỗi (%s) khi xử lý %s; chưa có gì bị mất. "
		    "Thử lại sau; nếu lỗi lặp lại, hãy báo cho người quản trị máy chủ."), c->base, detail, path);
	else
		fail(cause, _("Máy chủ %s không nhận yêu cầu %s (%s). "
		    "Hãy kiểm tra địa chỉ máy chủ hoặc báo cho người quản trị."),
		    c->base, path, detail);
	free(detail);
	return CLIENT_SERVER_ERROR;
}

/* ---- enrolment ----------------------------------------------------- */

int
client_enroll(struct store *st, const char *url, const char *token, const char *ca_file,
    enum client_status *status, char **cause)
{
	struct conn		 c;
	struct reply		 r;
	struct protocol_kiosk	 k;
	struct store_counts	 sc;
	enum client_status	 s;
	char			*why = NULL, install[UUID_STR_LEN];

	if (status != NULL)
		*status = CLIENT_LOCAL;
	if (!token_ok(token))
		return fail(cause, "%s", _("Mã ghi danh không hợp lệ: cần một chuỗi không có "
		    "dấu cách, đúng như lệnh sotay-server kiosk add đã in."));
	/* Made once and kept: the same machine enrolling again is known as itself. */
	if (sync_state_install_id(st, install, cause) != 0 ||
	    store_counts(st, &sc, cause) != 0)
		return -1;
	if (conn_open(&c, url, token, ca_file, NULL, cause) != 0)
		return -1;
	c.install = install;
	/*
	 * Where its numbering goes on: a kiosk id new to this machine holds
	 * nothing of what it sent before (that stays under its old id).
	 */
	c.first_seq = sc.last_seq - sc.pending + 1;

	s = conn_request(&c, PROTOCOL_PATH_KIOSK, NULL, 0, NULL, CLIENT_MAX_SMALL_REPLY, &r, cause);
	if (s != CLIENT_DONE)
		goto out;
	memset(&k, 0, sizeof k);
	if (r.status == 409) {
		/* Said here, in the kiosk's language: the server's words are its own. */
		fail(cause, _("Máy chủ %s từ chối: mã ghi danh này đã được một máy khác dùng; "
		    "mỗi mã chỉ ghi danh được một máy. Hãy xin tỉnh một mã mới (sotay-server "
		    "kiosk add, hoặc kiosk token MÃ-TRẠM để cấp lại mã cho trạm này)."), c.base);
		s = CLIENT_REFUSED;
	} else if (r.status != 200)
		s = reply_status_failure(&c, PROTOCOL_PATH_KIOSK, &r, cause);
	else if (protocol_kiosk_parse(r.body, r.len, &k, &why) != 0)
		s = reply_malformed(&c, PROTOCOL_PATH_KIOSK, &r, why, cause);
	else {
		s = CLIENT_LOCAL;
		if (store_begin(st, cause) == 0) {
			if (sync_state_enroll(st, c.base, k.kiosk, token, ca_file, cause) == 0 &&
			    store_commit(st, cause) == 0)
				s = CLIENT_DONE;
			else
				store_rollback(st);
		}
	}
	protocol_kiosk_free(&k);
	free(why);
	reply_free(&r);
out:
	conn_close(&c);
	if (s != CLIENT_DONE && s != CLIENT_LOCAL && cause != NULL && *cause != NULL) {
		char *m = xasprintf("%s %s", *cause, _("Máy chưa được ghi danh."));
		free(*cause);
		*cause = m;
	}
	if (status != NULL)
		*status = s;
	return s == CLIENT_DONE ? 0 : -1;
}

/* ---- sync ---------------------------------------------------------- */

/* One batch: the events read from the outbox, and the request body made of them. */
struct batch {
	struct store_event	*ev;
	struct protocol_event	*pe;	/* points into ev */
	size_t			 n;
	const char		*kiosk;
	char			*gz;	/* the body, gzipped */
	size_t			 gzlen;
	int			 version;	/* of the body: 2 (/v2/events) or 1 */
	int			 too_big;	/* over PROTOCOL_MAX_BODY as JSON: not built */
	int			 rc;		/* of the build: 0, or -1 with cause */
	char			*cause;
	struct protocol_kiosk_status ks;	/* what the province's list of kiosks shows (PROTOCOL.md) */
};

/*
 * The next batch, read while the last one was about to go and built
 * (JSON, gzip) on a thread of its own while the server commits the last:
 * the client's work overlaps the server's. Used only if the next request
 * asks for exactly these events (same cursor, same size, nothing held past
 * the cursor); otherwise dropped.
 */
struct prefetch {
	int			 on;
	pthread_t		 th;
	int64_t			 after;
	int			 limit;
	struct batch		 b;
};

struct sync {
	struct store		*st;
	const struct client_opts *o;
	struct client_result	*res;
	struct conn		 c;
	char			*kiosk;
	int			 batch;
	int			 ceiling;	/* largest batch the server has not refused as too large */
	int			 version;	/* the batch format the server takes: 2, or 1 (older) */
	int			 rebases;	/* renumberings in this sync */
	int			 rebased;	/* set by sync_batch: start again from the first pending */
	struct prefetch		 pf;
};

/* Reads up to limit pending events after the cursor (the database: this thread only). */
static int
batch_read(struct sync *s, int64_t after, int limit, struct batch *b, char **cause)
{
	struct store_counts c;

	memset(b, 0, sizeof *b);
	b->kiosk = s->kiosk;
	b->version = s->version;
	if (store_events(s->st, after, limit, 1, &b->ev, &b->n, cause) != 0)
		return -1;
	if (store_counts(s->st, &c, cause) != 0)
		return -1;
	b->ks.pending = c.pending;
	b->ks.content_version = s->res->content_version;
	snprintf(b->ks.program_version, sizeof b->ks.program_version, "%s", SOTAY_VERSION);
	b->ks.clock = util_now_ms();
	b->pe = xcalloc(b->n ? b->n : 1, sizeof *b->pe);
	for (size_t i = 0; i < b->n; i++) {
		memcpy(b->pe[i].id, b->ev[i].id, sizeof b->pe[i].id);
		b->pe[i].seq = b->ev[i].seq;
		b->pe[i].type = b->ev[i].type;
		b->pe[i].at = b->ev[i].created_at;
		b->pe[i].payload = b->ev[i].payload;
	}
	return 0;
}

/* Makes the body: no database, no curl, so it may run on any thread. */
static void
batch_build(struct batch *b)
{
	char *body = NULL;
	size_t len;

	b->rc = 0;
	if ((b->version >= 2 ? protocol_batch_encode_v2 : protocol_batch_encode_status)(
	    b->kiosk, &b->ks, b->pe, b->n, &body, &b->cause) != 0) {
		b->rc = -1;
		return;
	}
	len = strlen(body);
	if (len > PROTOCOL_MAX_BODY && b->n > 1)
		b->too_big = 1;		/* would be refused for its size: the caller halves */
	else if (protocol_gzip(body, len, &b->gz, &b->gzlen, &b->cause) != 0)
		b->rc = -1;
	free(body);
}

static void
batch_free(struct batch *b)
{
	store_events_free(b->ev, b->n);
	free(b->pe);
	free(b->gz);
	free(b->cause);
	memset(b, 0, sizeof *b);
}

static void *
prefetch_main(void *arg)
{
	batch_build(arg);
	return NULL;
}

/* Reads the batch after the cursor now and builds it on a thread (or here, if none starts). */
static void
prefetch_start(struct sync *s, int64_t after, int limit)
{
	struct prefetch *pf = &s->pf;

	if (batch_read(s, after, limit, &pf->b, NULL) != 0 || pf->b.n == 0) {
		batch_free(&pf->b);
		return;
	}
	pf->after = after;
	pf->limit = limit;
	pf->on = 1;
	if (pthread_create(&pf->th, NULL, prefetch_main, &pf->b) != 0) {
		batch_build(&pf->b);
		pf->on = 2;	/* built, no thread to join */
	}
}

/* Waits for the prefetch; returns 1 and moves it to *b if it is the batch wanted. */
static int
prefetch_take(struct sync *s, int64_t after, int limit, struct batch *b)
{
	struct prefetch *pf = &s->pf;
	int match;

	if (!pf->on)
		return 0;
	if (pf->on == 1)
		pthread_join(pf->th, NULL);
	pf->on = 0;
	match = pf->after == after && pf->limit == limit && b != NULL &&
	    pf->b.version == s->version;
	if (match)
		*b = pf->b;
	else
		batch_free(&pf->b);
	memset(&pf->b, 0, sizeof pf->b);
	return match;
}

/*
 * The ack refused an event of the batch because its seq is held under
 * another id: renumber every pending event after what the server holds.
 * held_seq stayed below the refused one, so nothing refused was marked sent.
 */
static enum client_status
sync_rebase(struct sync *s, const struct protocol_ack *ack, char **cause)
{
	struct store_counts	 c;
	int64_t			 taken = 0;
	size_t			 i;

	for (i = 0; i < ack->nconflicts; i++)
		if (ack->conflicts[i].seq_taken && (taken == 0 || ack->conflicts[i].seq < taken))
			taken = ack->conflicts[i].seq;
	if (taken == 0)
		return CLIENT_DONE;
	if (++s->rebases > CLIENT_MAX_REBASES || ack->max_seq < taken) {
		fail(cause, _("Máy chủ %s vẫn báo số thứ tự %lld đã có dưới một sự kiện khác "
		    "(số lớn nhất máy chủ giữ: %lld). Các sự kiện chưa gửi vẫn được giữ trên "
		    "máy; hãy báo cho người quản trị máy chủ."), s->c.base, (long long)taken,
		    (long long)ack->max_seq);
		return CLIENT_SERVER_ERROR;
	}
	if (store_counts(s->st, &c, cause) != 0 ||
	    store_events_rebase(s->st, ack->max_seq + 1, cause) != 0)
		return CLIENT_LOCAL;
	s->res->renumbered += c.pending;
	s->rebased = 1;
	return CLIENT_DONE;
}

static int
cancelled(const struct sync *s)
{
	return s->o != NULL && s->o->cancel != NULL && atomic_load(s->o->cancel) != 0;
}

/*
 * POSTs one batch and, on a valid acknowledgement, marks what the server
 * holds. Returns CLIENT_DONE and *posted (events acknowledged; 0 when
 * nothing is left, or when the batch was halved and *again is set), or the
 * failure.
 */
static enum client_status
sync_batch(struct sync *s, int64_t after, int64_t *last_seq, int64_t *max_held,
    size_t *posted, int *again, char **cause)
{
	struct batch		 b;
	struct store_event	*ev;
	struct protocol_ack	 ack;
	struct store_counts	 before, now;
	struct reply		 r;
	enum client_status	 st = CLIENT_LOCAL;
	size_t			 n;
	char			*why = NULL;
	const char		*path;
	int64_t			 t0, t1, w0, w1, dt, held;

	*posted = 0;
	*again = 0;
	if (!prefetch_take(s, after, s->batch, &b)) {
		if (batch_read(s, after, s->batch, &b, cause) != 0) {
			batch_free(&b);
			return CLIENT_LOCAL;
		}
		if (b.n == 0) {
			batch_free(&b);
			return CLIENT_DONE;
		}
		batch_build(&b);
	}
	ev = b.ev;
	n = b.n;
	if (b.rc != 0) {
		*cause = b.cause;
		b.cause = NULL;
		goto out;
	}
	if (b.too_big) {
		s->batch = s->ceiling = (int)n / 2;
		*again = 1;
		st = CLIENT_DONE;
		goto out;
	}
	/* While this one is on the wire and the server commits it, the next is made. */
	if ((int)n == s->batch)
		prefetch_start(s, ev[n - 1].seq, s->batch);

	w0 = util_now_ms();
	t0 = util_mono_ms();
	path = b.version >= 2 ? PROTOCOL_PATH_EVENTS_V2 : PROTOCOL_PATH_EVENTS;
	st = conn_perform(&s->c, path, b.gz, b.gzlen, NULL, CLIENT_MAX_SMALL_REPLY, &r,
	    cause);
	t1 = util_mono_ms();
	w1 = util_now_ms();
	s->res->bytes = s->c.bytes;
	if (st != CLIENT_DONE)
		goto out;
	s->res->http_status = r.status;
	s->res->retry_after_s = r.retry_after;

	if (r.status == 404 && b.version >= 2) {
		/* A server from before the compact batch: the first format, from now on. */
		reply_free(&r);
		s->version = 1;
		if (s->ceiling > PROTOCOL_MAX_EVENTS)
			s->ceiling = PROTOCOL_MAX_EVENTS;
		if (s->batch > s->ceiling)
			s->batch = s->ceiling;
		*again = 1;
		goto out;	/* CLIENT_DONE with *posted 0: the caller asks again */
	}
	if (r.status == 413) {
		reply_free(&r);
		if (n == 1) {
			st = CLIENT_SERVER_ERROR;
			fail(cause, _("Máy chủ %s từ chối cả một sự kiện đơn lẻ vì quá lớn "
			    "(sự kiện số %lld). Hãy báo cho người quản trị máy chủ."),
			    s->c.base, (long long)ev[0].seq);
			goto out;
		}
		s->batch = s->ceiling = (int)n / 2;
		*again = 1;
		goto out;	/* CLIENT_DONE with *posted 0: the caller asks again, smaller */
	}
	if (r.status != 200) {
		st = reply_status_failure(&s->c, path, &r, cause);
		reply_free(&r);
		goto out;
	}
	memset(&ack, 0, sizeof ack);
	if (protocol_ack_parse(r.body, r.len, &ack, &why) != 0) {
		st = reply_malformed(&s->c, path, &r, why, cause);
	} else if (strcmp(ack.kiosk, s->kiosk) != 0) {
		char *w = xasprintf(_("câu xác nhận dành cho máy \"%s\", không phải \"%s\""), ack.kiosk, s->kiosk);
		st = reply_malformed(&s->c, path, &r, w, cause);
		free(w);
	} else {
		/*
		 * The one place events become sent: what the server says it holds,
		 * with the server's clock at the middle of the exchange, in one
		 * durable transaction (one disk flush a batch, not two).
		 */
		held = ack.held_seq;
		s->res->clock_offset_ms = ack.server_time - (w0 + (w1 - w0) / 2);
		if (store_begin(s->st, cause) != 0)
			st = CLIENT_LOCAL;
		else if ((held > 0 && (store_counts(s->st, &before, cause) != 0 ||
		    store_events_ack(s->st, held, cause) != 0 ||
		    store_counts(s->st, &now, cause) != 0)) ||
		    sync_state_set_clock_offset(s->st, s->res->clock_offset_ms, cause) != 0) {
			store_rollback(s->st);
			st = CLIENT_LOCAL;
		} else if (store_commit(s->st, cause) != 0) {
			st = CLIENT_LOCAL;
		} else {
			/* held_seq may cover more than this batch (an earlier ack was lost). */
			if (held > 0)
				s->res->sent += before.pending - now.pending;
			s->res->accepted += ack.accepted;
			s->res->duplicates += ack.duplicates;
			s->res->conflicts += (int64_t)ack.nconflicts;
			s->res->batches++;
			if (held > *max_held)
				*max_held = held;
			*last_seq = ev[n - 1].seq;
			*posted = n;
			if (st == CLIENT_DONE)
				st = sync_rebase(s, &ack, cause);
			/* Size the next batch to the link. */
			dt = t1 - t0;
			if (dt < CLIENT_FAST_MS && (int)n == s->batch && s->batch < s->ceiling)
				s->batch = s->batch * 2 > s->ceiling ? s->ceiling : s->batch * 2;
			else if (dt > CLIENT_SLOW_MS && s->batch > CLIENT_BATCH_MIN)
				s->batch = s->batch / 2 < CLIENT_BATCH_MIN ? CLIENT_BATCH_MIN : s->batch / 2;
		}
	}
	protocol_ack_free(&ack);
	free(why);
	reply_free(&r);
out:
	/* The server holds past this batch (an earlier ack was lost): read afresh. */
	if (st != CLIENT_DONE || *max_held > ev[n - 1].seq)
		prefetch_take(s, 0, 0, NULL);
	batch_free(&b);
	return st;
}

static enum client_status
sync_upload_loop(struct sync *s, char **cause)
{
	enum client_status	 st;
	int64_t			 after = 0, last = 0, max_held = 0;
	size_t			 posted;
	int			 again;

	for (;;) {
		if (cancelled(s))
			return (fail(cause, "%s", _("Đã dừng đồng bộ theo yêu cầu; những gì chưa gửi "
			    "vẫn được giữ trên máy.")), CLIENT_CANCELLED);
		st = sync_batch(s, after, &last, &max_held, &posted, &again, cause);
		s->res->last_batch = s->batch;
		if (st != CLIENT_DONE)
			return st;
		if (posted > 0) {
			after = last;
			if (s->rebased) {
				/* Renumbered: the old cursor means nothing now. */
				s->rebased = 0;
				after = 0;
			}
			if (s->o != NULL && s->o->progress != NULL)
				s->o->progress(s->o->progress_arg, s->res->sent,
				    s->res->total > s->res->sent ? s->res->total : s->res->sent,
				    s->res->bytes);
		} else if (!again) {
			break;	/* nothing left after the cursor */
		}
	}
	if (max_held < last)
		return (fail(cause, _("Máy chủ %s chỉ xác nhận giữ đến sự kiện số %lld trong khi "
		    "máy đã gửi đến số %lld. Các sự kiện chưa được xác nhận vẫn được giữ và sẽ "
		    "gửi lại; nếu lỗi lặp lại, hãy báo cho người quản trị máy chủ."), s->c.base,
		    (long long)max_held, (long long)last), CLIENT_SERVER_ERROR);
	return CLIENT_DONE;
}

/* Uploads the outbox; whatever way it ends, the batch made ahead is waited for and dropped. */
static enum client_status
sync_upload(struct sync *s, char **cause)
{
	enum client_status st = sync_upload_loop(s, cause);

	prefetch_take(s, 0, 0, NULL);
	return st;
}

static enum client_status
sync_content(struct sync *s, char **cause)
{
	struct protocol_content	 pc;
	struct problems		 pr = { 0 };
	struct library		 lib = { 0 };
	struct reply		 r;
	enum client_status	 st;
	char			*path, *since, *why = NULL, *where;
	int64_t			 have;
	size_t			 i;
	int			 added = 0;

	have = s->res->content_version;
	since = xasprintf("%lld", (long long)have);
	path = xasprintf("%s?since=%s", PROTOCOL_PATH_CONTENT, since);
	st = conn_request(&s->c, path, NULL, 0, since, PROTOCOL_MAX_BODY, &r, cause);
	s->res->bytes = s->c.bytes;
	free(since);
	if (st != CLIENT_DONE) {
		free(path);
		return st;
	}
	s->res->http_status = r.status;
	s->res->retry_after_s = r.retry_after;
	if (r.status == 304) {
		reply_free(&r);
		free(path);
		return CLIENT_DONE;
	}
	if (r.status != 200) {
		st = reply_status_failure(&s->c, path, &r, cause);
		reply_free(&r);
		free(path);
		return st;
	}
	memset(&pc, 0, sizeof pc);
	if (protocol_content_parse(r.body, r.len, &pc, &why) != 0) {
		st = reply_malformed(&s->c, path, &r, why, cause);
		goto out;
	}
	/* Every checklist must pass the same loader as the kiosk's own files. */
	where = xasprintf("%s%s", s->c.base, PROTOCOL_PATH_CONTENT);
	lib.items = xcalloc(pc.n + 1, sizeof *lib.items);
	for (i = 0; i < pc.n; i++) {
		struct checklist *cl = checklist_parse(pc.checklists[i], strlen(pc.checklists[i]),
		    where, &pr);
		if (cl != NULL)
			lib.items[lib.n++] = cl;
	}
	free(where);
	if (pr.n > 0) {
		fail(cause, _("Máy chủ %s gửi %zu danh mục không hợp lệ; chưa cài cái nào. "
		    "Lỗi đầu tiên: %s. Hãy báo cho người quản trị máy chủ."), s->c.base,
		    pc.n - lib.n, pr.lines[0]);
		st = CLIENT_SERVER_ERROR;
	} else if (lib.n > 0 && content_store_install(s->st, &lib, &added, cause) != 0) {
		st = CLIENT_LOCAL;
	} else if (sync_state_set_content_version(s->st, pc.version, cause) != 0) {
		st = CLIENT_LOCAL;
	} else {
		s->res->content_version = pc.version;
		s->res->content_added = added;
		st = CLIENT_DONE;
	}
	library_free(&lib);
	problems_free(&pr);
out:
	protocol_content_free(&pc);
	free(why);
	reply_free(&r);
	free(path);
	return st;
}

int
client_sync(struct store *st, const struct client_opts *o, struct client_result *res,
    char **cause)
{
	struct sync		 s;
	struct store_counts	 sc;
	struct sync_state	 ss;
	struct sync_credentials	 cr = { 0 };
	char			*msg = NULL;
	enum client_status	 status;

	memset(res, 0, sizeof *res);
	memset(&s, 0, sizeof s);
	s.st = st;
	s.o = o;
	s.res = res;
	s.batch = o != NULL && o->batch > 0 ? o->batch : CLIENT_BATCH_FIRST;
	s.version = 2;
	if (s.batch > PROTOCOL_MAX_EVENTS_V2)
		s.batch = PROTOCOL_MAX_EVENTS_V2;
	s.ceiling = PROTOCOL_MAX_EVENTS_V2;
	res->last_batch = s.batch;

	status = CLIENT_LOCAL;
	if (sync_state_read(st, &ss, &msg) != 0)
		goto done;
	res->content_version = ss.content_version;
	sync_state_free(&ss);
	if (sync_state_credentials(st, &cr, &msg) != 0)
		goto done;
	s.kiosk = cr.kiosk_id;
	if (s.kiosk == NULL || !token_ok(cr.token) ||
	    (cr.server_url == NULL && (o == NULL || o->url == NULL))) {
		fail(&msg, "%s", _("Máy này chưa được ghi danh với máy chủ tỉnh. Hãy chạy: "
		    "sotay enroll URL MÃ (URL và mã do tỉnh cấp)."));
		goto done;
	}
	if (store_counts(st, &sc, &msg) != 0)
		goto done;
	res->total = sc.pending;
	if (conn_open(&s.c, o != NULL && o->url != NULL ? o->url : cr.server_url, cr.token,
	    o != NULL && o->ca_file != NULL ? o->ca_file : cr.ca_file, o, &msg) != 0)
		goto done;

	status = sync_upload(&s, &msg);
	if (status == CLIENT_DONE && !(o != NULL && o->skip_content))
		status = sync_content(&s, &msg);
	res->bytes = s.c.bytes;
	res->poll_s = s.c.poll_s;
	conn_close(&s.c);

done:
	res->status = status;
	if (store_counts(st, &sc, NULL) == 0)
		res->pending = sc.pending;
	/* What the supervisor's screen shows: when it last worked, and why not since. */
	if (status == CLIENT_DONE) {
		sync_state_succeeded(st, util_now_ms(), NULL);
	} else if (status != CLIENT_CANCELLED && msg != NULL) {
		if (status != CLIENT_LOCAL) {
			char *m = xasprintf("%s %s", msg, _("Sự kiện chưa gửi vẫn được giữ trên máy "
			    "và sẽ được gửi lần sau."));
			free(msg);
			msg = m;
		}
		sync_state_failed(st, msg, NULL);
	}
	sync_state_credentials_free(&cr);
	if (status == CLIENT_DONE) {
		free(msg);
		return 0;
	}
	if (msg == NULL)
		msg = xstrdup(_("Đồng bộ thất bại."));
	if (cause != NULL)
		*cause = msg;
	else
		free(msg);
	return -1;
}

int
client_sync_path(const char *db_path, const struct client_opts *o, struct client_result *res,
    char **cause)
{
	struct store	*st;
	int		 rc;

	memset(res, 0, sizeof *res);
	if (store_open(db_path, 0, &st, cause) != 0) {
		res->status = CLIENT_LOCAL;
		return -1;
	}
	rc = client_sync(st, o, res, cause);
	store_close(st);
	return rc;
}
