/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-content-chars.c: what the checklist loader lets through to the
 * kiosk's terminal. Control characters (ESC, BEL, CR, BS, NUL…), C1
 * controls and bidirectional overrides are refused in every field, a
 * newline only where the field may break lines, and every field has a
 * length bound; each problem names the file, checklist, step and field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "content.h"
#include "i18n.h"
#include "util.h"

#define WHERE "checklists/test-basic.json"

/* test-basic.json as text with one string replaced by value (a JSON string literal). */
static char *
spoil(const char *path_in_json, const char *literal)
{
	size_t		 len;
	char		*text = util_read_file("tests/data/checklists/test-basic.json", &len);
	json_object	*o, *at;
	char		*out, *mark;
	const char	*s;

	assert_non_null(text);
	o = json_tokener_parse(text);
	assert_non_null(o);
	free(text);
	/* Put a marker in place with json-c, then swap the marker for the raw literal. */
	at = o;
	{
		char	*copy = xstrdup(path_in_json), *save, *key, *last = NULL;
		json_object *parent = NULL;

		for (key = strtok_r(copy, "/", &save); key != NULL; key = strtok_r(NULL, "/", &save)) {
			parent = at;
			last = key;
			if (json_object_is_type(at, json_type_array))
				at = json_object_array_get_idx(at, (size_t)atoi(key));
			else if (!json_object_object_get_ex(at, key, &at))
				at = NULL;
			if (at == NULL)
				break;
		}
		assert_non_null(parent);
		json_object_object_add(parent, last, json_object_new_string("@@MARK@@"));
		free(copy);
	}
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	mark = strstr(s, "\"@@MARK@@\"");
	assert_non_null(mark);
	out = xasprintf("%.*s%s%s", (int)(mark - s), s, literal, mark + strlen("\"@@MARK@@\""));
	json_object_put(o);
	return out;
}

/* The text gives exactly one problem, and it holds want. */
static void
one_problem(const char *text, const char *want)
{
	struct problems		 pr = { 0 };
	struct checklist	*cl = checklist_parse(text, strlen(text), WHERE, &pr);

	for (size_t i = 0; i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	assert_null(cl);
	assert_int_equal(pr.n, 1);
	if (strstr(pr.lines[0], want) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", pr.lines[0], want);
	problems_free(&pr);
}

static void
loads(const char *text)
{
	struct problems		 pr = { 0 };
	struct checklist	*cl = checklist_parse(text, strlen(text), WHERE, &pr);

	for (size_t i = 0; i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	assert_int_equal(pr.n, 0);
	assert_non_null(cl);
	checklist_free(cl);
}

static void
controls_refused(void **state)
{
	static const struct {
		const char	*path;
		const char	*literal;
		const char	*says;
	} cases[] = {
		{ "title/vi", "\"Mở ứng dụng\\u001b[2J\"", "title.vi: holds the control character U+001B at character 12" },
		{ "summary/vi", "\"Chuông\\u0007\"", "summary.vi: holds the control character U+0007" },
		{ "steps/0/title/vi", "\"Mở\\rứng dụng\"", "step 1 (open-app): title.vi: holds the control character U+000D" },
		{ "steps/1/detail/en", "\"Back\\bspace\"", "step 2 (", },
		{ "steps/0/title/vi", "\"Mở\\u0000 bị cắt\"", "step 1 (open-app): title.vi: holds the control character U+0000 at character 3" },
		{ "steps/0/tip/vi", "\"C1 \\u009b31m\"", "tip.vi: holds the control character U+009B" },
		{ "steps/0/detail/vi", "\"\\u202eabc\"", "detail.vi: holds the control character U+202E at character 1" },
		{ "source", "\"nguồn \\u2066x\\u2069\"", "source: holds the control character U+2066" },
		{ "steps/0/id", "\"open\\u0000-app\"", "id: holds the control character U+0000" },
		/* A title is one line; a detail may have several. */
		{ "title/vi", "\"Hai\\ndòng\"", "title.vi: must not break lines (character 4)" },
	};

	i18n_set_lang(LANG_EN);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = spoil(cases[i].path, cases[i].literal);

		print_message("case %zu\n", i);
		one_problem(text, cases[i].says);
		free(text);
	}
	/* The same file with a newline in a step's detail loads. */
	char *text = spoil("steps/0/detail/vi", "\"Dòng một.\\nDòng hai.\"");
	loads(text);
	free(text);
	i18n_set_lang(LANG_VI);
	(void)state;
}

static void
lengths_bounded(void **state)
{
	size_t	 n = 5 * 1024 * 1024;
	char	*big = xmalloc(n + 3), *text;

	i18n_set_lang(LANG_EN);
	/* A 5 MB summary: refused with the file's size. */
	big[0] = '"';
	memset(big + 1, 'a', n);
	big[n + 1] = '"';
	big[n + 2] = '\0';
	text = spoil("summary/vi", big);
	one_problem(text, WHERE ": JSON: the file is ");
	free(text);
	/* A summary a little past its bound: refused naming the field. */
	big[1001 + 1] = '"';
	big[1001 + 2] = '\0';
	text = spoil("summary/vi", big);
	one_problem(text, "checklist test-basic: summary.vi: is 1001 characters long, at most 1000");
	free(text);
	/* And at the bound, loaded. */
	big[1000 + 1] = '"';
	big[1000 + 2] = '\0';
	text = spoil("summary/vi", big);
	loads(text);
	free(text);
	/* The source: 300 characters load, 501 do not. */
	memset(big + 1, 'b', 300);
	big[201 + 1] = '"';
	big[201 + 2] = '\0';
	text = spoil("source", big);
	loads(text);
	free(text);
	big[501 + 1] = '"';
	big[501 + 2] = '\0';
	memset(big + 1, 'b', 501);
	text = spoil("source", big);
	one_problem(text, "source: is 501 characters long, at most 500");
	free(text);
	free(big);
	i18n_set_lang(LANG_VI);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls_refused),
		cmocka_unit_test(lengths_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
