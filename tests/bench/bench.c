/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.c: see bench.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

double
bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
bench_median(double *v, int n)
{
	if (n <= 0)
		return -1;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
bench_run(char *const argv[], const char *out)
{
	double t0 = bench_now_us();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return bench_now_us() - t0;
}

static void
copy_file(const char *src, const char *dst, int must)
{
	char buf[1 << 16];
	ssize_t n;
	int in = open(src, O_RDONLY), out;

	unlink(dst);
	if (in < 0) {
		if (must) {
			fprintf(stderr, "bench: cannot read %s\n", src);
			exit(1);
		}
		return;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0) {
		fprintf(stderr, "bench: cannot write %s\n", dst);
		exit(1);
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			fprintf(stderr, "bench: cannot write %s\n", dst);
			exit(1);
		}
	fsync(out);
	close(out);
	close(in);
}

void
bench_copy_db(const char *src, const char *dst)
{
	char s[4096], d[4096];

	copy_file(src, dst, 1);
	snprintf(s, sizeof s, "%s-wal", src);
	snprintf(d, sizeof d, "%s-wal", dst);
	copy_file(s, d, 0);
	snprintf(d, sizeof d, "%s-shm", dst);
	unlink(d);
}

char *
bench_read_line(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (fp == NULL)
		return NULL;
	if (getline(&line, &cap, fp) < 0) {
		free(line);
		line = NULL;
	}
	fclose(fp);
	return line;
}

const char *
bench_env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "bench: %s is not set; run the benchmarks with `make bench`\n", name);
		exit(1);
	}
	return v;
}

/* A figure with as many digits as it deserves: 0.155, 11.5, 6912. */
static void
fmt(char *out, size_t n, double v)
{
	if (v >= 100 || v <= -100)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.3g", v);
}

void
bench_row(const char *measure, const char *data, double figure, const char *unit,
    const char *floor_name, double floor, const char *goal, int met)
{
	const char *table = getenv("BENCH_TABLE");
	char ratio[32] = "-", fl[96] = "-", fig[32], fv[32];
	FILE *fp;

	fmt(fig, sizeof fig, figure);
	if (floor > 0) {
		fmt(fv, sizeof fv, floor);
		snprintf(ratio, sizeof ratio, "%.2f×", figure / floor);
		snprintf(fl, sizeof fl, "%s %s %s", floor_name, fv, unit);
	} else if (floor_name != NULL)
		snprintf(fl, sizeof fl, "%s", floor_name);
	printf("  %s: %s %s; %s; %s; goal %s%s\n", measure, fig, unit, fl, ratio, goal,
	    met < 0 ? "" : met ? " (met)" : " (NOT met)");
	if (table == NULL || (fp = fopen(table, "a")) == NULL)
		return;
	fprintf(fp, "%s\t%s\t%s %s\t%s\t%s\t%s\t%s\n", measure, data, fig, unit, fl, ratio,
	    goal, met < 0 ? "-" : met ? "met" : "NOT met");
	fclose(fp);
}
