#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# sotay-server's command line on PostgreSQL, run by tests/sync/test-pg.sh
# inside a throw-away cluster: SOTAY_SERVER_DB with a URL, --commune-code,
# and the messages an operator reads when the database is missing,
# unreachable or newer than the program — each naming the database and
# never its password, which stays out of the process list too.
set -u
B=${BUILD:-build}
SRV="$B/sotay-server"
T=${TEST_TMP:?}
H=${SOTAY_TEST_PG_HOST:?run under tests/lib/pg-cluster.sh}
U=${SOTAY_TEST_PG_USER:-sotay}
PSQL="$PG_BINDIR/psql -X -q -h $H -U $U"
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
# expect NAME CODE FILE TEXT: the last command's exit code and a text in FILE
expect() {
	if [ "$rc" -ne "$2" ]; then
		bad "$1 (exit $rc, wanted $2)"; cat "$3"
	elif ! grep -q -- "$4" "$3"; then
		bad "$1 (no \"$4\")"; cat "$3"
	else
		ok "$1"
	fi
}

$PSQL -d postgres -c "CREATE DATABASE cli" || exit 1
URL="postgresql:///cli?host=$H&user=$U"
export SOTAY_LANG=en

# SOTAY_SERVER_DB names the database; the official commune code is kept.
SOTAY_SERVER_DB=$URL "$SRV" kiosk add --province "Quảng Ngãi" --commune "Tịnh Khê" \
    --commune-code 21079 --hamlet "Thôn 1" --name "NVH" >"$T/add.out" 2>&1
rc=$?; expect "kiosk add through SOTAY_SERVER_DB" 0 "$T/add.out" "^token: sotay_"
SOTAY_SERVER_DB=$URL "$SRV" kiosk list >"$T/list.out" 2>&1
rc=$?; expect "kiosk list shows the commune code" 0 "$T/list.out" "Tịnh Khê.*21079"
[ "$($PSQL -d cli -t -A -c "SELECT commune_code FROM kiosks")" = 21079 ] \
    && ok "the code is in the kiosks table" || bad "the code is in the kiosks table"

# A database that does not exist: named, with what to do.
"$SRV" --db "postgresql:///nosuchdb?host=$H&user=$U" kiosk list >"$T/missing.out" 2>&1
rc=$?; expect "missing database: named" 1 "$T/missing.out" "nosuchdb"
grep -q "createdb" "$T/missing.out" && ok "missing database: says createdb" \
    || bad "missing database: says createdb"

# Unreachable: no PostgreSQL on that socket folder.
"$SRV" --db "postgresql://$U:topsecret@/cli?host=$T/nowhere" kiosk list \
    >"$T/down.out" 2>&1
rc=$?; expect "unreachable: names the database" 1 "$T/down.out" "cli?host=$T/nowhere"
grep -q topsecret "$T/down.out" && bad "unreachable: password shown" \
    || ok "unreachable: password not shown"
grep -q '\*\*\*' "$T/down.out" && ok "unreachable: password blanked" \
    || bad "unreachable: password blanked"

# The password is not in the process list while the server runs.
"$SRV" --db "postgresql://$U:topsecret@/cli?host=$H" serve --listen 127.0.0.1:0 \
    >"$T/serve.out" 2>"$T/serve.log" &
pid=$!
i=0
while ! grep -q listening "$T/serve.out" 2>/dev/null && [ $i -lt 200 ]; do
	sleep 0.1; i=$((i + 1))
done
if grep -q listening "$T/serve.out"; then
	tr '\0' ' ' </proc/$pid/cmdline >"$T/cmdline"
	grep -q topsecret "$T/cmdline" && bad "serve: password in the process list" \
	    || ok "serve: password not in the process list"
	grep -q "cli?host=" "$T/cmdline" && ok "serve: the database still shows" \
	    || bad "serve: the database still shows"
else
	bad "serve on PostgreSQL started"; cat "$T/serve.log"
fi
kill -TERM $pid; wait $pid
rc=$?; [ $rc -eq 0 ] && ok "serve stops cleanly on SIGTERM" || bad "serve exit $rc"
grep -q topsecret "$T/serve.log" && bad "serve: password in the log" \
    || ok "serve: password not in the log"

# A schema newer than the program: refused, naming the database.
$PSQL -d cli -c "UPDATE sotay_schema SET version = 999" || exit 1
SOTAY_SERVER_DB=$URL "$SRV" kiosk list >"$T/newer.out" 2>&1
rc=$?; expect "newer schema: refused" 1 "$T/newer.out" "newer version (999)"
grep -q "postgresql:///cli" "$T/newer.out" && ok "newer schema: names the database" \
    || bad "newer schema: names the database"

# migrate wants an existing SQLite file and a PostgreSQL target.
"$SRV" migrate --from "$T/none.db" --to "$URL" >"$T/mig.out" 2>&1
rc=$?; expect "migrate from a missing file" 1 "$T/mig.out" "none.db"
[ -e "$T/none.db" ] && bad "migrate made an empty file" || ok "migrate made no file"

echo "check-pg-cli: $fails failed"
[ $fails -eq 0 ]
