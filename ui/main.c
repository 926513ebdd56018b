/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c: the `sotay` program's entry — global options, the language,
 * the settings file, and which command runs. With no command it starts the
 * terminal UI. `enroll` and `sync` are the `sotay-sync` program's
 * (spawn-sync.h): this one becomes it, so `sotay` never links libcurl.
 */
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "build-info.h"
#include "spawn-sync.h"
#include "util.h"


static const struct command {
	const char	*name;
	int		(*run)(struct app *, int, char **);
	void		(*usage)(FILE *);
} commands[] = {
	{ "content", cmd_content, cmd_content_usage },
	{ "volunteer", cmd_volunteer, cmd_volunteer_usage },
	{ "status", cmd_status, cmd_status_usage },
	{ "report", cmd_report, cmd_report_usage },
	{ "export", cmd_export, cmd_export_usage },
};

/* 1 if --help (or -h) is among a command's arguments, before any "--". */
static int
wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static void
usage(FILE *f)
{
	fputs(_("Cách dùng: sotay [TÙY CHỌN] [LỆNH …]\n"
	    "\n"
	    "Không có lệnh: mở màn hình hướng dẫn (giao diện chính của ki-ốt).\n"
	    "\n"
	    "Lệnh:\n"
	    "  content check ĐƯỜNG_DẪN…     kiểm tra tệp danh mục (JSON); liệt kê mọi lỗi\n"
	    "  volunteer add TÊN --role volunteer|supervisor [--pin-stdin]\n"
	    "  volunteer list | disable SỐ | enable SỐ | pin SỐ [--pin-stdin]\n"
	    "  status [--json]             sự kiện chờ gửi, lần đồng bộ cuối, nội dung, số liệu\n"
	    "  report [--from NGÀY] [--to NGÀY] [--json]   báo cáo (NGÀY dạng YYYY-MM-DD)\n"
	    "  export                      toàn bộ nhật ký dạng JSON từng dòng (sao lưu)\n"
	    "  enroll [URL] MÃ [--ca-file TỆP]   đăng ký ki-ốt với máy chủ tỉnh\n"
	    "  sync [--json] [--watch] [--ca-file TỆP]   gửi dữ liệu, tải danh mục mới\n"
	    "\n"
	    "Tùy chọn:\n"
	    "  --db TỆP        tệp dữ liệu (hoặc biến SOTAY_DB)\n"
	    "  --config TỆP    tệp cấu hình (hoặc SOTAY_CONFIG); mặc định\n"
	    "                  ~/.config/sotay/sotay.conf ($XDG_CONFIG_HOME/sotay/…)\n"
	    "                  nếu có, không thì /etc/sotay/sotay.conf\n"
	    "  --content THƯ_MỤC   danh mục đi kèm (hoặc SOTAY_CONTENT)\n"
	    "  --kiosk         chế độ ki-ốt: chỉ tổ trưởng mới thoát được\n"
	    "  --lang MÃ       ngôn ngữ (xem danh sách dưới đây)\n"
	    "  --version, --help\n"), f);
	/* Every language that has words here, not a fixed pair: a catalogue added later counts. */
	fputs(_("\nNgôn ngữ có trên máy này:"), f);
	for (const char *const *l = i18n_languages(); *l != NULL; l++)
		fprintf(f, "%s %s (%s)", l == i18n_languages() ? "" : ",", *l, i18n_name(*l));
	fputc('\n', f);
}

/* Where the UI's words are: see i18n_bind_default. */
static void
bind_catalogues(void)
{
	i18n_bind_default(SOTAY_LOCALEDIR);
}

/* A language asked for by name: it must have words, or the user is told which do. */
static int
check_language(const char *code, const char *where)
{
	const char *const *l;
	size_t i;

	if (i18n_available(code))
		return 0;
	fprintf(stderr, _("sotay: %s: không có ngôn ngữ \"%s\". Có: "), where, code);
	for (l = i18n_languages(), i = 0; l[i] != NULL; i++)
		fprintf(stderr, "%s%s", i > 0 ? ", " : "", l[i]);
	fputc('\n', stderr);
	return -1;
}

/*
 * The bundled checklists: the source tree's when this program was built
 * there (so a build never picks up an older installed copy), else the
 * installed ones.
 */
static char *
default_content_dir(void)
{
	char *exe = app_exe_dir(), *dir;

	if (exe != NULL) {
		dir = xasprintf("%s/../assets/checklists", exe);
		free(exe);
		if (access(dir, R_OK) == 0)
			return dir;
		free(dir);
	}
	if (access(SOTAY_DATADIR "/checklists", R_OK) == 0)
		return xstrdup(SOTAY_DATADIR "/checklists");
	return NULL;
}

