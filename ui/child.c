/* SPDX-License-Identifier: Apache-2.0 */
/*
 * child.c: see child.h. The table of children is small: a speech, a
 * printer question or a print job at a time, plus any still stopping after
 * their screen was left.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "util.h"

extern char **environ;

static struct child_kid {
	pid_t	 pid;
	int	 ended, status;
	int	 forgotten, killed;
	int64_t	 stop_ms;	/* CLOCK_MONOTONIC when forgotten */
	int	 grace_ms;	/* how long it may take to stop once forgotten */
} *kids;
static size_t nkids;

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct child_kid *
child_find(pid_t pid)
{
	size_t i;

	for (i = 0; i < nkids; i++)
		if (kids[i].pid == pid)
			return &kids[i];
	return NULL;
}

static void
child_forget(struct child_kid *k)
{
	*k = kids[--nkids];
}

/* The environment with the locale set to C.UTF-8; the array is malloc'd, its strings are environ's. */
static char **
child_env(void)
{
	size_t n = 0, i, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof *env);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_", 3) != 0 && strncmp(environ[i], "LANG=", 5) != 0 &&
		    strncmp(environ[i], "LANGUAGE=", 9) != 0)
			env[k++] = environ[i];
	env[k++] = "LC_ALL=C.UTF-8";
	env[k] = NULL;
	return env;
}

int
child_input(const char *input, size_t len)
{
	int in[2], err;

	if (len > CHILD_INPUT_MAX) {
		errno = E2BIG;
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (write(in[1], input, len) != (ssize_t)len) {
		err = errno;
		close(in[0]);
		close(in[1]);
		errno = err;
		return -1;
	}
	close(in[1]);
	return in[0];
}

int
child_spawn(pid_t *pid, char *const argv[], int in, int out, int c_locale, int grace_ms)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	sigset_t			 def, none;
	char				**env = c_locale ? child_env() : NULL;
	int				 rc;

	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (out >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&fa, out, STDERR_FILENO);
	} else {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	}
	posix_spawnattr_init(&at);
	/* The kiosk ignores Ctrl-C and friends; the child gets the defaults back. */
	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGQUIT);
	sigaddset(&def, SIGTSTP);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGPIPE);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETPGROUP);
	rc = posix_spawnp(pid, argv[0], &fa, &at, argv, env != NULL ? env : environ);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		*pid = 0;
		errno = rc;
		return -1;
	}
	kids = xrealloc(kids, (nkids + 1) * sizeof *kids);
	memset(&kids[nkids], 0, sizeof kids[nkids]);
	kids[nkids].pid = *pid;
	kids[nkids++].grace_ms = grace_ms;
	return 0;
}

int
child_start(struct child *c, char *const argv[], const char *input, int capture)
{
	size_t len = input != NULL ? strlen(input) : 0;
	int in = -1, out[2] = { -1, -1 }, rc, err;

	memset(c, 0, sizeof *c);
	c->fd = -1;
	if (len > CHILD_INPUT_MAX)
		len = util_utf8_prefix(input, CHILD_INPUT_MAX);
	/* The input is in the pipe before the child starts: writing never waits for it. */
	if (input != NULL && (in = child_input(input, len)) == -1)
		return -1;
	if (capture && pipe2(out, O_CLOEXEC) != 0) {
		err = errno;
		if (in >= 0)
			close(in);
		errno = err;
		return -1;
	}
	rc = child_spawn(&c->pid, argv, in, out[1], 1, CHILD_GRACE_MS);
	err = errno;
	if (in >= 0)
		close(in);
	if (capture)
		close(out[1]);
	if (rc != 0) {
		if (capture)
			close(out[0]);
		errno = err;
		return -1;
	}
	if (capture) {
		fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
		c->fd = out[0];
		c->out = xstrdup("");
	}
	return 0;
}

/* Reads what the child wrote so far; 1 at the end of its output (or none is captured). */
static int
child_read(struct child *c)
{
	char buf[4096];
	ssize_t r;

	if (c->fd < 0)
		return 1;
	for (;;) {
		r = read(c->fd, buf, sizeof buf);
		if (r > 0) {
			size_t keep = c->nout + (size_t)r > CHILD_OUTPUT_MAX ?
			    CHILD_OUTPUT_MAX - c->nout : (size_t)r;

			c->out = xrealloc(c->out, c->nout + keep + 1);
			memcpy(c->out + c->nout, buf, keep);
			c->nout += keep;
			c->out[c->nout] = '\0';
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return 0;
		close(c->fd);	/* end of file, or an error that ends it */
		c->fd = -1;
		return 1;
	}
}

int
child_reap(void)
{
	size_t i = 0;
	int running = 0, st;
	pid_t r;

	while (i < nkids) {
		struct child_kid *k = &kids[i];

		if (!k->ended) {
			r = waitpid(k->pid, &st, WNOHANG);
			if (r == k->pid || (r == -1 && errno == ECHILD)) {
				k->ended = 1;
				k->status = r == k->pid ? st : -1;
			}
		}
		if (k->ended && k->forgotten) {
			child_forget(k);
			continue;	/* the last one moved into slot i */
		}
		if (!k->ended) {
			running++;
			/* A child that does not stop must not linger for ever. */
			if (k->forgotten && !k->killed && mono_ms() - k->stop_ms > k->grace_ms) {
				kill(-k->pid, SIGKILL);
				k->killed = 1;
			}
		}
		i++;
	}
	return running;
}

int
child_wait(pid_t pid, int *status)
{
	struct child_kid *k;

	child_reap();
	if ((k = child_find(pid)) == NULL) {
		*status = -1;
		return 1;
	}
	if (!k->ended)
		return 0;
	*status = k->status;
	child_forget(k);
	return 1;
}

int
child_ended(struct child *c, int *status)
{
	int eof;

	if (c->pid == 0) {
		*status = -1;
		return 1;
	}
	eof = child_read(c);
	if (!child_wait(c->pid, status))
		return 0;
	/* It ended: what it wrote last is in the pipe still (it has no writer left). */
	if (!eof)
		child_read(c);
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	c->pid = 0;
	return 1;
}

void
child_kill(pid_t pid, int forget)
{
	struct child_kid *k = pid != 0 ? child_find(pid) : NULL;

	if (k == NULL)
		return;
	if (!k->ended)
		kill(-pid, SIGTERM);
	if (forget && !k->forgotten) {
		k->forgotten = 1;
		k->stop_ms = mono_ms();
	}
}

void
child_stop(struct child *c)
{
	child_kill(c->pid, 1);
	child_clear(c);
}

void
child_clear(struct child *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}
