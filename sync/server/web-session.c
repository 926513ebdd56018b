/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-session.c: the dashboard's sessions and forms. A session is a random
 * token in a cookie scripts cannot read (HttpOnly, SameSite=Strict, Secure
 * behind TLS); the server keeps only its hash, like a kiosk's token. The
 * CSRF token of every form is derived from the session's token (a keyed
 * BLAKE2b), so it needs no storage and dies with the session; the login
 * form, before any session, uses a token in a cookie of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "util.h"
#include "server-accounts.h"
#include "web.h"

void
web_session_token(char out[WEB_TOKEN_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, WEB_TOKEN_LEN, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

char *
web_session_cookie(const struct web *w, const char *name)
{
	const char	*c = w->req->cookie;
	size_t		 nl = strlen(name);

	while (c != NULL && *c != '\0') {
		while (*c == ' ' || *c == ';')
			c++;
		if (strncmp(c, name, nl) == 0 && c[nl] == '=') {
			const char *v = c + nl + 1;

			return xasprintf("%.*s", (int)strcspn(v, ";"), v);
		}
		c = strchr(c, ';');
	}
	return NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
web_session_form(const char *body, const char *key)
{
	size_t		 kl = strlen(key);
	const char	*p = body;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, "&");

		if (n > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			char	*out = xmalloc(n - kl), *o = out;
			size_t	 i;

			for (i = kl + 1; i < n; i++) {
				int hi, lo;

				if (p[i] == '+')
					*o++ = ' ';
				else if (p[i] == '%' && i + 2 < n &&
				    (hi = hexval(p[i + 1])) >= 0 &&
				    (lo = hexval(p[i + 2])) >= 0) {
					*o++ = (char)(hi * 16 + lo);
					i += 2;
				} else
					*o++ = p[i];
			}
			*o = '\0';
			if (memchr(out, '\0', (size_t)(o - out)) != NULL ||
			    !util_utf8_valid(out, strlen(out))) {
				free(out);
				return NULL;
			}
			return out;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return NULL;
}

/* This session's CSRF token: BLAKE2b keyed by the session token. */
static void
csrf_of(const char *session, char out[WEB_TOKEN_LEN])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)"sotay.csrf.v1", 13,
	    (const unsigned char *)session, strlen(session) < crypto_generichash_KEYBYTES_MAX ?
	    strlen(session) : crypto_generichash_KEYBYTES_MAX);
	sodium_bin2base64(out, WEB_TOKEN_LEN, h, sizeof h,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
web_session_find(struct web *w)
{
	char		*token = web_session_cookie(w, WEB_COOKIE_SESSION), *login = NULL;
	char		*cause = NULL;
	unsigned char	 h[SERVER_HASH_LEN];
	int64_t		 expires;
	int		 found, rc;

	if (token == NULL)
		return 0;
	if (strlen(token) != WEB_TOKEN_LEN - 1) {
		free(token);
		return 0;
	}
	server_api_hash_token(token, h);
	rc = server_store_web_session_get(w->ctx->store, h, &login, &expires, &found,
	    &cause);
	if (rc != 0)
		goto failed;
	if (!found || expires < util_now_ms()) {
		free(login);
		free(token);
		return 0;
	}
	rc = server_store_user_get(w->ctx->store, login, &w->user, &found, &cause);
	free(login);
	if (rc != 0)
		goto failed;
	/* A disabled account loses its sessions at once. */
	if (!found || w->user.disabled_at != 0) {
		server_user_free(&w->user);
		free(token);
		return 0;
	}
	csrf_of(token, w->csrf);
	free(token);
	return 1;
failed:
	web_log_failed("session", cause);
	free(token);
	return -1;
}

static void
set_cookie(struct web *w, const char *name, const char *value, int64_t max_age)
{
	char *c = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
	    name, value, (long long)max_age, w->req->secure ? "; Secure" : "");

	server_reply_header(w->rep, "Set-Cookie", c);
	free(c);
}

int
web_session_start(struct web *w, const char *login)
{
	char		 token[WEB_TOKEN_LEN], *cause = NULL;
	unsigned char	 h[SERVER_HASH_LEN];
	int		 rc;

	web_session_token(token);
	server_api_hash_token(token, h);
	rc = server_store_web_session_add(w->ctx->store, h, login,
	    util_now_ms() + WEB_SESSION_MS, &cause);
	if (rc != 0) {
		web_log_failed("session", cause);
		return -1;
	}
	set_cookie(w, WEB_COOKIE_SESSION, token, WEB_SESSION_MS / 1000);
	server_reply_header(w->rep, "Set-Cookie", WEB_COOKIE_LOGIN_CSRF "=; Path=/login; "
	    "HttpOnly; SameSite=Strict; Max-Age=0");
	sodium_memzero(token, sizeof token);
	return 0;
}

void
web_session_end(struct web *w)
{
	char		*token = web_session_cookie(w, WEB_COOKIE_SESSION), *cause = NULL;
	unsigned char	 h[SERVER_HASH_LEN];

	if (token != NULL) {
		server_api_hash_token(token, h);
		if (server_store_web_session_delete(w->ctx->store, h, &cause) != 0)
			web_log_failed("session", cause);
		free(token);
	}
	set_cookie(w, WEB_COOKIE_SESSION, "", 0);
}

int
web_session_csrf_ok(struct web *w, const char *given)
{
	return given != NULL && w->csrf[0] != '\0' &&
	    strlen(given) == strlen(w->csrf) &&
	    sodium_memcmp(given, w->csrf, strlen(w->csrf)) == 0;
}
