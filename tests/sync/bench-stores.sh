#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The provincial server on SQLite and on PostgreSQL, side by side in one
# run (`make bench`; never in `make test`):
#   1,141 kiosks x 100 events at once, over HTTP   (bench-kiosks)
#   10,000 kiosks x 20 events at once, over HTTP   (bench-kiosks)
#   a database growing in rounds to BENCH_MAX events (default 5,000,000),
#   with report latency at 100k, 1M and 5M          (bench-grow)
# PostgreSQL runs in a throw-away cluster (tests/lib/pg-cluster.sh); each
# figure is printed with the other store's beside it and the goal.
set -u
B=${BUILD:-build}
MAX=${BENCH_MAX:-5000000}
T=${TEST_TMP:-$(mktemp -d)}

# Each figure is printed even when an earlier one failed; the exit code
# says whether any did.
fails=0
echo "== bench-stores: SQLite"
"$B/tests/sync/bench-kiosks" || fails=$((fails + 1))
BENCH_KIOSKS=10000 BENCH_EVENTS=20 "$B/tests/sync/bench-kiosks" || fails=$((fails + 1))
rm -f "$T/grow.db"
"$B/tests/sync/bench-grow" "$T/grow.db" "$MAX" || fails=$((fails + 1))
rm -f "$T/grow.db"*

echo "== bench-stores: PostgreSQL"
sh tests/lib/pg-cluster.sh run sh -c '
	f=0
	"$0/tests/sync/bench-kiosks" || f=1
	BENCH_KIOSKS=10000 BENCH_EVENTS=20 "$0/tests/sync/bench-kiosks" || f=1
	"$PG_BINDIR/psql" -X -q -h "$SOTAY_TEST_PG_HOST" -U "$SOTAY_TEST_PG_USER" \
	    -d postgres -c "CREATE DATABASE grow" || exit 1
	"$0/tests/sync/bench-grow" \
	    "postgresql:///grow?host=$SOTAY_TEST_PG_HOST&user=$SOTAY_TEST_PG_USER" "$1" || f=1
	exit $f
' "$B" "$MAX"
rc=$?
if [ $rc -eq 77 ]; then
	echo "bench-stores: PostgreSQL is not installed; SQLite only."
elif [ $rc -ne 0 ]; then
	fails=$((fails + 1))
fi
[ $fails -eq 0 ]
