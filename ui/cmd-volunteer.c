/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-volunteer.c: `sotay volunteer add|list|disable|enable|pin` — how the
 * first supervisor is made, and how volunteers are managed from a shell.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "people.h"
#include "store.h"

/* Reads one line without echo from the terminal; NULL if there is none. */
static char *
read_secret(FILE *tty, const char *prompt)
{
	struct termios old, quiet;
	char buf[64];
	int fd = fileno(tty), restore = 0;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	char *got = fgets(buf, sizeof buf, tty);
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

/* The PIN from stdin (one line) or typed twice at the terminal. */
static char *
get_pin(int from_stdin)
{
	char *a, *b;

	if (from_stdin) {
		char buf[64];
		if (fgets(buf, sizeof buf, stdin) == NULL)
			return NULL;
		buf[strcspn(buf, "\r\n")] = '\0';
		return xstrdup(buf);
	}
	FILE *tty = fopen("/dev/tty", "r+");
	if (tty == NULL) {
		fputs(_("sotay: không có màn hình để nhập mã PIN; dùng --pin-stdin.\n"), stderr);
		return NULL;
	}
	a = read_secret(tty, _("Mã PIN (4–12 chữ số): "));
	b = a ? read_secret(tty, _("Nhập lại mã PIN: ")) : NULL;
	fclose(tty);
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		if (a != NULL && b != NULL)
			fputs(_("sotay: hai lần nhập mã PIN không khớp.\n"), stderr);
		free(a);
		free(b);
		return NULL;
	}
	free(b);
	return a;
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long n = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n <= 0) {
		fprintf(stderr, _("sotay: \"%s\" không phải số của tình nguyện viên (xem "
		    "\"sotay volunteer list\").\n"), s);
		return -1;
	}
	*id = n;
	return 0;
}

void
cmd_volunteer_usage(FILE *f)
{
	fputs(_("Cách dùng: sotay volunteer add TÊN --role volunteer|supervisor [--pin-stdin]\n"
	    "           sotay volunteer list | disable SỐ | enable SỐ | pin SỐ [--pin-stdin]\n"), f);
}

int
cmd_volunteer(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "pin-stdin", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub = argc > 1 ? argv[1] : "";
	int role = ROLE_VOLUNTEER, pin_stdin = 0, ch, rc = EXIT_PROBLEM;
	struct store *st;
	char *cause = NULL, *pin = NULL;
	int64_t id = 0;

	/* Options after the sub-command; optind = 0 makes glibc start afresh. */
	optind = 0;
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r') {
			if ((role = role_parse(optarg)) < 0) {
				fprintf(stderr, _("sotay: --role phải là volunteer hoặc supervisor.\n"));
				return EXIT_USAGE;
			}
		} else if (ch == 'p')
			pin_stdin = 1;
		else
			return EXIT_USAGE;
	}
	int nargs = argc - optind;
	int ok = (strcmp(sub, "add") == 0 && nargs == 1) || (strcmp(sub, "list") == 0 && nargs == 0) ||
	    ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 || strcmp(sub, "pin") == 0) &&
	    nargs == 1);
	if (!ok) {
		cmd_volunteer_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && parse_id(argv[optind], &id) != 0)
		return EXIT_USAGE;
	if ((strcmp(sub, "add") == 0 || strcmp(sub, "pin") == 0) && (pin = get_pin(pin_stdin)) == NULL)
		return EXIT_PROBLEM;
	if (app_open_store(app, 0, &st) != 0) {
		free(pin);
		return EXIT_PROBLEM;
	}
	if (strcmp(sub, "add") == 0) {
		if (people_volunteer_add(st, argv[optind], role, pin, &id, &cause) == 0) {
			printf(_("Đã thêm %s (số %lld, %s).\n"),
			    argv[optind], (long long)id, role_name(role));
			rc = EXIT_OK;
		}
	} else if (strcmp(sub, "list") == 0) {
		struct volunteer *v;
		size_t n;
		if (people_volunteer_list(st, &v, &n, &cause) == 0) {
			/* Columns by what the eye sees: Vietnamese letters are several bytes. */
			int rw = 0, dw = draw_width(_("tắt"));
			for (size_t i = 0; i < n; i++)
				if (draw_width(role_name(v[i].role)) > rw)
					rw = draw_width(role_name(v[i].role));
			for (size_t i = 0; i < n; i++) {
				const char *r = role_name(v[i].role), *d = v[i].disabled ? _("tắt") : "";

				printf("%4lld  %s%*s  %s%*s  %s\n", (long long)v[i].id, r,
				    rw - draw_width(r), "", d, dw - draw_width(d), "", v[i].name);
			}
			people_volunteers_free(v, n);
			rc = EXIT_OK;
		}
	} else if (strcmp(sub, "pin") == 0) {
		if (people_volunteer_set_pin(st, id, pin, &cause) == 0) {
			printf(_("Đã đặt mã PIN mới.\n"));
			rc = EXIT_OK;
		}
	} else if (people_volunteer_disable(st, id, strcmp(sub, "disable") == 0, &cause) == 0) {
		printf(strcmp(sub, "disable") == 0 ? _("Đã tắt.\n") :
		    _("Đã bật lại.\n"));
		rc = EXIT_OK;
	}
	if (cause != NULL) {
		fprintf(stderr, "sotay: %s\n", cause);
		free(cause);
	}
	if (pin != NULL)
		memset(pin, 0, strlen(pin));
	free(pin);
	store_close(st);
	return rc;
}
