/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c: the sotay-server command line — serve, kiosk add/list/revoke/token,
 * content publish, migrate, and the dashboard's user and audit commands
 * (server-cmd-user.c). Each command opens the store named by --db (or
 * $SOTAY_SERVER_DB), does one thing and says plainly what it did.
 */
#include <errno.h>
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "build-info.h"
#include "content.h"
#include "i18n.h"
#include "secret.h"
#include "util.h"
#include "protocol.h"
#include "server.h"
#include "server-ingest.h"
#include "server-cmd.h"
#include "server-migrate.h"

#define TOKEN_BYTES	32
#define DEFAULT_LISTEN	"127.0.0.1:8686"
#define DEFAULT_THREADS	8

struct opts {
	const char	*db;
	const char	*listen;
	const char	*admin_token_file;
	const char	*province;
	const char	*commune;
	const char	*hamlet;
	const char	*name;
	const char	*role;
	int		 password_stdin;
	const char	*commune_code;
	const char	*from;
	const char	*to;
	int		 threads;
	int		 poll_s;
	int		 per_addr;
	int		 request_s;
	const char	*trusted_proxy;
	char		*pos[8];
	int		 npos;
};

static void
usage(FILE *f)
{
	fputs(_(
	    "Cách dùng:\n"
	    "  sotay-server serve --db TỆP [--listen ĐỊA_CHỈ:CỔNG] [--threads N]\n"
	    "                     [--admin-token-file TỆP]   (hoặc SOTAY_ADMIN_TOKEN)\n"
	    "                     [--poll-seconds N]   (trạm hỏi lại sau N giây; mặc định 300)\n"
	    "                     [--max-per-address N] [--request-seconds N]\n"
	    "                     [--trusted-proxy ĐỊA_CHỈ]   (proxy phía trước; X-Forwarded-For)\n"
	    "  sotay-server kiosk add --commune XÃ --hamlet THÔN --name TÊN [--province TỈNH]\n"
	    "                         [--commune-code MÃ_XÃ]\n"
	    "  sotay-server kiosk list\n"
	    "  sotay-server kiosk revoke MÃ\n"
	    "  sotay-server kiosk token MÃ    (cấp mã mới; mã cũ hết dùng)\n"
	    "  sotay-server content publish THƯ_MỤC\n"
	    "  sotay-server user add TÊN --role province|commune [--commune XÃ]\n"
	    "                    [--province TỈNH] --password-stdin\n"
	    "  sotay-server user list | user disable TÊN | user enable TÊN\n"
	    "  sotay-server user password TÊN --password-stdin\n"
	    "  sotay-server audit\n"
	    "  sotay-server migrate --from TỆP.db --to postgresql://…\n"
	    "  sotay-server --version | --help\n"
	    "--db là một tệp SQLite hoặc postgresql://…;\n  có thể thay bằng biến SOTAY_SERVER_DB; --lang vi|en đổi ngôn ngữ.\n"),
	    f);
}

