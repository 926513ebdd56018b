/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-client-server.c: the sync client against the real provincial server
 * ($BUILD/sotay-server on loopback), checked on the server's own database:
 * ten thousand events arrive exactly once (also when every acknowledgement
 * was lost), a kiosk restored from an old backup loses nothing it makes
 * afterwards, one kiosk cannot write as another, a revoked token is refused,
 * a machine enrolled again under a new kiosk id syncs on, a token enrols
 * one machine (and `kiosk token` hands a kiosk to another),
 * a published checklist reaches the kiosk while a running session keeps
 * its version, and `sotay` exits with the documented codes.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "client.h"
#include "client-helpers.h"
#include "content.h"
#include "content-store.h"
#include "i18n.h"
#include "journey.h"
#include "store.h"
#include "util.h"
#include "test-db.h"
#include "testlib.h"

/* After the project's headers: cmocka defines a macro named fail. */
#include <cmocka.h>

static char *server_bin, *sotay_bin, *server_db, *server_path, *url;
static pid_t server_pid;

/* `sotay-server --db DB args…`, run to the end; its stdout (malloc'd) in *outp. */
static int
server_cmd(char **outp, const char *a, const char *b, const char *c, const char *d,
    const char *e, const char *f, const char *g, const char *h)
{
	char	*out = th_path("server-cmd.out"), *err = th_path("server-cmd.err");
	char	*argv[] = { server_bin, "--db", server_db, (char *)a, (char *)b, (char *)c,
		    (char *)d, (char *)e, (char *)f, (char *)g, (char *)h, NULL };
	int	 rc = th_run(argv, out, err);

	if (outp != NULL)
		*outp = th_slurp(out);
	if (rc != 0) {
		char *text = th_slurp(err);
		fprintf(stderr, "sotay-server %s %s: exit %d: %s\n", a, b, rc, text);
		free(text);
	}
	free(out);
	free(err);
	return rc;
}

/* A new kiosk on the server: its id and token (malloc'd). */
static void
kiosk_add(const char *name, char **id, char **token)
{
	char	*out = NULL, *p;

	assert_int_equal(server_cmd(&out, "kiosk", "add", "--commune", "Tịnh Khê",
	    "--hamlet", "Thôn Mỹ Lai", "--name", name), 0);
	/* "kiosk: ID\ntoken: TOKEN\n" */
	p = strstr(out, "kiosk: ");
	assert_non_null(p);
	*id = xstrdup(p + 7);
	(*id)[strcspn(*id, "\r\n")] = '\0';
	p = strstr(out, "token: ");
	assert_non_null(p);
	*token = xstrdup(p + 7);
	(*token)[strcspn(*token, "\r\n")] = '\0';
	free(out);
}

static int64_t
server_count(const char *sql, const char *arg)
{
	int64_t n = tdb_int(server_db, sql, arg);

	if (n < 0)
		fail_msg("%s: no answer from %s", sql, server_db);
	return n;
}

static struct tl_server server;

static void
server_start(void)
{
	/* The later --db wins: a PostgreSQL run's URL; the log stays by the path. */
	const char *args[] = { "--db", server_db, NULL };

	if (tl_server_start(&server, server_path, args, NULL) != 0)
		fail_msg("sotay-server did not start");
	server_pid = server.pid;
	free(url);
	url = xstrdup(server.url);
}

static void
server_stop(void)
{
	if (server_pid > 0) {
		int status = tl_server_stop(&server, SIGTERM);

		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		server_pid = 0;
	}
}

