#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check-cli.sh: `sotay content check` as a province editor uses it. The
# bundled library passes (exit 0); copies broken on purpose fail (exit 1)
# with a message that names the file and the field to fix, and the files
# that are fine are not blamed.
#
# Run from the top of the tree with BUILD set (tests/run.sh does both).
set -u
BUILD=${BUILD:-build}
TEST_TMP=${TEST_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/sotay-check-cli.XXXXXX")}
SOTAY=$BUILD/sotay
LIB=assets/checklists

# A private home, so no config of the machine running the tests is read.
HOME=$TEST_TMP/home
XDG_CONFIG_HOME=$HOME/.config
export HOME XDG_CONFIG_HOME
mkdir -p "$HOME"
unset SOTAY_CONTENT SOTAY_DB

failures=0
bad() {
	printf 'FAIL: %s\n' "$*"
	failures=$((failures + 1))
}

# check LANG OUT FILES…: runs the check in language LANG; stdout and stderr
# both go to OUT; sets $rc.
check() {
	lang=$1 out=$2
	shift 2
	SOTAY_LANG=$lang "$SOTAY" content check "$@" >"$out" 2>&1
	rc=$?
}

# expect OUT TEXT WHY: OUT must contain TEXT (fixed string).
expect() {
	grep -qF -- "$2" "$1" || { bad "$3: no \"$2\" in:"; sed 's/^/    /' "$1"; }
}

# A fresh copy of the library in $TEST_TMP/NAME; prints its path.
copy() {
	rm -rf "${TEST_TMP:?}/$1"
	mkdir -p "$TEST_TMP/$1"
	cp "$LIB"/*.json "$TEST_TMP/$1/"
	printf '%s\n' "$TEST_TMP/$1"
}

[ -x "$SOTAY" ] || { printf 'FAIL: %s is not built\n' "$SOTAY"; exit 1; }
nfiles=$(ls "$LIB"/*.json | wc -l)

# 1. The bundled library is valid, in either language, and every file counts.
for lang in vi en; do
	check $lang "$TEST_TMP/ok-$lang.out" "$LIB"/*.json
	[ $rc -eq 0 ] || { bad "bundled library ($lang): exit $rc, want 0"; cat "$TEST_TMP/ok-$lang.out"; }
	expect "$TEST_TMP/ok-$lang.out" "$nfiles" "bundled library ($lang) should report $nfiles checklists"
done

# 2. A number out of range: the file and the field are named.
d=$(copy minutes)
sed -i 's/"minutes": [0-9]*/"minutes": 0/' "$d/vneid-level2.json"
check en "$TEST_TMP/minutes.out" "$d"/*.json
[ $rc -eq 1 ] || bad "minutes 0: exit $rc, want 1"
expect "$TEST_TMP/minutes.out" "$d/vneid-level2.json" "minutes 0: the file"
expect "$TEST_TMP/minutes.out" "minutes" "minutes 0: the field"
grep -q "mobile-money.json" "$TEST_TMP/minutes.out" && bad "minutes 0: a valid file is blamed"

# 3. A misspelt field is an error, not ignored; named in Vietnamese output too.
d=$(copy misspelt)
sed -i 's/"summary":/"sumary":/' "$d/vssid.json"
check vi "$TEST_TMP/misspelt.out" "$d"/*.json
[ $rc -eq 1 ] || bad "misspelt field: exit $rc, want 1"
expect "$TEST_TMP/misspelt.out" "$d/vssid.json" "misspelt field: the file"
expect "$TEST_TMP/misspelt.out" "sumary" "misspelt field: the field"

# 4. An empty Vietnamese step title: the file, the step and the field.
d=$(copy step-title)
sed -i 's/"vi": "Đóng gói chắc chắn"/"vi": ""/' "$d/order-shipping.json"
check en "$TEST_TMP/step-title.out" "$d"/*.json
[ $rc -eq 1 ] || bad "empty step title: exit $rc, want 1"
expect "$TEST_TMP/step-title.out" "$d/order-shipping.json" "empty step title: the file"
expect "$TEST_TMP/step-title.out" "pack" "empty step title: the step"
expect "$TEST_TMP/step-title.out" "title" "empty step title: the field"

# 5. A prerequisite cycle (vneid-level2 ↔ dvc-login-vneid) across two files.
d=$(copy cycle)
sed -i 's/"category": "public_services",/"category": "public_services", "prerequisites": ["dvc-login-vneid"],/' \
    "$d/vneid-level2.json"
check en "$TEST_TMP/cycle.out" "$d"/*.json
[ $rc -eq 1 ] || bad "prerequisite cycle: exit $rc, want 1"
expect "$TEST_TMP/cycle.out" "prerequisites" "prerequisite cycle: the field"
grep -Eq "vneid-level2|dvc-login-vneid" "$TEST_TMP/cycle.out" ||
    bad "prerequisite cycle: neither checklist of the cycle is named"

# 6. A prerequisite that does not exist.
d=$(copy dangling)
rm "$d/phone-passwords.json"
check en "$TEST_TMP/dangling.out" "$d"/*.json
[ $rc -eq 1 ] || bad "missing prerequisite: exit $rc, want 1"
expect "$TEST_TMP/dangling.out" "phone-passwords" "missing prerequisite: the missing id"
expect "$TEST_TMP/dangling.out" "prerequisites" "missing prerequisite: the field"

# 7. Broken JSON syntax: the file is named.
d=$(copy syntax)
printf '{ "format": 1, "id": "broken",\n' >"$d/broken.json"
check en "$TEST_TMP/syntax.out" "$d"/*.json
[ $rc -eq 1 ] || bad "broken JSON: exit $rc, want 1"
expect "$TEST_TMP/syntax.out" "$d/broken.json" "broken JSON: the file"

if [ $failures -ne 0 ]; then
	printf 'check-cli: %d failed\n' $failures
	exit 1
fi
printf 'check-cli: all passed\n'
