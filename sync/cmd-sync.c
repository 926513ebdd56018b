/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-sync.c: `sotay enroll` and `sotay sync` (run as the `sotay-sync`
 * program, see cmd-sync.h), the command-line face of the sync client
 * (client.h). `sync --watch` is what a kiosk's service runs: it syncs,
 * sleeps, and tries again, one journal line per attempt, backing off with
 * jitter while the link is down, until SIGTERM or SIGINT. `sync --progress`
 * is what the kiosk's screen runs: one line a batch and the result as JSON,
 * read from a pipe.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sodium.h>

#include "client.h"
#include "cmd-sync.h"
#include "i18n.h"
#include "people.h"
#include "secret.h"
#include "store.h"
#include "sync-output.h"
#include "sync-state.h"
#include "util.h"

#define WATCH_OK_S	30		/* between syncs that worked */
#define WATCH_MIN_S	5		/* the first wait after a failure */
#define WATCH_MAX_S	(15 * 60)	/* back-off stops growing here */
#define WATCH_MAX_RETRY	3600		/* the longest Retry-After obeyed as is */
#define WATCH_ENROL_S	5		/* between looks for an enrolment */

static atomic_int stop_flag;

static void
on_stop(int sig)
{
	atomic_store(&stop_flag, 1);
}

/* SIGINT/SIGTERM set stop_flag (which also cancels a request in flight). */
static void
catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a sleep ends at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int
exit_code(enum client_status s)
{
	switch (s) {
	case CLIENT_DONE:		return CMD_SYNC_EXIT_OK;
	case CLIENT_OFFLINE:		return CMD_SYNC_EXIT_OFFLINE;
	case CLIENT_REFUSED:		return CMD_SYNC_EXIT_REFUSED;
	case CLIENT_SERVER_ERROR:	return CMD_SYNC_EXIT_SERVER;
	case CLIENT_LOCAL:
	case CLIENT_CANCELLED:		break;
	}
	return CMD_SYNC_EXIT_PROBLEM;
}

/*
 * Opens the database at env->db_path. sync needs one that exists (an
 * enrolled kiosk has one); enroll makes it. Personal data past its
 * retention goes first, as with every command that opens the database.
 * On failure prints the message and returns -1.
 */
static int
open_store(const struct cmd_sync_env *env, const char *cmd, int create, struct store **out)
{
	struct stat	 sb;
	char		*cause = NULL;
	int		 purged;

	if (!create && stat(env->db_path, &sb) != 0 && errno == ENOENT) {
		fprintf(stderr, _("sotay %s: không có tệp dữ liệu %s, nên máy này chưa được ghi danh. "
		    "Hãy chạy: sotay enroll URL MÃ (hoặc chỉ đúng tệp bằng --db hay SOTAY_DB).\n"),
		    cmd, env->db_path);
		return -1;
	}
	if (store_open(env->db_path, create ? STORE_CREATE : 0, out, &cause) != 0) {
		fprintf(stderr, "sotay %s: %s\n", cmd, cause);
		free(cause);
		return -1;
	}
	if (people_purge(*out, env->cfg->retention_days, &purged, &cause) != 0) {
		fprintf(stderr, "sotay %s: %s\n", cmd, cause);
		free(cause);
	}
	return 0;
}

/*
 * After a sync that worked: events the server holds, older than the
 * province's sent_keep_days, leave the kiosk (store_events_compact). A
 * failure here loses nothing and does not change the sync's outcome.
 */
static void
compact_sent(const struct cmd_sync_env *env, struct store *st)
{
	char *cause = NULL;

	if (store_events_compact(st, env->cfg->sent_keep_days, NULL, &cause) != 0) {
		fprintf(stderr, "sotay sync: %s\n", cause);
		free(cause);
	}
}

static void
usage_exit_codes(FILE *f)
{
	fprintf(f, "%s", _(
	    "Mã thoát: 0 xong, 1 lỗi trên máy (chưa ghi danh, cơ sở dữ liệu), 2 sai cú pháp lệnh,\n"
	    "  3 không kết nối được (mạng, hết giờ), 4 máy chủ từ chối mã của máy,\n"
	    "  5 máy chủ lỗi hoặc trả lời sai giao thức.\n"));
}