static int
die(char *cause)
{
	fprintf(stderr, "sotay-server: %s\n", cause != NULL ? cause : "?");
	free(cause);
	return 1;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} valued[] = {
		{ "--db", offsetof(struct opts, db) },
		{ "--listen", offsetof(struct opts, listen) },
		{ "--admin-token-file", offsetof(struct opts, admin_token_file) },
		{ "--province", offsetof(struct opts, province) },
		{ "--commune", offsetof(struct opts, commune) },
		{ "--hamlet", offsetof(struct opts, hamlet) },
		{ "--name", offsetof(struct opts, name) },
		{ "--role", offsetof(struct opts, role) },
		{ "--commune-code", offsetof(struct opts, commune_code) },
		{ "--from", offsetof(struct opts, from) },
		{ "--to", offsetof(struct opts, to) },
		{ "--trusted-proxy", offsetof(struct opts, trusted_proxy) },
	};
	static const struct {
		const char	*name;
		size_t		 off;
		int		 lo, hi;
	} numbers[] = {
		{ "--poll-seconds", offsetof(struct opts, poll_s), PROTOCOL_POLL_MIN,
		    PROTOCOL_POLL_MAX },
		{ "--max-per-address", offsetof(struct opts, per_addr), 1, 100000 },
		{ "--request-seconds", offsetof(struct opts, request_s), 1, 3600 },
		{ "--threads", offsetof(struct opts, threads), 1, 256 },
	};
	int i;

	memset(o, 0, sizeof *o);
	o->threads = DEFAULT_THREADS;
	o->poll_s = PROTOCOL_POLL_DEFAULT;
	for (i = 1; i < argc; i++) {
		const char	*a = argv[i];
		size_t		 k;

		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("sotay-server %s\n", SOTAY_VERSION);
			exit(0);
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(a, "--password-stdin") == 0) {
			o->password_stdin = 1;
			continue;
		}
		for (k = 0; k < sizeof numbers / sizeof numbers[0]; k++)
			if (strcmp(a, numbers[k].name) == 0)
				break;
		if (k < sizeof numbers / sizeof numbers[0]) {
			char	*end;
			long	 v;
			int	*to = (int *)((char *)o + numbers[k].off);

			if (i + 1 >= argc)
				goto missing;
			errno = 0;
			v = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || v < numbers[k].lo || v > numbers[k].hi) {
				fprintf(stderr, _("sotay-server: %s phải là số từ %d đến %d.\n"), a,
				    numbers[k].lo, numbers[k].hi);
				return -1;
			}
			*to = (int)v;
			continue;
		}
		if (strcmp(a, "--lang") == 0) {
			int l;

			if (i + 1 >= argc)
				goto missing;
			if ((l = i18n_parse_lang(argv[++i])) < 0) {
				fprintf(stderr, "sotay-server: %s\n", _("--lang phải là "
				    "vi hoặc en."));
				return -1;
			}
			i18n_set_lang((enum lang)l);
			continue;
		}
		for (k = 0; k < sizeof valued / sizeof valued[0]; k++)
			if (strcmp(a, valued[k].name) == 0)
				break;
		if (k < sizeof valued / sizeof valued[0]) {
			if (i + 1 >= argc)
				goto missing;
			*(const char **)((char *)o + valued[k].off) = argv[++i];
			continue;
		}
		if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, _("sotay-server: không có tuỳ chọn %s.\n"), a);
			usage(stderr);
			return -1;
		}
		if (o->npos == (int)(sizeof o->pos / sizeof o->pos[0])) {
			usage(stderr);
			return -1;
		}
		o->pos[o->npos++] = argv[i];
	}
	if (o->db == NULL)
		o->db = getenv("SOTAY_SERVER_DB");
	return 0;
missing:
	fprintf(stderr, _("sotay-server: %s cần một giá trị.\n"), argv[i]);
	return -1;
}

/* The admin token from a file (first line) or the environment. */
static int
load_admin(struct server_ctx *ctx, const struct opts *o, char **cause)
{
	char	*text = NULL;

	if (o->admin_token_file != NULL) {
		/* A file every user may read is refused: anyone could read the reports. */
		if ((text = secret_read_file(o->admin_token_file, _("mã quản trị"), cause)) == NULL)
			return -1;
	} else if (getenv("SOTAY_ADMIN_TOKEN") != NULL)
		text = xstrdup(getenv("SOTAY_ADMIN_TOKEN"));
	if (text == NULL) {
		server_log(SERVER_LOG_WARNING, "sotay-server: %s", _("chưa đặt mã quản trị: báo cáo "
		    "sẽ bị từ chối (dùng --admin-token-file hoặc SOTAY_ADMIN_TOKEN)."));
		return 0;
	}
	text[strcspn(text, "\r\n")] = '\0';
	if (strlen(text) < 16) {
		free(text);
		return fail(cause, _("Mã quản trị phải dài ít nhất 16 ký tự."));
	}
	server_api_hash_token(text, ctx->admin_hash);
	ctx->have_admin = 1;
	sodium_memzero(text, strlen(text));
	free(text);
	return 0;
}

/* serve's own failures are log lines: an error, on one line. */
static int
die_serve(char *cause)
{
	char *esc = server_log_escape(cause, cause != NULL ? strlen(cause) : 0, 0);

	server_log(SERVER_LOG_ERR, "sotay-server: %s", esc);
	free(esc);
	free(cause);
	return 1;
}

/* What to do about a damaged database, after the cause (consumed). */
static char *
restore_hint(char *cause)
{
	char *m;

	if (cause == NULL || (strstr(cause, "damaged") == NULL && strstr(cause, "bị hỏng") == NULL &&
	    strstr(cause, "malformed") == NULL && strstr(cause, "not a database") == NULL))
		return cause;
	m = xasprintf(_("%s Máy chủ không phục vụ với cơ sở dữ liệu hỏng: hãy chép "
	    "bản sao lưu gần nhất vào chỗ tệp này (giữ lại tệp hỏng để xem xét), rồi chạy lại; "
	    "các trạm sẽ gửi lại những gì máy chủ chưa có."), cause);
	free(cause);
	return m;
}

