/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-log.c: the log lines `sotay-server serve` writes to stderr. Each
 * starts with a syslog priority prefix (<3> error … <7> debug), which
 * journald reads as the line's priority, so `journalctl -p err` shows the
 * errors without the access log. Under journald (JOURNAL_STREAM names our
 * stderr) a line carries no timestamp of its own; elsewhere it does.
 *
 * `serve` says where it listens as a log line too; the plain line on
 * stdout is for scripts waiting for it (port 0 picks the port).
 *
 * Whatever came from a request (method, path, header, a message quoting
 * them) goes through server_log_escape first: a decoded %0a or an escape
 * sequence then shows as \x0a / \x1b and can neither forge a second line
 * nor drive the operator's terminal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util.h"
#include "server.h"

static int	 log_journald;
static FILE	*log_file;	/* NULL: stderr */

void
server_log_to(FILE *f)
{
	log_file = f;
}

void
server_log_init(void)
{
	const char		*js = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;
	struct stat		 sb;

	/* "DEV:INO" of the journal's socket; it counts only if it is our stderr. */
	log_journald = js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(2, &sb) == 0 && (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino;
}

void
server_log(int prio, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, when[32] = "";

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (!log_journald) {
		struct tm	tm;
		time_t		t = time(NULL);

		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ ", &tm);
	}
	/* One fprintf: stdio locks the stream, so lines never interleave. */
	fprintf(log_file != NULL ? log_file : stderr, "<%d>%s%s\n", prio, when, msg);
	free(msg);
}

void
server_log_listening(const char *where)
{
	struct stat	out, err;
	FILE		*log = log_file != NULL ? log_file : stderr;

	/* The readiness line scripts wait for, once: not twice on one screen. */
	if (fstat(1, &out) != 0 || fstat(fileno(log), &err) != 0 ||
	    out.st_dev != err.st_dev || out.st_ino != err.st_ino) {
		printf("listening on %s\n", where);
		fflush(stdout);
	}
	server_log(SERVER_LOG_NOTICE, "sotay-server: listening on %s", where);
}

/* Length of the UTF-8 character at s (at most n bytes) to keep as it is; 0: escape. */
static size_t
printable_utf8(const unsigned char *s, size_t n)
{
	size_t		k, i;
	unsigned	cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	k = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (k > n)
		return 0;
	cp = s[0] & (0xff >> (k + 1));
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls, and bidi controls that would reorder the rest of the line. */
	if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029)
		return 0;
	return k;
}

char *
server_log_escape(const char *s, size_t len, int spaces)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*out, *o;
	size_t			 i = 0, k;

	if (s == NULL)
		return xstrdup("-");
	o = out = xmalloc(len * 4 + 1);
	while (i < len) {
		if (p[i] >= 0x80 && (k = printable_utf8(p + i, len - i)) > 0) {
			memcpy(o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\' || (spaces && p[i] == ' '))
			o += sprintf(o, "\\x%02x", p[i]);
		else
			*o++ = (char)p[i];
		i++;
	}
	*o = '\0';
	return out;
}