/*
 * Run as root (sudo sotay …) on an installed kiosk, the program becomes the
 * owner of the database's folder first: a file root created there would
 * lock the kiosk and its sync service out of their own data.
 */
static int
become_data_owner(const char *db_path)
{
	char *dir = xstrdup(db_path), *slash = strrchr(dir, '/');
	struct stat sb;
	struct passwd *pw;
	int rc = 0;

	if (geteuid() != 0 || slash == NULL || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if (stat(dir, &sb) == 0 && sb.st_uid != 0) {
		pw = getpwuid(sb.st_uid);
		if ((pw != NULL && initgroups(pw->pw_name, sb.st_gid) != 0) ||
		    setgid(sb.st_gid) != 0 || setuid(sb.st_uid) != 0) {
			fprintf(stderr, _("sotay: không chuyển được sang người dùng sở hữu %s. Hãy chạy "
			    "bằng người dùng đó (runuser -u sotay -- sotay …).\n"), dir);
			rc = -1;
		}
	}
	free(dir);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "content", required_argument, NULL, 'C' },
		{ "kiosk", no_argument, NULL, 'k' },
		{ "lang", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct app app = { 0 };
	const char *db = NULL, *config = NULL, *content = NULL, *lang = getenv("SOTAY_LANG");
	const char *lang_arg = NULL;
	char *cause = NULL;
	int ch, rc;

	setlocale(LC_ALL, "");
	bind_catalogues();
	if (lang != NULL && i18n_available(lang))
		i18n_set(lang);
	else if (i18n_from_locale() != NULL)
		i18n_set(i18n_from_locale());
	/* "+": options stop at the command, whose own options are its own. */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'c': config = optarg; break;
		case 'C': content = optarg; break;
		case 'k': app.kiosk = 1; break;
		case 'l':
			if (check_language(optarg, "--lang") == -1)
				return EXIT_USAGE;
			lang = lang_arg = optarg;
			i18n_set(optarg);
			break;
		case 'V':
			printf("sotay %s\n", SOTAY_VERSION);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (config_load(config, &app.cfg, &cause) != 0) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
		return EXIT_PROBLEM;
	}
	/* The command line and SOTAY_LANG win over the config file, which wins over the locale. */
	if (lang != NULL && i18n_available(lang))
		snprintf(app.lang, sizeof app.lang, "%s", lang);
	else if (app.cfg.lang_code[0] != '\0') {
		if (check_language(app.cfg.lang_code, app.cfg.path ? app.cfg.path : "language") == -1) {
			config_free(&app.cfg);
			return EXIT_PROBLEM;
		}
		snprintf(app.lang, sizeof app.lang, "%s", app.cfg.lang_code);
	} else
		snprintf(app.lang, sizeof app.lang, "%s", i18n_from_locale() ? i18n_from_locale() : "vi");
	i18n_set(app.lang);
	app.cfg.lang = i18n_lang();
	app.db_path = config_db_path(db);
	if (become_data_owner(app.db_path) != 0)
		return EXIT_PROBLEM;
	/* The network's commands: sotay-sync takes over this process (returns only on failure). */
	if (argc > optind && (strcmp(argv[optind], "enroll") == 0 ||
	    strcmp(argv[optind], "sync") == 0)) {
		rc = spawn_sync_exec(app.db_path, config, i18n_parse_lang(lang_arg) >= 0 ? lang_arg : NULL,
		    argc - optind, argv + optind);
		config_free(&app.cfg);
		free(app.db_path);
		return rc;
	}
	if (content == NULL)
		content = getenv("SOTAY_CONTENT");
	app.content_dir = content != NULL && *content != '\0' ? xstrdup(content) :
	    default_content_dir();

	argc -= optind;
	argv += optind;
	if (argc == 0)
		rc = tui_main(&app);
	else {
		rc = -1;
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[0], commands[i].name) != 0)
				continue;
			else if (wants_help(argc, argv)) {
				commands[i].usage(stdout);
				rc = EXIT_OK;
			} else
				rc = commands[i].run(&app, argc, argv);
		if (rc == -1) {
			fprintf(stderr, _("sotay: không có lệnh \"%s\"\n\n"),
			    argv[0]);
			usage(stderr);
			rc = EXIT_USAGE;
		}
	}
	config_free(&app.cfg);
	free(app.db_path);
	free(app.content_dir);
	return rc;
}