static void
enroll_usage(FILE *f)
{
	fprintf(f, "%s", _(
	    "Cách dùng: sotay enroll [URL] MÃ|- [--ca-file TỆP]\n"
	    "           sotay enroll [URL] --token-file TỆP | --token-stdin\n"
	    "  Ghi danh máy này với máy chủ tỉnh: kiểm tra MÃ (do sotay-server kiosk add cấp)\n"
	    "  rồi lưu URL, mã số máy và MÃ vào cơ sở dữ liệu của máy. Không có URL: dùng\n"
	    "  server_url trong tệp cấu hình. MÃ là \"-\" hoặc --token-stdin: đọc mã từ đầu\n"
	    "  vào chuẩn, để \"ps\" không thấy nó.\n"
	    "  --ca-file TỆP     chứng chỉ CA để xác minh máy chủ (mặc định: của hệ thống)\n"
	    "  --token-file TỆP  đọc mã từ dòng đầu của TỆP (không ai khác được đọc tệp)\n"));
	usage_exit_codes(f);
}

static void
sync_usage(FILE *f)
{
	fprintf(f, "%s", _(
	    "Cách dùng: sotay sync [--json] [--watch] [--ca-file TỆP] [--timeout GIÂY] [--progress]\n"
	    "  Gửi các sự kiện đang chờ lên máy chủ tỉnh và tải danh mục mới về.\n"
	    "  --json          in kết quả dạng JSON (với --watch: mỗi lần một dòng)\n"
	    "  --watch         đồng bộ mãi: sau khi xong, chờ như máy chủ bảo (30 giây nếu\n"
	    "                  máy chủ không nói), chờ lâu dần (5 giây đến 15 phút) khi lỗi;\n"
	    "                  chưa ghi danh thì chờ đến khi ghi danh; dừng khi nhận\n"
	    "                  SIGTERM hoặc SIGINT\n"
	    "  --ca-file TỆP   chứng chỉ CA để xác minh máy chủ\n"
	    "  --timeout GIÂY  thời gian tối đa cho mỗi yêu cầu (mặc định 90)\n"
	    "  --progress      sau mỗi lô một dòng \"progress ĐÃ_GỬI TỔNG BYTE\", cuối cùng\n"
	    "                  kết quả JSON trên một dòng (cho chương trình đọc qua ống)\n"));
	usage_exit_codes(f);
}

