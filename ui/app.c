/* SPDX-License-Identifier: Apache-2.0 */
/*
 * app.c: what every part of the `sotay` program shares (app.h): where this
 * program runs from, and opening the database — which brings the bundled
 * checklists in when they changed on disk, and forgets residents past the
 * retention time.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "content.h"
#include "content-store.h"
#include "i18n.h"
#include "people.h"
#include "store.h"
#include "util.h"

char *
app_exe_dir(void)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(exe);
}

/*
 * What the bundled checklists look like on disk (names, sizes, times), so
 * they are read and parsed only when they changed, not at every start.
 * Returns a malloc'd string, or NULL if the folder cannot be read.
 */
static char *
content_stamp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat sb;
	char *stamp = xstrdup(""), *path, *next;

	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &sb) == 0) {
			/* readdir's order is stable for an unchanged folder; a change shows anyway. */
			next = xasprintf("%s%s:%lld:%lld.%09ld;", stamp, de->d_name, (long long)sb.st_size,
			    (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
			free(stamp);
			stamp = next;
		}
		free(path);
	}
	closedir(d);
	return stamp;
}

/* Brings the bundled checklists into the database when they changed. */
static void
install_bundled(struct app *app, struct store *st)
{
	struct library lib = { 0 };
	struct problems pr = { 0 };
	const char *paths[] = { app->content_dir };
	char *cause = NULL, *stamp = content_stamp(app->content_dir), *old = NULL;

	if (stamp != NULL && store_meta_get(st, "bundled_stamp", &old, NULL) == 0 && old != NULL &&
	    strcmp(old, stamp) == 0) {
		free(old);
		free(stamp);
		return;
	}
	free(old);
	/* A bad bundled file must not stop the kiosk: warn, install the good ones. */
	if (library_load(&lib, paths, 1, &pr) != 0) {
		fprintf(stderr, _("sotay: %zu lỗi trong danh mục đi kèm (%s); chạy "
		    "\"sotay content check %s\" để xem:\n"), pr.n,
		    app->content_dir, app->content_dir);
		for (size_t i = 0; i < pr.n && i < 3; i++)
			fprintf(stderr, "  %s\n", pr.lines[i]);
	}
	if (content_store_install(st, &lib, NULL, &cause) != 0) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
	} else if (stamp != NULL && pr.n == 0)
		store_meta_set(st, "bundled_stamp", stamp, NULL);
	library_free(&lib);
	problems_free(&pr);
	free(stamp);
}

int
app_purge(struct app *app, struct store *st, char **cause)
{
	int purged;

	return people_purge(st, app->cfg.retention_days, &purged, cause);
}

int
app_open_store(struct app *app, int flags, struct store **out)
{
	char *cause = NULL;
	struct store *st;
	int later = flags & APP_PURGE_LATER;

	flags &= ~APP_PURGE_LATER;
	/* An upgrade is said before the kiosk's screen is up, while it works. */
	if (store_open(app->db_path, (flags & STORE_READONLY) ? flags :
	    flags | STORE_CREATE | STORE_SAY_UPGRADE, &st, &cause) != 0) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
		return -1;
	}
	if (!(flags & STORE_READONLY)) {
		if (app->content_dir != NULL)
			install_bundled(app, st);
		if (!later && app_purge(app, st, &cause) != 0) {
			fprintf(stderr, "sotay: %s\n", cause);
			free(cause);
		}
	}
	*out = st;
	return 0;
}
