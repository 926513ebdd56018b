#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the benchmarks' table (tab-separated lines from bench_row, see
# tests/bench/bench.h): each figure with the data it was measured on, its
# floor or peer from the same run, the ratio, and the goal.
table=${1:?usage: table.sh FILE}
[ -s "$table" ] || { echo "bench: no figures were recorded"; exit 1; }
printf '\n== make bench: figures (medians) beside their floor or peer and goal\n'
{
	printf 'measure\tdata\tfigure\tfloor or peer (same run)\tratio\tgoal\tgoal met?\n'
	cat "$table"
} | awk -F '\t' '
	# Widths in characters, not bytes (names are Vietnamese, ratios use ×).
	function w(s) { return length(s) - gsub(/[\200-\277]/, "", s) }
	{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (w($i) > width[i]) width[i] = w($i) } n = NR; nf = NF }
	END {
		for (r = 1; r <= n; r++) {
			line = ""
			for (i = 1; i <= nf; i++) {
				s = cell[r, i]; pad = width[i] - w(s)
				line = line s sprintf("%" (pad > 0 ? pad : 0) "s", "") (i < nf ? "  " : "")
			}
			print line
		}
	}'
