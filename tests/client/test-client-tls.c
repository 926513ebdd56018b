/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-client-tls.c: the client verifies the server's certificate, always.
 * A peer with a self-signed certificate (made by the openssl command for
 * this run) is refused until the kiosk is given that certificate as its CA,
 * on the command line or at enrolment; the outbox is kept meanwhile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "client-helpers.h"
#include "fault-peer.h"
#include "i18n.h"
#include "store.h"
#include "util.h"

/* After the project's headers: cmocka defines a macro named fail. */
#include <cmocka.h>

#define OPENSSL "/usr/bin/openssl"

static char *cert_path, *cert, *key;

static int
setup(void **state)
{
	char	*key_path = th_path("peer-key.pem"), *err = th_path("openssl.err");
	char	*argv[] = { OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt",
		    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
		    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
		    "-keyout", NULL, "-out", NULL, NULL };

	i18n_set_lang(LANG_EN);
	cert_path = th_path("peer-cert.pem");
	if (access(OPENSSL, X_OK) != 0)
		return 0;	/* the tests say they are skipped */
	argv[15] = key_path;
	argv[17] = cert_path;
	if (th_run(argv, NULL, err) != 0) {
		char *text = th_slurp(err);
		fprintf(stderr, "openssl failed: %s\n", text);
		free(text);
		return -1;
	}
	cert = th_slurp(cert_path);
	key = th_slurp(key_path);
	free(key_path);
	free(err);
	return 0;
}

static int
teardown(void **state)
{
	free(cert_path);
	free(cert);
	free(key);
	return 0;
}

static void
test_unknown_certificate_refused(void **state)
{
	struct fault_peer	*peer;
	struct store		*st;
	struct client_result	 r;
	struct client_opts	 o = { .timeout_ms = 10000 };
	char			*path = th_path("tls.db"), *cause = NULL, *before, *after;

	if (cert == NULL) {
		fprintf(stderr, "skipped: %s is not installed\n", OPENSSL);
		skip();
	}
	peer = fault_peer_start_tls(FAULT_NONE, 0, cert, key);
	st = th_store("tls.db");
	th_enrol(st, fault_peer_url(peer), FAULT_PEER_KIOSK, FAULT_PEER_TOKEN);
	th_add_events(st, 15);
	before = th_outbox_dump(path);

	/* The system's CAs do not know this certificate: no data goes out. */
	assert_int_equal(client_sync(st, &o, &r, &cause), -1);
	assert_int_equal(r.status, CLIENT_SERVER_ERROR);
	if (!th_has(cause, "could not be verified") || !th_has(cause, "--ca-file"))
		fail_msg("%s", cause);
	free(cause);
	cause = NULL;
	after = th_outbox_dump(path);
	assert_string_equal(before, after);
	free(after);

	/* With the certificate as the CA, it goes through. */
	o.ca_file = cert_path;
	if (client_sync(st, &o, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 15);
	assert_int_equal(th_rows(path, "sent = 0"), 0);

	free(before);
	free(path);
	store_close(st);
	fault_peer_stop(peer);
}

/* The CA given at enrolment is kept and used by later syncs. */
static void
test_ca_file_kept_from_enrolment(void **state)
{
	struct fault_peer	*peer;
	struct store		*st;
	struct client_result	 r;
	enum client_status	 s;
	char			*cause = NULL, *v;

	if (cert == NULL) {
		fprintf(stderr, "skipped: %s is not installed\n", OPENSSL);
		skip();
	}
	peer = fault_peer_start_tls(FAULT_NONE, 0, cert, key);
	st = th_store("tls2.db");
	assert_int_equal(client_enroll(st, fault_peer_url(peer), FAULT_PEER_TOKEN, NULL, &s, &cause), -1);
	assert_int_equal(s, CLIENT_SERVER_ERROR);
	assert_null(th_meta(st, "kiosk_id"));
	free(cause);
	cause = NULL;
	if (client_enroll(st, fault_peer_url(peer), FAULT_PEER_TOKEN, cert_path, &s, &cause) != 0)
		fail_msg("%s", cause);
	v = th_meta(st, "sync_ca_file");
	assert_string_equal(v, cert_path);
	free(v);
	th_add_events(st, 3);
	if (client_sync(st, NULL, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(r.sent, 3);
	store_close(st);
	fault_peer_stop(peer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_certificate_refused),
		cmocka_unit_test(test_ca_file_kept_from_enrolment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
