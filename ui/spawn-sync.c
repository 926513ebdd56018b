/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spawn-sync.c: see spawn-sync.h. The children themselves are child.c's,
 * as the other programs the screens run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "build-info.h"
#include "child.h"
#include "i18n.h"
#include "spawn-sync.h"
#include "util.h"


char *
spawn_sync_path(void)
{
	const char *env = getenv("SOTAY_SYNC_PROGRAM");
	char *dir, *path;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	/* Beside this program first: a build tree uses its own, never an older installed one. */
	if ((dir = app_exe_dir()) != NULL) {
		path = xasprintf("%s/sotay-sync", dir);
		free(dir);
		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	/* Installed, or not found anywhere: the installed place is the one to name. */
	return xstrdup(SOTAY_LIBEXECDIR "/sotay-sync");
}

/* The message when path cannot be run (err: errno). Returns a malloc'd string. */
static char *
cannot_run(const char *path, int err)
{
	return xasprintf(_("Không chạy được chương trình đồng bộ %s: %s. Hãy cài lại gói sotay "
	    "(nó có %s), hoặc đặt SOTAY_SYNC_PROGRAM là đường dẫn tới sotay-sync."), path, strerror(err),
	    SOTAY_LIBEXECDIR "/sotay-sync");
}

/* The program and its global options (at most 7 entries), before the command. */
static size_t
global_args(char **argv, char *path, const char *db_path, const char *config, const char *lang)
{
	size_t n = 0;

	argv[n++] = path;
	argv[n++] = "--db";
	argv[n++] = (char *)db_path;
	if (config != NULL) {
		argv[n++] = "--config";
		argv[n++] = (char *)config;
	}
	if (lang != NULL) {
		argv[n++] = "--lang";
		argv[n++] = (char *)lang;
	}
	return n;
}

/*
 * The index in argv (argv[0] is "enroll") of a token given on the command
 * line, or -1: the last of one or two words that are not options.
 */
static int
enroll_token_arg(int argc, char **argv)
{
	int i, options = 1, npos = 0, last = -1;

	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0)
			options = 0;
		else if (options && (strcmp(argv[i], "--ca-file") == 0) && i + 1 < argc)
			i++;
		else if (options && (strcmp(argv[i], "--token-file") == 0 ||
		    strcmp(argv[i], "--token-stdin") == 0 || strcmp(argv[i], "--token-fd") == 0 ||
		    strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0))
			return -1;	/* the token comes another way, or none is needed */
		else if (options && argv[i][0] == '-' && argv[i][1] != '\0')
			continue;
		else {
			npos++;
			last = i;
		}
	}
	if (npos < 1 || npos > 2 || strcmp(argv[last], "-") == 0)
		return -1;
	return last;
}

/*
 * Hands the token of `sotay enroll [URL] TOKEN` to sotay-sync through a pipe
 * (--token-fd) instead of its command line, which every user sees in ps.
 * Returns the descriptor, or -1 (the arguments then go as they are).
 */
