/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-http.c: libFuzzer harness for the HTTP request path as the server
 * sees it. The input is the raw bytes a client sends — request line with
 * its encoded path and query, headers (Authorization, Content-Encoding,
 * If-None-Match, X-Forwarded-For…), body — written into a socket pair
 * handed to the real libmicrohttpd daemon of sotay-server, with its real
 * handlers over an SQLite store that holds one kiosk (token
 * "sotay_fuzz_token_0123456789") and the test checklists. The reply is
 * read to the end of the stream.
 */
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <sodium.h>

#include "util.h"
#include "server/server.h"

#define FUZZ_TOKEN	"sotay_fuzz_token_0123456789"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct server_ctx	 ctx;
static struct MHD_Daemon	*daemon_;

static void
setup(void)
{
	struct server_kiosk	 k;
	unsigned char		 h[SERVER_HASH_LEN];
	char			 dir[] = "/tmp/sotay-fuzz-http.XXXXXX", *db, *cause = NULL;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		abort();
	db = xasprintf("%s/server.db", dir);
	if (server_store_open(db, &ctx.store, &cause) != 0) {
		fprintf(stderr, "fuzz-http: %s\n", cause);
		abort();
	}
	memset(&k, 0, sizeof k);
	k.id = "0190f000-0000-7000-8000-00000000f022";
	k.province = k.commune = k.hamlet = k.name = "fuzz";
	server_api_hash_token(FUZZ_TOKEN, h);
	if (server_store_kiosk_add(ctx.store, &k, h, &cause) != 0)
		abort();
	server_api_hash_token(FUZZ_TOKEN "_admin", ctx.admin_hash);
	ctx.have_admin = 1;
	server_log_to(fopen("/dev/null", "w"));
	server_guard_start(64, 120);
	daemon_ = server_http_daemon(&ctx, NULL, 1);
	if (daemon_ == NULL)
		abort();
	free(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in	sa;
	int			sv[2];
	char			buf[65536];
	size_t			off = 0;

	if (daemon_ == NULL)
		setup();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(daemon_, sv[0], (struct sockaddr *)&sa, sizeof sa) != MHD_YES) {
		close(sv[1]);
		return 0;
	}
	/* Send it all (the server reads as it goes), then the end of the stream. */
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	while (off < size) {
		struct pollfd	pfd = { sv[1], POLLOUT | POLLIN, 0 };
		ssize_t		n;

		if (poll(&pfd, 1, 1000) <= 0)
			break;
		if (pfd.revents & POLLIN)
			(void)!read(sv[1], buf, sizeof buf);	/* an early reply */
		if (!(pfd.revents & POLLOUT))
			continue;
		n = write(sv[1], data + off, size - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(sv[1], SHUT_WR);
	/* Some requests cut short get no answer before the server's own timeout:
	 * a short wait, then the connection is dropped as a client would. */
	for (;;) {
		struct pollfd pfd = { sv[1], POLLIN, 0 };

		if (poll(&pfd, 1, 300) <= 0 || read(sv[1], buf, sizeof buf) <= 0)
			break;
	}
	close(sv[1]);
	return 0;
}