int
cmd_sync_enroll(const struct cmd_sync_env *env, int argc, char **argv)
{
	struct store		*st;
	enum client_status	 status;
	const char		*pos[2] = { NULL, NULL }, *ca_file = env->cfg->ca_file;
	const char		*token_file = NULL;
	char			*cause = NULL, *token = NULL, *end;
	struct sync_state	 ss;
	int			 i, npos = 0, options = 1, token_fd = -1;
	long			 fdn;

	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;	/* what follows is URL and TOKEN, whatever they look like */
		} else if (!options) {
			if (npos < 2)
				pos[npos++] = argv[i];
			else
				npos = 3;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			enroll_usage(stdout);
			return CMD_SYNC_EXIT_OK;
		} else if (strcmp(argv[i], "--ca-file") == 0 && i + 1 < argc) {
			ca_file = argv[++i];
		} else if (strncmp(argv[i], "--ca-file=", 10) == 0) {
			ca_file = argv[i] + 10;
		} else if (strcmp(argv[i], "--token-file") == 0 && i + 1 < argc) {
			token_file = argv[++i];
		} else if (strcmp(argv[i], "--token-stdin") == 0) {
			token_fd = STDIN_FILENO;
		} else if (strcmp(argv[i], "--token-fd") == 0 && i + 1 < argc) {
			/* How `sotay enroll` hands over a token given on its command line. */
			errno = 0;
			fdn = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || fdn < 0 || fdn > 1024) {
				enroll_usage(stderr);
				return CMD_SYNC_EXIT_USAGE;
			}
			token_fd = (int)fdn;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, _("sotay enroll: không biết tuỳ chọn %s.\n"), argv[i]);
			enroll_usage(stderr);
			return CMD_SYNC_EXIT_USAGE;
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			npos = 3;
		}
	}
	/* "-" for the token: read it from standard input. */
	if (npos >= 1 && token_file == NULL && token_fd < 0 && strcmp(pos[npos - 1], "-") == 0) {
		token_fd = STDIN_FILENO;
		npos--;
	}
	if (token_file != NULL || token_fd >= 0) {
		const char *what = _("mã (token) ghi danh");

		token = token_file != NULL ? secret_read_file(token_file, what, &cause) :
		    secret_read_fd(token_fd, what, &cause);
		if (token_fd > STDERR_FILENO)
			close(token_fd);
		if (token == NULL) {
			fprintf(stderr, "sotay enroll: %s\n", cause);
			free(cause);
			return CMD_SYNC_EXIT_USAGE;
		}
		if (npos < 2)
			pos[npos++] = token;
		else
			npos = 3;
	}
	/* The province may ship the address in the config file: then the token alone will do. */
	if (npos == 1 && env->cfg->server_url != NULL) {
		pos[1] = pos[0];
		pos[0] = env->cfg->server_url;
		npos = 2;
	}
	if (npos != 2) {
		if (npos == 1)
			fprintf(stderr, _("sotay enroll: thiếu địa chỉ máy chủ: ghi nó trước MÃ, hoặc "
			    "đặt server_url trong tệp cấu hình.\n"));
		enroll_usage(stderr);
		secret_free(token);
		return CMD_SYNC_EXIT_USAGE;
	}
	if (open_store(env, "enroll", 1, &st) != 0) {
		secret_free(token);
		return CMD_SYNC_EXIT_PROBLEM;
	}
	if (client_enroll(st, pos[0], pos[1], ca_file, &status, &cause) != 0) {
		fprintf(stderr, "sotay enroll: %s\n", cause);
		free(cause);
		store_close(st);
		secret_free(token);
		return exit_code(status);
	}
	secret_free(token);
	if (sync_state_read(st, &ss, NULL) != 0)
		memset(&ss, 0, sizeof ss);
	printf(_("Đã ghi danh: máy \"%s\" với máy chủ %s. Chạy \"sotay sync\" để đồng bộ.\n"),
	    ss.kiosk_id != NULL ? ss.kiosk_id : "?", pos[0]);
	sync_state_free(&ss);
	store_close(st);
	return CMD_SYNC_EXIT_OK;
}

/* Shows progress on a terminal only; a pipe or the journal gets the summary. */
static void
on_progress_tty(void *arg, int64_t sent, int64_t total, int64_t bytes)
{
	fprintf(stderr, _("\rĐã gửi %lld/%lld sự kiện (%lld byte)   "),
	    (long long)sent, (long long)total, (long long)bytes);
	fflush(stderr);
}

/* --progress: one line a batch for the program reading the pipe. */
static void
on_progress_line(void *arg, int64_t sent, int64_t total, int64_t bytes)
{
	sync_output_write_progress(stdout, &(struct sync_output_progress){ sent, total, bytes });
}

static void
print_json(const struct client_result *r, const char *message, int next_s)
{
	sync_output_write_result(stdout, &(struct sync_output_result){
	    .status = (char *)client_status_id(r->status), .exit = exit_code(r->status),
	    .total = r->total, .sent = r->sent, .accepted = r->accepted,
	    .duplicates = r->duplicates, .conflicts = r->conflicts, .renumbered = r->renumbered,
	    .pending = r->pending, .bytes = r->bytes, .batches = r->batches,
	    .content_version = r->content_version, .content_added = r->content_added,
	    .clock_offset_ms = r->clock_offset_ms, .http_status = r->http_status,
	    .retry_after_s = r->retry_after_s, .message = (char *)message,
	    .next_attempt_s = next_s });
}

