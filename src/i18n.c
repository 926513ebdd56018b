/* SPDX-License-Identifier: Apache-2.0 */
/*
 * i18n.c: the language messages are shown in (process-wide), through
 * glibc's gettext. gettext takes the language from $LANGUAGE, which it
 * ignores while LC_MESSAGES is the "C" locale; so the message locale is
 * moved to C.UTF-8 (same rules, UTF-8) and $LANGUAGE set to the chosen code.
 */
#include <dirent.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

static char current[I18N_CODE_MAX] = "vi";
static char *bound_dir;
static int bound_tried;		/* a folder was chosen, or looked for */

int
i18n_is_code(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) < 2 || n >= I18N_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (i >= 2 && (s[i] == '_' ||
		    (s[i] >= 'A' && s[i] <= 'Z')))))
			return 0;
	return 1;
}

int
i18n_set(const char *code)
{
	const char *m;

	if (!i18n_is_code(code))
		return -1;
	snprintf(current, sizeof current, "%s", code);
	/* A program (or a test) that named no folder gets the words near it. */
	if (!bound_tried)
		i18n_bind_default(NULL);
	m = setlocale(LC_MESSAGES, NULL);
	if (m == NULL || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0)
		if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
			setlocale(LC_MESSAGES, "C.utf8");
	setenv("LANGUAGE", current, 1);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	/* Tells gettext that the language changed (its documented way). */
	textdomain(I18N_DOMAIN);
	return 0;
}

const char *
i18n_code(void)
{
	return current;
}

void
i18n_bind(const char *dir)
{
	char code[I18N_CODE_MAX];

	bound_tried = 1;
	free(bound_dir);
	bound_dir = dir != NULL ? strdup(dir) : NULL;
	if (bound_dir != NULL)
		bindtextdomain(I18N_DOMAIN, bound_dir);
	/* A copy: i18n_set writes current. */
	snprintf(code, sizeof code, "%s", current);
	i18n_set(code);
}

void
i18n_bind_default(const char *installed)
{
	const char *env = getenv("SOTAY_LOCALEDIR");
	char exe[4096], path[4096 + 64], *slash;
	ssize_t n;

	bound_tried = 1;
	if (env != NULL && *env != '\0') {
		i18n_bind(env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* Beside the program (build/), or up from build/tests/… */
		for (int up = 0; up < 3 && (slash = strrchr(exe, '/')) != NULL; up++) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/locale/vi/LC_MESSAGES/" I18N_DOMAIN ".mo", exe);
			if (access(path, R_OK) == 0) {
				snprintf(path, sizeof path, "%s/locale", exe);
				i18n_bind(path);
				return;
			}
		}
	}
	if (installed != NULL)
		i18n_bind(installed);
}

const char *
i18n_dir(void)
{
	return bound_dir != NULL ? bound_dir : bindtextdomain(I18N_DOMAIN, NULL);
}

int
i18n_available(const char *code)
{
	char path[4096];
	const char *dir = i18n_dir();

	if (!i18n_is_code(code))
		return 0;
	if (strcmp(code, "vi") == 0)
		return 1;
	if (dir == NULL)
		return 0;
	snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", dir, code, I18N_DOMAIN);
	return access(path, R_OK) == 0;
}

const char *
i18n_from_locale(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	static char code[I18N_CODE_MAX];
	const char *v;
	size_t i, n;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if ((v = getenv(vars[i])) == NULL || *v == '\0')
			continue;
		/* "bdq:vi", "vi_VN.UTF-8": the first language, without its encoding. */
		n = strcspn(v, ":.@");
		if (n >= sizeof code)
			continue;
		memcpy(code, v, n);
		code[n] = '\0';
		if (i18n_available(code))
			return code;
		code[strcspn(code, "_")] = '\0';
		if (i18n_available(code))
			return code;
		if (i > 0)
			break;	/* LANGUAGE may be off; the locale itself decides */
	}
	return NULL;
}

const char *const *
i18n_languages(void)
{
	static char names[8][I18N_CODE_MAX];
	static const char *list[9];
	const char *dir = i18n_dir();
	struct dirent *e;
	DIR *d;
	size_t n = 0;

	snprintf(names[n], sizeof names[n], "vi");
	list[n] = names[n];
	n++;
	if (dir != NULL && (d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL && n < 8)
			if (strcmp(e->d_name, "vi") != 0 && strlen(e->d_name) < I18N_CODE_MAX &&
			    i18n_available(e->d_name)) {
				memcpy(names[n], e->d_name, strlen(e->d_name) + 1);
				list[n] = names[n];
				n++;
			}
		closedir(d);
	}
	/* English second, the others in name order: the same round each time. */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(list[k], "en") == 0 || (strcmp(list[i], "en") != 0 &&
			    strcmp(list[k], list[i]) < 0)) {
				const char *tmp = list[i];
				list[i] = list[k];
				list[k] = tmp;
			}
	list[n] = NULL;
	return list;
}

const char *
i18n_next(const char *code)
{
	const char *const *l = i18n_languages();
	size_t i;

	for (i = 0; l[i] != NULL; i++)
		if (strcmp(l[i], code) == 0)
			return l[i + 1] != NULL ? l[i + 1] : l[0];
	return l[0];
}

const char *
i18n_name(const char *code)
{
	/* Asked on every frame (the F2 key's label): switching costs a reload, so keep them. */
	static struct { char code[I18N_CODE_MAX], name[128]; } cache[8];
	static size_t ncache;
	char was[I18N_CODE_MAX];
	size_t i;

	for (i = 0; i < ncache; i++)
		if (strcmp(cache[i].code, code) == 0)
			return cache[i].name;
	if (!i18n_is_code(code))
		return code;
	i = ncache < 8 ? ncache++ : 7;
	snprintf(cache[i].code, sizeof cache[i].code, "%s", code);
	snprintf(was, sizeof was, "%s", current);
	i18n_set(code);
	snprintf(cache[i].name, sizeof cache[i].name, "%s", C_("language name", "Tiếng Việt"));
	i18n_set(was);
	return cache[i].name;
}

enum lang
i18n_lang(void)
{
	return strcmp(current, "en") == 0 ? LANG_EN : LANG_VI;
}

void
i18n_set_lang(enum lang l)
{
	i18n_set(l == LANG_EN ? "en" : "vi");
}

int
i18n_parse_lang(const char *s)
{
	if (s == NULL)
		return -1;
	if (strncmp(s, "vi", 2) == 0)
		return LANG_VI;
	if (strncmp(s, "en", 2) == 0)
		return LANG_EN;
	return -1;
}

const char *
i18n_text(const char *msgid)
{
	return dgettext(I18N_DOMAIN, msgid);
}

const char *
i18n_ctext(const char *ctxid, const char *msgid)
{
	const char *s = dgettext(I18N_DOMAIN, ctxid);

	return s == ctxid ? msgid : s;
}