static int
cmd_serve(const struct opts *o)
{
	struct server_ctx	 ctx;
	char			*cause = NULL;
	int			 rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.poll_s = o->poll_s;
	ctx.per_addr = o->per_addr;
	ctx.request_s = o->request_s;
	/* A wrong value on the command line: exit 2, as for the other options. */
	if (o->trusted_proxy != NULL && server_guard_parse_proxy(o->trusted_proxy, &cause) != 0) {
		die(cause);
		return 2;
	}
	server_log_init();
	if (load_admin(&ctx, o, &cause) != 0)
		return die_serve(cause);
	if (server_store_open_pool(o->db, o->threads, &ctx.store, &cause) != 0)
		return die_serve(restore_hint(cause));
	/* A damaged file would answer health 200 and fail every upload: refuse it now. */
	if (server_store_check(ctx.store, &cause) != 0) {
		server_store_close(ctx.store);
		return die_serve(restore_hint(cause));
	}
	rc = server_http_run(&ctx, o->listen != NULL ? o->listen : DEFAULT_LISTEN,
	    o->threads, &cause);
	server_store_close(ctx.store);
	return rc != 0 ? die_serve(cause) : 0;
}

#define TOKEN_PREFIX "sotay_"
/*
 * "sotay_" first: a token never starts with "-" (which a command line
 * would take for an option), and a leaked one is easy to recognise.
 */
#define TOKEN_LEN (sizeof TOKEN_PREFIX - 1 + sodium_base64_ENCODED_LEN(TOKEN_BYTES, \
	sodium_base64_VARIANT_URLSAFE_NO_PADDING))

/* A new random kiosk token, and the hash of it the server keeps. */
static void
token_new(char token[TOKEN_LEN], unsigned char h[SERVER_HASH_LEN])
{
	unsigned char raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof raw);
	memcpy(token, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1);
	sodium_bin2base64(token + sizeof TOKEN_PREFIX - 1, TOKEN_LEN - (sizeof TOKEN_PREFIX - 1),
	    raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	server_api_hash_token(token, h);
}

/* Shows a token once, as kiosk add and kiosk token do, and forgets it. */
static void
token_show(const char *id, char token[TOKEN_LEN])
{
	printf("kiosk: %s\ntoken: %s\n", id, token);
	fflush(stdout);
	fprintf(stderr, "%s\n", _("Hãy chép mã (token) này vào trạm ngay: máy chủ chỉ "
	    "lưu bản băm của nó và không thể hiện lại."));
	sodium_memzero(token, TOKEN_LEN);
}

static int
cmd_kiosk_add(const struct opts *o)
{
	struct server_store	*st;
	struct server_kiosk	 k;
	unsigned char		 h[SERVER_HASH_LEN];
	char			 token[TOKEN_LEN];
	char			 id[UUID_STR_LEN], *cause = NULL;

	if (o->commune == NULL || o->hamlet == NULL || o->name == NULL ||
	    *o->commune == '\0' || *o->hamlet == '\0' || *o->name == '\0') {
		fprintf(stderr, "sotay-server: %s\n", _("kiosk add cần --commune, "
		    "--hamlet và --name (không để trống)."));
		return 2;
	}
	if (server_store_open(o->db, &st, &cause) != 0)
		return die(cause);
	token_new(token, h);
	util_uuid7(id);
	memset(&k, 0, sizeof k);
	k.id = id;
	k.province = (char *)(o->province != NULL ? o->province : "");
	k.commune = (char *)o->commune;
	k.hamlet = (char *)o->hamlet;
	k.name = (char *)o->name;
	k.commune_code = (char *)(o->commune_code != NULL ? o->commune_code : "");
	if (server_store_kiosk_add(st, &k, h, &cause) != 0) {
		sodium_memzero(token, sizeof token);
		server_store_close(st);
		return die(cause);
	}
	server_store_close(st);
	token_show(id, token);
	return 0;
}

/*
 * A new token for a kiosk that keeps its id, its events and its place in
 * reports: the old token stops working, and the next machine to enrol with
 * the new one takes the kiosk over (a replaced machine, a lost token).
 */
