#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The `sotay` commands as an admin uses them: what they print, what they
# exit with, and what they leave in the database. Runs from the top of the
# tree with BUILD and TEST_TMP set (tests/run.sh does).
set -u
SOTAY=${BUILD:-build}/sotay
T=${TEST_TMP:-$(mktemp -d)}
export SOTAY_DB="$T/k.db" SOTAY_CONTENT=tests/data/checklists SOTAY_CONFIG="$T/none.conf"
export HOME="$T/home" LANG=C.UTF-8
: > "$SOTAY_CONFIG"
pass=0
failn=0

ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { failn=$((failn + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2-}" ] && printf '     %s\n' "$2"; }
# expect NAME WANT_EXIT OUTPUT_FILE PATTERN: the exit code and a line of output.
expect() {
	if [ "$2" != "$rc" ]; then bad "$1" "exit $rc, wanted $2: $(head -c 300 "$3")"; return; fi
	if [ -n "$4" ] && ! grep -q -- "$4" "$3"; then bad "$1" "no \"$4\" in: $(head -c 300 "$3")"; return; fi
	ok "$1"
}
q() { sqlite3 "$SOTAY_DB" "$1"; }

$SOTAY --version > "$T/out" 2>&1; rc=$?
expect "--version" 0 "$T/out" "^sotay [0-9]"
$SOTAY --help > "$T/out" 2>&1; rc=$?
expect "--help in Vietnamese" 0 "$T/out" "volunteer add TÊN"
$SOTAY --lang en --help > "$T/out" 2>&1; rc=$?
expect "--help in English" 0 "$T/out" "volunteer add NAME"
$SOTAY frobnicate > "$T/out" 2>&1; rc=$?
expect "unknown command" 2 "$T/out" 'không có lệnh "frobnicate"'

# Every command's --help: its usage on stdout, exit 0, nothing else done.
SERVER=${BUILD:-build}/sotay-server
help() {
	want=$1
	shift
	"$@" --help > "$T/out" 2> "$T/err"; rc=$?
	if [ -s "$T/err" ]; then bad "${*#"${BUILD:-build}/"} --help" "stderr: $(head -c 200 "$T/err")"; return; fi
	expect "${*#"${BUILD:-build}/"} --help" 0 "$T/out" "$want"
}
help "sotay content check TỆP" $SOTAY content
help "sotay content check TỆP" $SOTAY content check
help "sotay volunteer add TÊN" $SOTAY volunteer
for sub in add list disable enable pin; do
	help "sotay volunteer add TÊN" $SOTAY volunteer $sub
done
help "sotay status \[--json\]" $SOTAY status
help "sotay report \[--from" $SOTAY report
help "sotay export" $SOTAY export
help "sotay enroll \[URL\] MÃ" $SOTAY enroll
help "sotay sync \[--json\]" $SOTAY sync
help "sotay-server kiosk add --commune" $SERVER
for sub in serve kiosk "kiosk add" "kiosk list" "kiosk revoke" content "content publish"; do
	# shellcheck disable=SC2086
	help "sotay-server kiosk add --commune" $SERVER $sub
done
[ ! -e "$SOTAY_DB" ] && ok "--help makes no database" || bad "--help makes no database"
$SERVER --version > "$T/out" 2>&1; rc=$?
expect "sotay-server --version" 0 "$T/out" "^sotay-server $(cat VERSION)\$"

echo 2468 | $SOTAY volunteer add "Nguyễn Thị Lan" --role supervisor --pin-stdin > "$T/out" 2>&1; rc=$?
expect "volunteer add says the role in words" 0 "$T/out" "Đã thêm Nguyễn Thị Lan (số 1, tổ trưởng)"
[ "$(q "SELECT role || ' ' || substr(pin_hash, 1, 10) FROM volunteers WHERE name = 'Nguyễn Thị Lan'")" = 'supervisor $argon2id$' ] \
	&& ok "volunteer row with an Argon2id hash" || bad "volunteer row with an Argon2id hash" "$(q 'SELECT * FROM volunteers')"
echo 12 | $SOTAY volunteer add "Minh" --pin-stdin > "$T/out" 2>&1; rc=$?
expect "a 2-digit PIN is refused" 1 "$T/out" "4 đến 12 chữ số"
echo 1357 | $SOTAY volunteer add "Nguyễn Thị Lan" --pin-stdin > "$T/out" 2>&1; rc=$?
expect "a duplicate name is refused" 1 "$T/out" "Đã có tình nguyện viên tên"
$SOTAY volunteer add "Minh" --role boss --pin-stdin < /dev/null > "$T/out" 2>&1; rc=$?
expect "an unknown role is refused" 2 "$T/out" "--role phải là"
$SOTAY volunteer disable 1 > "$T/out" 2>&1; rc=$?
expect "volunteer disable" 0 "$T/out" ""
[ "$(q 'SELECT disabled FROM volunteers WHERE id = 1')" = 1 ] && ok "disabled in the database" || bad "disabled in the database"
$SOTAY volunteer list > "$T/out" 2>&1; rc=$?
expect "volunteer list, the role in words" 0 "$T/out" "^   1  tổ trưởng  tắt  Nguyễn Thị Lan$"
$SOTAY --lang en volunteer list > "$T/out" 2>&1; rc=$?
expect "volunteer list in English" 0 "$T/out" "^   1  supervisor  disabled  Nguyễn Thị Lan$"

$SOTAY status --json > "$T/out" 2>&1; rc=$?
expect "status --json" 0 "$T/out" '"checklists":3'
grep -q '"pending":2' "$T/out" && ok "status counts the two events" || bad "status counts the two events" "$(cat "$T/out")"
$SOTAY status > "$T/out" 2>&1; rc=$?
expect "status in words" 0 "$T/out" "Sự kiện chờ gửi:   2"

$SOTAY export > "$T/out" 2>&1; rc=$?
expect "export" 0 "$T/out" '"type":"volunteer.added"'
[ "$(wc -l < "$T/out")" -eq 2 ] && ok "export has one line an event" || bad "export has one line an event" "$(cat "$T/out")"

$SOTAY report --from 2000-01-01 --json > "$T/out" 2>&1; rc=$?
expect "report --json" 0 "$T/out" '"sessions_started":0'
$SOTAY report --from 2026-01-01 --to 2026-12-31 --json > "$T/out" 2>&1; rc=$?
expect "report --json names the last day asked for" 0 "$T/out" '"to":"2026-12-31"'
$SOTAY report --from 2026-02-30 > "$T/out" 2>&1; rc=$?
expect "report with an unreal date" 2 "$T/out" "không phải ngày hợp lệ"

$SOTAY content check tests/data/checklists > "$T/out" 2>&1; rc=$?
expect "content check of a good folder" 0 "$T/out" "3 danh mục hợp lệ"

# Bad input: each gets one clear message naming the path, and loses nothing.
printf 'commune = Xã A\nthis line is wrong\n' > "$T/bad.conf"
SOTAY_CONFIG="$T/bad.conf" $SOTAY status > "$T/out" 2>&1; rc=$?
expect "a bad config line" 1 "$T/out" "bad.conf:2:"
printf 'not a database at all\n' > "$T/corrupt.db"
SOTAY_DB="$T/corrupt.db" $SOTAY status > "$T/out" 2>&1; rc=$?
expect "a corrupt database" 1 "$T/out" "corrupt.db bị hỏng"
[ "$(cat "$T/corrupt.db")" = "not a database at all" ] && ok "the corrupt file is untouched" || bad "the corrupt file is untouched"
cp "$SOTAY_DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 77"
SOTAY_DB="$T/newer.db" $SOTAY status > "$T/out" 2>&1; rc=$?
expect "a database from a newer version" 1 "$T/out" "phiên bản Sổ tay số mới hơn"
[ "$(sqlite3 "$T/newer.db" 'SELECT count(*) FROM volunteers')" = 1 ] && ok "the newer database keeps its rows" || bad "the newer database keeps its rows"
# A database of schema 4 (its outbox and marks as that version made them): a
# kiosk upgrading it says so first, as it may take a while, then works as before.
cp "$SOTAY_DB" "$T/older.db"
sqlite3 "$T/older.db" "ALTER TABLE outbox RENAME TO o5;
CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
 type TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,
 sent INTEGER NOT NULL DEFAULT 0);
CREATE INDEX outbox_pending ON outbox(seq) WHERE sent = 0;
INSERT INTO outbox SELECT seq, id, type, payload, created_at, 0 FROM o5;
DROP TABLE o5; DELETE FROM meta WHERE key = 'outbox_acked';
DROP INDEX marks_blocked; DROP TABLE marks;
CREATE TABLE marks (n INTEGER PRIMARY KEY, session_id TEXT NOT NULL, step_index INTEGER NOT NULL,
 step_id TEXT NOT NULL, mark TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL,
 undone INTEGER NOT NULL DEFAULT 0);
CREATE INDEX marks_session ON marks(session_id, step_index);
CREATE INDEX marks_blocked ON marks(session_id, step_id, reason) WHERE mark = 'blocked' AND undone = 0;
PRAGMA user_version = 4"
SOTAY_DB="$T/older.db" $SOTAY status > "$T/out" 2> "$T/err"; rc=$?
expect "an older database is upgraded" 0 "$T/out" "Sự kiện chờ gửi:   2"
grep -q "Đang nâng cấp dữ liệu trong $T/older.db" "$T/err" && ok "the upgrade is announced" \
	|| bad "the upgrade is announced" "$(cat "$T/err")"
[ "$(sqlite3 "$T/older.db" 'PRAGMA user_version')" = 5 ] && ok "the older database is at schema 5" \
	|| bad "the older database is at schema 5"
SOTAY_DB="$T/older.db" $SOTAY status > "$T/out" 2> "$T/err"; rc=$?
[ ! -s "$T/err" ] && ok "no upgrade announced once done" || bad "no upgrade announced once done" "$(cat "$T/err")"
SOTAY_DB="$T/missing/dir/x.db" $SOTAY report > "$T/out" 2>&1; rc=$?
expect "report on a missing database" 1 "$T/out" "x.db"

# enroll and sync run the sotay-sync program; sotay itself never loads libcurl.
SOTAY_SYNC_PROGRAM=/nonexistent/sotay-sync $SOTAY sync > "$T/out" 2>&1; rc=$?
expect "sync with no sotay-sync to run names the path" 1 "$T/out" \
	"Không chạy được chương trình đồng bộ /nonexistent/sotay-sync"
SOTAY_SYNC_PROGRAM=/nonexistent/sotay-sync $SOTAY --lang en enroll http://127.0.0.1:9 tok > "$T/out" 2>&1; rc=$?
expect "enroll with no sotay-sync, in English" 1 "$T/out" "Cannot run the sync program /nonexistent/sotay-sync"
$SOTAY --lang en sync --bogus > "$T/out" 2>&1; rc=$?
expect "sync's options and --lang reach sotay-sync" 2 "$T/out" "unknown option --bogus"
SOTAY_DB="$T/none.db" $SOTAY sync > "$T/out" 2>&1; rc=$?
expect "sync with no database names it and says to enrol" 1 "$T/out" "none.db.*sotay enroll URL MÃ"
[ ! -e "$T/none.db" ] && ok "sync does not make a database" || bad "sync does not make a database"
$SOTAY sync --json > "$T/out" 2>/dev/null; rc=$?
expect "sync on a kiosk not enrolled" 1 "$T/out" '"status":"local"'
if command -v ldd > /dev/null; then
	ldd "$SOTAY" > "$T/out" 2>&1
	grep -q libcurl "$T/out" && bad "sotay does not link libcurl" "$(grep libcurl "$T/out")" \
		|| ok "sotay does not link libcurl"
fi

# Enrolling with the address from the config file, against a real server on loopback.
"$SERVER" --db "$T/server.db" kiosk add --commune "Tịnh Hà" --hamlet "Thôn Đông" --name "NVH" \
	> "$T/kiosk.txt" 2> /dev/null
TOKEN=$(sed -n 's/^token: //p' "$T/kiosk.txt")
. tests/lib/testlib.sh
tl_server_start "$T/server.db" || bad "sotay-server starts"
URL=$TL_SERVER_URL
SOTAY_DB="$T/e.db" $SOTAY enroll "$TOKEN" > "$T/out" 2>&1; rc=$?
expect "enroll with a token only and no server_url" 2 "$T/out" "thiếu địa chỉ máy chủ"
printf 'server_url = %s\n' "$URL" > "$T/url.conf"
SOTAY_DB="$T/e.db" SOTAY_CONFIG="$T/url.conf" $SOTAY enroll "$TOKEN" > "$T/out" 2>&1; rc=$?
expect "enroll with the config file's server_url" 0 "$T/out" "Đã ghi danh"
[ "$(sqlite3 "$T/e.db" "SELECT value FROM meta WHERE key = 'server_url'")" = "$URL" ] \
	&& ok "the enrolled address is the config file's" || bad "the enrolled address is the config file's"
# The same machine again (a token enrols one machine, as often as it likes).
SOTAY_DB="$T/e.db" $SOTAY enroll -- "$URL" "$TOKEN" > "$T/out" 2>&1; rc=$?
expect "enroll -- URL TOKEN" 0 "$T/out" "Đã ghi danh"
SOTAY_DB="$T/e2.db" $SOTAY enroll -- "$URL" "$TOKEN" > "$T/out" 2>&1; rc=$?
expect "another machine with the same token is refused" 4 "$T/out" "đã được một máy khác dùng"
tl_server_stop

# As root on an installed kiosk, files are made as the data folder's owner.
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
	mkdir -p "$T/owned"
	chown nobody "$T/owned"
	chmod 755 "$T"
	SOTAY_DB="$T/owned/k.db" $SOTAY status > "$T/out" 2>&1; rc=$?
	expect "status as root in a folder owned by nobody" 0 "$T/out" ""
	[ "$(stat -c %U "$T/owned/k.db")" = nobody ] && ok "the database belongs to the folder's owner" \
		|| bad "the database belongs to the folder's owner" "$(ls -l "$T/owned")"
fi

printf '%d passed, %d failed\n' "$pass" "$failn"
[ "$failn" -eq 0 ]
