/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync-helpers.c: the real sotay-server as a test peer — started on port 0
 * (it prints the port it got), driven over HTTP with libcurl, and its
 * commands run as a user would run them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "util.h"
#include "testlib.h"
#include "sync-helpers.h"
#include "test-db.h"

char *
th_tmp_path(const char *name)
{
	return tl_path(name);
}

const char *
th_server_bin(void)
{
	static char *path;

	if (path == NULL)
		path = tl_bin("sotay-server");
	return path;
}

int
th_srv_start(struct srv *s, const char *db)
{
	return th_srv_start_ex(s, db, NULL, NULL);
}

/* The library's server, with the admin token and the threads these tests use. */
int
th_srv_start_ex(struct srv *s, const char *db, const char *const *args,
    const char *const *env)
{
	/* On a PostgreSQL run the later --db (its URL) wins; the log stays by db. */
	char		*url = tdb_db(db, 1);
	const char	*a[32] = { "--threads", "4", "--db", url }, *e[32] = {
	    "SOTAY_ADMIN_TOKEN=" TEST_ADMIN_TOKEN };
	size_t		 na = 4, ne = 1;
	struct tl_server t;
	int		 rc;

	memset(s, 0, sizeof *s);
	for (; args != NULL && *args != NULL && na < 31; args++)
		a[na++] = *args;
	for (; env != NULL && *env != NULL && ne < 31; env++)
		e[ne++] = *env;
	rc = tl_server_start(&t, db, a, e);
	free(url);
	if (rc != 0) {
		/* The log is kept: a test reads why the server refused to start. */
		snprintf(s->log, sizeof s->log, "%s", t.log);
		tl_server_stop(&t, 0);
		return -1;
	}
	s->pid = t.pid;
	s->port = t.port;
	snprintf(s->db, sizeof s->db, "%s", t.db);
	snprintf(s->log, sizeof s->log, "%s", t.log);
	t.pid = 0;
	tl_server_stop(&t, 0);		/* frees the paths only: s owns the process */
	return 0;
}

int
th_srv_stop(struct srv *s, int sig)
{
	int status = -1;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	return status;
}

/* Reads a whole descriptor into a malloc'd string. */
static char *
slurp(int fd)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;
	ssize_t	 n;

	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (buf == NULL)
		buf = xstrdup("");
	else
		buf[len] = '\0';
	return buf;
}

int
th_cli(const char *db, char **out, char **err, ...)
{
	const char	*argv[32];
	int		 argc = 0, po[2], pe[2], status;
	pid_t		 pid;
	va_list		 ap;
	const char	*a;
	char		*o, *e, *url = tdb_db(db, 1);

	argv[argc++] = "sotay-server";
	va_start(ap, err);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 28)
		argv[argc++] = a;
	va_end(ap);
	argv[argc++] = "--db";
	argv[argc++] = url;
	argv[argc] = NULL;
	if (pipe(po) != 0 || pipe(pe) != 0 || (pid = fork()) < 0) {
		free(url);
		return -1;
	}
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execv(th_server_bin(), (char *const *)argv);
		_exit(127);
	}
	free(url);
	close(po[1]);
	close(pe[1]);
	/* stderr is small; read stdout first, then stderr. */
	o = slurp(po[0]);
	e = slurp(pe[0]);
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	if (out != NULL)
		*out = o;
	else
		free(o);
	if (err != NULL)
		*err = e;
	else
		free(e);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
th_kiosk_add(const char *db, const char *commune, const char *hamlet, char *id,
    char *token)
{
	char	*out = NULL;
	int	 rc;

	rc = th_cli(db, &out, NULL, "kiosk", "add", "--commune", commune, "--hamlet",
	    hamlet, "--name", "Nhà văn hóa", "--province", "Quảng Ngãi", (char *)NULL);
	if (rc != 0 || sscanf(out, "kiosk: %36s\ntoken: %63s", id, token) != 2) {
		free(out);
		return -1;
	}
	free(out);
	return 0;
}