static int
setup(void **state)
{
	const char *build = getenv("BUILD");

	if (build == NULL || *build == '\0')
		build = "build";
	server_bin = xasprintf("%s/sotay-server", build);
	sotay_bin = xasprintf("%s/sotay", build);
	if (access(server_bin, X_OK) != 0) {
		fprintf(stderr, "%s is missing: build it first (make build-all)\n", server_bin);
		return -1;
	}
	{
		/* On a PostgreSQL run, a database of its own stands for the file. */
		server_path = th_path("server.db");
		server_db = tdb_db(server_path, 1);
	}
	setenv("HOME", th_tmp(), 1);
	setenv("XDG_CONFIG_HOME", th_tmp(), 1);
	setenv("SOTAY_LANG", "en", 1);
	unsetenv("SOTAY_CONFIG");
	unsetenv("SOTAY_SERVER_DB");
	i18n_set_lang(LANG_EN);
	server_start();
	return 0;
}

static int
teardown(void **state)
{
	server_stop();
	free(server_bin);
	free(sotay_bin);
	free(server_db);
	free(server_path);
	free(url);
	return 0;
}

/* A kiosk database enrolled (through the real /v1/kiosk) as a new server kiosk. */
static struct store *
enrolled_kiosk(const char *dbname, const char *name, char **id, char **token)
{
	struct store		*st = th_store(dbname);
	enum client_status	 s;
	char			*cause = NULL;

	kiosk_add(name, id, token);
	if (client_enroll(st, url, *token, NULL, &s, &cause) != 0)
		fail_msg("enroll: %s", cause);
	return st;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_ten_thousand_exactly_once(void **state)
{
	char			*id, *token, *cause = NULL;
	char			*path = th_path("k10k.db");
	struct store		*st = enrolled_kiosk("k10k.db", "Nhà văn hóa thôn 1", &id, &token);
	struct client_result	 r;
	int64_t			 t0;
	sqlite3			*db;

	th_add_events(st, 10000);
	t0 = mono_ms();
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	/* A figure for people reading the log; nothing asserts on time. */
	fprintf(stderr, "# 10000 events: %lld ms, %d batches (last %d), %lld bytes on the wire\n",
	    (long long)(mono_ms() - t0), r.batches, r.last_batch, (long long)r.bytes);
	assert_int_equal(r.sent, 10000);
	assert_int_equal(r.accepted, 10000);
	assert_int_equal(r.duplicates, 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 10000);
	assert_int_equal(server_count("SELECT count(DISTINCT seq) FROM events WHERE kiosk = ?", id), 10000);
	assert_int_equal(server_count("SELECT max(seq) FROM events WHERE kiosk = ?", id), 10000);
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id), 10000);

	/* Every acknowledgement lost (power cut before marking): all of it is sent again. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = '0' WHERE key = 'outbox_acked'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	/* The first batch's held_seq covers all of it: one resent batch, not fifty. */
	assert_int_equal(r.sent, 10000);
	assert_int_equal(r.batches, 1);
	assert_int_equal(r.accepted, 0);
	assert_int_equal(r.duplicates, 200);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 10000);
	assert_int_equal(server_count("SELECT count(*) FROM conflicts WHERE kiosk = ?", id), 0);

	free(path);
	free(id);
	free(token);
	store_close(st);
}

