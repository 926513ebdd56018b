/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h: what the benchmark programs share — clocks, medians, running a
 * program and timing it, and the results table. Each figure goes into the
 * table as one line: what is measured, on what data, the figure, the floor
 * or peer measured in the same run, their ratio, and the goal. The table
 * file ($BENCH_TABLE) is printed whole at the end of `make bench`
 * (tests/bench/table.sh).
 */
#ifndef SOTAY_BENCH_H
#define SOTAY_BENCH_H

#include <stdint.h>
#include <sys/types.h>

double	 bench_now_us(void);
/* The median of n values (sorts v). */
double	 bench_median(double *v, int n);
/*
 * Runs argv (stdout to out if not NULL, else /dev/null; stderr inherited)
 * and waits; returns the µs it took, or -1 if it did not exit 0.
 */
double	 bench_run(char *const argv[], const char *out);
/* Copies a database file (its -wal too, if any) to dst. Exits on failure. */
void	 bench_copy_db(const char *src, const char *dst);
/* The first line of a file, malloc'd (NULL if none). */
char	*bench_read_line(const char *path);
/* Where a benchmark's data lives: $NAME, which `make bench` sets; exits if unset. */
const char *bench_env(const char *name);

/*
 * One line of the table. figure and floor are in unit; ratio is
 * figure/floor when floor > 0. goal says the goal in words ("≤ 1.2× floor",
 * "< 20 ms"); met is 1, 0, or -1 when there is nothing to compare.
 */
void	 bench_row(const char *measure, const char *data, double figure, const char *unit,
	     const char *floor_name, double floor, const char *goal, int met);

#endif
