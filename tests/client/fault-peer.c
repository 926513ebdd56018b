/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fault-peer.c: the misbehaving provincial server of the client tests (see
 * fault-peer.h). libmicrohttpd runs it on a thread per connection inside
 * the test program, so a handler may hold a connection open (FAULT_SILENT)
 * without stalling the others. Replies that are correct are built with the
 * same protocol helpers the real server uses.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "fault-peer.h"
#include "protocol.h"
#include "util.h"

/* The peer's own clock, real time: the kiosk's may be moved by a test. */
static int64_t
peer_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define HUGE_BYTES	(10 * 1024 * 1024)
#define SILENT_MAX_MS	30000

struct fault_peer {
	struct MHD_Daemon	*d;
	int			 port;
	char			 url[64];
	pthread_mutex_t		 lock;
	enum fault		 mode;
	int			 arg;
	atomic_int		 stopping;
	struct fault_stats	 st;
	uint8_t			*held;		/* held[seq] = 1 */
	int64_t			 nheld;		/* size of held */
	int			 content_version;
};

/* The request body as it arrives. */
struct upload {
	char	*data;
	size_t	 len;
};

#define PEER_TOKEN	FAULT_PEER_TOKEN
#define PEER_KIOSK	FAULT_PEER_KIOSK

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
    size_t len, const char *h1, const char *v1)
{
	struct MHD_Response	*r;
	enum MHD_Result		 rc;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (type != NULL)
		MHD_add_response_header(r, "Content-Type", type);
	if (h1 != NULL)
		MHD_add_response_header(r, h1, v1);
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
reply_json(struct MHD_Connection *conn, unsigned status, const char *body)
{
	return reply(conn, status, PROTOCOL_CONTENT_TYPE, body, strlen(body), NULL, NULL);
}

static enum MHD_Result
reply_error(struct MHD_Connection *conn, enum protocol_error e, const char *msg,
    const char *h1, const char *v1)
{
	char		*body = protocol_error_encode(e, msg);
	enum MHD_Result	 rc;

	rc = reply(conn, (unsigned)protocol_error_status(e), PROTOCOL_CONTENT_TYPE, body,
	    strlen(body), h1, v1);
	free(body);
	return rc;
}

/* FAULT_CUT: promises 4000 bytes, sends a few, then drops the connection. */
static ssize_t
cut_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char part[] = "{\"ok\": \"sotay.ack.v1\", \"kiosk\": \"peer-ki";

	if (pos > 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (max > sizeof part - 1)
		max = sizeof part - 1;
	memcpy(buf, part, max);
	return (ssize_t)max;
}

/* FAULT_HUGE_CHUNKED: 10 MB of padding in a JSON-looking reply, no length. */
static ssize_t
huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	if (pos >= HUGE_BYTES)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > HUGE_BYTES - pos)
		max = HUGE_BYTES - pos;
	memset(buf, pos == 0 ? '{' : ' ', max);
	return (ssize_t)max;
}

