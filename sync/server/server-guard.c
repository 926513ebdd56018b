/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-guard.c: keeps slow and greedy clients from locking others out.
 * libmicrohttpd's own timeout is an idle one, reset by every byte, so a
 * client trickling a header line every few seconds holds its connection
 * for ever. Here every connection has a deadline for each request, from
 * its first byte (or the end of the previous request) to the moment the
 * request is whole: a thread shuts down the socket of any request past it,
 * however many bytes it trickled. And one client address may hold only so
 * many connections at once; more are refused at accept.
 *
 * Behind a reverse proxy every connection comes from the proxy's address:
 * that address (--trusted-proxy) is exempt, and the proxy's own limits
 * apply (packaging/README.md). Memory is bounded by the connection limit:
 * one record a connection, one per address holding any.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "i18n.h"
#include "util.h"
#include "server.h"

#define GUARD_BUCKETS	4096
#define GUARD_TICK_MS	250

struct guard_conn {
	struct guard_conn	*prev, *next;
	struct guard_addr	*addr;		/* NULL for the trusted proxy */
	int			 fd;
	int64_t			 start;		/* monotonic ms: the current request began */
	int			 answering;	/* the request is whole: no deadline */
	int			 shut;
};

/* Connections held by one client address. */
struct guard_addr {
	struct guard_addr	*next;
	unsigned char		 key[16];
	int			 count;
};

static struct {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	pthread_t		 reaper;
	int			 running;
	int			 stop;
	int			 per_addr;
	int64_t			 deadline_ms;
	unsigned char		 proxy[16];
	int			 have_proxy;
	struct guard_conn	*conns;
	struct guard_addr	*buckets[GUARD_BUCKETS];
	atomic_long		 refused;
	atomic_long		 cut;
} guard = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* An address as 16 bytes (IPv4 mapped into IPv6); -1 if not IP. */
static int
addr_key(const struct sockaddr *sa, unsigned char key[16])
{
	memset(key, 0, 16);
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 0;
	}
	return -1;
}

static unsigned
bucket(const unsigned char key[16])
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 16; i++)
		h = (h ^ key[i]) * 16777619u;
	return h % GUARD_BUCKETS;
}

static struct guard_addr *
addr_find(const unsigned char key[16], int create)
{
	struct guard_addr **pp = &guard.buckets[bucket(key)], *a;

	for (a = *pp; a != NULL; a = a->next)
		if (memcmp(a->key, key, 16) == 0)
			return a;
	if (!create)
		return NULL;
	a = xcalloc(1, sizeof *a);
	memcpy(a->key, key, 16);
	a->next = *pp;
	*pp = a;
	return a;
}

static void
addr_release(struct guard_addr *a)
{
	struct guard_addr **pp;

	if (--a->count > 0)
		return;
	for (pp = &guard.buckets[bucket(a->key)]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			free(a);
			return;
		}
}

int
server_guard_is_proxy(const struct sockaddr *sa)
{
	unsigned char key[16];

	return guard.have_proxy && addr_key(sa, key) == 0 &&
	    memcmp(key, guard.proxy, 16) == 0;
}

int
server_guard_parse_proxy(const char *text, char **cause)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	memset(guard.proxy, 0, sizeof guard.proxy);
	if (inet_pton(AF_INET, text, &a4) == 1) {
		guard.proxy[10] = guard.proxy[11] = 0xff;
		memcpy(guard.proxy + 12, &a4, 4);
	} else if (inet_pton(AF_INET6, text, &a6) == 1)
		memcpy(guard.proxy, &a6, 16);
	else
		return fail(cause, _("--trusted-proxy phải là một địa chỉ IP (ví dụ 127.0.0.1), "
		    "không phải \"%s\"."), text);
	guard.have_proxy = 1;
	return 0;
}

int
server_guard_accept(const struct sockaddr *sa)
{
	struct guard_addr	*a;
	unsigned char		 key[16];
	int			 ok = 1;

	if (server_guard_is_proxy(sa) || addr_key(sa, key) != 0)
		return 1;
	pthread_mutex_lock(&guard.mu);
	if ((a = addr_find(key, 0)) != NULL && a->count >= guard.per_addr)
		ok = 0;
	pthread_mutex_unlock(&guard.mu);
	if (!ok)
		atomic_fetch_add(&guard.refused, 1);
	return ok;
}

