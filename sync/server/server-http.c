/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-http.c: the HTTP side of sotay-server, on libmicrohttpd. It reads
 * each request body up to the protocol's limits (413 beyond), undoes gzip,
 * hands the request to server-api.c, gzips the reply when the client
 * accepts it, and writes one log line a request to stderr.
 *
 * Threads: libmicrohttpd's own thread pool (epoll); handlers run on it and
 * block on the store, which has its own connection pool. SIGTERM or SIGINT
 * stops accepting, lets requests in flight finish, then stops.
 */
#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "i18n.h"
#include "util.h"
#include "protocol.h"
#include "server.h"

#define GZIP_MIN	512	/* smaller replies are sent as they are */
#define HTTP_BIG_BODY	(256 * 1024)	/* at most HTTP_BIG_AT_ONCE bodies past this at a time */
#define HTTP_BIG_AT_ONCE 2
#define DRAIN_MS	60000	/* longest wait for requests in flight at shutdown */

/* State of one request while its body arrives. */
struct request_state {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 too_large;
	int64_t	 start;
};

static sem_t		 http_big;
static atomic_int	 http_inflight;
static atomic_int	 http_stopping;
static atomic_int	 http_poll_s = PROTOCOL_POLL_DEFAULT;
/* Idle polls (nothing sent, nothing new) are counted, not logged one by one. */
static atomic_long	 http_idle;
static atomic_long	 mhd_logged, mhd_dropped;	/* see mhd_logger */

/* One line for the idle polls since the last one, if there were any. */
static void
log_idle(void)
{
	long n = atomic_exchange(&http_idle, 0);

	long refused, cut;

	if (n > 0)
		server_log(SERVER_LOG_INFO, _("%ld lần hỏi không có gì mới (trả lời 304 hoặc "
		    "lô trống)"), n);
	atomic_store(&mhd_logged, 0);
	if ((n = atomic_exchange(&mhd_dropped, 0)) > 0)
		server_log(SERVER_LOG_WARNING, _("libmicrohttpd: thêm %ld thông báo không ghi ra"), n);
	server_guard_counts(&refused, &cut);
	if (refused > 0 || cut > 0)
		server_log(SERVER_LOG_WARNING, _("đã từ chối %ld kết nối (một địa chỉ giữ quá "
		    "nhiều) và cắt %ld yêu cầu quá chậm"), refused, cut);
}

/* The guard's record of the connection c. */
static void *
guard_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

static enum MHD_Result
accept_policy(void *cls, const struct sockaddr *sa, socklen_t len)
{
	return server_guard_accept(sa) ? MHD_YES : MHD_NO;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *fd, *addr;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		addr = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context = server_guard_opened(fd != NULL ? fd->connect_fd : -1,
		    addr != NULL ? addr->client_addr : NULL);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		server_guard_closed(*socket_context);
		*socket_context = NULL;
	}
}

/*
 * Through the trusted proxy: the client is the last address of
 * X-Forwarded-For (the one the proxy added; earlier ones are the client's
 * word). Left as the proxy's if the header is missing or not an address.
 */
static void
forwarded_for(struct MHD_Connection *c, char *addr, size_t size)
{
	const char	*xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
			    "X-Forwarded-For"), *last;
	char		 ip[INET6_ADDRSTRLEN];
	unsigned char	 bin[16];
	size_t		 n;

	if (xff == NULL)
		return;
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof ip)
		return;
	memcpy(ip, last, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, bin) == 1 || inet_pton(AF_INET6, ip, bin) == 1)
		snprintf(addr, size, "%s", ip);
}

static void
client_addr(struct MHD_Connection *c, char addr[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci;

	snprintf(addr, INET6_ADDRSTRLEN, "-");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			    addr, INET6_ADDRSTRLEN);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			    addr, INET6_ADDRSTRLEN);
		if (server_guard_is_proxy(sa))
			forwarded_for(c, addr, INET6_ADDRSTRLEN);
	}
}

