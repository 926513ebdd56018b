/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-library.c: checks the bundled checklist library (assets/checklists)
 * the way a province reviewer would: it loads without a single problem,
 * every text a resident or visitor sees is in Vietnamese and English, the
 * prerequisites form a graph without cycles, each step fits on one screen
 * at 76 columns, each of the five basic digital skills has at least four
 * checklists, the ids once published (tests/content/published-ids.txt) are
 * still there, the card is called by its current name, what a resident reads
 * speaks to them ("bạn") rather than about them, and every checklist was
 * reviewed within the year before the library's release (assets/checklists/
 * RELEASE); it prints which ones fall due for re-checking first. A text
 * that sends the reader to another checklist names one that exists.
 *
 * Run from the top of the tree (tests/run.sh does).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Before cmocka.h: its fail() macro would clash with util.h's fail(). */
#include "content.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define LIBRARY_DIR	"assets/checklists"
#define PUBLISHED_IDS	"tests/content/published-ids.txt"
#define SCREEN_COLS	76	/* text width of a step at 80 columns */
#define STEP_MAX_LINES	16	/* lines a step's title, detail and tip may take */
#define STEPS_MIN	5
#define STEPS_MAX	15
#define LIBRARY_MIN	16	/* the services the teams are asked to teach */
#define CATEGORY_MIN	4	/* checklists per basic digital skill */
#define RELEASE_FILE	"assets/checklists/RELEASE"
#define RECHECK_SHOWN	5	/* how many checklists the re-check list names */

static struct library lib;
static struct problems pr;

static int
load_library(void **state)
{
	const char *paths[] = { LIBRARY_DIR };

	(void)state;
	library_load(&lib, paths, 1, &pr);
	return 0;
}

static int
free_library(void **state)
{
	(void)state;
	library_free(&lib);
	problems_free(&pr);
	return 0;
}

/* Columns taken by n bytes of UTF-8 at s (one per code point). */
static size_t
word_cols(const char *s, size_t n)
{
	char *w = xmalloc(n + 1);
	size_t cols;

	memcpy(w, s, n);
	w[n] = '\0';
	cols = util_utf8_len(w);
	free(w);
	return cols;
}

/*
 * Lines s takes when word-wrapped greedily to width columns; a word longer
 * than a line is cut. Each newline starts a new line. NULL or "" takes none.
 */
static size_t
wrapped_lines(const char *s, size_t width)
{
	size_t lines = 0, col = 0;
	int open = 0;		/* a line has been started */

	if (s == NULL || *s == '\0')
		return 0;
	while (*s != '\0') {
		if (*s == '\n') {
			if (!open)
				lines++;
			open = 0;
			col = 0;
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		size_t n = strcspn(s, " \n");
		size_t w = word_cols(s, n);
		s += n;
		if (open && col + 1 + w <= width) {
			col += 1 + w;
			continue;
		}
		/* The word starts a new line, and may fill several. */
		lines++;
		open = 1;
		while (w > width) {
			lines++;
			w -= width;
		}
		col = w;
	}
	return lines;
}

static int
filled(const char *s)
{
	return s != NULL && s[strspn(s, " \t\n")] != '\0';
}

/* Both languages present and not blank; names what failed otherwise. */
static void
assert_bilingual(const struct text *t, const char *id, const char *what)
{
	if (!filled(t->vi))
		fail_msg("checklist %s: %s has no Vietnamese", id, what);
	if (!filled(t->en))
		fail_msg("checklist %s: %s has no English", id, what);
}

static void
the_wrap_counter_counts_code_points(void **state)
{
	/* 76 three-byte letters fill one line exactly; one more needs a second. */
	char line[256] = "";

	(void)state;
	for (int i = 0; i < SCREEN_COLS; i++)
		strcat(line, "ắ");
	assert_int_equal(strlen(line), 3 * SCREEN_COLS);
	assert_int_equal(wrapped_lines(line, SCREEN_COLS), 1);
	strcat(line, "ắ");
	assert_int_equal(wrapped_lines(line, SCREEN_COLS), 2);
	assert_int_equal(wrapped_lines("một hai\nba", SCREEN_COLS), 2);
	assert_int_equal(wrapped_lines("", SCREEN_COLS), 0);
	/* Greedy: "aaaa bbbb" does not fit in 8 columns, so it takes 2 lines. */
	assert_int_equal(wrapped_lines("aaaa bbbb", 8), 2);
	assert_int_equal(wrapped_lines("aaa bbbb", 8), 1);
}

static void
the_library_loads_without_problems(void **state)
{
	(void)state;
	for (size_t i = 0; i < pr.n; i++)
		print_error("%s\n", pr.lines[i]);
	assert_int_equal(pr.n, 0);
	assert_true(lib.n >= LIBRARY_MIN);
}

static void
each_file_is_named_after_its_checklist(void **state)
{
	DIR *d = opendir(LIBRARY_DIR);
	struct dirent *de;
	size_t files = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		char *path = xasprintf("%s/%s", LIBRARY_DIR, de->d_name);
		size_t len;
		char *json = util_read_file(path, &len);
		struct problems p = { 0 };
		assert_non_null(json);
		struct checklist *cl = checklist_parse(json, len, path, &p);
		if (cl == NULL)
			fail_msg("%s does not parse", path);
		char *want = xasprintf("%s.json", cl->id);
		if (strcmp(want, de->d_name) != 0)
			fail_msg("%s holds checklist %s; name it %s", path, cl->id, want);
		free(want);
		checklist_free(cl);
		problems_free(&p);
		free(json);
		free(path);
		files++;
	}
	closedir(d);
	assert_int_equal(files, lib.n);
}