static int
cmd_kiosk_token(const struct opts *o, const char *id)
{
	struct server_store	*st;
	unsigned char		 h[SERVER_HASH_LEN];
	char			 token[TOKEN_LEN], *cause = NULL;

	if (server_store_open(o->db, &st, &cause) != 0)
		return die(cause);
	token_new(token, h);
	if (server_store_kiosk_token(st, id, h, &cause) != 0) {
		sodium_memzero(token, sizeof token);
		server_store_close(st);
		return die(cause);
	}
	server_store_close(st);
	token_show(id, token);
	return 0;
}

static int
cmd_kiosk_list(const struct opts *o)
{
	struct server_store	*st;
	struct server_kiosk	*v;
	size_t			 n, i;
	char			*cause = NULL, seen[17];

	if (server_store_open(o->db, &st, &cause) != 0)
		return die(cause);
	if (server_store_kiosk_list(st, &v, &n, &cause) != 0) {
		server_store_close(st);
		return die(cause);
	}
	printf("id\tprovince\tcommune\thamlet\tname\tstatus\theld_seq\tlast_seen"
	    "\tcommune_code\tmachine\n");
	for (i = 0; i < n; i++) {
		if (v[i].last_seen > 0)
			util_format_time(v[i].last_seen, seen);
		else
			snprintf(seen, sizeof seen, "-");
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%s\t%s\t%s\n", v[i].id, v[i].province,
		    v[i].commune, v[i].hamlet, v[i].name,
		    v[i].revoked_at != 0 ? "revoked" : "active",
		    (long long)v[i].held_seq, seen, v[i].commune_code,
		    *v[i].install != '\0' ? v[i].install : "-");
		server_kiosk_free(&v[i]);
	}
	free(v);
	server_store_close(st);
	return 0;
}

static int
cmd_kiosk_revoke(const struct opts *o, const char *id)
{
	struct server_store	*st;
	char			*cause = NULL;

	if (server_store_open(o->db, &st, &cause) != 0)
		return die(cause);
	if (server_store_kiosk_revoke(st, id, &cause) != 0) {
		server_store_close(st);
		return die(cause);
	}
	server_store_close(st);
	printf(_("đã thu hồi trạm %s\n"), id);
	return 0;
}

static int
cmd_content_publish(const struct opts *o, const char *dir)
{
	struct library		 lib = { 0 };
	struct problems		 pr = { 0 };
	struct server_checklist	*cl;
	struct server_store	*st;
	const char		*paths[1] = { dir };
	char			**texts, **bad = NULL, *cause = NULL;
	size_t			 i, added, nbad = 0;
	int64_t			 version;
	int			 rc = 0;

	/* The kiosk's own loader: what it would refuse is never published. */
	if (library_load(&lib, paths, 1, &pr) != 0 || pr.n > 0) {
		fprintf(stderr, _("sotay-server: %zu lỗi trong %s; chưa phát hành gì:\n"),
		    pr.n, dir);
		for (i = 0; i < pr.n; i++)
			fprintf(stderr, "  %s\n", pr.lines[i]);
		problems_free(&pr);
		library_free(&lib);
		return 1;
	}
	if (lib.n == 0) {
		library_free(&lib);
		fprintf(stderr, _("sotay-server: %s không có danh mục nào (*.json).\n"), dir);
		return 1;
	}
	cl = xcalloc(lib.n, sizeof *cl);
	texts = xcalloc(lib.n, sizeof *texts);
	for (i = 0; i < lib.n; i++) {
		/* Canonical text, so a re-indented file is not "changed". */
		json_object *j = json_tokener_parse(lib.items[i]->json);

		texts[i] = xstrdup(j != NULL ? json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) :
		    lib.items[i]->json);
		json_object_put(j);
		cl[i].id = lib.items[i]->id;
		cl[i].version = lib.items[i]->version;
		cl[i].json = texts[i];
	}
	if (server_store_open(o->db, &st, &cause) != 0) {
		rc = die(cause);
		goto out;
	}
	if (server_ingest_publish(st, cl, lib.n, &version, &added, &bad, &nbad,
	    &cause) != 0) {
		fprintf(stderr, "sotay-server: %s\n", cause);
		for (i = 0; i < nbad; i++)
			fprintf(stderr, "  %s\n", bad[i]);
		free(cause);
		rc = 1;
	} else if (added == 0)
		printf(_("không có gì mới; phiên bản danh mục vẫn là %lld\n"), (long long)version);
	else
		printf(_("đã phát hành phiên bản danh mục %lld (%zu danh mục mới)\n"),
		    (long long)version, added);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(bad);
	server_store_close(st);
