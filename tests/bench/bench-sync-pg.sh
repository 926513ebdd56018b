#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench-sync again with the server on PostgreSQL, in a throw-away cluster
# (tests/lib/pg-cluster.sh): the same real `sotay sync` of 100,000 events,
# against the same rows COPYed into PostgreSQL in one transaction. Skipped,
# saying so, when PostgreSQL is not installed.
set -u
B=${BUILD:-build}
sh tests/lib/pg-cluster.sh run-durable "$B/tests/bench-sync"
rc=$?
[ $rc -eq 77 ] && { echo "bench-sync-pg: PostgreSQL is not installed; SQLite only."; exit 0; }
exit $rc