static void
every_shown_text_is_in_both_languages(void **state)
{
	char what[96];

	(void)state;
	assert_true(lib.n > 0);
	for (size_t i = 0; i < lib.n; i++) {
		const struct checklist *cl = lib.items[i];
		assert_bilingual(&cl->title, cl->id, "title");
		assert_bilingual(&cl->summary, cl->id, "summary");
		for (size_t k = 0; k < cl->nbring; k++) {
			snprintf(what, sizeof what, "bring %zu", k + 1);
			assert_bilingual(&cl->bring[k], cl->id, what);
		}
		for (size_t k = 0; k < cl->nsteps; k++) {
			const struct step *st = &cl->steps[k];
			snprintf(what, sizeof what, "step %s title", st->id);
			assert_bilingual(&st->title, cl->id, what);
			snprintf(what, sizeof what, "step %s detail", st->id);
			assert_bilingual(&st->detail, cl->id, what);
			if (st->tip.vi != NULL || st->tip.en != NULL) {
				snprintf(what, sizeof what, "step %s tip", st->id);
				assert_bilingual(&st->tip, cl->id, what);
			}
			if (st->helper_tip.vi != NULL || st->helper_tip.en != NULL) {
				snprintf(what, sizeof what, "step %s helper_tip", st->id);
				assert_bilingual(&st->helper_tip, cl->id, what);
			}
		}
		for (size_t k = 0; k < cl->nreasons; k++) {
			snprintf(what, sizeof what, "block reason %s", cl->reasons[k].id);
			assert_bilingual(&cl->reasons[k].text, cl->id, what);
		}
		if (!filled(cl->source))
			fail_msg("checklist %s: no source", cl->id);
		if (util_parse_date(cl->reviewed) < 0)
			fail_msg("checklist %s: reviewed \"%s\" is not a date", cl->id, cl->reviewed);
		if (cl->url == NULL && cl->app == NULL)
			fail_msg("checklist %s: no official address or app", cl->id);
	}
}

/* Depth-first walk; colour 0 unseen, 1 on the current path, 2 finished. */
static void
walk_prereqs(size_t i, int *colour, const char *path)
{
	const struct checklist *cl = lib.items[i];
	char *here = *path == '\0' ? xstrdup(cl->id) : xasprintf("%s → %s", path, cl->id);

	colour[i] = 1;
	for (size_t k = 0; k < cl->nprereqs; k++) {
		const struct checklist *p = library_find(&lib, cl->prereqs[k]);
		if (p == NULL)
			fail_msg("checklist %s: prerequisite %s does not exist", cl->id, cl->prereqs[k]);
		if (p == cl)
			fail_msg("checklist %s lists itself as a prerequisite", cl->id);
		size_t j;
		for (j = 0; j < lib.n && lib.items[j] != p; j++)
			;
		if (colour[j] == 1)
			fail_msg("prerequisite cycle: %s → %s", here, p->id);
		if (colour[j] == 0)
			walk_prereqs(j, colour, here);
	}
	colour[i] = 2;
	free(here);
}