/* Copies a closed kiosk database file (its WAL checkpointed by the close). */
static void
copy_db(const char *from, const char *to)
{
	FILE	*in = fopen(from, "rb"), *out;
	char	 buf[65536], *side;
	size_t	 n;

	assert_non_null(in);
	side = xasprintf("%s-wal", from);
	assert_int_not_equal(access(side, F_OK), 0);	/* nothing left outside the file */
	free(side);
	side = xasprintf("%s-wal", to);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", to);
	unlink(side);
	free(side);
	out = fopen(to, "wb");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static struct store *
reopen(const char *path)
{
	struct store	*st = NULL;
	char		*cause = NULL;

	if (store_open(path, 0, &st, &cause) != 0)
		fail_msg("store_open %s: %s", path, cause);
	return st;
}

/*
 * A kiosk restored from an old backup: still enrolled, but its seq numbers
 * restart below what the server holds. What it makes after the restore
 * reaches the server under new numbers; nothing is lost or stored twice.
 */
static void
test_restored_from_old_backup(void **state)
{
	char			*id, *token, *cause = NULL, ids[35][UUID_STR_LEN];
	char			*path = th_path("restore.db"), *backup = th_path("restore-backup.db");
	struct store		*st = enrolled_kiosk("restore.db", "Nhà văn hóa thôn 4", &id, &token);
	struct store_event	*ev;
	struct store_counts	 c;
	struct client_result	 r;
	size_t			 n, i;

	/* Ten events made, then the nightly backup (enrolled, nothing sent yet). */
	th_add_events(st, 10);
	store_close(st);
	copy_db(path, backup);
	st = reopen(path);
	th_add_events(st, 20);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.accepted, 30);
	assert_int_equal(r.renumbered, 0);
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id), 30);
	assert_int_equal(store_events(st, 0, 100, 0, &ev, &n, &cause), 0);
	assert_int_equal(n, 30);
	for (i = 0; i < n; i++)
		memcpy(ids[i], ev[i].id, UUID_STR_LEN);
	store_events_free(ev, n);

	/* The disk is replaced: the old backup comes back, and work goes on. */
	store_close(st);
	copy_db(backup, path);
	st = reopen(path);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.pending, 10);
	th_add_events(st, 5);		/* seq 11…15 again, under new ids */
	assert_int_equal(store_events(st, 10, 100, 0, &ev, &n, &cause), 0);
	assert_int_equal(n, 5);
	assert_int_equal(ev[0].seq, 11);
	for (i = 0; i < n; i++)
		memcpy(ids[30 + i], ev[i].id, UUID_STR_LEN);
	store_events_free(ev, n);

	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	/* First what matters: the server holds all 35, none lost. */
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 35);
	assert_int_equal(r.status, CLIENT_DONE);
	assert_int_equal(r.renumbered, 5);
	assert_int_equal(r.duplicates, 10);	/* the backup's ten, already held */
	assert_int_equal(r.accepted, 5);
	assert_int_equal(r.pending, 0);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	assert_int_equal(store_counts(st, &c, &cause), 0);
	assert_int_equal(c.pending, 0);
	assert_int_equal(c.events, 15);

	/* On the server: the 30 old events under their numbers, the 5 new after them. */
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 35);
	for (i = 0; i < 35; i++) {
		assert_int_equal(server_count("SELECT count(*) FROM events WHERE id = ?", ids[i]), 1);
		assert_int_equal(server_count("SELECT seq FROM events WHERE id = ?", ids[i]),
		    (int64_t)i + 1);
	}
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id), 35);
	/* The refusal was resolved by the resend: nothing left for a supervisor. */
	assert_int_equal(server_count("SELECT count(*) FROM conflicts WHERE kiosk = ?", id), 0);
	/* The kiosk numbered them the same way. */
	assert_int_equal(th_rows(path, "seq > 30"), 5);

	/* What comes next follows on, with no renumbering. */
	th_add_events(st, 1);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.renumbered, 0);
	assert_int_equal(r.accepted, 1);
	assert_int_equal(server_count("SELECT max(seq) FROM events WHERE kiosk = ?", id), 36);
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id), 36);

	free(path);
	free(backup);
	free(id);
	free(token);
	store_close(st);
}

