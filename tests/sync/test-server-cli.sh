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

# --- serve --threads: a number, all of it ------------------------------------
# "1O" (a letter O) was read as 1: one thread for a whole province, silently.
timeout 20 "$S" serve --listen 127.0.0.1:0 --threads 1O >"$T/threads.out" 2>&1
rc=$?
expect "serve --threads 1O is refused" 2 "$T/threads.out" "threads must be a number from 1 to 256"
timeout 20 "$S" serve --listen 127.0.0.1:0 --threads 257 >"$T/threads.out" 2>&1
rc=$?
expect "serve --threads 257 is refused" 2 "$T/threads.out" "threads must be a number from 1 to 256"

# --- serve --trusted-proxy: an address, or the command line is wrong (exit 2) --
timeout 20 "$S" serve --listen 127.0.0.1:0 --trusted-proxy localhost >"$T/proxy.out" 2>&1
rc=$?
expect "serve --trusted-proxy localhost is a wrong command line" 2 "$T/proxy.out" \
    "must be an IP address"

# --- a commune officer's province ------------------------------------------
# Reports and the dashboard scope a commune account by province and commune;
# one with no province sees every commune of its name. Two provinces with a
# "Tân An": an account added without --province must not see both.
"$S" kiosk add --province "Long An" --commune "Tân An" --hamlet "Ấp 1" --name A \
    >/dev/null 2>&1 || bad "kiosk add (Long An)"
"$S" kiosk add --province "Quảng Ngãi" --commune "Tân An" --hamlet "Thôn 1" --name B \
    >/dev/null 2>&1 || bad "kiosk add (Quảng Ngãi)"
"$S" kiosk add --province "Quảng Ngãi" --commune "Lân Phong" --hamlet "Thôn 2" --name C \
    >/dev/null 2>&1 || bad "kiosk add (Lân Phong)"

echo "một mật khẩu dài" | "$S" user add tanan --role commune --commune "Tân An" \
    --password-stdin >"$T/two.out" 2>&1
rc=$?
expect "a commune in two provinces needs --province" 2 "$T/two.out" "add --province"
grep -q '"Long An"' "$T/two.out" && grep -q '"Quảng Ngãi"' "$T/two.out" \
    && ok "the message names both provinces" || bad "the message names both provinces" "$(cat "$T/two.out")"
"$S" user list >"$T/list.out" 2>&1
grep -q "^tanan" "$T/list.out" && bad "no account was added" "$(cat "$T/list.out")" \
    || ok "no account was added"

echo "một mật khẩu dài" | "$S" user add tanan --role commune --commune "Tân An" \
    --province "Long An" --password-stdin >"$T/la.out" 2>&1
rc=$?
expect "with --province it is added" 0 "$T/la.out" "tanan (Tân An, Long An)"

# A commune in one province: that province, so a namesake added later elsewhere
# stays out of this officer's sight.
nfd=$(printf 'La\314\202n Phong')	# "Lân Phong" typed decomposed
echo "một mật khẩu dài" | "$S" user add lanphong --role commune --commune "$nfd" \
    --password-stdin >"$T/one.out" 2>&1
rc=$?
expect "a commune in one province takes that province" 0 "$T/one.out" \
    "lanphong (Lân Phong, Quảng Ngãi)"
"$S" user list >"$T/list.out" 2>&1
grep -q "^lanphong	commune	Quảng Ngãi	Lân Phong	" "$T/list.out" \
    && ok "user list shows the province kept" || bad "user list shows the province kept" "$(cat "$T/list.out")"
"$S" audit >"$T/audit.out" 2>&1
grep -q "user.add	lanphong role=commune province=Quảng Ngãi commune=Lân Phong" "$T/audit.out" \
    && ok "the audit log has it" || bad "the audit log has it" "$(cat "$T/audit.out")"

# A commune no kiosk is in (misspelt, or its kiosks come later): added, and
# told so, with what an account without a province would see.
echo "một mật khẩu dài" | "$S" user add sai --role commune --commune "Lân Fong" \
    --password-stdin >"$T/none.out" 2>&1
rc=$?
expect "a commune with no kiosk: added" 0 "$T/none.out" "added account sai (Lân Fong)"
expect "and told there is no kiosk in it" 0 "$T/none.out" "No kiosk is in this commune"

# --- a database file that cannot be written (SQLite) --------------------------
# Made immutable, which also stops root (tests often run as root); skipped
# where chattr cannot do it.
if [ -z "${SOTAY_TEST_PG_HOST-}" ] && chattr +i "$SOTAY_SERVER_DB" 2>/dev/null; then
	trap 'chattr -i "$SOTAY_SERVER_DB" 2>/dev/null' EXIT
	"$S" kiosk add --commune "Lân Phong" --hamlet "Thôn 3" --name D >"$T/ro.out" 2>&1
	rc=$?
	expect "a read-only database: says so" 1 "$T/ro.out" "is read-only"
	expect "and what to do" 1 "$T/ro.out" "chown sotay-server:sotay-server"
	chattr -i "$SOTAY_SERVER_DB"
else
	echo "skip a read-only database (PostgreSQL, or chattr +i not possible here)"
fi

echo "check-server-cli: $fails failed"
[ $fails -eq 0 ]
