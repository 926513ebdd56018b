/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testlib.c: see testlib.h. Processes are waited for with a pidfd and
 * files with inotify, so a test under load waits exactly as long as it
 * must.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

extern char **environ;

static void *
must(void *p)
{
	if (p == NULL) {
		fputs("testlib: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *
fmt(const char *f, const char *a, const char *b)
{
	size_t n = strlen(f) + strlen(a) + strlen(b) + 1;
	char *s = must(malloc(n));

	snprintf(s, n, f, a, b);
	return s;
}

const char *
tl_tmp(void)
{
	static char *dir;
	const char *t;

	if (dir != NULL)
		return dir;
	if ((t = getenv("TEST_TMP")) != NULL && *t != '\0') {
		mkdir(t, 0700);
		dir = must(strdup(t));
	} else {
		char tmpl[] = "/tmp/sotay-test.XXXXXX";

		dir = must(strdup(must(mkdtemp(tmpl))));
	}
	return dir;
}

char *
tl_path(const char *name)
{
	return fmt("%s/%s", tl_tmp(), name);
}

char *
tl_bin(const char *name)
{
	const char *b = getenv("BUILD");

	return fmt("%s/%s", b != NULL && *b != '\0' ? b : "build", name);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
tl_server_start(struct tl_server *s, const char *db, const char *const *args,
    const char *const *env)
{
	const char	*argv[40];
	char		 line[160], *bin = tl_bin("sotay-server");
	size_t		 n = 0, got = 0;
	int		 fds[2], logfd;
	int64_t		 deadline;

	memset(s, 0, sizeof *s);
	s->db = must(strdup(db));
	s->log = fmt("%s%s", db, ".log");
	argv[n++] = bin;
	argv[n++] = "serve";
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	for (; args != NULL && *args != NULL && n < 39; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	if ((s->pid = fork()) < 0)
		return -1;
	if (s->pid == 0) {
		logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fds[1], STDOUT_FILENO);
		if (logfd >= 0)
			dup2(logfd, STDERR_FILENO);
		unsetenv("JOURNAL_STREAM");
		for (; env != NULL && *env != NULL; env++)
			putenv((char *)*env);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	free(bin);
	/* The first line names the port; a sanitizer build may take a while to start. */
	deadline = mono_ms() + 30000;
	while (got < sizeof line - 1) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		int64_t left = deadline - mono_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		if ((r = read(fds[0], line + got, 1)) <= 0)
			break;
		if (line[got++] == '\n')
			break;
	}
	line[got] = '\0';
	close(fds[0]);
	if (sscanf(line, "listening on 127.0.0.1:%d", &s->port) != 1 || s->port <= 0) {
		fprintf(stderr, "sotay-server did not start (it said \"%s\"); see %s\n", line, s->log);
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
		return -1;
	}
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
	return 0;
}

int
tl_server_stop(struct tl_server *s, int sig)
{
	int status = -1;

	if (s->pid > 0) {
		kill(s->pid, sig);
		waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
	free(s->db);
	free(s->log);
	s->db = s->log = NULL;
	return status;
}

pid_t
tl_spawn(char *const argv[], const char *out, const char *err)
{
	posix_spawn_file_actions_t	 fa;
	pid_t				 pid;
	int				 rc;

	/* posix_spawn returns once the files are open: a reader never sees the last run's. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out != NULL ? out : "/dev/null",
	    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err != NULL ? err : "/dev/null",
	    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "testlib: cannot start %s: %s\n", argv[0], strerror(rc));
		abort();
	}
	return pid;
}

int
tl_wait(pid_t pid, int ms, int *status)
{
	int fd = pidfd_open(pid, 0), st;
	int64_t deadline = mono_ms() + ms;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid || (r == -1 && errno != EINTR)) {
			if (fd >= 0)
				close(fd);
			if (status != NULL)
				*status = r == pid ? st : -1;
			return 1;
		}
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			break;
		/* Readable once the process has ended. */
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (fd < 0 || poll(&pfd, 1, (int)left) == 0)
			break;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

char *
tl_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct tl_buf b = { 0 };
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return must(strdup(""));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		tl_curl_write(chunk, 1, n, &b);
	fclose(f);
	return b.data != NULL ? b.data : must(strdup(""));
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Waits up to ms for the file's text to satisfy done(text, arg); the text, or NULL. */
static char *
wait_file(const char *path, int (*done)(const char *, const void *), const void *arg, int ms)
{
	int64_t deadline = mono_ms() + ms;
	int fd = inotify_init1(IN_CLOEXEC);
	char *dir = must(strdup(path)), *slash = strrchr(dir, '/'), *s;

	/* Watch the folder: the file may not exist yet. */
	if (slash != NULL)
		*slash = '\0';
	if (fd >= 0)
		inotify_add_watch(fd, slash != NULL ? dir : ".", IN_MODIFY | IN_CREATE |
		    IN_CLOSE_WRITE | IN_MOVED_TO);
	free(dir);
	for (;;) {
		s = tl_slurp(path);
		if (done(s, arg))
			break;
		free(s);
		s = NULL;
		int64_t left = deadline - mono_ms();
		struct pollfd pfd = { fd, POLLIN, 0 };
		char ev[4096];

		if (left <= 0 || fd < 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		if (read(fd, ev, sizeof ev) < 0 && errno != EINTR)
			break;
	}
	if (fd >= 0)
		close(fd);
	return s;
}

static int
has_lines(const char *s, const void *n)
{
	return count_lines(s) >= *(const int *)n;
}

char *
tl_wait_lines(const char *path, int n, int ms)
{
	return wait_file(path, has_lines, &n, ms);
}

static int
has_text(const char *s, const void *needle)
{
	return strstr(s, needle) != NULL;
}

char *
tl_wait_text(const char *path, const char *needle, int ms)
{
	return wait_file(path, has_text, needle, ms);
}

size_t
tl_curl_write(char *p, size_t size, size_t n, void *buf)
{
	struct tl_buf *b = buf;
	size_t k = size * n;

	b->data = must(realloc(b->data, b->len + k + 1));
	memcpy(b->data + b->len, p, k);
	b->len += k;
	b->data[b->len] = '\0';
	return k;
}

void
tl_buf_free(struct tl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}