static void
test_kiosks_cannot_write_each_other(void **state)
{
	char			*ida, *toka, *idb, *tokb, *cause = NULL;
	struct store		*a = enrolled_kiosk("ka.db", "Thôn A", &ida, &toka);
	struct store		*b = enrolled_kiosk("kb.db", "Thôn B", &idb, &tokb);
	char			*pathb = th_path("kb.db");
	struct client_result	 r;

	th_add_events(a, 30);
	th_add_events(b, 20);
	if (client_sync(a, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);

	/* B's token, but the batch says it is A: refused, nothing stored, B's outbox kept. */
	assert_int_equal(store_meta_set(b, "kiosk_id", ida, &cause), 0);
	assert_int_equal(client_sync(b, NULL, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_REFUSED);
	assert_true(th_has(cause, "403"));
	free(cause);
	cause = NULL;
	assert_int_equal(th_rows(pathb, "sent = 0"), 20);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", ida), 30);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", idb), 0);

	/* Under its own id, B's events are stored as B's. */
	assert_int_equal(store_meta_set(b, "kiosk_id", idb, &cause), 0);
	if (client_sync(b, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 20);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", idb), 20);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", ida), 30);

	free(pathb);
	free(ida);
	free(toka);
	free(idb);
	free(tokb);
	store_close(a);
	store_close(b);
}

static void
test_revoked_token_refused(void **state)
{
	char			*id, *token, *cause = NULL, *err;
	struct store		*st = enrolled_kiosk("krev.db", "Thôn C", &id, &token);
	char			*path = th_path("krev.db");
	struct client_result	 r;

	th_add_events(st, 5);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(server_cmd(NULL, "kiosk", "revoke", id, NULL, NULL, NULL, NULL, NULL), 0);
	th_add_events(st, 7);
	assert_int_equal(client_sync(st, NULL, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_REFUSED);
	assert_true(th_has(cause, "sotay enroll URL TOKEN"));
	assert_int_equal(r.pending, 7);
	assert_int_equal(th_rows(path, "sent = 0"), 7);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 5);
	err = th_meta(st, "last_sync_error");
	assert_string_equal(err, cause);
	free(err);
	free(cause);
	free(path);
	free(id);
	free(token);
	store_close(st);
}

/*
 * A machine whose kiosk was revoked, enrolled again with a new token: the
 * new kiosk id takes what it makes from where its numbering was (the old id
 * held 1…7), sync ends done, and every event is held exactly once — under
 * the old id what it sent there, under the new one the rest. Three of them
 * reached the old id but their acknowledgement was lost (a backup restored
 * from before it): sent again under the new id, they are conflicts, not
 * stored twice.
 */
static void
test_enrolled_again_after_revoke(void **state)
{
	char			*id1, *tok1, *id2, *tok2, *cause = NULL;
	char			*path = th_path("kagain.db"), *backup = th_path("kagain-backup.db");
	struct store		*st = enrolled_kiosk("kagain.db", "Thôn F", &id1, &tok1);
	struct store_event	*ev;
	struct client_result	 r;
	enum client_status	 s;
	size_t			 n, i;

	th_add_events(st, 4);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	th_add_events(st, 3);
	store_close(st);
	copy_db(path, backup);
	st = reopen(path);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id1), 7);
	store_close(st);
	copy_db(backup, path);		/* 5…7 pending again: their ack "lost" */
	st = reopen(path);

	assert_int_equal(server_cmd(NULL, "kiosk", "revoke", id1, NULL, NULL, NULL, NULL, NULL), 0);
	kiosk_add("Thôn F", &id2, &tok2);
	if (client_enroll(st, url, tok2, NULL, &s, &cause) != 0)
		fail_msg("enroll: %s", cause);
	th_add_events(st, 2);		/* seq 8, 9 */

	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("sync after enrolling again: %s", cause);
	assert_int_equal(r.status, CLIENT_DONE);
	assert_int_equal(r.pending, 0);
	assert_int_equal(th_rows(path, "sent = 0"), 0);
	assert_int_equal(r.accepted, 2);
	assert_int_equal(r.conflicts, 3);	/* 5…7: held under the old id */
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id1), 7);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id2), 2);
	assert_int_equal(server_count("SELECT min(seq) FROM events WHERE kiosk = ?", id2), 8);
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id2), 9);
	assert_int_equal(store_events(st, 0, 100, 0, &ev, &n, &cause), 0);
	assert_int_equal(n, 9);
	for (i = 0; i < n; i++)
		assert_int_equal(server_count("SELECT count(*) FROM events WHERE id = ?",
		    ev[i].id), 1);
	store_events_free(ev, n);

	/* What comes next follows on. */
	th_add_events(st, 1);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.accepted, 1);
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id2), 10);

	free(path);
	free(backup);
	free(id1);
	free(tok1);
	free(id2);
	free(tok2);
	store_close(st);
}

