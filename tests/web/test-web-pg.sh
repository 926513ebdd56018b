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

# Two server processes on one database count an officer's wrong passwords
# together: thirty guesses side by side, fifteen at each, have five tries
# between them (and one more at most, in flight at the other as the lock
# falls), not five at each.
printf 'mật khẩu đúng của xã\n' | "$S" --db "$URL" user add doanxa --role province \
    --password-stdin > /dev/null || exit 1
SERVER="$S" DB="$URL" python3 - <<'PY' || exit 1
import os, re, subprocess, urllib.parse, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

def start():
    p = subprocess.Popen([os.environ["SERVER"], "--db", os.environ["DB"], "serve",
                          "--listen", "127.0.0.1:0", "--threads", "8"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    assert line.startswith("listening on "), line
    return p, "http://" + line.split()[2]

def post(url, data, cookie):
    req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())
    req.add_header("Cookie", cookie)
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code

procs = [start(), start()]
try:
    tokens = []
    for _, url in procs:
        with urllib.request.urlopen(url + "/login", timeout=30) as r:
            tokens.append(re.search(r"sotay_login=([^;]+)", r.headers["Set-Cookie"]).group(1))

    def guess(i):
        url, token = procs[i % 2][1], tokens[i % 2]
        return post(url + "/login", {"csrf": token, "login": "doanxa",
                                     "password": "đoán sai số %d" % i}, "sotay_login=" + token)
    with ThreadPoolExecutor(30) as pool:
        answers = list(pool.map(guess, range(30)))
finally:
    for p, _ in procs:
        p.terminate()
        p.wait(timeout=60)
wrong = answers.count(401)
if wrong <= 5 and wrong + answers.count(403) == 30:
    print("ok   two processes count wrong passwords together (%d checked as wrong)" % wrong)
else:
    print("FAIL two processes count wrong passwords together: %s" % sorted(answers))
    raise SystemExit(1)
PY
