/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-config.c: the settings file — every key read, each bad line named by
 * file and line number, missing files, and where the database goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "i18n.h"
#include "util.h"
#include "helpers.h"

static char *
write_conf(const char *name, const char *text)
{
	char *p = test_path(name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void
test_every_key(void **state)
{
	char *p = write_conf("good.conf",
	    "# Kiosk of Lân Phong commune\n"
	    "\n"
	    "province = Quảng Ngãi\n"
	    "commune=Lân Phong\n"
	    "  hamlet   =   Thôn 1  \n"
	    "kiosk_name = Nhà văn hóa thôn\n"
	    "server_url = https://sotay.quangngai.gov.vn\n"
	    "ca_file = /etc/sotay/ca.pem\n"
	    "idle_seconds = 240\n"
	    "retention_days = 90\n"
	    "sent_keep_days = 120\n"
	    "read_aloud = yes\n"
	    "printer = Quay-NVH\n"
	    "language = en\r\n");
	struct config c;
	char *cause = NULL;

	if (config_load(p, &c, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(c.path, p);
	assert_string_equal(c.province, "Quảng Ngãi");
	assert_string_equal(c.commune, "Lân Phong");
	assert_string_equal(c.hamlet, "Thôn 1");
	assert_string_equal(c.kiosk_name, "Nhà văn hóa thôn");
	assert_string_equal(c.server_url, "https://sotay.quangngai.gov.vn");
	assert_string_equal(c.ca_file, "/etc/sotay/ca.pem");
	assert_int_equal(c.idle_seconds, 240);
	assert_int_equal(c.retention_days, 90);
	assert_int_equal(c.sent_keep_days, 120);
	assert_int_equal(c.lang, LANG_EN);
	assert_int_equal(c.read_aloud, READ_ALOUD_YES);
	assert_string_equal(c.printer, "Quay-NVH");
	config_free(&c);
	free(p);

	/* An empty file: the defaults. */
	p = write_conf("empty.conf", "# nothing set yet\n");
	assert_int_equal(config_load(p, &c, &cause), 0);
	assert_null(c.server_url);
	assert_null(c.province);
	assert_int_equal(c.idle_seconds, 180);
	assert_int_equal(c.retention_days, 365);
	assert_int_equal(c.sent_keep_days, 0);	/* events the server holds stay, unless set */
	assert_int_equal(c.lang, LANG_VI);
	assert_string_equal(c.kiosk_name, "Sổ tay số");
	assert_int_equal(c.read_aloud, READ_ALOUD_AUTO);	/* read aloud where there is sound */
	assert_null(c.printer);				/* CUPS's default printer */
	config_free(&c);
	free(p);
	(void)state;
}

/* A file whose third line is line; the load fails with a message holding want. */
static void
bad_line(const char *line, const char *want)
{
	char *text = xasprintf("province = Quảng Ngãi\n# a comment\n%s\nhamlet = Thôn 1\n", line);
	char *p = write_conf("bad.conf", text);
	char *where = xasprintf("%s:3:", p);
	struct config c;
	char *cause = NULL;

	assert_int_equal(config_load(p, &c, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, where) == NULL || strstr(cause, want) == NULL)
		fail_msg("\"%s\" does not say \"%s\" and \"%s\"", cause, where, want);
	/* Nothing is left half-read. */
	assert_null(c.path);
	assert_null(c.province);
	free(cause);
	free(where);
	free(p);
	free(text);
}

static void
test_bad_lines(void **state)
{
	bad_line("province Quảng Ngãi", "thiếu dấu \"=\"");
	bad_line("colour = red", "không biết khóa \"colour\"");
	bad_line("Province = Quảng Ngãi", "không biết khóa \"Province\"");
	bad_line("idle_seconds = abc", "idle_seconds phải là số giây từ 1 đến 86400 (đang là \"abc\")");
	bad_line("idle_seconds = 0", "idle_seconds phải là số giây");
	bad_line("idle_seconds = 90s", "idle_seconds phải là số giây");
	bad_line("idle_seconds =", "idle_seconds phải là số giây");
	bad_line("retention_days = -5", "retention_days phải là số ngày");
	bad_line("sent_keep_days = 3 tháng", "sent_keep_days phải là số ngày từ 0 đến 36500");
	bad_line("language = tiếng Pháp", "language phải là mã ngôn ngữ như vi, en hoặc bdq (đang là \"tiếng Pháp\")");
	bad_line("server_url = sotay.quangngai.gov.vn", "server_url phải bắt đầu bằng https://");
	bad_line("server_url = ftp://sotay.quangngai.gov.vn", "server_url phải bắt đầu bằng https://");
	bad_line("read_aloud = có", "read_aloud phải là auto, yes hoặc no (đang là \"có\")");
	bad_line("printer = Máy in xã", "printer phải là tên một máy in của CUPS");
	bad_line("printer = -o raw", "printer phải là tên một máy in của CUPS");
	bad_line("printer = a/b", "printer phải là tên một máy in của CUPS");
	bad_line("kiosk_name = Nh\xe0 v\xe3n h\xf3" "a", "không phải UTF-8 hợp lệ");

	/* The same in English. */
	i18n_set_lang(LANG_EN);
	bad_line("colour = red", "unknown key \"colour\"");
	i18n_set_lang(LANG_VI);
	(void)state;
}

static void
test_missing_files(void **state)
{
	char *p = test_path("never-written.conf"), *dir = test_path("xdg-empty");
	struct config c;
	char *cause = NULL;

	/* A file named on the command line must be there. */
	assert_int_equal(config_load(p, &c, &cause), -1);
	assert_non_null(strstr(cause, p));
	assert_non_null(strstr(cause, "Không đọc được tệp cấu hình"));
	free(cause);
	/* So must one named by SOTAY_CONFIG. */
	setenv("SOTAY_CONFIG", p, 1);
	assert_int_equal(config_load(NULL, &c, &cause), -1);
	assert_non_null(strstr(cause, p));
	free(cause);
	unsetenv("SOTAY_CONFIG");

	/* None at the default places is fine: the defaults apply. */
	if (access("/etc/sotay/sotay.conf", F_OK) == 0) {
		free(p);
		free(dir);
		skip();
	}
	mkdir(dir, 0700);
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(config_load(NULL, &c, &cause), 0);
	assert_null(c.path);
	assert_int_equal(c.idle_seconds, 180);
	config_free(&c);

	/* One there is read. */
	char *sub = xasprintf("%s/sotay", dir), *conf = xasprintf("%s/sotay/sotay.conf", dir);
	mkdir(sub, 0700);
	FILE *f = fopen(conf, "w");
	fputs("hamlet = Thôn Bắc\n", f);
	fclose(f);
	assert_int_equal(config_load(NULL, &c, &cause), 0);
	assert_string_equal(c.path, conf);
	assert_string_equal(c.hamlet, "Thôn Bắc");
	config_free(&c);
	/* SOTAY_CONFIG comes before it. */
	char *other = write_conf("other.conf", "hamlet = Thôn Nam\n");
	setenv("SOTAY_CONFIG", other, 1);
	assert_int_equal(config_load(NULL, &c, &cause), 0);
	assert_string_equal(c.hamlet, "Thôn Nam");
	config_free(&c);
	unsetenv("SOTAY_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	unlink(conf);
	free(other);
	free(conf);
	free(sub);
	free(dir);
	free(p);
	(void)state;
}

static void
test_db_path(void **state)
{
	char *p;

	setenv("SOTAY_DB", "/srv/kiosk/env.db", 1);
	setenv("XDG_DATA_HOME", "/home/tester/.data", 1);

	p = config_db_path("/media/usb/sotay.db");
	assert_string_equal(p, "/media/usb/sotay.db");
	free(p);
	p = config_db_path("");
	assert_string_equal(p, "/srv/kiosk/env.db");
	free(p);
	p = config_db_path(NULL);
	assert_string_equal(p, "/srv/kiosk/env.db");
	free(p);

	unsetenv("SOTAY_DB");
	/* An installed kiosk's folder wins over the user's own. */
	if (access("/var/lib/sotay", W_OK) == 0)
		skip();
	p = config_db_path(NULL);
	assert_string_equal(p, "/home/tester/.data/sotay/sotay.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/tester", 1);
	p = config_db_path(NULL);
	assert_string_equal(p, "/home/tester/.local/share/sotay/sotay.db");
	free(p);
	(void)state;
}

/* A place whose name says its kind gets no label before it: not "Thôn: Thôn Đông". */
static void
test_place_named(void **state)
{
	assert_true(config_place_named("Thôn Đông"));
	assert_true(config_place_named("thôn 3"));
	assert_true(config_place_named("Bản Lướt"));
	assert_true(config_place_named("Buôn Đôn"));
	assert_true(config_place_named("Tổ dân phố 5"));
	assert_true(config_place_named("Xã Tịnh Hà"));
	assert_true(config_place_named("Phường 3"));
	assert_true(config_place_named("Thị trấn Sơn Tịnh"));
	/* Typed with combining marks ("o" + U+0302), as some keyboards send it. */
	assert_true(config_place_named("Tho\xcc\x82n Đông"));
	/* A bare name, or a word that only begins like a kind, keeps its label. */
	assert_false(config_place_named("Đông"));
	assert_false(config_place_named("Tịnh Hà"));
	assert_false(config_place_named("Thônđông"));
	assert_false(config_place_named("Xãi"));
	assert_false(config_place_named(NULL));
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_db_path),
		cmocka_unit_test(test_place_named),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
