/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c: the kiosk's settings file (`key = value` lines) and the
 * database's default place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "nfc.h"
#include "i18n.h"
#include "util.h"

#define SYSTEM_CONFIG	"/etc/sotay/sotay.conf"
#define SYSTEM_DATA	"/var/lib/sotay"

static void
defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->kiosk_name = xstrdup("Sổ tay số");
	c->idle_seconds = 180;
	c->retention_days = 365;
	c->sent_keep_days = 0;
	c->lang = LANG_VI;
}

static char *
trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]) != NULL)
		*--e = '\0';
	return s;
}

static int
set_string(char **field, const char *value)
{
	free(*field);
	*field = *value != '\0' ? xstrdup(value) : NULL;
	return 0;
}

static int
set_int(int *field, const char *value, int lo, int hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < lo || n > hi)
		return -1;
	*field = (int)n;
	return 0;
}

static int
config_line(struct config *c, const char *path, int lineno, char *line, char **cause)
{
	char *eq, *key, *value;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return 0;
	if ((eq = strchr(line, '=')) == NULL)
		return fail(cause, _("%s:%d: dòng này thiếu dấu \"=\" (dạng đúng: khóa = giá trị)."), path, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!util_utf8_valid(value, strlen(value)))
		return fail(cause, _("%s:%d: giá trị của %s không phải UTF-8 hợp lệ."), path, lineno, key);

	if (strcmp(key, "province") == 0)
		return set_string(&c->province, value);
	if (strcmp(key, "commune") == 0)
		return set_string(&c->commune, value);
	if (strcmp(key, "hamlet") == 0)
		return set_string(&c->hamlet, value);
	if (strcmp(key, "kiosk_name") == 0)
		return set_string(&c->kiosk_name, value);
	if (strcmp(key, "ca_file") == 0)
		return set_string(&c->ca_file, value);
	if (strcmp(key, "server_url") == 0) {
		if (*value != '\0' && strncmp(value, "https://", 8) != 0 &&
		    strncmp(value, "http://", 7) != 0)
			return fail(cause, _("%s:%d: server_url phải bắt đầu bằng https:// (đang là \"%s\")."), path, lineno, value);
		return set_string(&c->server_url, value);
	}
	if (strcmp(key, "allow_insecure_http") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail(cause, _("%s:%d: allow_insecure_http phải là yes hoặc no (đang là \"%s\")."), path, lineno, value);
		c->allow_insecure_http = strcmp(value, "yes") == 0;
		return 0;
	}
	if (strcmp(key, "idle_seconds") == 0) {
		if (set_int(&c->idle_seconds, value, 1, 86400) != 0)
			return fail(cause, _("%s:%d: idle_seconds phải là số giây từ 1 đến 86400 (đang là \"%s\")."),
			    path, lineno, value);
		return 0;
	}
	if (strcmp(key, "retention_days") == 0) {
		if (set_int(&c->retention_days, value, 1, 36500) != 0)
			return fail(cause, _("%s:%d: retention_days phải là số ngày từ 1 đến 36500 (đang là \"%s\")."),
			    path, lineno, value);
		return 0;
	}
	if (strcmp(key, "sent_keep_days") == 0) {
		if (set_int(&c->sent_keep_days, value, 0, 36500) != 0)
			return fail(cause, _("%s:%d: sent_keep_days phải là số ngày từ 0 đến 36500, 0 là giữ "
			    "mãi (đang là \"%s\")."), path, lineno, value);
		return 0;
	}
	if (strcmp(key, "read_aloud") == 0) {
		if (strcmp(value, "auto") != 0 && strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail(cause, _("%s:%d: read_aloud phải là auto, yes hoặc no (đang là \"%s\")."),
			    path, lineno, value);
		c->read_aloud = strcmp(value, "yes") == 0 ? READ_ALOUD_YES :
		    strcmp(value, "no") == 0 ? READ_ALOUD_NO : READ_ALOUD_AUTO;
		return 0;
	}
	if (strcmp(key, "printer") == 0) {
		/* CUPS's rule for a queue's name: printable, no space, '/' or '#'. */
		if (*value == '-' || value[strcspn(value, " \t/#\\'\"")] != '\0')
			return fail(cause, _("%s:%d: printer phải là tên một máy in của CUPS (lpstat -p), "
			    "không có dấu cách, / hay # (đang là \"%s\")."),
			    path, lineno, value);
		return set_string(&c->printer, value);
	}
	if (strcmp(key, "language") == 0) {
		if (!i18n_is_code(value))
			return fail(cause, _("%s:%d: language phải là mã ngôn ngữ như vi, en hoặc bdq (đang là \"%s\")."),
			    path, lineno, value);
		snprintf(c->lang_code, sizeof c->lang_code, "%s", value);
		c->lang = strcmp(value, "en") == 0 ? LANG_EN : LANG_VI;
		return 0;
	}
	return fail(cause, _("%s:%d: không biết khóa \"%s\". Các khóa: province, commune, hamlet, "
	    "kiosk_name, server_url, ca_file, allow_insecure_http, idle_seconds, retention_days, "
	    "sent_keep_days, language, read_aloud, printer."), path, lineno, key);
}

int
config_load(const char *path, struct config *c, char **cause)
{
	char *def = NULL, *data, *line, *next;
	int lineno = 0, explicit = path != NULL;

	defaults(c);
	if (path == NULL && (path = getenv("SOTAY_CONFIG")) != NULL && *path != '\0')
		explicit = 1;
	else if (path == NULL) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		if (xdg != NULL && *xdg != '\0')
			def = xasprintf("%s/sotay/sotay.conf", xdg);
		else if (home != NULL && *home != '\0')
			def = xasprintf("%s/.config/sotay/sotay.conf", home);
		if (def == NULL || access(def, F_OK) != 0) {
			free(def);
			def = xstrdup(SYSTEM_CONFIG);
		}
		path = def;
	}
	if ((data = util_read_file(path, NULL)) == NULL) {
		int e = errno;
		/* No file at a default place means the defaults; a named file must exist. */
		if (e == ENOENT && !explicit) {
			free(def);
			return 0;
		}
		fail(cause, _("Không đọc được tệp cấu hình %s: %s."),
		    path, strerror(e));
		free(def);
		config_free(c);
		return -1;
	}
	c->path = xstrdup(path);
	free(def);
	for (line = data; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (config_line(c, c->path, ++lineno, line, cause) != 0) {
			free(data);
			config_free(c);
			return -1;
		}
	}
	free(data);
	return 0;
}

