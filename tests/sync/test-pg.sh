#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The server and sync tests once more, on PostgreSQL: starts a throw-away
# cluster (tests/lib/pg-cluster.sh) and runs the same programs against it,
# then the PostgreSQL-only checks (messages, migrate). Skips, saying so,
# only when PostgreSQL is not installed.
set -u
B=${BUILD:-build}
sh tests/lib/pg-cluster.sh run sh tests/run.sh \
    "$B/tests/sync/test-server" "$B/tests/sync/test-servers" "$B/tests/sync/test-harden" \
    "$B/tests/test-client-server" tests/sync/check-pg-cli.sh tests/sync/test-server-cli.sh
rc=$?
if [ $rc -eq 77 ]; then
	echo "test-pg: SKIPPED — PostgreSQL is not installed; the tests above ran on SQLite only."
	exit 0
fi
exit $rc
