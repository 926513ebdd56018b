#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs test programs and scripts one after another from the top of the tree,
# each with a private temporary folder, and closes with one summary line.
# A program counts as one pass or one failure (its own cmocka lines say
# which cases); a script likewise.
set -u
passed=0
failed=0
failures=""
for t in "$@"; do
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sotay-test.XXXXXX")
	printf '== %s\n' "$t"
	case $t in
	*.sh)	TEST_TMP=$tmp sh "$t" ;;
	*)	TEST_TMP=$tmp "$t" ;;
	esac
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		rm -rf "$tmp"
	else
		failed=$((failed + 1))
		failures="$failures $t"
		printf '!! %s failed (exit %d); its files are in %s\n' "$t" $rc "$tmp"
	fi
done
[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
printf 'tests: %d passed, %d failed\n' $passed $failed
[ $failed -eq 0 ]
