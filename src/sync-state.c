/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync-state.c: the sync state record over the store's settings (meta).
 * Numbers are kept as decimal text; a value that is not one reads as none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "sync-state.h"

/* The settings keys; existing kiosks have them under these names. */
#define KEY_URL			"server_url"
#define KEY_KIOSK		"kiosk_id"
#define KEY_TOKEN		"kiosk_token"
#define KEY_CA_FILE		"sync_ca_file"
#define KEY_LAST_OK		"last_sync_ok"
#define KEY_LAST_ERROR		"last_sync_error"
#define KEY_CLOCK_OFFSET	"clock_offset_ms"
#define KEY_CONTENT_VERSION	"content_version"
#define KEY_INSTALL		"install_id"

int
sync_state_read(struct store *st, struct sync_state *s, char **cause)
{
	int r;

	memset(s, 0, sizeof *s);
	if (store_meta_get_int(st, KEY_LAST_OK, &s->last_ok_ms, cause) < 0 ||
	    store_meta_get(st, KEY_LAST_ERROR, &s->last_error, cause) != 0 ||
	    store_meta_get(st, KEY_KIOSK, &s->kiosk_id, cause) != 0 ||
	    store_meta_get(st, KEY_URL, &s->server_url, cause) != 0 ||
	    store_meta_get_int(st, KEY_CONTENT_VERSION, &s->content_version, cause) < 0 ||
	    (r = store_meta_get_int(st, KEY_CLOCK_OFFSET, &s->clock_offset_ms, cause)) < 0) {
		sync_state_free(s);
		return -1;
	}
	s->has_clock_offset = r;
	if (s->last_error != NULL && *s->last_error == '\0') {
		free(s->last_error);
		s->last_error = NULL;
	}
	return 0;
}

void
sync_state_free(struct sync_state *s)
{
	free(s->last_error);
	free(s->kiosk_id);
	free(s->server_url);
	memset(s, 0, sizeof *s);
}

int
sync_state_online(const struct sync_state *s)
{
	/* A success clears the error, so an error means the last attempt failed. */
	if (s->last_error != NULL)
		return 0;
	return s->last_ok_ms > 0 ? 1 : -1;
}

int
sync_state_credentials(struct store *st, struct sync_credentials *c, char **cause)
{
	memset(c, 0, sizeof *c);
	if (store_meta_get(st, KEY_URL, &c->server_url, cause) != 0 ||
	    store_meta_get(st, KEY_KIOSK, &c->kiosk_id, cause) != 0 ||
	    store_meta_get(st, KEY_TOKEN, &c->token, cause) != 0 ||
	    store_meta_get(st, KEY_CA_FILE, &c->ca_file, cause) != 0) {
		sync_state_credentials_free(c);
		return -1;
	}
	return 0;
}

void
sync_state_credentials_free(struct sync_credentials *c)
{
	free(c->server_url);
	free(c->kiosk_id);
	free(c->token);
	free(c->ca_file);
	memset(c, 0, sizeof *c);
}

int
sync_state_enroll(struct store *st, const char *url, const char *kiosk_id, const char *token,
    const char *ca_file, char **cause)
{
	char *old = NULL;
	int rc = -1;

	if (store_meta_get(st, KEY_URL, &old, cause) != 0)
		return -1;
	if ((old == NULL || strcmp(old, url) == 0 ||
	    store_meta_set(st, KEY_CONTENT_VERSION, NULL, cause) == 0) &&
	    store_meta_set(st, KEY_URL, url, cause) == 0 &&
	    store_meta_set(st, KEY_KIOSK, kiosk_id, cause) == 0 &&
	    store_meta_set(st, KEY_TOKEN, token, cause) == 0 &&
	    store_meta_set(st, KEY_CA_FILE, ca_file, cause) == 0 &&
	    /* What failed before enrolment (not enrolled, a wrong token) is no longer so. */
	    store_meta_set(st, KEY_LAST_ERROR, NULL, cause) == 0)
		rc = 0;
	free(old);
	return rc;
}

int
sync_state_install_id(struct store *st, char out[UUID_STR_LEN], char **cause)
{
	char *v = NULL;

	if (store_meta_get(st, KEY_INSTALL, &v, cause) != 0)
		return -1;
	if (v != NULL && strlen(v) == UUID_STR_LEN - 1) {
		memcpy(out, v, UUID_STR_LEN);
		free(v);
		return 0;
	}
	free(v);
	util_uuid7(out);
	return store_meta_set(st, KEY_INSTALL, out, cause);
}

int
sync_state_set_content_version(struct store *st, int64_t v, char **cause)
{
	return store_meta_set_int(st, KEY_CONTENT_VERSION, v, cause);
}

int
sync_state_set_clock_offset(struct store *st, int64_t ms, char **cause)
{
	return store_meta_set_int(st, KEY_CLOCK_OFFSET, ms, cause);
}

int
sync_state_succeeded(struct store *st, int64_t at_ms, char **cause)
{
	if (store_meta_set_int(st, KEY_LAST_OK, at_ms, cause) != 0)
		return -1;
	return store_meta_set(st, KEY_LAST_ERROR, NULL, cause);
}

int
sync_state_failed(struct store *st, const char *message, char **cause)
{
	return store_meta_set(st, KEY_LAST_ERROR, message, cause);
}
