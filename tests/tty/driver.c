/* SPDX-License-Identifier: Apache-2.0 */
/*
 * driver.c: see driver.h. forkpty() gives the program a real terminal;
 * libvterm plays the terminal emulator on our side.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

static int64_t
tty_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What libvterm answers (cursor reports, keys) goes to the program. */
static void
tty_output(const char *s, size_t len, void *user)
{
	struct tty *t = user;
	ssize_t n;

	while (len > 0) {
		n = write(t->fd, s, len);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

int
tty_start(struct tty *t, int rows, int cols, char *const argv[], char *const env[])
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	pid_t pid;

	memset(t, 0, sizeof *t);
	t->rows = rows;
	t->cols = cols;
	pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(argv[0], argv, env);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	t->pid = pid;
	fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, tty_output, t);
	t->vs = vterm_obtain_screen(t->vt);
	vterm_screen_enable_altscreen(t->vs, 1);
	vterm_screen_reset(t->vs, 1);
	return 0;
}

/* Reads once, waiting up to ms; returns bytes read, 0 on timeout, -1 at EOF. */
static ssize_t
tty_read1(struct tty *t, int ms)
{
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	char buf[16384];
	ssize_t n;

	if (poll(&p, 1, ms < 0 ? 0 : ms) <= 0)
		return 0;
	n = read(t->fd, buf, sizeof buf);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		return -1;
	}
	t->bytes += (size_t)n;
	{
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		t->last_read_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	vterm_input_write(t->vt, buf, (size_t)n);
	return n;
}

void
tty_pump(struct tty *t, int ms, int quiet_ms)
{
	int64_t end = tty_ms() + ms, last = tty_ms(), now;
	ssize_t n;

	while ((now = tty_ms()) < end) {
		n = tty_read1(t, (int)(end - now < 20 ? end - now : 20));
		if (n < 0)
			return;
		if (n > 0)
			last = tty_ms();
		else if (quiet_ms > 0 && tty_ms() - last >= quiet_ms)
			return;
	}
}