static void
log_line(struct MHD_Connection *c, const char *method, const char *url, int status,
    const struct server_reply *rep, size_t in, size_t out, int64_t start)
{
	char	 addr[INET6_ADDRSTRLEN], *m, *u;

	client_addr(c, addr);
	/* The path is decoded (%0a is a newline by now): escape what came in. */
	m = server_log_escape(method, method != NULL ? strlen(method) : 0, 1);
	u = server_log_escape(url, url != NULL ? strlen(url) : 0, 1);
	server_log(status >= 500 ? SERVER_LOG_ERR : SERVER_LOG_INFO,
	    "%s %s %s %d kiosk=%s events=%d in=%zu out=%zu ms=%lld", addr, m, u, status,
	    rep != NULL && rep->kiosk[0] != '\0' ? rep->kiosk : "-",
	    rep != NULL ? rep->events : 0, in, out, (long long)(util_now_ms() - start));
	free(m);
	free(u);
}

static int
accepts_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const char *g;

	if (ae == NULL || (g = strcasestr(ae, "gzip")) == NULL)
		return 0;
	/* "gzip;q=0" refuses it. */
	g += 4;
	while (*g == ' ')
		g++;
	if (strncasecmp(g, ";q=0", 4) == 0 && strspn(g + 4, "0.") == strlen(g + 4))
		return 0;
	return 1;
}

static enum MHD_Result
send_reply(struct MHD_Connection *c, const char *method, const char *url,
    struct server_reply *rep, size_t in, int64_t start)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ok;
	int			 gz = 0;
	char			 ra[16];

	if (rep->body != NULL && rep->len >= GZIP_MIN && accepts_gzip(c)) {
		char	*z;
		size_t	 zlen;

		if (protocol_gzip(rep->body, rep->len, &z, &zlen, NULL) == 0) {
			free(rep->body);
			rep->body = z;
			rep->len = zlen;
			gz = 1;
		}
	}
	if (rep->body != NULL) {
		r = MHD_create_response_from_buffer(rep->len, rep->body,
		    MHD_RESPMEM_MUST_FREE);
		rep->body = NULL;	/* libmicrohttpd frees it now */
	} else
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	if (rep->content_type != NULL && rep->status != 304)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type);
	if (gz)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	if (rep->etag[0] != '\0')
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rep->etag);
	if (rep->retry_after > 0) {
		snprintf(ra, sizeof ra, "%d", rep->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (atomic_load(&http_stopping))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	for (int i = 0; i < rep->nheaders; i++)
		MHD_add_response_header(r, rep->headers[i].name, rep->headers[i].value);
	server_guard_answering(guard_of(c));
	snprintf(ra, sizeof ra, "%d", atomic_load(&http_poll_s));
	MHD_add_response_header(r, PROTOCOL_HEADER_POLL, ra);
	ok = MHD_queue_response(c, (unsigned)rep->status, r);
	if (rep->status == 304 || (rep->status == 200 && rep->events == 0 &&
	    rep->kiosk[0] != '\0' && strcmp(method, "POST") == 0))
		atomic_fetch_add(&http_idle, 1);
	else
		log_line(c, method, url, rep->status, rep, in, rep->len, start);
	MHD_destroy_response(r);
	return ok;
}

/* An error reply, sent straight away. */
static enum MHD_Result
send_error(struct MHD_Connection *c, const char *method, const char *url,
    enum protocol_error e, const char *message, size_t in, int64_t start)
{
	struct server_reply rep;

	memset(&rep, 0, sizeof rep);
	server_api_error(&rep, e, message);
	return send_reply(c, method, url, &rep, in, start);
}

static const char *
arg(struct MHD_Connection *c, const char *key)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
}

static const char *
req_arg(const struct server_request *req, const char *key)
{
	return arg(req->conn, key);
}

