#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The provincial server on SQLite and on PostgreSQL, side by side in one
# run (`make bench`; never in `make test`):
#   1,141 kiosks x 100 events at once, over HTTP   (bench-kiosks)
#   10,000 kiosks x 20 events at once, over HTTP   (bench-kiosks)
#   a database growing in rounds to BENCH_MAX events (default 5,000,000),
#   with report latency at 100k, 1M and 5M          (bench-grow)
# PostgreSQL runs in a throw-away cluster (tests/lib/pg-cluster.sh); each
# figure is printed with the other store's beside it and the goal. Its
# ingest grows to BENCH_MAX_PG (default 1,000,000: at about 1,000 events a
# second here 5M would take hours); its 5M report latency is then measured
# on the SQLite run's kiosks and rollups copied into PostgreSQL as they are
# (COPY), which is what a report reads.
set -u
B=${BUILD:-build}
MAX=${BENCH_MAX:-5000000}
MAX_PG=${BENCH_MAX_PG:-1000000}
T=${TEST_TMP:-$(mktemp -d)}

# Each figure is printed even when an earlier one failed; the exit code
# says whether any did.
fails=0
echo "== bench-stores: SQLite"
"$B/tests/sync/bench-kiosks" || fails=$((fails + 1))
BENCH_KIOSKS=10000 BENCH_EVENTS=20 "$B/tests/sync/bench-kiosks" || fails=$((fails + 1))
rm -f "$T/grow.db"*
"$B/tests/sync/bench-grow" "$T/grow.db" "$MAX" || fails=$((fails + 1))

echo "== bench-stores: PostgreSQL"
sh tests/lib/pg-cluster.sh run-durable sh -c '
	f=0
	"$0/tests/sync/bench-kiosks" || f=1
	BENCH_KIOSKS=10000 BENCH_EVENTS=20 "$0/tests/sync/bench-kiosks" || f=1
	"$PG_BINDIR/psql" -X -q -h "$SOTAY_TEST_PG_HOST" -U "$SOTAY_TEST_PG_USER" \
	    -d postgres -c "CREATE DATABASE grow" || exit 1
	"$0/tests/sync/bench-grow" \
	    "postgresql:///grow?host=$SOTAY_TEST_PG_HOST&user=$SOTAY_TEST_PG_USER" "$2" || f=1
	# The SQLite run'"'"'s rollups, copied as they are: the reports at its size.
	P="$PG_BINDIR/psql -X -q -h $SOTAY_TEST_PG_HOST -U $SOTAY_TEST_PG_USER"
	URL="postgresql:///copied?host=$SOTAY_TEST_PG_HOST&user=$SOTAY_TEST_PG_USER"
	$P -d postgres -c "CREATE DATABASE copied" || exit 1
	"$0/sotay-server" --db "$URL" kiosk list > /dev/null || exit 1
	K="id, province, commune, commune_code, hamlet, name, token_hash, created_at,"
	K="$K revoked_at, held_seq, last_seen"
	S="grp, lvl, period, kiosk, k1, k2, k3, started, finished, completed, blocked,"
	S="$S first_ever, first_year, first_month, on_day"
	R="kiosk, resident, grp, k1, k2, k3, lvl, period, first, n"
	sqlite3 -csv "$3" "SELECT ${K%%token_hash*} '"'"'\\x'"'"' || lower(hex(token_hash)),
	    ${K#*token_hash,} FROM kiosks" |
	    $P -d copied -c "\\copy kiosks ($K) FROM STDIN WITH (FORMAT csv)" || f=1
	sqlite3 -csv "$3" "SELECT $S FROM r_sums" |
	    $P -d copied -c "\\copy r_sums ($S) FROM STDIN WITH (FORMAT csv)" || f=1
	sqlite3 -csv "$3" "SELECT $R FROM r_seen WHERE lvl = 3" |
	    $P -d copied -c "\\copy r_seen ($R) FROM STDIN WITH (FORMAT csv)" || f=1
	$P -d copied -c "ANALYZE" || f=1
	BENCH_GROW_NOTE="rollups copied from the SQLite run" \
	    "$0/tests/sync/bench-grow" "$URL" --reports "$1" || f=1
	exit $f
' "$B" "$MAX" "$MAX_PG" "$T/grow.db"
rc=$?
if [ $rc -eq 77 ]; then
	echo "bench-stores: PostgreSQL is not installed; SQLite only."
elif [ $rc -ne 0 ]; then
	fails=$((fails + 1))
fi
rm -f "$T/grow.db"*
[ $fails -eq 0 ]
