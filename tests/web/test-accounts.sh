#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `sotay-server user …` and `sotay-server audit` as a province's admin uses
# them: what they print, what they exit with, what they leave in the
# database. Runs from the top of the tree with BUILD and TEST_TMP set.
set -u
S=${BUILD:-build}/sotay-server
T=${TEST_TMP:-$(mktemp -d)}
export SOTAY_SERVER_DB="$T/server.db" LANG=C.UTF-8
unset SOTAY_LANG
pass=0
failn=0

ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { failn=$((failn + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2-}" ] && printf '     %s\n' "$2"; }
expect() {
	if [ "$2" != "$rc" ]; then bad "$1" "exit $rc, wanted $2: $(head -c 300 "$3")"; return; fi
	if [ -n "$4" ] && ! grep -q -- "$4" "$3"; then bad "$1" "no \"$4\" in: $(head -c 300 "$3")"; return; fi
	ok "$1"
}
q() { sqlite3 "$SOTAY_SERVER_DB" "$1"; }

echo "mật khẩu của tỉnh" | $S user add tinh --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "user add (province)" 0 "$T/out" "đã thêm tài khoản tinh"
[ "$(q "SELECT role || ' ' || substr(pwhash, 1, 10) FROM users WHERE login = 'tinh'")" = 'province $argon2id$' ] \
	&& ok "the password is kept as an Argon2id hash" || bad "the password is kept as an Argon2id hash" "$(q 'SELECT * FROM users')"
echo "mật khẩu của xã" | $S user add tinhson --role commune --commune "Tịnh Sơn" --province "Quảng Ngãi" --password-stdin > "$T/out" 2>&1; rc=$?
expect "user add (commune)" 0 "$T/out" "Tịnh Sơn"
echo "ngắn" | $S user add x --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "a short password is refused" 1 "$T/out" "ít nhất 10 ký tự"
echo "mật khẩu khác nữa" | $S user add tinh --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "a login taken is refused" 1 "$T/out" 'Đã có tài khoản "tinh"'
echo "mật khẩu khác nữa" | $S user add y --role commune --password-stdin > "$T/out" 2>&1; rc=$?
expect "a commune account needs its commune" 2 "$T/out" "cần --commune"
$S user add y --role boss --password-stdin < /dev/null > "$T/out" 2>&1; rc=$?
expect "an unknown role is refused" 2 "$T/out" "--role phải là"
$S user add y --role province < /dev/null > "$T/out" 2>&1; rc=$?
expect "the password comes only from standard input" 2 "$T/out" "--password-stdin"
$S user add y --role province --password-stdin < /dev/null > "$T/out" 2>&1; rc=$?
expect "no password line is refused" 1 "$T/out" "Không đọc được mật khẩu"
echo "mật khẩu khác nữa" | $S user add "a b" --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "a login with a space is refused" 2 "$T/out" "không có khoảng trắng"
[ "$(q 'SELECT count(*) FROM users')" = 2 ] && ok "nothing refused was stored" || bad "nothing refused was stored" "$(q 'SELECT login FROM users')"

$S user list > "$T/out" 2>&1; rc=$?
expect "user list, its level and status in Vietnamese" 0 "$T/out" "tinhson	xã	Quảng Ngãi	Tịnh Sơn	hoạt động"
grep -q "^tinh	tỉnh	" "$T/out" && ok "a province account reads tỉnh" || bad "a province account reads tỉnh" "$(cat "$T/out")"
$S --lang en user list > "$T/out" 2>&1; rc=$?
expect "and in English" 0 "$T/out" "tinhson	commune	Quảng Ngãi	Tịnh Sơn	active"
[ "$(q "SELECT role FROM users WHERE login = 'tinhson'")" = commune ] && ok "the role is kept as --role takes it" \
	|| bad "the role is kept as --role takes it" "$(q 'SELECT login, role FROM users')"
old=$(q "SELECT pwhash FROM users WHERE login = 'tinhson'")
echo "một mật khẩu mới hơn" | $S user password tinhson --password-stdin > "$T/out" 2>&1; rc=$?
expect "user password" 0 "$T/out" "đã đổi mật khẩu của tinhson"
[ "$(q "SELECT pwhash FROM users WHERE login = 'tinhson'")" != "$old" ] && ok "the hash changed" || bad "the hash changed"
$S user disable tinhson > "$T/out" 2>&1; rc=$?
expect "user disable" 0 "$T/out" "đã tắt tài khoản tinhson"
$S user list > "$T/out" 2>&1; rc=$?
expect "the list says disabled" 0 "$T/out" "tinhson	xã	Quảng Ngãi	Tịnh Sơn	đã tắt"
echo "mật khẩu khác nữa" | $S user add tinhson --role commune --commune "Tịnh Sơn" --password-stdin > "$T/out" 2>&1; rc=$?
expect "adding a disabled login again says how to enable it" 1 "$T/out" "sotay-server user enable tinhson"
q "UPDATE users SET failures = 3, locked_until = 9999999999999 WHERE login = 'tinhson'"
$S user enable tinhson > "$T/out" 2>&1; rc=$?
expect "user enable" 0 "$T/out" "đã bật lại tài khoản tinhson"
$S user list > "$T/out" 2>&1; rc=$?
expect "the list says active again" 0 "$T/out" "tinhson	xã	Quảng Ngãi	Tịnh Sơn	hoạt động"
[ "$(q "SELECT disabled_at, failures, locked_until FROM users WHERE login = 'tinhson'")" = "0|0|0" ] \
	&& ok "enable also ends a lockout" || bad "enable also ends a lockout" "$(q "SELECT * FROM users WHERE login = 'tinhson'")"
$S user enable nobody > "$T/out" 2>&1; rc=$?
expect "enable: an unknown login is named" 1 "$T/out" 'Không có tài khoản "nobody"'
$S --help > "$T/out" 2>&1; rc=$?
expect "--help lists user enable" 0 "$T/out" "user enable TÊN"
$S user disable nobody > "$T/out" 2>&1; rc=$?
expect "an unknown login is named" 1 "$T/out" 'Không có tài khoản "nobody"'
$S --lang en user disable nobody > "$T/out" 2>&1; rc=$?
expect "and in English" 1 "$T/out" 'There is no account "nobody"'

# Names typed in decomposed Unicode (a letter, then its marks) are kept in
# NFC: the kiosk's commune and its officer's are one commune.
nfd_commune=$(printf 'Ti\314\243nh Kh\303\252')	# "Tịnh Khê": i + dot below
$S kiosk add --commune "$nfd_commune" --hamlet "$(printf 'Tho\314\202n 1')" --name NVH > "$T/out" 2>&1; rc=$?
expect "kiosk add with a decomposed commune" 0 "$T/out" "^token: "
echo "mật khẩu của xã" | $S user add tinhkhe --role commune --commune "$nfd_commune" \
    --province "$(printf 'Qua\314\211ng Nga\314\203i')" --password-stdin > "$T/out" 2>&1; rc=$?
expect "user add with a decomposed commune" 0 "$T/out" "đã thêm tài khoản tinhkhe"
[ "$(q "SELECT count(*) FROM kiosks WHERE commune = 'Tịnh Khê' AND hamlet = 'Thôn 1'")" = 1 ] \
	&& ok "the kiosk's names are kept in NFC" || bad "the kiosk's names are kept in NFC" "$(q 'SELECT hex(commune) FROM kiosks')"
[ "$(q "SELECT count(*) FROM users WHERE login = 'tinhkhe' AND commune = 'Tịnh Khê' AND province = 'Quảng Ngãi'")" = 1 ] \
	&& ok "the officer's names are kept in NFC" || bad "the officer's names are kept in NFC" "$(q 'SELECT hex(commune) FROM users')"

# A login in Vietnamese letters is a login; its length is in letters.
echo "mật khẩu của lân" | $S user add "lân" --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "a login in Vietnamese letters" 0 "$T/out" "đã thêm tài khoản lân"
long=$(printf 'đ%.0s' $(seq 64))
echo "mật khẩu khác nữa" | $S user add "$long" --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "a login of 64 letters (128 bytes)" 0 "$T/out" "đã thêm tài khoản"
echo "mật khẩu khác nữa" | $S user add "${long}đ" --role province --password-stdin > "$T/out" 2>&1; rc=$?
expect "a login of 65 letters is refused" 2 "$T/out" "1–64 ký tự"

$S audit > "$T/out" 2>&1; rc=$?
expect "audit: an account added" 0 "$T/out" "cli	user.add	tinhson role=commune province=Quảng Ngãi commune=Tịnh Sơn"
expect "audit: a password changed" 0 "$T/out" "cli	user.password	tinhson"
expect "audit: an account disabled" 0 "$T/out" "cli	user.disable	tinhson"
expect "audit: an account enabled" 0 "$T/out" "cli	user.enable	tinhson"
[ "$(head -1 "$T/out")" = "$(printf 'time\tlogin\taction\tdetail\taddress')" ] && ok "audit has a header line" || bad "audit has a header line" "$(head -1 "$T/out")"

printf 'accounts: %d passed, %d failed\n' $pass $failn
[ $failn -eq 0 ]