/* Content-Encoding: 0 identity, 1 gzip, -1 something else. */
static int
body_encoding(struct MHD_Connection *c)
{
	const char *ce = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_ENCODING);

	if (ce == NULL || *ce == '\0' || strcasecmp(ce, "identity") == 0)
		return 0;
	if (strcasecmp(ce, "gzip") == 0 || strcasecmp(ce, "x-gzip") == 0)
		return 1;
	return -1;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size,
    void **con_cls)
{
	struct server_ctx	*ctx = cls;
	struct request_state	*rs = *con_cls;
	struct server_request	 req;
	struct server_reply	 rep;
	char			*plain = NULL, *cause = NULL;
	size_t			 plainlen = 0;
	enum protocol_error	 err;
	enum MHD_Result		 ok;
	char			 addr[INET6_ADDRSTRLEN];
	const char		*proto;
	int			 big;

	if (rs == NULL) {
		/* Headers are in: check what can be checked before the body. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);

		rs = xcalloc(1, sizeof *rs);
		rs->start = util_now_ms();
		*con_cls = rs;
		atomic_fetch_add(&http_inflight, 1);
		if (cl != NULL && strtoull(cl, NULL, 10) > PROTOCOL_MAX_WIRE) {
			char *m = xasprintf(_("Nội dung gửi lên quá lớn (%s byte; tối đa "
			    "%d); hãy gửi lô nhỏ hơn."), cl, PROTOCOL_MAX_WIRE);

			ok = send_error(c, method, url, PROTOCOL_E_TOO_LARGE, m, 0,
			    rs->start);
			free(m);
			return ok;
		}
		if (body_encoding(c) < 0)
			return send_error(c, method, url, PROTOCOL_E_UNSUPPORTED_ENCODING,
			    _("Content-Encoding chỉ được là gzip hoặc identity."), 0, rs->start);
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		size_t n = *upload_data_size;

		/* Past the limit the rest is read and dropped, then 413. */
		if (!rs->too_large && rs->len + n > PROTOCOL_MAX_WIRE) {
			rs->too_large = 1;
			free(rs->buf);
			rs->buf = NULL;
		}
		if (!rs->too_large) {
			if (rs->len + n + 1 > rs->cap) {
				rs->cap = (rs->len + n + 1) * 2;
				if (rs->cap > PROTOCOL_MAX_WIRE + 1)
					rs->cap = PROTOCOL_MAX_WIRE + 1;
				rs->buf = xrealloc(rs->buf, rs->cap);
			}
			memcpy(rs->buf + rs->len, upload_data, n);
			rs->len += n;
		} else if ((rs->len += n) > 4 * (size_t)PROTOCOL_MAX_WIRE)
			return MHD_NO;	/* endless chunked body: drop the connection */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rs->too_large)
		return send_error(c, method, url, PROTOCOL_E_TOO_LARGE, _("Nội dung gửi "
		    "lên quá 4 MiB; hãy gửi lô nhỏ hơn."), rs->len, rs->start);
	if (rs->len > 0 && body_encoding(c) == 1) {
		if (protocol_gunzip(rs->buf, rs->len, PROTOCOL_MAX_BODY, &plain, &plainlen,
		    &err, &cause) != 0) {
			ok = send_error(c, method, url, err, cause, rs->len, rs->start);
			free(cause);
			return ok;
		}
		/* The wire's copy is not needed any more: give it back now. */
		free(rs->buf);
		rs->buf = NULL;
	} else {
		plain = rs->buf != NULL ? rs->buf : xstrdup("");
		plainlen = rs->len;
		if (rs->buf != NULL)
			plain[plainlen] = '\0';
		rs->buf = NULL;
	}

	/*
	 * A big body becomes a json-c tree some fifteen times its size: only a
	 * few at a time, so an attack cannot add them up (one more is told to
	 * come back shortly, rather than held on a thread that serves other
	 * connections too), and the memory goes back to the system afterwards
	 * (glibc keeps freed memory in each thread's arena otherwise, and the
	 * server's size never comes down).
	 */
	big = plainlen > HTTP_BIG_BODY;
	if (big && sem_trywait(&http_big) != 0) {
		struct server_reply busy;

		free(plain);
		malloc_trim(0);
		memset(&busy, 0, sizeof busy);
		server_api_error(&busy, PROTOCOL_E_UNAVAILABLE, _("Máy chủ đang xử lý nhiều lô "
		    "lớn; hãy gửi lại sau ít giây."));
		busy.retry_after = 5;
		ok = send_reply(c, method, url, &busy, rs->len, rs->start);
		free(busy.body);
		return ok;
	}
	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = url;
	req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	req.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	req.install = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    PROTOCOL_HEADER_INSTALL);
	req.first_seq = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    PROTOCOL_HEADER_FIRST_SEQ);
	req.since = arg(c, "since");
	req.by = arg(c, "by");
	req.from = arg(c, "from");
	req.to = arg(c, "to");
	req.format = arg(c, "format");
	req.body = plain;
	req.len = plainlen;
	req.arg = req_arg;
	req.conn = c;
	req.cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	client_addr(c, addr);
	req.addr = addr;
	proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	req.secure = proto != NULL && strcasecmp(proto, "https") == 0;
	memset(&rep, 0, sizeof rep);
	/*
	 * The protocol under its versioned paths (/v1/, and /v2/… answers its
	 * 404) or with a token; the officers' dashboard everywhere else.
	 */
	if ((url[0] == '/' && url[1] == 'v' && url[2] >= '0' && url[2] <= '9') ||
	    req.authorization != NULL)
		server_api_handle(ctx, &req, &rep);
	else
		server_web_handle(ctx, &req, &rep);
	free(plain);
	if (big) {
		/* Before the reply: a client that sees it sees the memory given back. */
		sem_post(&http_big);
		malloc_trim(0);
	}
	ok = send_reply(c, method, url, &rep, rs->len, rs->start);
	server_reply_free(&rep);
	return ok;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request_state *rs = *con_cls;

	server_guard_request_done(guard_of(c));
	if (rs == NULL)
		return;
	free(rs->buf);
	free(rs);
	*con_cls = NULL;
	atomic_fetch_sub(&http_inflight, 1);
}

