/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sotay-sync.c: the `sotay-sync` program's entry. It holds the network side
 * of the kiosk (libcurl and everything it pulls in), apart from the `sotay`
 * program that draws the screen: `sotay enroll …` and `sotay sync …` run
 * this program in their place, and the supervisor's "sync now" screen runs
 * `sotay-sync --db DB sync --progress` as a child and reads its pipe. So the
 * UI starts without those libraries, and a crash or a hang here cannot take
 * the kiosk's screen with it.
 *
 * Global options are those of `sotay` that matter here (--db, --config,
 * --lang), read the same way; then one command (cmd-sync.h).
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-info.h"
#include "client.h"
#include "cmd-sync.h"
#include "config.h"
#include "i18n.h"

static void
usage(FILE *f)
{
	fputs(_(
	    "Cách dùng: sotay-sync [TÙY CHỌN] LỆNH …\n"
	    "\n"
	    "Phần mạng của Sổ tay số; thường được chạy qua \"sotay enroll\" và \"sotay sync\".\n"
	    "\n"
	    "Lệnh:\n"
	    "  enroll URL MÃ [--ca-file TỆP]   đăng ký ki-ốt với máy chủ tỉnh\n"
	    "  sync [--json] [--watch] [--ca-file TỆP] [--timeout GIÂY] [--progress]\n"
	    "                              gửi dữ liệu, tải danh mục mới\n"
	    "\n"
	    "Tùy chọn:\n"
	    "  --db TỆP        tệp dữ liệu (hoặc biến SOTAY_DB)\n"
	    "  --config TỆP    tệp cấu hình (hoặc SOTAY_CONFIG); mặc định\n"
	    "                  ~/.config/sotay/sotay.conf ($XDG_CONFIG_HOME/sotay/…)\n"
	    "                  nếu có, không thì /etc/sotay/sotay.conf\n"
	    "  --lang vi|en    ngôn ngữ\n"
	    "  --version, --help\n"), f);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "lang", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config		 cfg;
	struct cmd_sync_env	 env;
	const char		*db = NULL, *config = NULL, *lang = getenv("SOTAY_LANG");
	char			*cause = NULL, *db_path;
	int			 ch, rc;

	setlocale(LC_ALL, "");
	i18n_bind_default(SOTAY_LOCALEDIR);
	if (i18n_parse_lang(lang) >= 0)
		i18n_set_lang(i18n_parse_lang(lang));
	/* "+": options stop at the command, whose own options are its own. */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'c': config = optarg; break;
		case 'l':
			if (i18n_parse_lang(optarg) < 0) {
				fprintf(stderr, _("sotay-sync: --lang phải là vi hoặc en\n"));
				return CMD_SYNC_EXIT_USAGE;
			}
			lang = optarg;
			i18n_set_lang(i18n_parse_lang(optarg));
			break;
		case 'V':
			printf("sotay-sync %s\n", SOTAY_VERSION);
			return CMD_SYNC_EXIT_OK;
		case 'h':
			usage(stdout);
			return CMD_SYNC_EXIT_OK;
		default:
			usage(stderr);
			return CMD_SYNC_EXIT_USAGE;
		}
	}
	memset(&cfg, 0, sizeof cfg);
	if (config_load(config, &cfg, &cause) != 0) {
		fprintf(stderr, "sotay-sync: %s\n", cause);
		free(cause);
		return CMD_SYNC_EXIT_PROBLEM;
	}
	/* The command line and SOTAY_LANG win over the config file. */
	if (i18n_parse_lang(lang) >= 0)
		cfg.lang = i18n_parse_lang(lang);
	i18n_set_lang(cfg.lang);
	db_path = config_db_path(db);
	client_allow_insecure_http(cfg.allow_insecure_http);
	env.cfg = &cfg;
	env.db_path = db_path;

	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "enroll") == 0)
		rc = cmd_sync_enroll(&env, argc, argv);
	else if (argc > 0 && strcmp(argv[0], "sync") == 0)
		rc = cmd_sync_run(&env, argc, argv);
	else {
		if (argc > 0)
			fprintf(stderr, _("sotay-sync: không có lệnh \"%s\"\n\n"), argv[0]);
		usage(stderr);
		rc = CMD_SYNC_EXIT_USAGE;
	}
	config_free(&cfg);
	free(db_path);
	return rc;
}
