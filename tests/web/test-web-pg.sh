#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The dashboard's browser test once more, on PostgreSQL: a throw-away
# cluster (tests/lib/pg-cluster.sh), a database in it, and the same
# tests/web/test-web.py against `sotay-server --db postgresql://…`. Skips,
# saying so, only when PostgreSQL is not installed.
set -u
if [ -z "${SOTAY_TEST_PG_HOST:-}" ]; then
	sh tests/lib/pg-cluster.sh run sh "$0"
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "test-web-pg: SKIPPED — PostgreSQL is not installed; the dashboard ran on SQLite only."
		exit 0
	fi
	exit $rc
fi
U=${SOTAY_TEST_PG_USER:-sotay}
"$PG_BINDIR/psql" -X -q -h "$SOTAY_TEST_PG_HOST" -U "$U" -d postgres \
    -c "CREATE DATABASE web" || exit 1
SOTAY_TEST_WEB_DB="postgresql:///web?host=$SOTAY_TEST_PG_HOST&user=$U" \
    tests/web/test-web.py || exit 1

# A province moving to PostgreSQL keeps its officers and its audit log
# (sotay-server migrate), and a second run copies nothing twice.
S=${BUILD:-build}/sotay-server
T=${TEST_TMP:?}
"$PG_BINDIR/psql" -X -q -h "$SOTAY_TEST_PG_HOST" -U "$U" -d postgres \
    -c "CREATE DATABASE moved" || exit 1
URL="postgresql:///moved?host=$SOTAY_TEST_PG_HOST&user=$U"
echo "mật khẩu của tỉnh" | "$S" --db "$T/province.db" user add tinh --role province \
    --password-stdin > /dev/null || exit 1
"$S" --db "$T/province.db" user disable tinh > /dev/null || exit 1
"$S" --db "$T/province.db" user enable tinh > /dev/null || exit 1
"$S" migrate --from "$T/province.db" --to "$URL" > "$T/migrate.out" 2>&1 || {
	cat "$T/migrate.out"; exit 1; }
if "$S" --lang en --db "$URL" user list | grep -q "^tinh	province"; then
	echo "ok   migrate keeps the officers' accounts"
else
	echo "FAIL migrate keeps the officers' accounts"; "$S" --db "$URL" user list; exit 1
fi
"$S" --db "$T/province.db" audit > "$T/audit.sqlite" || exit 1
"$S" --db "$URL" audit > "$T/audit.pg" || exit 1
if [ "$(grep -c "	cli	user\." "$T/audit.pg")" = 3 ] && cmp -s "$T/audit.sqlite" "$T/audit.pg"; then
	echo "ok   migrate keeps the audit log"
else
	echo "FAIL migrate keeps the audit log"; diff "$T/audit.sqlite" "$T/audit.pg"; exit 1
fi
"$S" --lang en migrate --from "$T/province.db" --to "$URL" > "$T/migrate.out" 2>&1 || {
	cat "$T/migrate.out"; exit 1; }
"$S" --db "$URL" audit > "$T/audit.pg" || exit 1
if grep -q "audit .* 0 rows copied, 3 already there" "$T/migrate.out" &&
    cmp -s "$T/audit.sqlite" "$T/audit.pg"; then
	echo "ok   migrate run again copies no audit entry twice"
else
	echo "FAIL migrate run again copies no audit entry twice"; cat "$T/migrate.out"
	diff "$T/audit.sqlite" "$T/audit.pg"; exit 1
fi