void
config_free(struct config *c)
{
	free(c->path);
	free(c->province);
	free(c->commune);
	free(c->hamlet);
	free(c->kiosk_name);
	free(c->printer);
	free(c->server_url);
	free(c->ca_file);
	memset(c, 0, sizeof *c);
}

char *
config_db_path(const char *arg)
{
	const char *env = getenv("SOTAY_DB"), *xdg, *home;

	if (arg != NULL && *arg != '\0')
		return xstrdup(arg);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (access(SYSTEM_DATA, W_OK) == 0)
		return xstrdup(SYSTEM_DATA "/sotay.db");
	if ((xdg = getenv("XDG_DATA_HOME")) != NULL && *xdg != '\0')
		return xasprintf("%s/sotay/sotay.db", xdg);
	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return xasprintf("%s/.local/share/sotay/sotay.db", home);
	return xstrdup("sotay.db");
}

int
config_place_named(const char *name)
{
	/* The kinds of hamlet and commune in Vietnam, as names begin with them. */
	static const char *const kinds[] = {
		"Thôn", "Bản", "Buôn", "Làng", "Ấp", "Xóm", "Sóc", "Plei", "Tổ dân phố", "Khu phố",
		"Khu dân cư", "Tổ", "Khu", "Xã", "Phường", "Thị trấn", "Đặc khu",
		"thôn", "bản", "buôn", "làng", "ấp", "xóm", "sóc", "plei", "tổ dân phố", "khu phố",
		"khu dân cư", "tổ", "khu", "xã", "phường", "thị trấn", "đặc khu",
		"THÔN", "BẢN", "BUÔN", "LÀNG", "ẤP", "XÓM", "SÓC", "PLEI", "XÃ", "PHƯỜNG",
	};
	char *nfc;
	size_t n;
	int named = 0;

	if (name == NULL)
		return 0;
	/* Typed with combining marks, "Thôn" is still Thôn. */
	nfc = nfc_dup(name);
	for (size_t i = 0; !named && i < sizeof kinds / sizeof kinds[0]; i++) {
		n = strlen(kinds[i]);
		named = strncmp(nfc, kinds[i], n) == 0 && (nfc[n] == ' ' || nfc[n] == '\0');
	}
	free(nfc);
	return named;
}