void *
server_guard_opened(int fd, const struct sockaddr *sa)
{
	struct guard_conn	*gc = xcalloc(1, sizeof *gc);
	unsigned char		 key[16];
	int			 over = 0;

	gc->fd = fd;
	gc->start = util_mono_ms();
	pthread_mutex_lock(&guard.mu);
	if (!server_guard_is_proxy(sa) && addr_key(sa, key) == 0) {
		gc->addr = addr_find(key, 1);
		over = ++gc->addr->count > guard.per_addr;
	}
	gc->next = guard.conns;
	if (guard.conns != NULL)
		guard.conns->prev = gc;
	guard.conns = gc;
	pthread_mutex_unlock(&guard.mu);
	/*
	 * The accept policy only looked: several listening threads may let
	 * one address past it at once. Counting happens here, under the lock;
	 * one over the limit is shut at once and MHD closes it.
	 */
	if (over && fd >= 0) {
		shutdown(fd, SHUT_RDWR);
		atomic_fetch_add(&guard.refused, 1);
	}
	return gc;
}

void
server_guard_closed(void *conn)
{
	struct guard_conn *gc = conn;

	if (gc == NULL)
		return;
	pthread_mutex_lock(&guard.mu);
	if (gc->prev != NULL)
		gc->prev->next = gc->next;
	else
		guard.conns = gc->next;
	if (gc->next != NULL)
		gc->next->prev = gc->prev;
	if (gc->addr != NULL)
		addr_release(gc->addr);
	pthread_mutex_unlock(&guard.mu);
	free(gc);
}

void
server_guard_answering(void *conn)
{
	struct guard_conn *gc = conn;

	if (gc == NULL)
		return;
	pthread_mutex_lock(&guard.mu);
	gc->answering = 1;
	pthread_mutex_unlock(&guard.mu);
}

void
server_guard_request_done(void *conn)
{
	struct guard_conn *gc = conn;

	if (gc == NULL)
		return;
	pthread_mutex_lock(&guard.mu);
	gc->answering = 0;
	gc->start = util_mono_ms();	/* a kept-alive connection: the next request's clock */
	pthread_mutex_unlock(&guard.mu);
}

/*
 * Shuts down the sockets of requests past their deadline. shutdown() and
 * not close(): the descriptor stays libmicrohttpd's, which sees the end of
 * the stream and cleans up as for any client that went away.
 */
static void *
reaper(void *arg)
{
	struct timespec		 until;
	struct guard_conn	*gc;
	int64_t			 now;

	pthread_mutex_lock(&guard.mu);
	while (!guard.stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += GUARD_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&guard.cv, &guard.mu, &until);
		now = util_mono_ms();
		for (gc = guard.conns; gc != NULL; gc = gc->next)
			if (!gc->answering && !gc->shut && now - gc->start > guard.deadline_ms) {
				shutdown(gc->fd, SHUT_RDWR);
				gc->shut = 1;
				atomic_fetch_add(&guard.cut, 1);
			}
	}
	pthread_mutex_unlock(&guard.mu);
	return NULL;
}

int
server_guard_start(int per_addr, int deadline_s)
{
	guard.per_addr = per_addr;
	guard.deadline_ms = (int64_t)deadline_s * 1000;
	guard.stop = 0;
	if (pthread_create(&guard.reaper, NULL, reaper, NULL) != 0)
		return -1;
	guard.running = 1;
	return 0;
}

void
server_guard_stop(void)
{
	if (!guard.running)
		return;
	pthread_mutex_lock(&guard.mu);
	guard.stop = 1;
	pthread_cond_signal(&guard.cv);
	pthread_mutex_unlock(&guard.mu);
	pthread_join(guard.reaper, NULL);
	guard.running = 0;
}

void
server_guard_counts(long *refused, long *cut)
{
	*refused = atomic_exchange(&guard.refused, 0);
	*cut = atomic_exchange(&guard.cut, 0);
}
