/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.c: allocation, formatted strings, the clock, UUIDv7, dates, UTF-8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "util.h"

static int64_t clock_offset;
static int clock_env_read;

static void
oom(void)
{
	fputs("sotay: hết bộ nhớ / out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		oom();
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

int
(fail)(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		*cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return -1;
}

int64_t
util_now_ms(void)
{
	struct timespec ts;

	if (!clock_env_read) {
		const char *e = getenv("SOTAY_CLOCK_OFFSET_MS");
		if (e != NULL)
			clock_offset += strtoll(e, NULL, 10);
		clock_env_read = 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + clock_offset;
}

int64_t
util_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
util_clock_offset_ms(int64_t ms)
{
	clock_offset += ms;
}

void
util_uuid7(char out[UUID_STR_LEN])
{
	static int64_t last_ms;
	static uint16_t last_seq;
	unsigned char b[16];
	int64_t ms = util_now_ms();

	/*
	 * RFC 9562: 48 bits of ms, version 7, then random. Within one ms the
	 * 12-bit rand_a field counts up so ids made in a row still sort in order.
	 */
	randombytes_buf(b, sizeof b);
	if (ms <= last_ms) {
		ms = last_ms;
		last_seq++;
		if (last_seq > 0x0fff) {
			ms++;
			last_seq = 0;
		}
	} else
		last_seq = (b[6] << 8 | b[7]) & 0x03ff;	/* leave room to count */
	last_ms = ms;
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = 0x70 | ((last_seq >> 8) & 0x0f);
	b[7] = last_seq & 0xff;
	b[8] = (b[8] & 0x3f) | 0x80;
	/* By hand rather than snprintf: every event (each step mark) makes one. */
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 0x0f];
	}
	*o = '\0';
}

int64_t
util_parse_date(const char *s)
{
	struct tm tm;
	int y, m, d;
	char tail;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (s[4] != '-' || s[7] != '-' || y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	/* mktime normalises 31 February to 3 March: such a date is not real. */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1)
		return -1;
	return (int64_t)t * 1000;
}

void
util_format_time(int64_t ms, char out[17])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	if (strftime(out, 17, "%Y-%m-%d %H:%M", &tm) == 0)
		out[0] = '\0';
}

int
util_utf8_valid(const char *s, size_t len)
{
	return util_utf8_prefix(s, len) == len;
}

size_t
util_utf8_prefix(const char *s, size_t len)
{
	const unsigned char *start = (const unsigned char *)s, *p = start, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else
			break;
		if ((size_t)(end - p) <= n)
			break;
		size_t i;
		for (i = 1; i <= n && (p[i] & 0xc0) == 0x80; i++)
			cp = cp << 6 | (p[i] & 0x3f);
		if (i <= n || (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			break;
		p += n + 1;
	}
	return (size_t)(p - start);
}

size_t
util_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int
util_mkdir_p(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0700);
	free(p);
	return rc != 0 && errno != EEXIST ? -1 : 0;
}

char *
util_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}