/* "ADDR:PORT" or "[ADDR]:PORT" to a socket address. */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
    char **cause)
{
	struct addrinfo	 hints, *res;
	char		*host, *port, *copy = xstrdup(listen);
	int		 rc;

	if (copy[0] == '[') {
		host = copy + 1;
		port = strstr(host, "]:");
		if (port == NULL)
			goto bad;
		*port = '\0';
		port += 2;
	} else {
		port = strrchr(copy, ':');
		if (port == NULL)
			goto bad;
		*port++ = '\0';
		host = copy;
	}
	/* getaddrinfo takes 99999 as 34463: a port past 65535 is a typo, not a port. */
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5 || atoi(port) > 65535)
		goto bad;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(*host != '\0' ? host : NULL, port, &hints, &res)) != 0) {
		fail(cause, _("Không dùng được địa chỉ nghe %s: %s."), listen, gai_strerror(rc));
		free(copy);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	free(copy);
	return 0;
bad:
	free(copy);
	return fail(cause, _("Địa chỉ nghe \"%s\" phải có dạng ĐỊA_CHỈ:CỔNG (cổng từ 0 "
	    "đến 65535), ví dụ 127.0.0.1:8686."), listen);
}

/*
 * libmicrohttpd's own complaints, as log lines like the others; an attack
 * makes one a connection, so past MHD_LOG_MAX a minute they are counted
 * (and the count logged with the idle polls) rather than written.
 */
#define MHD_LOG_MAX	20

static void
mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char	*msg, *esc;
	size_t	 n;

	if (atomic_fetch_add(&mhd_logged, 1) >= MHD_LOG_MAX) {
		atomic_fetch_add(&mhd_dropped, 1);
		return;
	}
	msg = xvasprintf(fmt, ap);
	n = strlen(msg);

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	esc = server_log_escape(msg, n, 0);
	server_log(SERVER_LOG_WARNING, "libmicrohttpd: %s", esc);
	free(esc);
	free(msg);
}

