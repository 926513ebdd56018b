/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spawn-sync.c: see spawn-sync.h. The children's table is small (one sync
 * at a time, plus any still stopping after their screen was left).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "build-info.h"
#include "i18n.h"
#include "spawn-sync.h"
#include "util.h"


extern char **environ;

static struct spawn_kid {
	pid_t	 pid;
	int	 ended, status;
	int	 forgotten, killed;
	int64_t	 stop_ms;	/* CLOCK_MONOTONIC when forgotten */
} *kids;
static size_t nkids;

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	sigset_t			 def, none;
	char				*msg;
	int				 p[2], in[2] = { -1, -1 }, rc;
	size_t				 len = input != NULL ? strlen(input) : 0;

	/* What the child reads fits a pipe's buffer (a token): written now, the write cannot block. */
	if (input != NULL && (len > 4096 || pipe2(in, O_CLOEXEC) != 0 ||
	    write(in[1], input, len) != (ssize_t)len || write(in[1], "\n", 1) != 1)) {
		rc = errno;
		if (in[0] != -1) {
			close(in[0]);
			close(in[1]);
		}
		return fail(cause, _("Không tạo được ống dẫn cho chương trình đồng bộ: %s. Hãy thử lại."),
		    strerror(rc));
	}
	if (in[1] != -1)
		close(in[1]);
	if (pipe2(p, O_CLOEXEC) != 0) {
		rc = errno;
		if (in[0] != -1)
			close(in[0]);
		return fail(cause, _("Không tạo được ống dẫn cho việc đồng bộ: %s. Hãy thử lại."), strerror(rc));
	}
	posix_spawn_file_actions_init(&fa);
	if (in[0] != -1)
		posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
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
	rc = posix_spawn(pid, path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[1]);
	if (in[0] != -1)
		close(in[0]);
	if (rc != 0) {
		close(p[0]);
		msg = cannot_run(path, rc);
		*cause = msg;
		return -1;
	}
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	*fd = p[0];
	kids = xrealloc(kids, (nkids + 1) * sizeof *kids);
	memset(&kids[nkids], 0, sizeof kids[nkids]);
	kids[nkids++].pid = *pid;
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

static struct spawn_kid *
spawn_find(pid_t pid)
{
	size_t i;

	for (i = 0; i < nkids; i++)
		if (kids[i].pid == pid)
			return &kids[i];
	return NULL;
}

static void
spawn_forget(struct spawn_kid *k)
{
	*k = kids[--nkids];
}

void
spawn_sync_stop(pid_t pid, int forget)
{
	struct spawn_kid *k = spawn_find(pid);

	if (k == NULL || k->ended)
		return;
	kill(pid, SIGTERM);
	if (forget && !k->forgotten) {
		k->forgotten = 1;
		k->stop_ms = mono_ms();
	}
}

int
spawn_sync_reap(void)
{
	size_t i = 0;
	int running = 0, st;
	pid_t r;

	while (i < nkids) {
		struct spawn_kid *k = &kids[i];

		if (!k->ended) {
			r = waitpid(k->pid, &st, WNOHANG);
			if (r == k->pid || (r == -1 && errno == ECHILD)) {
				k->ended = 1;
				k->status = r == k->pid ? st : -1;
			}
		}
		if (k->ended && k->forgotten) {
			spawn_forget(k);
			continue;	/* the last one moved into slot i */
		}
		if (!k->ended) {
			running++;
			/* A child that does not stop must not linger for ever. */
			if (k->forgotten && !k->killed && mono_ms() - k->stop_ms > SPAWN_SYNC_GRACE_MS) {
				kill(k->pid, SIGKILL);
				k->killed = 1;
			}
		}
		i++;
	}
	return running;
}

int
spawn_sync_ended(pid_t pid, int *status)
{
	struct spawn_kid *k;

	spawn_sync_reap();
	if ((k = spawn_find(pid)) == NULL) {
		*status = -1;
		return 1;
	}
	if (!k->ended)
		return 0;
	*status = k->status;
	spawn_forget(k);
	return 1;
}