/* One line a result: the summary on stdout, or the failure on stderr. */
static void
print_text(const struct client_result *r, const char *message, int next_s)
{
	char next[96] = "";

	if (next_s >= 0)
		snprintf(next, sizeof next, _(" Lần sau: sau %d giây."), next_s);
	if (r->renumbered > 0)
		fprintf(stderr, _("sotay sync: máy chủ đã có các số thứ tự này dưới sự kiện khác "
		    "(máy được khôi phục từ bản sao lưu cũ): đã đánh số lại %lld sự kiện chờ gửi "
		    "để gửi tiếp sau những gì máy chủ đang giữ.\n"), (long long)r->renumbered);
	if (r->status == CLIENT_DONE) {
		printf(_("Đồng bộ xong: đã gửi %lld sự kiện (%lld mới, %lld trùng, %lld xung đột), "
		    "còn chờ %lld; danh mục phiên bản %lld (%d mới cài); %lld byte.%s\n"),
		    (long long)r->sent, (long long)r->accepted, (long long)r->duplicates,
		    (long long)r->conflicts, (long long)r->pending, (long long)r->content_version,
		    r->content_added, (long long)r->bytes, next);
		fflush(stdout);
	} else {
		fprintf(stderr, _("sotay sync: %s (%s; đã gửi %lld, còn chờ %lld).%s\n"),
		    message != NULL ? message : "?", client_status_id(r->status),
		    (long long)r->sent, (long long)r->pending, next);
	}
}

/* The wait before the next attempt of --watch, given failures in a row. */
static int
watch_delay(const struct client_result *r, int failures)
{
	uint32_t	 base = WATCH_MIN_S;
	int		 i, delay;

	/* The server says how often (a nation of kiosks must not all come every 30 s). */
	if (r->status == CLIENT_DONE && r->poll_s > 0)
		return r->poll_s + (int)randombytes_uniform((uint32_t)r->poll_s / 10 + 1);
	if (r->status == CLIENT_DONE)
		return WATCH_OK_S;
	for (i = 1; i < failures && base < WATCH_MAX_S; i++)
		base *= 2;
	if (base > WATCH_MAX_S)
		base = WATCH_MAX_S;
	/* Half fixed, half random, so a thousand kiosks do not come back together. */
	delay = (int)(base / 2 + randombytes_uniform(base - base / 2 + 1));
	if (r->retry_after_s > delay)
		delay = r->retry_after_s < WATCH_MAX_RETRY ? r->retry_after_s : WATCH_MAX_RETRY;
	return delay;
}

/* Sleeps s seconds, or less if asked to stop. */
static void
watch_sleep(int s)
{
	struct timespec ts = { 1, 0 };

	while (s-- > 0 && !atomic_load(&stop_flag))
		nanosleep(&ts, NULL);	/* a signal cuts it short */
}

/* 1 if the database exists and holds an enrolment, 0 if not, -1 if it cannot be read. */
static int
enrolled(const struct cmd_sync_env *env)
{
	struct store		*st;
	struct sync_state	 ss;
	struct stat		 sb;
	char			*cause = NULL;
	int			 yes;

	if (stat(env->db_path, &sb) != 0 && errno == ENOENT)
		return 0;
	if (store_open(env->db_path, STORE_READONLY, &st, &cause) != 0) {
		fprintf(stderr, "sotay sync: %s\n", cause);
		free(cause);
		return -1;
	}
	if (sync_state_read(st, &ss, &cause) != 0) {
		fprintf(stderr, "sotay sync: %s\n", cause);
		free(cause);
		store_close(st);
		return -1;
	}
	yes = ss.kiosk_id != NULL;
	sync_state_free(&ss);
	store_close(st);
	return yes;
}

/*
 * --watch on a kiosk not yet enrolled (a service enabled before `sotay
 * enroll`): waits, saying so once, rather than failing and being restarted
 * every 30 s forever. 0 when enrolled, 1 when asked to stop, -1 on a fault.
 */
static int
watch_wait_enrolled(const struct cmd_sync_env *env)
{
	int said = 0, e;

	while ((e = enrolled(env)) == 0) {
		if (!said) {
			fprintf(stderr, _("sotay sync: máy này chưa được ghi danh; đang chờ lệnh "
			    "\"sotay enroll URL MÃ\" (kiểm tra lại mỗi %d giây).\n"), WATCH_ENROL_S);
			said = 1;
		}
		watch_sleep(WATCH_ENROL_S);
		if (atomic_load(&stop_flag))
			return 1;
	}
	if (e > 0 && said)
		fprintf(stderr, "%s\n", _("sotay sync: máy đã được ghi danh; bắt đầu đồng bộ."));
	return e > 0 ? 0 : -1;
}