static enum MHD_Result
reply_reader(struct MHD_Connection *conn, uint64_t size, MHD_ContentReaderCallback cb)
{
	struct MHD_Response	*r;
	enum MHD_Result		 rc;

	r = MHD_create_response_from_callback(size, 4096, cb, NULL, NULL);
	MHD_add_response_header(r, "Content-Type", PROTOCOL_CONTENT_TYPE);
	rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* The batch format of an events path (2 or 1), 0 if path is not one. */
static int
events_version(const char *path)
{
	if (strcmp(path, PROTOCOL_PATH_EVENTS_V2) == 0)
		return 2;
	return strcmp(path, PROTOCOL_PATH_EVENTS) == 0;
}

/* A well-formed reply for path, for the faults that spoil one. */
static char *
good_body(struct fault_peer *p, const char *path)
{
	if (strcmp(path, PROTOCOL_PATH_KIOSK) == 0) {
		struct protocol_kiosk k = { PEER_KIOSK, "Quảng Ngãi", "Tịnh Khê", "Thôn 1", "Nhà văn hóa" };
		return protocol_kiosk_encode(&k);
	}
	if (events_version(path)) {
		struct protocol_ack a = { .kiosk = PEER_KIOSK, .held_seq = 0, .server_time = peer_now_ms() };
		return protocol_ack_encode(&a);
	}
	return xstrdup("{\"ok\": \"sotay.content.v1\", \"version\": 3, \"checklists\": []}");
}

static const char *
wrong_types_body(const char *path)
{
	if (strcmp(path, PROTOCOL_PATH_KIOSK) == 0)
		return "{\"ok\": \"sotay.kiosk.v1\", \"kiosk\": 42, \"province\": \"P\", "
		    "\"commune\": \"C\", \"hamlet\": \"H\", \"name\": \"N\"}";
	if (events_version(path))
		return "{\"ok\": \"sotay.ack.v1\", \"kiosk\": \"" PEER_KIOSK "\", \"accepted\": 5, "
		    "\"duplicates\": 0, \"conflicts\": [], \"held_seq\": \"5\", \"server_time\": 1}";
	return "{\"ok\": \"sotay.content.v1\", \"version\": \"3\", \"checklists\": []}";
}

/* FAULT_NONE's POST /v1/events: decode, hold, acknowledge (413 over limit, unless -1). */
static enum MHD_Result
accept_batch(struct fault_peer *p, struct MHD_Connection *conn, struct upload *up,
    int version, int gzipped, int limit)
{
	struct protocol_batch	 b;
	struct protocol_ack	 a;
	enum protocol_error	 err;
	enum MHD_Result		 rc;
	char			*plain = NULL, *cause = NULL, *body;
	size_t			 plen = 0, i;
	int64_t			 acc = 0, dup = 0, h;

	if (gzipped) {
		if (protocol_gunzip(up->data, up->len, PROTOCOL_MAX_BODY, &plain, &plen, &err, &cause) != 0) {
			rc = reply_error(conn, err, cause, NULL, NULL);
			free(cause);
			return rc;
		}
	} else {
		plain = xstrdup(up->data != NULL ? up->data : "");
		plen = up->len;
	}
	memset(&b, 0, sizeof b);
	if (protocol_batch_decode_version(version, plain, plen, &b, &err, &cause) != 0) {
		rc = reply_error(conn, err, cause, NULL, NULL);
		goto out;
	}
	if (strcmp(b.kiosk, PEER_KIOSK) != 0) {
		rc = reply_error(conn, PROTOCOL_E_FORBIDDEN, "another kiosk", NULL, NULL);
		goto out;
	}
	pthread_mutex_lock(&p->lock);
	if ((int)b.n > p->st.largest_batch)
		p->st.largest_batch = (int)b.n;
	if (limit >= 0 && (int)b.n > limit) {
		pthread_mutex_unlock(&p->lock);
		rc = reply_error(conn, PROTOCOL_E_TOO_LARGE, "batch over the limit", NULL, NULL);
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		int64_t seq = b.events[i].seq;
		if (seq >= p->nheld) {
			int64_t n = seq * 2 + 64;
			p->held = xrealloc(p->held, (size_t)n);
			memset(p->held + p->nheld, 0, (size_t)(n - p->nheld));
			p->nheld = n;
		}
		if (p->held[seq])
			dup++;
		else {
			p->held[seq] = 1;
			acc++;
		}
	}
	for (h = p->st.held_seq; h + 1 < p->nheld && p->held[h + 1]; h++)
		;
	p->st.held_seq = h;
	p->st.stored += acc;
	p->st.duplicates += dup;
	p->st.acked++;
	pthread_mutex_unlock(&p->lock);

	memset(&a, 0, sizeof a);
	a.kiosk = b.kiosk;
	a.accepted = acc;
	a.duplicates = dup;
	a.held_seq = h;
	a.server_time = peer_now_ms();
	body = protocol_ack_encode(&a);
	rc = reply_json(conn, MHD_HTTP_OK, body);
	free(body);
out:
	protocol_batch_free(&b);
	free(plain);
	free(cause);
	return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *data, size_t *data_size, void **con_cls)
{
	struct fault_peer	*p = cls;
	struct upload		*up = *con_cls;
	const char		*auth, *enc, *inm;
	enum fault		 mode;
	int			 arg, gz, i;
	char			*body, ra[16];
	enum MHD_Result		 rc;

	if (up == NULL) {
		*con_cls = xcalloc(1, sizeof *up);
		return MHD_YES;
	}
	if (*data_size > 0) {
		up->data = xrealloc(up->data, up->len + *data_size + 1);
		memcpy(up->data + up->len, data, *data_size);
		up->len += *data_size;
		up->data[up->len] = '\0';
		*data_size = 0;
		return MHD_YES;
	}

	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	enc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
	gz = enc != NULL && strcmp(enc, "gzip") == 0;
	pthread_mutex_lock(&p->lock);
	mode = p->mode;
	arg = p->arg;
	p->st.requests++;
	if (strcmp(method, "POST") == 0 && events_version(url)) {
		p->st.posts++;
		p->st.v2_posts += events_version(url) == 2;
		p->st.gzip_posts += gz;
		if (mode == FAULT_ACK_THEN_CUT && p->st.acked >= arg)
			mode = FAULT_CUT;
	}
	if (auth == NULL || strcmp(auth, "Bearer " PEER_TOKEN) != 0)
		p->st.bad_auth++;
	pthread_mutex_unlock(&p->lock);

	if (auth == NULL || strcmp(auth, "Bearer " PEER_TOKEN) != 0)
		return reply_error(conn, PROTOCOL_E_UNAUTHORIZED, "unknown token", NULL, NULL);

	switch (mode) {
	case FAULT_CUT:
		return reply_reader(conn, 4000, cut_reader);
	case FAULT_500:
		return reply_error(conn, PROTOCOL_E_INTERNAL, "database is locked", NULL, NULL);
	case FAULT_503:
		snprintf(ra, sizeof ra, "%d", arg);
		return reply_error(conn, PROTOCOL_E_UNAVAILABLE, "shutting down", "Retry-After", ra);
	case FAULT_401:
		return reply_error(conn, PROTOCOL_E_UNAUTHORIZED, "token revoked", NULL, NULL);
	case FAULT_403:
		return reply_error(conn, PROTOCOL_E_FORBIDDEN, "not this kiosk's", NULL, NULL);
	case FAULT_PORTAL:
		body = "<!DOCTYPE html><html><head><title>Đăng nhập Wi-Fi</title></head>"
		    "<body><form action=\"/login\">Nhập mã OTP để dùng Internet miễn phí"
		    "<input name=\"otp\"></form></body></html>";
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", body, strlen(body), NULL, NULL);
	case FAULT_TRUNCATED:
		body = good_body(p, url);
		rc = reply(conn, MHD_HTTP_OK, PROTOCOL_CONTENT_TYPE, body, strlen(body) / 2, NULL, NULL);
		free(body);
		return rc;
	case FAULT_INVALID:
		return reply_json(conn, MHD_HTTP_OK, "{\"ok\": \"sotay.ack.v1\", \"held_seq\": 12,, oops");
	case FAULT_WRONG_TYPES:
		return reply_json(conn, MHD_HTTP_OK, wrong_types_body(url));
	case FAULT_HUGE:
		return reply_reader(conn, HUGE_BYTES, huge_reader);
	case FAULT_HUGE_CHUNKED:
		return reply_reader(conn, MHD_SIZE_UNKNOWN, huge_reader);
	case FAULT_SILENT:
		/* Thread per connection: holding this one up stalls nobody else. */
		for (i = 0; i < SILENT_MAX_MS / 20 && !atomic_load(&p->stopping); i++)
			usleep(20000);
		return MHD_NO;
	case FAULT_HOLD_NOTHING:
		if (events_version(url)) {
			body = good_body(p, url);
			rc = reply_json(conn, MHD_HTTP_OK, body);
			free(body);
			return rc;
		}
		break;
	case FAULT_V1_ONLY:
		if (events_version(url) == 2)
			return reply_error(conn, PROTOCOL_E_NOT_FOUND, url, NULL, NULL);
		break;
	case FAULT_NONE:
	case FAULT_413:
	case FAULT_ACK_THEN_CUT:
	case FAULT_BAD_CHECKLIST:
		break;
	}

	if (strcmp(url, PROTOCOL_PATH_KIOSK) == 0) {
		body = good_body(p, url);
		rc = reply_json(conn, MHD_HTTP_OK, body);
		free(body);
		return rc;
	}
	if (events_version(url) && strcmp(method, "POST") == 0)
		return accept_batch(p, conn, up, events_version(url), gz,
		    mode == FAULT_413 ? arg : -1);
	if (strcmp(url, PROTOCOL_PATH_CONTENT) == 0) {
		if (mode == FAULT_BAD_CHECKLIST)
			return reply_json(conn, MHD_HTTP_OK, "{\"ok\": \"sotay.content.v1\", \"version\": 9, "
			    "\"checklists\": [ {\"format\": 1, \"id\": \"Not An Id!\", \"version\": 1} ]}");
		inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
		if (inm != NULL && strcmp(inm, "\"1\"") == 0)
			return reply(conn, MHD_HTTP_NOT_MODIFIED, NULL, "", 0, "ETag", "\"1\"");
		return reply(conn, MHD_HTTP_OK, PROTOCOL_CONTENT_TYPE,
		    "{\"ok\": \"sotay.content.v1\", \"version\": 1, \"checklists\": []}",
		    strlen("{\"ok\": \"sotay.content.v1\", \"version\": 1, \"checklists\": []}"),
		    "ETag", "\"1\"");
	}
	return reply_error(conn, PROTOCOL_E_NOT_FOUND, url, NULL, NULL);
}

static void
on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	if (up != NULL) {
		free(up->data);
		free(up);
		*con_cls = NULL;
	}
}

