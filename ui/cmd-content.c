/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-content.c: `sotay content check PATH…` — validates checklist files
 * with the same loader the kiosk uses and lists every problem.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "content.h"

void
cmd_content_usage(FILE *f)
{
	fputs(_("Cách dùng: sotay content check TỆP_HOẶC_THƯ_MỤC…\n"), f);
}

int
cmd_content(struct app *app, int argc, char **argv)
{
	struct library lib = { 0 };
	struct problems pr = { 0 };

	(void)app;
	if (argc < 3 || strcmp(argv[1], "check") != 0) {
		cmd_content_usage(stderr);
		return EXIT_USAGE;
	}
	library_load(&lib, (const char *const *)argv + 2, (size_t)argc - 2, &pr);
	for (size_t i = 0; i < pr.n; i++)
		fprintf(stderr, "%s\n", pr.lines[i]);
	if (pr.n == 0)
		printf(_("%zu danh mục hợp lệ.\n"), lib.n);
	else
		fprintf(stderr, _("%zu lỗi. Hãy sửa rồi kiểm tra lại.\n"), pr.n);
	int rc = pr.n == 0 ? EXIT_OK : EXIT_PROBLEM;
	problems_free(&pr);
	library_free(&lib);
	return rc;
}