static void
prerequisites_resolve_without_cycles(void **state)
{
	int *colour = xcalloc(lib.n, sizeof *colour);
	size_t with_prereqs = 0;

	(void)state;
	for (size_t i = 0; i < lib.n; i++) {
		if (lib.items[i]->nprereqs > 0)
			with_prereqs++;
		if (colour[i] == 0)
			walk_prereqs(i, colour, "");
	}
	for (size_t i = 0; i < lib.n; i++)
		assert_int_equal(colour[i], 2);
	free(colour);
	/* The library links its checklists; a graph with no edge checks nothing. */
	assert_true(with_prereqs > 0);
}

static void
every_step_fits_one_screen(void **state)
{
	static const enum lang langs[] = { LANG_VI, LANG_EN };

	(void)state;
	for (size_t i = 0; i < lib.n; i++) {
		const struct checklist *cl = lib.items[i];
		if (cl->nsteps < STEPS_MIN || cl->nsteps > STEPS_MAX)
			fail_msg("checklist %s has %zu steps; keep %d–%d", cl->id, cl->nsteps,
			    STEPS_MIN, STEPS_MAX);
		for (size_t k = 0; k < cl->nsteps; k++) {
			const struct step *st = &cl->steps[k];
			for (size_t l = 0; l < 2; l++) {
				size_t lines = wrapped_lines(text_get(&st->title, langs[l]), SCREEN_COLS)
				    + wrapped_lines(text_get(&st->detail, langs[l]), SCREEN_COLS)
				    + wrapped_lines(text_get(&st->tip, langs[l]), SCREEN_COLS)
				    + wrapped_lines(text_get(&st->helper_tip, langs[l]), SCREEN_COLS);
				if (lines > STEP_MAX_LINES)
					fail_msg("checklist %s step %zu (%s), %s: %zu lines at %d "
					    "columns; at most %d", cl->id, k + 1, st->id,
					    l == 0 ? "vi" : "en", lines, SCREEN_COLS, STEP_MAX_LINES);
			}
		}
	}
}

static void
each_skill_has_four_checklists(void **state)
{
	size_t count[CAT_COUNT] = { 0 };

	(void)state;
	for (size_t i = 0; i < lib.n; i++)
		count[lib.items[i]->category]++;
	for (int c = 0; c < CAT_COUNT; c++)
		if (count[c] < CATEGORY_MIN)
			fail_msg("category %s has %zu checklists; each of the five skills needs "
			    "at least %d", category_id(c), count[c], CATEGORY_MIN);
}

/* Calls fn on every text of cl with a name for messages; resident_only skips block reasons. */
static void
each_text(const struct checklist *cl, int resident_only,
    void (*fn)(const struct checklist *, const char *, const char *))
{
	char what[128];

	snprintf(what, sizeof what, "title");
	fn(cl, what, cl->title.vi), fn(cl, what, cl->title.en);
	snprintf(what, sizeof what, "summary");
	fn(cl, what, cl->summary.vi), fn(cl, what, cl->summary.en);
	for (size_t k = 0; k < cl->nbring; k++) {
		snprintf(what, sizeof what, "bring %zu", k + 1);
		fn(cl, what, cl->bring[k].vi), fn(cl, what, cl->bring[k].en);
	}
	for (size_t k = 0; k < cl->nsteps; k++) {
		const struct step *st = &cl->steps[k];
		snprintf(what, sizeof what, "step %s title", st->id);
		fn(cl, what, st->title.vi), fn(cl, what, st->title.en);
		snprintf(what, sizeof what, "step %s detail", st->id);
		fn(cl, what, st->detail.vi), fn(cl, what, st->detail.en);
		snprintf(what, sizeof what, "step %s tip", st->id);
		fn(cl, what, st->tip.vi), fn(cl, what, st->tip.en);
		if (resident_only)
			continue;
		snprintf(what, sizeof what, "step %s helper_tip", st->id);
		fn(cl, what, st->helper_tip.vi), fn(cl, what, st->helper_tip.en);
	}
	if (resident_only)
		return;
	for (size_t k = 0; k < cl->nreasons; k++) {
		snprintf(what, sizeof what, "block reason %s", cl->reasons[k].id);
		fn(cl, what, cl->reasons[k].text.vi), fn(cl, what, cl->reasons[k].text.en);
	}
	fn(cl, "source", cl->source);
}