static int
token_pipe(const char *token)
{
	int	p[2];
	size_t	len = strlen(token);

	if (len > 4096 || pipe(p) != 0)
		return -1;
	/* A pipe holds far more than a token: the write cannot block. */
	if (write(p[1], token, len) != (ssize_t)len || write(p[1], "\n", 1) != 1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}

int
spawn_sync_exec(const char *db_path, const char *config, const char *lang, int argc, char **argv)
{
	char *path = spawn_sync_path(), **args = xcalloc((size_t)argc + 10, sizeof *args), *msg;
	char fdarg[16];
	size_t n = global_args(args, path, db_path, config, lang);
	int i, err, tok = -1, fd = -1;

	if (argc > 0 && strcmp(argv[0], "enroll") == 0 &&
	    (tok = enroll_token_arg(argc, argv)) > 0 && (fd = token_pipe(argv[tok])) < 0)
		tok = -1;
	for (i = 0; i < argc; i++) {
		if (i == tok)
			continue;
		args[n++] = argv[i];
		if (i == 0 && fd >= 0) {
			snprintf(fdarg, sizeof fdarg, "%d", fd);
			args[n++] = "--token-fd";
			args[n++] = fdarg;
		}
	}
	args[n] = NULL;
	fflush(NULL);
	execv(path, args);
	err = errno;
	msg = cannot_run(path, err);
	fprintf(stderr, "sotay: %s\n", msg);
	free(msg);
	free(args);
	free(path);
	return EXIT_PROBLEM;
}

/*
 * Starts path with argv in the background (see spawn_sync_start); input,
 * if not NULL, is what its stdin reads (through a pipe), else /dev/null.
 */
static int
spawn_child(char *path, char **argv, const char *input, pid_t *pid, int *fd, char **cause)
{
	char	*line;
	int	 p[2], in = -1, rc;

	/* What the child reads fits a pipe's buffer (a token): written now, the write cannot block. */
	if (input != NULL) {
		line = xasprintf("%s\n", input);
		errno = E2BIG;
		in = strlen(input) > 4096 ? -1 : child_input(line, strlen(line));
		rc = errno;
		free(line);
		if (in == -1)
			return fail(cause, _("Không tạo được ống dẫn cho chương trình đồng bộ: %s. Hãy thử lại."),
			    strerror(rc));
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		rc = errno;
		if (in != -1)
			close(in);
		return fail(cause, _("Không tạo được ống dẫn cho việc đồng bộ: %s. Hãy thử lại."), strerror(rc));
	}
	/* Its own environment: sotay-sync speaks the kiosk's language to people. */
	rc = child_spawn(pid, argv, in, p[1], 0, SPAWN_SYNC_GRACE_MS) == 0 ? 0 : errno;
	close(p[1]);
	if (in != -1)
		close(in);
	if (rc != 0) {
		close(p[0]);
		*cause = cannot_run(path, rc);
		return -1;
	}
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	*fd = p[0];
	return 0;
}

int
spawn_sync_start(const char *db_path, const char *config, const char *lang, pid_t *pid,
    int *fd, char **cause)
{
	char	*path = spawn_sync_path(), *argv[12];
	size_t	 n = global_args(argv, path, db_path, config, lang);
	int	 rc;

	argv[n++] = "sync";
	argv[n++] = "--progress";
	argv[n] = NULL;
	rc = spawn_child(path, argv, NULL, pid, fd, cause);
	free(path);
	return rc;
}

int
spawn_sync_enroll(const char *db_path, const char *config, const char *lang, const char *url,
    const char *token, pid_t *pid, int *fd, char **cause)
{
	char	*path = spawn_sync_path(), *argv[14];
	size_t	 n = global_args(argv, path, db_path, config, lang);
	int	 rc;

	/* The token goes through a pipe, never in the arguments every user sees in ps. */
	argv[n++] = "enroll";
	argv[n++] = "--token-stdin";
	argv[n++] = "--";
	argv[n++] = (char *)url;
	argv[n] = NULL;
	rc = spawn_child(path, argv, token, pid, fd, cause);
	free(path);
	return rc;
}

int
spawn_sync_read(struct spawn_sync_reader *r, void (*line)(void *, char *), void *arg)
{
	char buf[4096], *nl;
	ssize_t n;
	size_t i, k;

	while (r->fd != -1) {
		n = read(r->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				close(r->fd);
				r->fd = -1;
			}
			break;
		}
		for (i = 0; i < (size_t)n; i += k) {
			nl = memchr(buf + i, '\n', (size_t)n - i);
			k = nl != NULL ? (size_t)(nl - (buf + i)) + 1 : (size_t)n - i;
			if (k > sizeof r->line - 1 - r->len)
				k = sizeof r->line - 1 - r->len;
			memcpy(r->line + r->len, buf + i, k);
			r->len += k;
			if (r->line[r->len - 1] == '\n' || r->len == sizeof r->line - 1) {
				r->line[r->len] = '\0';
				r->line[strcspn(r->line, "\n")] = '\0';
				line(arg, r->line);
				r->len = 0;
			}
		}
	}
	if (r->fd == -1 && r->len > 0) {
		r->line[r->len] = '\0';
		line(arg, r->line);
		r->len = 0;
	}
	return r->fd == -1;
}

int
spawn_sync_poll(pid_t *pid, struct spawn_sync_reader *r, void (*line)(void *, char *), void *arg,
    int *status)
{
	if (*pid == 0 || !spawn_sync_read(r, line, arg) || !child_wait(*pid, status))
		return 0;
	*pid = 0;
	return 1;
}

void
spawn_sync_drop(pid_t pid, struct spawn_sync_reader *r)
{
	if (r->fd != -1) {
		close(r->fd);
		r->fd = -1;
	}
	if (pid != 0)
		child_kill(pid, 1);
}
