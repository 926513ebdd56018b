#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The build as a packager uses it, on one object that embeds install paths
# (ui/spawn-sync.o names the libexec folder), in a private build folder:
# a changed PREFIX rebuilds it with the new path, an unchanged tree builds
# nothing, and CFLAGS from the command line keep the project's own flags.
set -u
T=${TEST_TMP:-$(mktemp -d)}
B="$T/build"
OBJ="$B/ui/spawn-sync.o"
unset MAKEFLAGS MAKELEVEL MFLAGS
pass=0
failn=0
ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { failn=$((failn + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2-}" ] && printf '     %s\n' "$2"; }
mk() { make --no-print-directory BUILD="$B" "$@" > "$T/make.out" 2>&1; }

mk PREFIX=/usr/local "$OBJ" || bad "make $OBJ" "$(cat "$T/make.out")"
grep -q /usr/local/libexec/sotay "$OBJ" && ok "PREFIX=/usr/local is in the object" \
	|| bad "PREFIX=/usr/local is in the object"
mk -q PREFIX=/usr/local "$OBJ" && ok "a second make with the same PREFIX does nothing" \
	|| bad "a second make with the same PREFIX does nothing" "$(make -n BUILD="$B" PREFIX=/usr/local "$OBJ" 2>&1)"
mk PREFIX=/usr "$OBJ" || bad "make PREFIX=/usr" "$(cat "$T/make.out")"
grep -q '/usr/libexec/sotay' "$OBJ" && ! grep -q /usr/local/libexec "$OBJ" \
	&& ok "PREFIX=/usr rebuilds it with /usr/libexec/sotay" \
	|| bad "PREFIX=/usr rebuilds it with /usr/libexec/sotay"
mk -q PREFIX=/usr "$OBJ" && ok "then nothing is left to do" || bad "then nothing is left to do"
rm -f "$OBJ"
mk PREFIX=/usr CFLAGS=-O0 "$OBJ" && grep -q -- '-O0 .*-std=gnu11 .*-Wall' "$T/make.out" \
	&& ok "CFLAGS=-O0 replaces the optimisation only" || bad "CFLAGS=-O0 replaces the optimisation only" \
	"$(cat "$T/make.out")"

printf '%d passed, %d failed\n' $pass $failn
[ $failn -eq 0 ]
