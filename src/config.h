/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h: the kiosk's settings file and where its database lives.
 *
 * The file is lines of `key = value`; `#` starts a comment. A bad line is an
 * error that names the file and the line, never silently ignored.
 */
#ifndef SOTAY_CONFIG_H
#define SOTAY_CONFIG_H

#include "i18n.h"

/* read_aloud = auto | yes | no: when the step screen offers to read aloud (ui/speak.h). */
enum read_aloud { READ_ALOUD_AUTO, READ_ALOUD_YES, READ_ALOUD_NO };

struct config {
	char		*path;		/* the file read, or NULL if none */
	char		*province;
	char		*commune;
	char		*hamlet;
	char		*kiosk_name;
	char		*server_url;	/* for `sotay enroll TOKEN`; NULL: not set */
	char		*ca_file;	/* NULL: the system's CA store */
	int		 allow_insecure_http;	/* 1: http:// to other hosts than this one */
	int		 idle_seconds;	/* back to home after this long idle */
	int		 retention_days;/* residents' personal data kept this long */
	int		 sent_keep_days;/* events the server holds are kept this long (0: always) */
	enum lang	 lang;	/* checklists' language: English for "en", else Vietnamese */
	char		 lang_code[I18N_CODE_MAX];	/* language = CODE; "": not set */
	enum read_aloud	 read_aloud;
	char		*printer;	/* the CUPS printer for slips; NULL: CUPS's default */
};

/*
 * Reads path, or when path is NULL: $SOTAY_CONFIG, then
 * $XDG_CONFIG_HOME/sotay/sotay.conf (~/.config/…), then /etc/sotay/sotay.conf.
 * A missing file leaves the defaults. The caller frees with config_free.
 */
int	 config_load(const char *path, struct config *, char **cause);
void	 config_free(struct config *);

/*
 * The database path: arg (from --db) if given, else $SOTAY_DB, else
 * /var/lib/sotay/sotay.db when that folder exists and is writable (an
 * installed kiosk), else $XDG_DATA_HOME/sotay/sotay.db (~/.local/share/…).
 * Returns a malloc'd string.
 */
char	*config_db_path(const char *arg);

/*
 * 1 if a place's name already says what kind of place it is ("Thôn Đông",
 * "Bản Lướt", "Xã Tịnh Hà", "Phường 3"…), so a screen shows it without a
 * label ("Thôn: Thôn Đông" says it twice).
 */
int	 config_place_named(const char *name);

#endif
