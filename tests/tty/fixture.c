/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixture.c: see fixture.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "people.h"
#include "store.h"
#include "util.h"
#include "testlib.h"

static void
fixture_die(const char *what, const char *cause)
{
	fprintf(stderr, "fixture: %s: %s\n", what, cause ? cause : "");
	abort();
}

void
fixture_init(struct fixture *f, const char *name, const char *conf_extra)
{
	const char *build = getenv("BUILD");
	char path[PATH_MAX + 64], *cause = NULL, cwd[PATH_MAX];
	struct store *st;
	FILE *fp;

	memset(f, 0, sizeof *f);
	if (getcwd(cwd, sizeof cwd) == NULL)
		fixture_die("getcwd", NULL);
	f->dir = tl_path(name);		/* in the test's private folder, never a shared one */
	snprintf(path, sizeof path, "%s/home/.config", f->dir);
	if (util_mkdir_p(path) == -1)
		fixture_die("mkdir", path);
	snprintf(path, sizeof path, "%s/home/.local/share", f->dir);
	util_mkdir_p(path);
	f->db = xasprintf("%s/sotay.db", f->dir);
	unlink(f->db);
	f->conf = xasprintf("%s/sotay.conf", f->dir);
	f->content = xasprintf("%s/tests/data/checklists", cwd);
	if (access(f->content, R_OK) != 0) {
		free(f->content);
		f->content = xasprintf("%s/assets/checklists", cwd);
	}
	if (build != NULL && build[0] == '/')
		f->sotay = xasprintf("%s/sotay", build);
	else
		f->sotay = xasprintf("%s/%s/sotay", cwd, build ? build : "build");
	fp = fopen(f->conf, "w");
	if (fp == NULL)
		fixture_die("settings file", f->conf);
	fprintf(fp, "# a test kiosk\nprovince = Quảng Ngãi\ncommune = Xã Tịnh Hà\n"
	    "hamlet = Thôn Đông\nkiosk_name = Nhà văn hóa thôn Đông\nlanguage = vi\n%s\n",
	    conf_extra ? conf_extra : "");
	fclose(fp);
	if (store_open(f->db, STORE_CREATE, &st, &cause) == -1)
		fixture_die("store_open", cause);
	if (people_volunteer_add(st, FIX_VOLUNTEER, ROLE_VOLUNTEER, FIX_VOLUNTEER_PIN,
	    &f->volunteer_id, &cause) == -1)
		fixture_die("volunteer", cause);
	if (people_volunteer_add(st, FIX_SUPERVISOR, ROLE_SUPERVISOR, FIX_SUPERVISOR_PIN,
	    &f->supervisor_id, &cause) == -1)
		fixture_die("supervisor", cause);
	store_close(st);
}

/* The environment programs run with: exactly this, nothing inherited. Free with fixture_env_free. */
static char **
fixture_env(struct fixture *f, const char *const *extra_env)
{
	static const char *const keep[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" };
	char **env = xcalloc(64, sizeof *env);
	size_t n = 0, i;
	const char *lang = NULL, *path = "PATH=/usr/local/bin:/usr/bin:/bin";

	for (i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
		if (strncmp(extra_env[i], "LANG=", 5) == 0)
			lang = extra_env[i] + 5;
		else if (strncmp(extra_env[i], "PATH=", 5) == 0)
			path = extra_env[i];	/* a test's own programs first */
	if (lang == NULL)
		lang = "C.UTF-8";
	env[n++] = xstrdup(path);
	env[n++] = xstrdup("TERM=xterm-256color");
	env[n++] = xasprintf("LANG=%s", lang);
	env[n++] = xasprintf("LC_ALL=%s", lang);
	env[n++] = xasprintf("HOME=%s/home", f->dir);
	env[n++] = xasprintf("XDG_CONFIG_HOME=%s/home/.config", f->dir);
	env[n++] = xasprintf("XDG_DATA_HOME=%s/home/.local/share", f->dir);
	env[n++] = xasprintf("SOTAY_DB=%s", f->db);
	env[n++] = xasprintf("SOTAY_CONFIG=%s", f->conf);
	env[n++] = xasprintf("SOTAY_CONTENT=%s", f->content);
	/* Sanitizer settings pass through, so `make sanitize` checks the program too. */
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (getenv(keep[i]) != NULL)
			env[n++] = xasprintf("%s=%s", keep[i], getenv(keep[i]));
	for (i = 0; extra_env != NULL && extra_env[i] != NULL && n < 62; i++)
		if (strncmp(extra_env[i], "LANG=", 5) != 0 && strncmp(extra_env[i], "PATH=", 5) != 0)
			env[n++] = xstrdup(extra_env[i]);
	env[n] = NULL;
	return env;
}

static void
fixture_env_free(char **env)
{
	size_t i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

void
fixture_start_argv(struct fixture *f, struct tty *t, int rows, int cols, char *const argv[],
    const char *const *extra_env)
{
	char **env = fixture_env(f, extra_env);

	if (tty_start(t, rows, cols, argv, env) == -1)
		fixture_die("forkpty", argv[0]);
	fixture_env_free(env);
}

pid_t
fixture_spawn(struct fixture *f, char *const argv[], const char *const *extra_env, const char *out)
{
	char **env = fixture_env(f, extra_env);
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		fixture_die("fork", argv[0]);
	if (pid == 0) {
		if (out != NULL && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execve(argv[0], argv, env);
		_exit(127);
	}
	fixture_env_free(env);
	return pid;
}

int
fixture_run(struct fixture *f, char *const argv[], const char *const *extra_env, const char *out)
{
	pid_t pid = fixture_spawn(f, argv, extra_env, out);
	int status = -1;

	while (waitpid(pid, &status, 0) == -1)
		;
	return status;
}

void
fixture_start(struct fixture *f, struct tty *t, int rows, int cols, const char *lang, int kiosk,
    const char *const *extra_env)
{
	char *argv[] = { f->sotay, kiosk ? "--kiosk" : NULL, NULL };
	const char *env[32];
	char langvar[64];
	size_t n = 0, i;

	snprintf(langvar, sizeof langvar, "LANG=%s", lang ? lang : "C.UTF-8");
	env[n++] = langvar;
	for (i = 0; extra_env != NULL && extra_env[i] != NULL && n < 30; i++)
		env[n++] = extra_env[i];
	env[n] = NULL;
	fixture_start_argv(f, t, rows, cols, argv, env);
}

struct store *
fixture_store(struct fixture *f)
{
	struct store *st;
	char *cause = NULL;

	if (store_open(f->db, 0, &st, &cause) == -1)
		fixture_die("store_open", cause);
	return st;
}

void
fixture_free(struct fixture *f)
{
	free(f->dir);
	free(f->db);
	free(f->conf);
	free(f->content);
	free(f->sotay);
	memset(f, 0, sizeof *f);
}