int
cmd_sync_run(const struct cmd_sync_env *env, int argc, char **argv)
{
	struct client_opts	 opts;
	struct client_result	 res;
	struct store_counts	 counts;
	struct store		*st;
	char			*cause = NULL, *end;
	int			 i, json = 0, watch = 0, progress = 0, failures = 0, next, rc;
	long			 secs;

	memset(&opts, 0, sizeof opts);
	/* --ca-file, else the settings file's, else (NULL) the one kept at enrolment. */
	opts.ca_file = env->cfg->ca_file;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			sync_usage(stdout);
			return CMD_SYNC_EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--watch") == 0) {
			watch = 1;
		} else if (strcmp(argv[i], "--progress") == 0) {
			progress = json = 1;
		} else if (strcmp(argv[i], "--ca-file") == 0 && i + 1 < argc) {
			opts.ca_file = argv[++i];
		} else if (strncmp(argv[i], "--ca-file=", 10) == 0) {
			opts.ca_file = argv[i] + 10;
		} else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			errno = 0;
			secs = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || secs < 1 || secs > 600) {
				fprintf(stderr, _("sotay sync: --timeout cần số giây từ 1 đến 600, không phải \"%s\".\n"), argv[i]);
				return CMD_SYNC_EXIT_USAGE;
			}
			opts.timeout_ms = secs * 1000;
			opts.connect_timeout_ms = secs * 1000 < 15000 ? secs * 1000 : 15000;
		} else {
			fprintf(stderr, _("sotay sync: không biết tuỳ chọn %s.\n"), argv[i]);
			sync_usage(stderr);
			return CMD_SYNC_EXIT_USAGE;
		}
	}
	atomic_store(&stop_flag, 0);
	catch_stop();
	if (watch && (rc = watch_wait_enrolled(env)) != 0) {
		if (rc < 0)
			return CMD_SYNC_EXIT_PROBLEM;
		fprintf(stderr, "%s\n", _("sotay sync: đã dừng theo yêu cầu."));
		return CMD_SYNC_EXIT_OK;
	}
	if (open_store(env, "sync", 0, &st) != 0)
		return CMD_SYNC_EXIT_PROBLEM;
	opts.cancel = &stop_flag;
	if (progress) {
		opts.progress = on_progress_line;
		/* What waits, before the first batch: the reader can size its bar at once. */
		if (!watch && store_counts(st, &counts, &cause) == 0)
			on_progress_line(NULL, 0, counts.pending, 0);
		free(cause);
		cause = NULL;
	} else if (!watch && !json && isatty(STDERR_FILENO))
		opts.progress = on_progress_tty;

	if (!watch) {
		rc = client_sync(st, &opts, &res, &cause);
		if (rc == 0)
			compact_sent(env, st);
		if (opts.progress == on_progress_tty && res.batches > 0)
			fputc('\n', stderr);
		if (json)
			print_json(&res, cause, -1);
		else
			print_text(&res, cause, -1);
		free(cause);
		store_close(st);
		return rc == 0 ? CMD_SYNC_EXIT_OK : exit_code(res.status);
	}

	if (sodium_init() < 0) {
		fprintf(stderr, "%s\n", _("sotay sync: không khởi động được libsodium."));
		store_close(st);
		return CMD_SYNC_EXIT_PROBLEM;
	}
	while (!atomic_load(&stop_flag)) {
		client_sync(st, &opts, &res, &cause);
		if (res.status == CLIENT_CANCELLED)
			break;
		if (res.status == CLIENT_DONE)
			compact_sent(env, st);
		failures = res.status == CLIENT_DONE ? 0 : failures + 1;
		next = watch_delay(&res, failures);
		if (json)
			print_json(&res, cause, next);
		else
			print_text(&res, cause, next);
		free(cause);
		cause = NULL;
		watch_sleep(next);
	}
	free(cause);
	fprintf(stderr, "%s\n", _("sotay sync: đã dừng theo yêu cầu."));
	store_close(st);
	return CMD_SYNC_EXIT_OK;
}