static struct fault_peer *
peer_start(enum fault mode, int arg, const char *cert, const char *key)
{
	struct fault_peer	*p = xcalloc(1, sizeof *p);
	struct sockaddr_in	 sa;
	const union MHD_DaemonInfo *info;
	unsigned		 flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD;

	pthread_mutex_init(&p->lock, NULL);
	p->mode = mode;
	p->arg = arg;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (cert != NULL)
		p->d = MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL, on_request, p,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_NOTIFY_COMPLETED, on_done, p,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		    MHD_OPTION_HTTPS_MEM_CERT, cert,
		    MHD_OPTION_HTTPS_MEM_KEY, key,
		    MHD_OPTION_END);
	else
		p->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, p,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_NOTIFY_COMPLETED, on_done, p,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		    MHD_OPTION_END);
	if (p->d == NULL) {
		fprintf(stderr, "fault-peer: libmicrohttpd did not start\n");
		abort();
	}
	info = MHD_get_daemon_info(p->d, MHD_DAEMON_INFO_BIND_PORT);
	p->port = info->port;
	snprintf(p->url, sizeof p->url, "%s://127.0.0.1:%d", cert != NULL ? "https" : "http",
	    p->port);
	return p;
}

struct fault_peer *
fault_peer_start(enum fault mode, int arg)
{
	return peer_start(mode, arg, NULL, NULL);
}

struct fault_peer *
fault_peer_start_tls(enum fault mode, int arg, const char *cert_pem, const char *key_pem)
{
	return peer_start(mode, arg, cert_pem, key_pem);
}

void
fault_peer_set(struct fault_peer *p, enum fault mode, int arg)
{
	pthread_mutex_lock(&p->lock);
	p->mode = mode;
	p->arg = arg;
	pthread_mutex_unlock(&p->lock);
}

int
fault_peer_port(const struct fault_peer *p)
{
	return p->port;
}

const char *
fault_peer_url(const struct fault_peer *p)
{
	return p->url;
}

void
fault_peer_stats(struct fault_peer *p, struct fault_stats *out)
{
	pthread_mutex_lock(&p->lock);
	*out = p->st;
	pthread_mutex_unlock(&p->lock);
}

void
fault_peer_stop(struct fault_peer *p)
{
	if (p == NULL)
		return;
	atomic_store(&p->stopping, 1);
	MHD_stop_daemon(p->d);
	pthread_mutex_destroy(&p->lock);
	free(p->held);
	free(p);
}