out:
	for (i = 0; i < lib.n; i++)
		free(texts[i]);
	free(texts);
	free(cl);
	library_free(&lib);
	return rc;
}

static int
cmd_migrate(const struct opts *o)
{
	struct server_migrate_count	*n;
	char				*cause = NULL, *to;
	size_t				 i;

	if (o->from == NULL || o->to == NULL) {
		fprintf(stderr, "sotay-server: %s\n", _("migrate cần --from TỆP.db và "
		    "--to postgresql://…."));
		return 2;
	}
	n = xcalloc(server_ntables, sizeof *n);
	if (server_migrate(o->from, o->to, n, &cause) != 0) {
		free(n);
		return die(cause);
	}
	to = server_store_redact(o->to);
	printf(_("đã chuyển %s vào %s:\n"), o->from, to);
	for (i = 0; i < server_ntables; i++)
		printf(_("  %-16s %lld hàng mới, %lld đã có\n"), n[i].table,
		    n[i].copied, n[i].present);
	free(to);
	free(n);
	return 0;
}

static char *hidden[2];	/* the copies, freed at exit */

static void
free_hidden(void)
{
	free(hidden[0]);
	free(hidden[1]);
}

/*
 * A password in --db or --to would show in the process list: keep a copy
 * and blank it in argv.
 */
static void
hide_passwords(int argc, char **argv, struct opts *o)
{
	int i;

	atexit(free_hidden);
	for (i = 1; i < argc; i++) {
		char *r;

		if ((argv[i] != o->db && argv[i] != o->to) || !server_store_is_pg(argv[i]))
			continue;
		r = server_store_redact(argv[i]);
		if (strcmp(r, argv[i]) == 0) {
			free(r);
			continue;
		}
		if (argv[i] == o->db)
			o->db = hidden[0] = xstrdup(argv[i]);
		else
			o->to = hidden[1] = xstrdup(argv[i]);
		/* Same length or shorter: "***" stands for at least one character. */
		if (strlen(r) <= strlen(argv[i])) {
			memset(argv[i], 0, strlen(argv[i]));
			memcpy(argv[i], r, strlen(r));
		}
		free(r);
	}
}

int
main(int argc, char **argv)
{
	struct opts	 o;
	const char	*lang = getenv("SOTAY_LANG");

	setlocale(LC_ALL, "");
	i18n_bind_default(SOTAY_SERVER_LOCALEDIR);
	if (lang != NULL && i18n_parse_lang(lang) >= 0)
		i18n_set_lang((enum lang)i18n_parse_lang(lang));
	if (sodium_init() < 0) {
		fprintf(stderr, "sotay-server: libsodium\n");
		return 1;
	}
	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	hide_passwords(argc, argv, &o);
	if (o.npos == 0) {
		usage(stderr);
		return 2;
	}
	if (strcmp(o.pos[0], "serve") == 0 && o.npos == 1)
		return cmd_serve(&o);
	if (strcmp(o.pos[0], "kiosk") == 0 && o.npos >= 2) {
		if (strcmp(o.pos[1], "add") == 0 && o.npos == 2)
			return cmd_kiosk_add(&o);
		if (strcmp(o.pos[1], "list") == 0 && o.npos == 2)
			return cmd_kiosk_list(&o);
		if (strcmp(o.pos[1], "revoke") == 0 && o.npos == 3)
			return cmd_kiosk_revoke(&o, o.pos[2]);
		if (strcmp(o.pos[1], "token") == 0 && o.npos == 3)
			return cmd_kiosk_token(&o, o.pos[2]);
	}
	if (strcmp(o.pos[0], "migrate") == 0 && o.npos == 1)
		return cmd_migrate(&o);
	if (strcmp(o.pos[0], "content") == 0 && o.npos == 3 &&
	    strcmp(o.pos[1], "publish") == 0)
		return cmd_content_publish(&o, o.pos[2]);
	if (strcmp(o.pos[0], "user") == 0 && o.npos >= 2) {
		struct server_cmd_opts co = { o.role, o.province, o.commune,
		    o.password_stdin };
		int rc = server_cmd_user(o.db, o.pos, o.npos, &co);

		if (rc >= 0)
			return rc;
	}
	if (strcmp(o.pos[0], "audit") == 0 && o.npos == 1)
		return server_cmd_audit(o.db, 1000);
	usage(stderr);
	return 2;
}
