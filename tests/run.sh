#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the tests from the top of the tree, each with a private temporary
# folder. Make runs one test a job (`make -j test` runs them side by side):
#
#   run.sh --one TEST RESULT	runs TEST; its output goes to RESULT.log and its
#				exit code to RESULT; prints one line
#   run.sh --summary DIR TEST…	prints the output of each test that failed,
#				then one summary line; fails if any did
#   run.sh TEST…			one test after another, each one's output shown
#
# A program counts as one pass or one failure (its own cmocka lines say
# which cases); a script likewise.
set -u

one() {
	t=$1 res=$2
	mkdir -p "$(dirname "$res")"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sotay-test.XXXXXX")
	start=$(date +%s)
	case $t in
	*.sh)	TEST_TMP=$tmp sh "$t" > "$res.log" 2>&1 ;;
	*)	TEST_TMP=$tmp "$t" > "$res.log" 2>&1 ;;
	esac
	rc=$?
	secs=$(($(date +%s) - start))
	if [ $rc -eq 0 ]; then
		rm -rf "$tmp"
		printf 'ok   %s (%ds)\n' "$t" "$secs"
	else
		printf 'FAIL %s (exit %d, %ds); its files are in %s\n' "$t" $rc "$secs" "$tmp"
		printf '!! %s failed (exit %d); its files are in %s\n' "$t" $rc "$tmp" >> "$res.log"
	fi
	echo $rc > "$res"
}

summary() {
	dir=$1
	shift
	passed=0 failed=0 failures=""
	for t in "$@"; do
		res="$dir/$t.res"
		rc=$(cat "$res" 2> /dev/null || echo missing)
		if [ "$rc" = 0 ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			failures="$failures $t"
			printf '== %s\n' "$t"
			cat "$res.log" 2> /dev/null || printf '!! %s did not run\n' "$t"
		fi
	done
	[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
	printf 'tests: %d passed, %d failed\n' $passed $failed
	[ $failed -eq 0 ]
}

case ${1-} in
--one)	one "$2" "$3" ;;
--summary)
	shift
	summary "$@" ;;
*)	# One after another, each one's output shown (benchmarks print their figures).
	dir=$(mktemp -d "${TMPDIR:-/tmp}/sotay-results.XXXXXX")
	for t in "$@"; do
		printf '== %s\n' "$t"
		one "$t" "$dir/$t.res" > "$dir/line"
		cat "$dir/$t.res.log" "$dir/line"
	done
	summary "$dir" "$@" > "$dir/summary"
	rc=$?
	grep -E '^(failed:|tests:)' "$dir/summary"
	rm -rf "$dir"
	exit $rc ;;
esac