/* A thousand kiosks at once need more descriptors than the usual 1024. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

struct MHD_Daemon *
server_http_daemon(struct server_ctx *ctx, const struct sockaddr *sa, int threads)
{
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;

	sem_init(&http_big, 0, HTTP_BIG_AT_ONCE);
	if (ctx->poll_s > 0)
		atomic_store(&http_poll_s, ctx->poll_s);
	if (sa == NULL)
		flags |= MHD_USE_NO_LISTEN_SOCKET;
	else if (sa->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, 0, accept_policy, NULL, on_request, ctx,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)8000,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)4096,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    /* Last: without an address the list ends here. */
	    sa != NULL ? MHD_OPTION_SOCK_ADDR : MHD_OPTION_END, sa,
	    MHD_OPTION_END);
}

int
server_http_run(struct server_ctx *ctx, const char *listen, int threads, char **cause)
{
	struct MHD_Daemon		*d;
	const union MHD_DaemonInfo	*di;
	struct sockaddr_storage		 ss;
	socklen_t			 sslen;
	sigset_t			 set;
	char				 host[INET6_ADDRSTRLEN] = "?";
	char				 where[INET6_ADDRSTRLEN + 16];
	int				 sig, waited, port = 0;
	MHD_socket			 lfd;

	if (parse_listen(listen, &ss, &sslen, cause) != 0)
		return -1;
	/*
	 * Two arenas, not one a thread: freed memory is shared, not stranded.
	 * Buffers from 256 KiB up (bodies) are mapped on their own and unmapped
	 * when freed; glibc would otherwise raise that bar after the first one
	 * and keep the next ones in its heap.
	 */
	mallopt(M_ARENA_MAX, 2);
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	raise_fd_limit();
	signal(SIGPIPE, SIG_IGN);
	/* Blocked here, so every thread started below inherits the mask and
	 * only sigwait() in this thread sees the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (server_guard_start(ctx->per_addr > 0 ? ctx->per_addr : SERVER_PER_ADDR_DEFAULT,
	    ctx->request_s > 0 ? ctx->request_s : SERVER_REQUEST_S_DEFAULT) != 0)
		return fail(cause, "%s", _("Không khởi động được luồng canh kết nối."));
	d = server_http_daemon(ctx, (struct sockaddr *)&ss, threads);
	if (d == NULL) {
		server_guard_stop();
		return fail(cause, _("Không mở được cổng %s (đã có chương trình khác dùng "
		    "cổng này, hoặc thiếu quyền)."), listen);
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di != NULL)
		port = di->port;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host,
		    sizeof host);
	if (ss.ss_family == AF_INET6)
		snprintf(where, sizeof where, "[%s]:%d", host, port);
	else
		snprintf(where, sizeof where, "%s:%d", host, port);
	server_log_listening(where);

	/* Wakes each minute to write the idle polls' line. */
	do {
		struct timespec	wait = { 60, 0 };

		sig = sigtimedwait(&set, NULL, &wait);
		if (sig < 0 && errno == EAGAIN) {
			log_idle();
			malloc_trim(0);
		}
		else if (sig < 0 && errno != EINTR)
			sig = SIGTERM;
	} while (sig != SIGTERM && sig != SIGINT);
	log_idle();

	server_log(SERVER_LOG_NOTICE, "sotay-server: %s", _("đang dừng: không nhận kết "
	    "nối mới, chờ các yêu cầu đang xử lý xong"));
	atomic_store(&http_stopping, 1);
	lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	for (waited = 0; atomic_load(&http_inflight) > 0 && waited < DRAIN_MS;
	    waited += 20) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	server_guard_stop();
	server_log(SERVER_LOG_NOTICE, "sotay-server: %s", _("đã dừng"));
	return 0;
}