size_t
th_resp_write(char *p, size_t sz, size_t nm, void *ud)
{
	struct resp *r = ud;
	struct tl_buf b = { r->body, r->len };
	size_t n = tl_curl_write(p, sz, nm, &b);

	r->body = b.data;
	r->len = b.len;
	return n;
}

void
th_resp_free(struct resp *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
}


static void
header_value(const char *line, size_t n, const char *name, char *out, size_t outsz)
{
	size_t k = strlen(name);

	if (n > k + 1 && strncasecmp(line, name, k) == 0 && line[k] == ':') {
		const char *v = line + k + 1;
		size_t m;

		while (*v == ' ')
			v++;
		m = n - (size_t)(v - line);
		while (m > 0 && (v[m - 1] == '\r' || v[m - 1] == '\n'))
			m--;
		if (m >= outsz)
			m = outsz - 1;
		memcpy(out, v, m);
		out[m] = '\0';
	}
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *ud)
{
	struct resp *r = ud;

	header_value(p, sz * nm, "Content-Encoding", r->content_encoding,
	    sizeof r->content_encoding);
	header_value(p, sz * nm, "Content-Type", r->content_type, sizeof r->content_type);
	header_value(p, sz * nm, "ETag", r->etag, sizeof r->etag);
	return sz * nm;
}

int
th_http(const struct srv *s, const char *method, const char *path, const char *token,
    const char *const *headers, const char *body, size_t len, struct resp *r)
{
	CURL			*c = curl_easy_init();
	struct curl_slist	*h = NULL;
	char			 url[512], *auth = NULL;
	CURLcode		 rc;

	memset(r, 0, sizeof *r);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, th_resp_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	for (; headers != NULL && *headers != NULL; headers++)
		h = curl_slist_append(h, *headers);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		h = curl_slist_append(h, "Content-Type: application/json");
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(auth);
	if (r->body == NULL)
		r->body = xstrdup("");
	return rc == CURLE_OK ? 0 : -1;
}

void
th_events_make(struct protocol_event *ev, size_t n, int64_t first, const char *prefix)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t		 seq = first + (int64_t)i;
		json_object	*p = json_object_new_object();

		memset(&ev[i], 0, sizeof ev[i]);
		snprintf(ev[i].id, sizeof ev[i].id, "%.8s-0000-7000-8000-%012llx", prefix,
		    (unsigned long long)seq);
		ev[i].seq = seq;
		ev[i].at = 1764400000000LL + seq * 1000;
		/* A cycle of five: a resident, a session, two steps, the end. */
		switch (seq % 5) {
		case 1: {
			char *r = xasprintf("r%lld", (long long)seq);

			ev[i].type = xstrdup("resident.added");
			json_object_object_add(p, "resident", json_object_new_string(r));
			json_object_object_add(p, "birth_year", json_object_new_int(1950 +
			    (int)(seq % 40)));
			json_object_object_add(p, "sex", json_object_new_string(seq % 2 ?
			    "f" : "m"));
			json_object_object_add(p, "hamlet", json_object_new_string("Thôn Đông"));
			free(r);
			break;
		}
		case 2: {
			char *r = xasprintf("r%lld", (long long)(seq - 1));
			char *s = xasprintf("s%lld", (long long)seq);

			ev[i].type = xstrdup("session.started");
			json_object_object_add(p, "session", json_object_new_string(s));
			json_object_object_add(p, "resident", json_object_new_string(r));
			json_object_object_add(p, "checklist", json_object_new_string(
			    "test-basic"));
			json_object_object_add(p, "version", json_object_new_int(1));
			json_object_object_add(p, "category", json_object_new_string(
			    "public_services"));
			json_object_object_add(p, "volunteer", json_object_new_int(1));
			free(r);
			free(s);
			break;
		}
		case 3:
		case 4: {
			char *s = xasprintf("s%lld", (long long)(seq - (seq % 5) + 2));

			ev[i].type = xstrdup("step.marked");
			json_object_object_add(p, "session", json_object_new_string(s));
			json_object_object_add(p, "checklist", json_object_new_string(
			    "test-basic"));
			json_object_object_add(p, "step", json_object_new_string(seq % 5 == 3 ?
			    "open-app" : "get-otp"));
			json_object_object_add(p, "index", json_object_new_int(seq % 5 == 3 ?
			    0 : 2));
			json_object_object_add(p, "mark", json_object_new_string(seq % 5 == 3 ?
			    "done" : "blocked"));
			json_object_object_add(p, "reason", seq % 5 == 3 ? NULL :
			    json_object_new_string("no-otp"));
			free(s);
			break;
		}
		default: {
			char *s = xasprintf("s%lld", (long long)(seq - 3));

			ev[i].type = xstrdup("session.finished");
			json_object_object_add(p, "session", json_object_new_string(s));
			json_object_object_add(p, "checklist", json_object_new_string(
			    "test-basic"));
			json_object_object_add(p, "outcome", json_object_new_string("blocked"));
			json_object_object_add(p, "done", json_object_new_int(1));
			json_object_object_add(p, "skipped", json_object_new_int(0));
			json_object_object_add(p, "blocked", json_object_new_int(1));
			free(s);
			break;
		}
		}
		ev[i].payload = xstrdup(json_object_to_json_string_ext(p,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(p);
	}
}

