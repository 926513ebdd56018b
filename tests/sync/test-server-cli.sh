#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# sotay-server's command line as a province's or a nation's operator types
# it: what it prints, what it exits with, what it leaves in the database.
# On SQLite; tests/sync/test-pg.sh runs it again inside a throw-away
# PostgreSQL cluster (SOTAY_TEST_PG_HOST set), on a database of its own.
set -u
B=${BUILD:-build}
S="$B/sotay-server"
T=${TEST_TMP:?}
export SOTAY_LANG=en
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; [ -n "${2-}" ] && printf '     %s\n' "$2"; fails=$((fails + 1)); }
# expect NAME CODE FILE TEXT: the last command's exit code and a text in FILE
expect() {
	if [ "$rc" -ne "$2" ]; then
		bad "$1" "exit $rc, wanted $2: $(head -c 400 "$3")"
	elif ! grep -q -- "$4" "$3"; then
		bad "$1" "no \"$4\" in: $(head -c 400 "$3")"
	else
		ok "$1"
	fi
}

if [ -n "${SOTAY_TEST_PG_HOST-}" ]; then
	U=${SOTAY_TEST_PG_USER:-sotay}
	"$PG_BINDIR/psql" -X -q -h "$SOTAY_TEST_PG_HOST" -U "$U" -d postgres \
	    -c "CREATE DATABASE servercli" || exit 1
	export SOTAY_SERVER_DB="postgresql:///servercli?host=$SOTAY_TEST_PG_HOST&user=$U"
else
	export SOTAY_SERVER_DB="$T/server.db"
fi

# --- serve --listen: a port past 65535 is refused, not wrapped ----------------
# getaddrinfo takes 99999 as 99999 mod 65536 (34463): the server would
# listen where nobody looks, and say so only in its log.
timeout 20 "$S" serve --listen 127.0.0.1:99999 >"$T/port.out" 2>&1
rc=$?
expect "serve --listen 127.0.0.1:99999 is refused" 1 "$T/port.out" "0 to 65535"
grep -q "listening on" "$T/port.out" && bad "and it listens nowhere" "$(cat "$T/port.out")" \
    || ok "and it listens nowhere"
timeout 20 "$S" serve --listen "[::1]:65536" >"$T/port6.out" 2>&1
rc=$?
expect "serve --listen [::1]:65536 is refused" 1 "$T/port6.out" "0 to 65535"

echo "check-server-cli: $fails failed"
[ $fails -eq 0 ]