/* Since July 2024 the card is the thẻ căn cước; "CCCD" alone names only the old one. */
static void
cccd_named_with_its_new_name(const struct checklist *cl, const char *what, const char *s)
{
	if (s != NULL && strstr(s, "CCCD") != NULL && strstr(s, "căn cước") == NULL &&
	    strstr(s, "Căn cước") == NULL)
		fail_msg("checklist %s: %s says \"CCCD\" without \"căn cước\": call it the thẻ "
		    "căn cước (older CCCD cards stay valid): %s", cl->id, what, s);
}

static void
the_card_is_called_the_can_cuoc(void **state)
{
	(void)state;
	for (size_t i = 0; i < lib.n; i++)
		each_text(lib.items[i], 0, cccd_named_with_its_new_name);
}

/*
 * What a resident reads speaks to them: "bạn", "you". These phrases talk
 * about them in the third person, as if to someone else; advice for the
 * helping volunteer belongs in helper_tip.
 */
static const char *const third_person[] = {
	"người dân", "Người dân", "bà con", "Bà con", "the resident", "The resident", NULL
};

static void
speaks_to_the_resident(const struct checklist *cl, const char *what, const char *s)
{
	for (const char *const *p = third_person; s != NULL && *p != NULL; p++)
		if (strstr(s, *p) != NULL)
			fail_msg("checklist %s: %s speaks of \"%s\" in the third person; say "
			    "\"bạn\"/\"you\", or move advice for the helper to helper_tip: %s",
			    cl->id, what, *p, s);
}

static void
the_third_person_check_catches_a_resident(void **state)
{
	/* The check above must be able to fail: a text about "người dân" is caught. */
	(void)state;
	const char *caught = NULL;
	for (const char *const *p = third_person; *p != NULL; p++)
		if (strstr("Người dân tự gõ mã OTP.", *p) != NULL)
			caught = *p;
	assert_non_null(caught);
	for (const char *const *p = third_person; *p != NULL; p++)
		assert_null(strstr("Bạn tự gõ mã OTP; không đọc mã cho ai.", *p));
}

static void
resident_texts_speak_to_the_resident(void **state)
{
	(void)state;
	for (size_t i = 0; i < lib.n; i++)
		each_text(lib.items[i], 1, speaks_to_the_resident);
}

/* 1 if some checklist of the library has the title t (in either language). */
static int
title_exists(const char *t, size_t n)
{
	for (size_t i = 0; i < lib.n; i++) {
		const char *vi = lib.items[i]->title.vi, *en = lib.items[i]->title.en;
		if ((strlen(vi) == n && strncmp(vi, t, n) == 0) ||
		    (en != NULL && strlen(en) == n && strncmp(en, t, n) == 0))
			return 1;
	}
	return 0;
}

/* A text that sends the reader to another checklist ("see the checklist \"…\"") names one that exists. */
static void
named_checklists_exist(const struct checklist *cl, const char *what, const char *s)
{
	static const char *const markers[] = { "danh mục \"", "sổ tay \"", "checklist \"", NULL };

	for (const char *const *m = markers; s != NULL && *m != NULL; m++)
		for (const char *p = strstr(s, *m); p != NULL; p = strstr(p, *m)) {
			p += strlen(*m);
			size_t n = strcspn(p, "\"");
			if (!title_exists(p, n))
				fail_msg("checklist %s: %s names a checklist \"%.*s\" that has no such "
				    "title", cl->id, what, (int)n, p);
			p += n;
		}
}

static void
checklists_named_in_texts_exist(void **state)
{
	(void)state;
	for (size_t i = 0; i < lib.n; i++)
		each_text(lib.items[i], 0, named_checklists_exist);
}

/* The library's release date, the first line of RELEASE_FILE that is not a comment. */
static void
read_release(char out[16])
{
	size_t len;
	char *text = util_read_file(RELEASE_FILE, &len);

	if (text == NULL)
		fail_msg("cannot read %s", RELEASE_FILE);
	out[0] = '\0';
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		line[strcspn(line, " \t\r#")] = '\0';
		if (*line == '\0')
			continue;
		snprintf(out, 16, "%s", line);
		break;
	}
	free(text);
	if (strlen(out) != 10 || util_parse_date(out) < 0)
		fail_msg("%s: \"%s\" is not a date YYYY-MM-DD", RELEASE_FILE, out);
}

/* The same day a year later (or earlier, for years = -1), as YYYY-MM-DD. */
static void
shift_years(const char *date, int years, char out[16])
{
	snprintf(out, 16, "%04d-%.5s", (atoi(date) + years) % 10000, date + 5);
}