/* The token printed by `sotay-server kiosk token ID` (malloc'd). */
static char *
kiosk_token(const char *id)
{
	char *out = NULL, *p, *token;

	assert_int_equal(server_cmd(&out, "kiosk", "token", id, NULL, NULL, NULL, NULL, NULL), 0);
	assert_true(th_has(out, id));
	p = strstr(out, "token: ");
	assert_non_null(p);
	token = xstrdup(p + 7);
	token[strcspn(token, "\r\n")] = '\0';
	free(out);
	return token;
}

/*
 * A token enrols one machine. The same machine may enrol again (its reply
 * was lost, or it runs `sotay enroll` twice), and so may a restored backup
 * of it; another machine is refused in its user's words and stays
 * unenrolled. `kiosk token` hands the kiosk to a new machine on purpose
 * (here one that served as a kiosk of its own before): the old token stops
 * working, and the new machine's events follow the kiosk's.
 */
static void
test_token_enrols_one_machine(void **state)
{
	char			*id, *token, *tok2, *idb, *tokb, *cause = NULL, *v, *text;
	char			*patha = th_path("one-a.db"), *pathc = th_path("one-c.db");
	char			*err = th_path("one-c.err"), *out = th_path("one-c.out");
	struct store		*a = th_store("one-a.db"), *b = th_store("one-b.db"), *c;
	struct client_result	 r;
	enum client_status	 s;

	kiosk_add("Thôn G", &id, &token);
	if (client_enroll(a, url, token, NULL, &s, &cause) != 0)
		fail_msg("enroll: %s", cause);
	if (client_enroll(a, url, token, NULL, &s, &cause) != 0)
		fail_msg("the same machine again: %s", cause);
	v = th_meta(a, "install_id");
	assert_non_null(v);
	assert_int_equal(server_count("SELECT count(*) FROM kiosks WHERE install = ?", v), 1);
	free(v);

	/* Another machine: refused, in its user's language, and not enrolled. */
	assert_int_equal(client_enroll(b, url, token, NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_REFUSED);
	assert_true(th_has(cause, "already been used by another machine"));
	assert_true(th_has(cause, "kiosk token"));
	free(cause);
	cause = NULL;
	assert_null(th_meta(b, "kiosk_id"));
	{
		char *enroll[] = { sotay_bin, "--db", pathc, "enroll", url, token, NULL };

		c = th_store("one-c.db");
		store_close(c);
		assert_int_equal(th_run(enroll, out, err), 4);
		text = th_slurp(err);
		assert_true(th_has(text, "already been used by another machine"));
		free(text);
	}

	/* The other machine works as a kiosk of its own meanwhile. */
	kiosk_add("Thôn H", &idb, &tokb);
	if (client_enroll(b, url, tokb, NULL, &s, &cause) != 0)
		fail_msg("enroll: %s", cause);
	th_add_events(b, 4);
	if (client_sync(b, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);

	/* A restored backup of the first machine carries its install id. */
	store_close(a);
	copy_db(patha, pathc);
	c = reopen(pathc);
	if (client_enroll(c, url, token, NULL, &s, &cause) != 0)
		fail_msg("a restored backup: %s", cause);
	store_close(c);
	a = reopen(patha);
	th_add_events(a, 3);
	if (client_sync(a, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);

	/* A new token for the kiosk: the old one is refused, the new machine takes over. */
	tok2 = kiosk_token(id);
	assert_string_not_equal(tok2, token);
	assert_int_equal(client_sync(a, NULL, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_REFUSED);
	free(cause);
	cause = NULL;
	if (client_enroll(b, url, tok2, NULL, &s, &cause) != 0)
		fail_msg("enroll with the new token: %s", cause);
	v = th_meta(b, "kiosk_id");
	assert_string_equal(v, id);
	free(v);
	th_add_events(b, 2);		/* its seq 5, 6: its 1…4 stay with Thôn H */
	if (client_sync(b, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.accepted, 2);
	assert_int_equal(r.pending, 0);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 5);
	assert_int_equal(server_count("SELECT held_seq FROM kiosks WHERE id = ?", id), 6);
	assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", idb), 4);
	/* Now the old machine is the other one. */
	assert_int_equal(client_enroll(a, url, tok2, NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_REFUSED);
	free(cause);

	free(patha);
	free(pathc);
	free(err);
	free(out);
	free(id);
	free(token);
	free(tok2);
	free(idb);
	free(tokb);
	store_close(a);
	store_close(b);
}

/* A checklist for content tests: nsteps steps, a title that names the version. */
static void
write_checklist(const char *dir, int version, int nsteps)
{
	char	*path, *steps = xstrdup(""), *next;
	FILE	*f;
	int	 i;

	util_mkdir_p(dir);
	for (i = 0; i < nsteps; i++) {
		next = xasprintf("%s%s{ \"id\": \"step-%d\", \"title\": { \"vi\": \"Bước %d\", "
		    "\"en\": \"Step %d\" }, \"detail\": { \"vi\": \"Làm bước %d.\", "
		    "\"en\": \"Do step %d.\" } }", steps, i > 0 ? ", " : "", i, i + 1, i + 1,
		    i + 1, i + 1);
		free(steps);
		steps = next;
	}
	path = xasprintf("%s/test-vssid.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{ \"format\": 1, \"id\": \"test-vssid\", \"version\": %d, "
	    "\"category\": \"public_services\", "
	    "\"title\": { \"vi\": \"Cài VssID (bản %d)\", \"en\": \"Install VssID (v%d)\" }, "
	    "\"summary\": { \"vi\": \"Bảo hiểm xã hội số.\", \"en\": \"Digital social insurance.\" }, "
	    "\"minutes\": 15, \"official\": { \"url\": \"https://baohiemxahoi.gov.vn/\", \"app\": \"VssID\" }, "
	    "\"steps\": [ %s ], \"reviewed\": \"2026-11-01\", "
	    "\"source\": \"Hướng dẫn của Bảo hiểm xã hội Việt Nam\" }\n",
	    version, version, version, steps);
	fclose(f);
	free(path);
	free(steps);
}

static void
test_content_reaches_kiosk_session_keeps_version(void **state)
{
	char			*id, *token, *cause = NULL, *dir1 = th_path("content-v1");
	char			*dir2 = th_path("content-v2"), *v;
	struct store		*st = enrolled_kiosk("kcontent.db", "Thôn D", &id, &token);
	struct client_result	 r;
	struct library		 lib = { 0 };
	const struct checklist	*cl;
	struct journey		*j = NULL, *j2 = NULL, *again = NULL;
	char			 sid[UUID_STR_LEN];

	write_checklist(dir1, 1, 3);
	assert_int_equal(server_cmd(NULL, "content", "publish", dir1, NULL, NULL, NULL, NULL, NULL), 0);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(r.content_version >= 1);
	assert_int_equal(r.content_added, 1);
	v = th_meta(st, "content_version");
	assert_int_equal(atoll(v), r.content_version);
	free(v);
	assert_int_equal(content_store_load(st, &lib, &cause), 0);
	cl = library_find(&lib, "test-vssid");
	assert_non_null(cl);
	assert_int_equal(cl->version, 1);
	assert_int_equal(cl->nsteps, 3);

	/* A resident starts on version 1 and marks a step. */
	assert_int_equal(journey_start(st, cl, NULL, 0, &j, &cause), 0);
	assert_int_equal(journey_mark(st, j, 0, MARK_DONE, NULL, &cause), 0);
	memcpy(sid, j->id, sizeof sid);
	library_free(&lib);
	memset(&lib, 0, sizeof lib);

	/* Version 2 (four steps) is published and arrives, with the session's mark uploaded. */
	write_checklist(dir2, 2, 4);
	assert_int_equal(server_cmd(NULL, "content", "publish", dir2, NULL, NULL, NULL, NULL, NULL), 0);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.content_added, 1);
	assert_true(r.sent >= 2);	/* session.started and step.marked */
	assert_true(server_count("SELECT count(*) FROM events WHERE kiosk = ? AND type = 'step.marked'", id) == 1);
	assert_int_equal(content_store_load(st, &lib, &cause), 0);
	cl = library_find(&lib, "test-vssid");
	assert_int_equal(cl->version, 2);
	assert_int_equal(cl->nsteps, 4);

	/* The running session keeps version 1 and its mark; a new one gets version 2. */
	assert_int_equal(journey_load(st, sid, &again, &cause), 0);
	assert_int_equal(again->checklist->version, 1);
	assert_int_equal(again->checklist->nsteps, 3);
	assert_int_equal(again->marks[0], MARK_DONE);
	assert_int_equal(journey_start(st, cl, NULL, 0, &j2, &cause), 0);
	assert_int_equal(j2->checklist->version, 2);

	/* Nothing newer: the next sync is answered 304. */
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.http_status, 304);
	assert_int_equal(r.content_added, 0);

	journey_free(j);
	journey_free(j2);
	journey_free(again);
	library_free(&lib);
	free(dir1);
	free(dir2);
	free(id);
	free(token);
	store_close(st);
}

/* `sotay` itself: enroll, sync, refused after revoke, offline when the server is gone. */
static void
test_cli_exit_codes(void **state)
{
	char	*id, *token, *db = th_path("kcli.db"), *out = th_path("kcli.out");
	char	*err = th_path("kcli.err"), *text;
	struct store *st = th_store("kcli.db");

	if (access(sotay_bin, X_OK) != 0)
		fail_msg("%s is missing: build it first (make build-all)", sotay_bin);
	th_add_events(st, 12);
	store_close(st);
	kiosk_add("Thôn E", &id, &token);
	{
		char *enroll[] = { sotay_bin, "--db", db, "enroll", url, token, NULL };
		char *sync[] = { sotay_bin, "--db", db, "sync", "--json", "--timeout", "2", NULL };

		assert_int_equal(th_run(enroll, out, err), 0);
		assert_int_equal(th_run(sync, out, err), 0);
		text = th_slurp(out);
		assert_true(th_has(text, "\"status\":\"done\""));
		assert_true(th_has(text, "\"sent\":12"));
		free(text);
		assert_int_equal(server_count("SELECT count(*) FROM events WHERE kiosk = ?", id), 12);

		assert_int_equal(server_cmd(NULL, "kiosk", "revoke", id, NULL, NULL, NULL, NULL, NULL), 0);
		assert_int_equal(th_run(sync, out, err), 4);

		server_stop();
		assert_int_equal(th_run(sync, out, err), 3);
		text = th_slurp(out);
		assert_true(th_has(text, "\"status\":\"offline\""));
		free(text);
		server_start();
	}
	free(id);
	free(token);
	free(db);
	free(out);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ten_thousand_exactly_once),
		cmocka_unit_test(test_restored_from_old_backup),
		cmocka_unit_test(test_kiosks_cannot_write_each_other),
		cmocka_unit_test(test_revoked_token_refused),
		cmocka_unit_test(test_enrolled_again_after_revoke),
		cmocka_unit_test(test_token_enrols_one_machine),
		cmocka_unit_test(test_content_reaches_kiosk_session_keeps_version),
		cmocka_unit_test(test_cli_exit_codes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