static void
tty_utf8(char **buf, size_t *len, size_t *cap, uint32_t c)
{
	char e[4];
	size_t k = 0;

	if (c < 0x80)
		e[k++] = (char)c;
	else if (c < 0x800) {
		e[k++] = (char)(0xc0 | (c >> 6));
		e[k++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		e[k++] = (char)(0xe0 | (c >> 12));
		e[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
		e[k++] = (char)(0x80 | (c & 0x3f));
	} else {
		e[k++] = (char)(0xf0 | (c >> 18));
		e[k++] = (char)(0x80 | ((c >> 12) & 0x3f));
		e[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
		e[k++] = (char)(0x80 | (c & 0x3f));
	}
	if (*len + k + 2 > *cap) {
		*cap = (*cap + k + 2) * 2;
		*buf = realloc(*buf, *cap);
	}
	memcpy(*buf + *len, e, k);
	*len += k;
}

uint32_t
tty_cell(struct tty *t, int row, int col, VTermScreenCell *out)
{
	VTermScreenCell c;
	VTermPos pos = { .row = row, .col = col };

	memset(&c, 0, sizeof c);
	vterm_screen_get_cell(t->vs, pos, &c);
	if (out != NULL)
		*out = c;
	return c.chars[0];
}

char *
tty_row(struct tty *t, int row)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	VTermScreenCell c;
	int col, i;

	for (col = 0; col < t->cols; col++) {
		tty_cell(t, row, col, &c);
		if (c.chars[0] == 0 || c.chars[0] == (uint32_t)-1) {
			tty_utf8(&buf, &len, &cap, ' ');
			continue;
		}
		for (i = 0; i < VTERM_MAX_CHARS_PER_CELL && c.chars[i] != 0; i++)
			tty_utf8(&buf, &len, &cap, c.chars[i]);
		if (c.width == 2)
			col++;
	}
	while (len > 0 && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	return buf;
}

char *
tty_text(struct tty *t)
{
	size_t len = 0, cap = 4096, k;
	char *buf = malloc(cap), *row;
	int r;

	for (r = 0; r < t->rows; r++) {
		row = tty_row(t, r);
		k = strlen(row);
		if (len + k + 2 > cap) {
			cap = (len + k + 2) * 2;
			buf = realloc(buf, cap);
		}
		memcpy(buf + len, row, k);
		len += k;
		buf[len++] = '\n';
		free(row);
	}
	buf[len] = '\0';
	return buf;
}

int
tty_has(struct tty *t, const char *text)
{
	char *s = tty_text(t);
	int found = strstr(s, text) != NULL;

	free(s);
	return found;
}

int
tty_find_row(struct tty *t, const char *text)
{
	char *s;
	int r;

	for (r = 0; r < t->rows; r++) {
		s = tty_row(t, r);
		if (strstr(s, text) != NULL) {
			free(s);
			return r;
		}
		free(s);
	}
	return -1;
}

/*
 * 1 when the program has written its whole screen: nothing is left to read
 * and it is not running (it waits for a key, or for something else). A
 * screen is judged only then: read half-way, the rows not yet redrawn still
 * show the screen before, and a key sent on their strength arrives before
 * the new screen was drawn, where the program rightly drops it.
 */
static int
tty_settled(struct tty *t)
{
	char path[64], buf[512], *p;
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	ssize_t n;
	int fd;

	if (t->exited)
		return 1;
	while (tty_read1(t, 0) > 0)
		;
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)t->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 1;	/* gone */
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* "pid (comm) S …": the state follows the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == 'R')
		return 0;
	/* Read after the state: a writer woken by the last read shows as running, or its bytes show here. */
	return poll(&pfd, 1, 0) == 0;
}

static int
tty_wait1(struct tty *t, const char *text, int timeout_ms, int want)
{
	int64_t end = tty_ms() + timeout_ms;
	int seen;

	for (;;) {
		/* What the program has written so far, all of it: never judge a half-read frame. */
		while (tty_read1(t, 0) > 0)
			;
		seen = tty_has(t, text) == want;
		if (seen && tty_settled(t) && tty_has(t, text) == want)
			return 0;
		if (tty_ms() >= end)
			return -1;
		/* Waiting for the program to finish its frame: look again soon. */
		if (tty_read1(t, seen ? 2 : 20) < 0) {
			/* The program is gone: the screen will not change any more. */
			return tty_has(t, text) == want ? 0 : -1;
		}
	}
}

int
tty_wait(struct tty *t, const char *text, int timeout_ms)
{
	return tty_wait1(t, text, timeout_ms, 1);
}

int
tty_wait_gone(struct tty *t, const char *text, int timeout_ms)
{
	return tty_wait1(t, text, timeout_ms, 0);
}

void
tty_type(struct tty *t, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	int k, i;

	while (*u != '\0') {
		if (*u < 0x80) {
			c = *u;
			k = 1;
		} else if ((*u & 0xe0) == 0xc0) {
			c = *u & 0x1f;
			k = 2;
		} else if ((*u & 0xf0) == 0xe0) {
			c = *u & 0x0f;
			k = 3;
		} else {
			c = *u & 0x07;
			k = 4;
		}
		for (i = 1; i < k && u[i] != '\0'; i++)
			c = (c << 6) | (u[i] & 0x3f);
		u += k;
		if (c == '\n' || c == '\r')
			vterm_keyboard_key(t->vt, VTERM_KEY_ENTER, VTERM_MOD_NONE);
		else
			vterm_keyboard_unichar(t->vt, c, VTERM_MOD_NONE);
	}
}

void
tty_key(struct tty *t, VTermKey k)
{
	vterm_keyboard_key(t->vt, k, VTERM_MOD_NONE);
}

void
tty_raw(struct tty *t, const char *bytes, size_t n)
{
	tty_output(bytes, n, t);
}

void
tty_resize(struct tty *t, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	t->rows = rows;
	t->cols = cols;
	vterm_set_size(t->vt, rows, cols);
	ioctl(t->fd, TIOCSWINSZ, &ws);
	kill(t->pid, SIGWINCH);
}

int
tty_wait_exit(struct tty *t, int ms)
{
	int64_t end = tty_ms() + ms;
	pid_t r;

	if (t->exited)
		return 1;
	for (;;) {
		tty_read1(t, 10);
		r = waitpid(t->pid, &t->status, WNOHANG);
		if (r == t->pid) {
			t->exited = 1;
			tty_pump(t, 50, 0);
			return 1;
		}
		if (tty_ms() >= end)
			return 0;
	}
}

void
tty_stop(struct tty *t)
{
	if (t->pid > 0 && !t->exited) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &t->status, 0);
		t->exited = 1;
	}
	if (t->fd > 0)
		close(t->fd);
	if (t->vt != NULL)
		vterm_free(t->vt);
	t->vt = NULL;
	t->fd = -1;
}

void
tty_dump(struct tty *t, const char *why)
{
	char *s = tty_text(t);

	fprintf(stderr, "---- screen (%dx%d): %s ----\n%s---- end ----\n", t->cols, t->rows,
	    why, s);
	free(s);
}
