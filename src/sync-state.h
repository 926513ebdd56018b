/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync-state.h: what the kiosk knows of its link to the provincial server,
 * as one typed record. sync/client.c writes it (enrolment, each sync); the
 * home screen, the supervisor's screen and `sotay status` read it with
 * sync_state_read(). The settings keys behind it are this file's alone.
 */
#ifndef SOTAY_SYNC_STATE_H
#define SOTAY_SYNC_STATE_H

#include <stdint.h>

#include "util.h"

struct store;

struct sync_state {
	int64_t	 last_ok_ms;		/* when a sync last succeeded; 0: never */
	char	*last_error;		/* why the last attempt failed (a message); NULL after a success */
	char	*kiosk_id;		/* NULL: not enrolled */
	char	*server_url;		/* NULL: not enrolled */
	int64_t	 content_version;	/* 0: only the bundled checklists */
	int64_t	 clock_offset_ms;	/* the server's clock minus the kiosk's, last measured */
	int	 has_clock_offset;	/* 0 until a sync measured it */
};

/* Fills the record (the caller frees it with sync_state_free); -1 and cause on error. */
int	 sync_state_read(struct store *, struct sync_state *, char **cause);
void	 sync_state_free(struct sync_state *);

/* 1: the last attempt succeeded; 0: it failed; -1: never synced. */
int	 sync_state_online(const struct sync_state *);

/* What the client needs to connect; NULLs when not enrolled. Freed with _free. */
struct sync_credentials {
	char	*server_url;
	char	*kiosk_id;
	char	*token;
	char	*ca_file;		/* NULL: the system's trust store */
};
int	 sync_state_credentials(struct store *, struct sync_credentials *, char **cause);
void	 sync_state_credentials_free(struct sync_credentials *);

/*
 * Writers, for sync/client.c. sync_state_enroll runs inside the caller's
 * transaction and clears the last error; moving to another server forgets
 * the content version, as that server numbers its content afresh.
 */
int	 sync_state_enroll(struct store *, const char *url, const char *kiosk_id,
	     const char *token, const char *ca_file, char **cause);
/*
 * This machine's install id: a UUID made the first time it is asked for and
 * kept in the database, so a restored backup carries it. Enrolment sends it
 * (PROTOCOL_HEADER_INSTALL): the server lets one machine enrol with a token.
 */
int	 sync_state_install_id(struct store *, char out[UUID_STR_LEN], char **cause);
int	 sync_state_set_content_version(struct store *, int64_t, char **cause);
int	 sync_state_set_clock_offset(struct store *, int64_t ms, char **cause);
int	 sync_state_succeeded(struct store *, int64_t at_ms, char **cause);
int	 sync_state_failed(struct store *, const char *message, char **cause);

#endif