static int
compare_reviewed(const void *a, const void *b)
{
	const struct checklist *x = *(const struct checklist *const *)a;
	const struct checklist *y = *(const struct checklist *const *)b;
	int c = strcmp(x->reviewed, y->reviewed);

	return c != 0 ? c : strcmp(x->id, y->id);
}

static void
every_checklist_was_reviewed_within_a_year(void **state)
{
	char release[16], oldest[16], due[16];
	const struct checklist **by_date = xcalloc(lib.n, sizeof *by_date);

	(void)state;
	read_release(release);
	shift_years(release, -1, oldest);
	for (size_t i = 0; i < lib.n; i++) {
		const struct checklist *cl = lib.items[i];
		if (strcmp(cl->reviewed, oldest) < 0)
			fail_msg("checklist %s was reviewed on %s, more than 12 months before the "
			    "library's release (%s, in %s): check its facts again and set reviewed",
			    cl->id, cl->reviewed, release, RELEASE_FILE);
		if (strcmp(cl->reviewed, release) > 0)
			fail_msg("checklist %s: reviewed %s is after the library's release %s (%s)",
			    cl->id, cl->reviewed, release, RELEASE_FILE);
		by_date[i] = cl;
	}
	/* Oldest review first: the ones a province re-checks next. */
	qsort(by_date, lib.n, sizeof *by_date, compare_reviewed);
	print_message("library released %s; re-check next:\n", release);
	for (size_t i = 0; i < lib.n && i < RECHECK_SHOWN; i++) {
		shift_years(by_date[i]->reviewed, 1, due);
		print_message("  %-28s reviewed %s, due by %s\n", by_date[i]->id,
		    by_date[i]->reviewed, due);
	}
	free(by_date);
}

/* The ids listed in PUBLISHED_IDS (one a line; blank lines and # comments skipped). */
static char **
read_published(size_t *n)
{
	size_t len;
	char *text = util_read_file(PUBLISHED_IDS, &len);
	char **ids = NULL;

	*n = 0;
	if (text == NULL)
		fail_msg("cannot read %s", PUBLISHED_IDS);
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		line[strcspn(line, " \t\r#")] = '\0';
		if (*line == '\0')
			continue;
		ids = xrealloc(ids, (*n + 1) * sizeof *ids);
		ids[(*n)++] = xstrdup(line);
	}
	free(text);
	return ids;
}

static void
published_ids_are_never_removed(void **state)
{
	size_t n;
	char **ids = read_published(&n);

	(void)state;
	assert_true(n >= LIBRARY_MIN);
	for (size_t i = 0; i < n; i++) {
		if (library_find(&lib, ids[i]) == NULL)
			fail_msg("%s lists %s, but no checklist has that id: published ids "
			    "are never removed or renamed", PUBLISHED_IDS, ids[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("%s lists %s twice", PUBLISHED_IDS, ids[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static void
every_checklist_is_in_the_published_list(void **state)
{
	size_t n;
	char **ids = read_published(&n);

	(void)state;
	for (size_t i = 0; i < lib.n; i++) {
		size_t j;
		for (j = 0; j < n && strcmp(ids[j], lib.items[i]->id) != 0; j++)
			;
		if (j == n)
			fail_msg("checklist %s is missing from %s: add its id there",
			    lib.items[i]->id, PUBLISHED_IDS);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_wrap_counter_counts_code_points),
		cmocka_unit_test(the_library_loads_without_problems),
		cmocka_unit_test(each_file_is_named_after_its_checklist),
		cmocka_unit_test(every_shown_text_is_in_both_languages),
		cmocka_unit_test(prerequisites_resolve_without_cycles),
		cmocka_unit_test(every_step_fits_one_screen),
		cmocka_unit_test(each_skill_has_four_checklists),
		cmocka_unit_test(the_card_is_called_the_can_cuoc),
		cmocka_unit_test(the_third_person_check_catches_a_resident),
		cmocka_unit_test(resident_texts_speak_to_the_resident),
		cmocka_unit_test(every_checklist_was_reviewed_within_a_year),
		cmocka_unit_test(checklists_named_in_texts_exist),
		cmocka_unit_test(published_ids_are_never_removed),
		cmocka_unit_test(every_checklist_is_in_the_published_list),
	};

	i18n_set_lang(LANG_EN);
	return cmocka_run_group_tests_name("content library", tests, load_library, free_library);
}