void
th_events_free(struct protocol_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ev[i].type);
		free(ev[i].payload);
	}
}

int64_t
th_sql_int(const char *db, const char *sql, const char *bind1)
{
	return tdb_int(db, sql, bind1);
}

char *
th_sql_text(const char *db, const char *sql, const char *bind1)
{
	return tdb_text(db, sql, bind1);
}

int
th_store_is_pg(void)
{
	return tdb_is_pg();
}

char *
th_heavy_batch(const char *kiosk, int n, int keys, int salt, size_t *len)
{
	size_t	 cap = (size_t)n * ((size_t)keys * 24 + 160) + 64, used = 0;
	char	*body = xmalloc(cap), *gz = NULL;

	used += (size_t)snprintf(body + used, cap - used, "{\"kiosk\":\"%s\",\"events\":[", kiosk);
	for (int i = 1; i <= n; i++) {
		used += (size_t)snprintf(body + used, cap - used, "%s{\"id\":\"0190f%03d-0000-7000-"
		    "8000-%012x\",\"seq\":%d,\"type\":\"step.marked\",\"at\":1700000000000,"
		    "\"payload\":{", i > 1 ? "," : "", salt % 1000, i, i);
		for (int k = 0; k < keys; k++)
			used += (size_t)snprintf(body + used, cap - used, "%s\"k%d\":\"v%d\"",
			    k > 0 ? "," : "", k, (i * 7919 + k * 104729 + salt) % 1000000);
		used += (size_t)snprintf(body + used, cap - used, "}}");
	}
	used += (size_t)snprintf(body + used, cap - used, "]}");
	if (protocol_gzip(body, used, &gz, len, NULL) != 0) {
		free(body);
		return NULL;
	}
	free(body);
	return gz;
}

long
th_rss_kib(pid_t pid, int peak)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kib = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, peak ? "VmHWM:" : "VmRSS:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

void *
th_heavy_post(void *arg)
{
	struct th_heavy	*h = arg;
	struct resp	 r;
	const char	*hdr[] = { "Content-Encoding: gzip", NULL };

	h->status = 0;
	if (th_http(h->s, "POST", PROTOCOL_PATH_EVENTS, h->token, hdr, h->body, h->len, &r) == 0)
		h->status = r.status;
	th_resp_free(&r);
	return NULL;
}
