/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-content.c: loading and validating checklists — each kind of mistake
 * an editor makes gets its own message naming the file, the checklist, the
 * step and the field; every problem of a file is listed; versions are kept
 * in the database and the newest one is served.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "content.h"
#include "content-store.h"
#include "i18n.h"
#include "store.h"
#include "util.h"
#include "helpers.h"

#define WHERE "checklists/test-basic.json"

/* test-basic.json as an object to spoil. */
static json_object *
base(void)
{
	size_t len;
	char *text = util_read_file("tests/data/checklists/test-basic.json", &len);
	json_object *o;

	assert_non_null(text);
	o = json_tokener_parse(text);
	assert_non_null(o);
	free(text);
	return o;
}

static json_object *
step(json_object *root, size_t i)
{
	json_object *steps;

	assert_true(json_object_object_get_ex(root, "steps", &steps));
	return json_object_array_get_idx(steps, i);
}

static json_object *
vi(const char *text)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "vi", json_object_new_string(text));
	return t;
}

/* Parses text; returns the problems (the caller frees them). */
static struct problems
parse(const char *text, const char *where)
{
	struct problems pr = { 0 };
	struct checklist *cl = checklist_parse(text, strlen(text), where, &pr);

	if (pr.n > 0)
		assert_null(cl);
	checklist_free(cl);
	return pr;
}

/* 1 if line holds every one of the NULL-terminated strings; says which it lacks. */
static int
line_has(const char *line, va_list ap)
{
	const char *want;

	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(line, want) == NULL) {
			print_error("problem \"%s\" does not say \"%s\"\n", line, want);
			return 0;
		}
	return 1;
}

/* The spoilt object (consumed) gives exactly one problem, holding each string. */
static void __attribute__((sentinel))
one_problem(json_object *o, ...)
{
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	struct problems pr = parse(text, WHERE);
	va_list ap;

	for (size_t i = 0; pr.n != 1 && i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	size_t n = pr.n;
	int ok = 0;
	if (n == 1) {
		va_start(ap, o);
		ok = line_has(pr.lines[0], ap);
		va_end(ap);
	}
	problems_free(&pr);
	json_object_put(o);
	assert_int_equal(n, 1);
	assert_true(ok);
}

/* The same for raw text (not valid JSON, or not UTF-8). */
static void __attribute__((sentinel))
one_problem_text(const char *text, ...)
{
	struct problems pr = parse(text, WHERE);
	va_list ap;

	for (size_t i = 0; pr.n != 1 && i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	size_t n = pr.n;
	int ok = 0;
	if (n == 1) {
		va_start(ap, text);
		ok = line_has(pr.lines[0], ap);
		va_end(ap);
	}
	problems_free(&pr);
	assert_int_equal(n, 1);
	assert_true(ok);
}

static void
test_test_checklists_load(void **state)
{
	struct library lib;
	const struct checklist *cl;

	test_library(&lib);
	assert_int_equal(lib.n, 3);

	cl = library_find(&lib, "test-basic");
	assert_non_null(cl);
	assert_int_equal(cl->version, 1);
	assert_int_equal(cl->category, CAT_PUBLIC_SERVICES);
	assert_int_equal(cl->nsteps, 4);
	assert_string_equal(cl->steps[2].id, "get-otp");
	assert_string_equal(cl->steps[0].tip.vi, "Cập nhật ứng dụng trước.");
	assert_null(cl->steps[1].tip.vi);
	assert_int_equal(cl->nreasons, 2);
	assert_string_equal(cl->reasons[0].id, "no-otp");
	assert_int_equal(cl->nbring, 1);
	assert_int_equal(cl->minutes, 10);
	assert_string_equal(cl->url, "https://dichvucong.gov.vn/");
	assert_string_equal(cl->app, "VNeID");
	assert_string_equal(cl->reviewed, "2026-11-01");

	cl = library_find(&lib, "test-next");
	assert_non_null(cl);
	assert_int_equal(cl->version, 2);
	assert_int_equal(cl->category, CAT_PAYMENT);
	assert_int_equal(cl->nprereqs, 1);
	assert_string_equal(cl->prereqs[0], "test-basic");
	assert_null(cl->url);
	assert_string_equal(cl->app, "Ví thử");
	assert_int_equal(cl->nreasons, 0);

	cl = library_find(&lib, "test-safety");
	assert_non_null(cl);
	assert_int_equal(cl->category, CAT_SAFETY);
	assert_null(cl->title.en);
	assert_null(library_find(&lib, "test"));
	library_free(&lib);
	(void)state;
}

static void
test_text_get(void **state)
{
	struct library lib;

	test_library(&lib);
	const struct checklist *safety = library_find(&lib, "test-safety");
	const struct checklist *basic = library_find(&lib, "test-basic");

	/* English where it is written, Vietnamese where it is not. */
	assert_string_equal(text_get(&basic->title, LANG_EN), "Register a test account");
	assert_string_equal(text_get(&basic->title, LANG_VI), "Đăng ký tài khoản thử");
	assert_string_equal(text_get(&safety->title, LANG_EN), "Nhận biết lừa đảo (thử)");
	assert_string_equal(text_get(&safety->steps[0].detail, LANG_EN),
	    "Không ai được hỏi mã OTP của bạn, kể cả công an.");
	struct text empty_en = { .vi = "Xin chào", .en = "" }, none = { 0 };
	assert_string_equal(text_get(&empty_en, LANG_EN), "Xin chào");
	assert_string_equal(text_get(&none, LANG_EN), "");
	assert_string_equal(text_get(&basic->steps[1].tip, LANG_VI), "");

	assert_string_equal(category_id(CAT_LOCAL_PLATFORMS), "local_platforms");
	assert_int_equal(category_parse("shopping"), CAT_SHOPPING);
	assert_int_equal(category_parse("Shopping"), -1);
	assert_string_equal(category_name(CAT_SAFETY), "An toàn trên mạng");
	library_free(&lib);
	(void)state;
}

static void
test_bad_json(void **state)
{
	/* The missing ":" is on line 3, column 13. */
	one_problem_text("{\n  \"id\": \"broken\",\n  \"version\" 1\n}\n",
	    WHERE ": JSON: sai cú pháp ở dòng 3, cột 13", NULL);
	/* Cut short. */
	one_problem_text("{\n  \"id\": \"broken\",\n", WHERE ": JSON: sai cú pháp ở dòng 3", NULL);
	/* A second value after the first. */
	one_problem_text("{ \"id\": \"x\" }\n{ }\n", WHERE ": JSON: có nội dung thừa sau dữ liệu "
	    "(dòng 2, cột 1)", NULL);
	one_problem_text("[1, 2]", WHERE ": JSON: tệp phải chứa một đối tượng", NULL);
	/* Found by fuzzing: JSON null parsed to "nothing" and gave no message at all. */
	one_problem_text("null\n", WHERE ": JSON: tệp phải chứa một đối tượng", NULL);
	one_problem_text("", WHERE ": JSON: sai cú pháp", NULL);
	(void)state;
}

static void
test_bad_utf8(void **state)
{
	/* Line 3: two spaces, "source": "Bộ then the bad byte in column 17. */
	one_problem_text("{\n  \"id\": \"x1\",\n  \"source\": \"Bộ \xff\"\n}\n",
	    WHERE ": mã hóa: không phải UTF-8 hợp lệ (dòng 3, cột 17)", NULL);
	/* An overlong "/" hidden in a string. */
	one_problem_text("{ \"id\": \"\xc0\xaf\" }", WHERE, "UTF-8", "dòng 1, cột 10", NULL);
	(void)state;
}

static void
test_missing_and_empty(void **state)
{
	json_object *o;

	o = base();
	json_object_object_del(o, "source");
	one_problem(o, WHERE ": danh mục test-basic: source: thiếu", NULL);

	o = base();
	json_object_object_del(o, "minutes");
	one_problem(o, WHERE ": danh mục test-basic: minutes: thiếu", NULL);

	o = base();
	json_object_object_del(step(o, 1), "detail");
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (enter-number): detail: thiếu", NULL);

	o = base();
	json_object_object_add(o, "title", vi(""));
	one_problem(o, WHERE ": danh mục test-basic: title.vi: không được để trống", NULL);

	o = base();
	json_object_object_add(step(o, 1), "detail", vi(""));
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (enter-number): detail.vi: "
	    "không được để trống", NULL);

	/* English alone is not enough. */
	o = base();
	json_object *t = json_object_new_object();
	json_object_object_add(t, "en", json_object_new_string("Open the app"));
	json_object_object_add(step(o, 0), "title", t);
	one_problem(o, WHERE ": danh mục test-basic: bước 1 (open-app): title.vi: thiếu", NULL);
	(void)state;
}

static void
test_unknown_field(void **state)
{
	json_object *o;

	o = base();
	json_object_object_add(o, "titel", vi("Sai chính tả"));
	one_problem(o, WHERE ": danh mục test-basic: titel: trường không được biết", NULL);

	/* A text's keys are languages: one that is not a language code is named. */
	o = base();
	json_object_object_add(json_object_object_get(o, "title"), "Tiếng Pháp",
	    json_object_new_string("x"));
	one_problem(o, WHERE ": danh mục test-basic: title.Tiếng Pháp: \"Tiếng Pháp\" không phải "
	    "mã ngôn ngữ", NULL);

	o = base();
	json_object_object_add(json_object_object_get(o, "official"), "phone",
	    json_object_new_string("1900"));
	one_problem(o, WHERE ": danh mục test-basic: official.phone: trường không được biết", NULL);
	(void)state;
}

/*
 * A checklist in a third language (Hrê, "hre"): read and kept beside
 * Vietnamese and English, chosen by its code, Vietnamese where a text lacks
 * it; checked like any text; Vietnamese stays required.
 */
static void
test_languages(void **state)
{
	struct problems pr = { 0 };
	struct checklist *cl;
	json_object *o = base(), *t;
	const char *text;

	t = json_object_object_get(o, "title");
	json_object_object_add(t, "hre", json_object_new_string("Pơlă VNeID"));
	json_object_object_add(t, "bdq", json_object_new_string("Ba Na: VNeID"));
	json_object_object_add(json_object_object_get(step(o, 0), "detail"), "hre",
	    json_object_new_string("Hrê: mở ứng dụng"));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	cl = checklist_parse(text, strlen(text), WHERE, &pr);
	for (size_t i = 0; i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	assert_int_equal(pr.n, 0);
	assert_non_null(cl);
	assert_int_equal(cl->title.nmore, 2);
	assert_string_equal(text_for(&cl->title, "hre"), "Pơlă VNeID");
	assert_string_equal(text_for(&cl->title, "bdq"), "Ba Na: VNeID");
	assert_string_equal(text_for(&cl->title, "vi"), cl->title.vi);
	assert_string_equal(text_for(&cl->title, "en"), cl->title.en);
	/* Where a text lacks the language: Vietnamese. */
	assert_string_equal(text_for(&cl->title, "sed"), cl->title.vi);
	assert_string_equal(text_for(&cl->summary, "hre"), cl->summary.vi);
	assert_string_equal(text_for(&cl->steps[0].detail, "hre"), "Hrê: mở ứng dụng");
	assert_string_equal(text_for(&cl->steps[1].detail, "hre"), cl->steps[1].detail.vi);
	checklist_free(cl);
	json_object_put(o);

	/* Language codes: two or three lower-case letters, then optional subtags. */
	assert_true(text_lang_valid("vi"));
	assert_true(text_lang_valid("hre"));
	assert_true(text_lang_valid("sed-Latn"));
	assert_false(text_lang_valid("v"));
	assert_false(text_lang_valid("HRE"));
	assert_false(text_lang_valid("hrei"));
	assert_false(text_lang_valid("hre-"));
	assert_false(text_lang_valid(""));

	/* A third language is checked like the others: its length, its characters. */
	o = base();
	{
		char long_title[260];

		memset(long_title, 'a', sizeof long_title - 1);
		long_title[sizeof long_title - 1] = '\0';
		json_object_object_add(json_object_object_get(o, "title"), "hre",
		    json_object_new_string(long_title));
	}
	one_problem(o, WHERE ": danh mục test-basic: title.hre: ", "tối đa", NULL);
	o = base();
	json_object_object_add(json_object_object_get(o, "title"), "hre",
	    json_object_new_string("Pơlă\x1b[2J"));
	one_problem(o, WHERE ": danh mục test-basic: title.hre: ", NULL);
	o = base();
	json_object_object_add(json_object_object_get(o, "title"), "hre", json_object_new_int(3));
	one_problem(o, WHERE ": danh mục test-basic: title.hre: ", "chuỗi", NULL);

	/* Without Vietnamese, another language does not stand in for it. */
	o = base();
	t = json_object_new_object();
	json_object_object_add(t, "hre", json_object_new_string("Pơlă"));
	json_object_object_add(o, "title", t);
	one_problem(o, WHERE ": danh mục test-basic: title.vi: thiếu", NULL);
	(void)state;
}

/* A step's own misspelt field: the problem names the step by its id. */
static void
test_unknown_step_field(void **state)
{
	json_object *o = base();

	json_object_object_add(step(o, 0), "hint", vi("Gợi ý"));
	one_problem(o, WHERE ": danh mục test-basic: bước 1 (open-app): hint: trường không được biết",
	    NULL);
	(void)state;
}

/* A tip for the helping volunteer: parsed apart from the resident's tip, checked like any text. */
static void
test_helper_tip(void **state)
{
	json_object *o = base(), *t;
	struct problems pr = { 0 };

	t = vi("Để người dân tự gõ mã; bạn không nhìn.");
	json_object_object_add(t, "en", json_object_new_string("Let the resident type the code; do not watch."));
	json_object_object_add(step(o, 2), "helper_tip", t);
	const char *text = json_object_to_json_string(o);
	struct checklist *cl = checklist_parse(text, strlen(text), WHERE, &pr);
	for (size_t i = 0; i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	assert_int_equal(pr.n, 0);
	assert_non_null(cl);
	assert_string_equal(cl->steps[2].helper_tip.vi, "Để người dân tự gõ mã; bạn không nhìn.");
	assert_string_equal(step_helper_tip(&cl->steps[2], "en"),
	    "Let the resident type the code; do not watch.");
	assert_string_equal(step_helper_tip(&cl->steps[2], "vi"),
	    "Để người dân tự gõ mã; bạn không nhìn.");
	/* The resident's tip is a separate text; a step without a helper tip has none. */
	assert_null(cl->steps[2].tip.vi);
	assert_null(step_helper_tip(&cl->steps[0], "vi"));
	assert_string_equal(cl->steps[0].tip.vi, "Cập nhật ứng dụng trước.");
	checklist_free(cl);
	json_object_put(o);

	/* Vietnamese is required, as in every text. */
	o = base();
	t = json_object_new_object();
	json_object_object_add(t, "en", json_object_new_string("Watch the light"));
	json_object_object_add(step(o, 0), "helper_tip", t);
	one_problem(o, WHERE ": danh mục test-basic: bước 1 (open-app): helper_tip.vi: thiếu", NULL);

	o = base();
	json_object_object_add(step(o, 1), "helper_tip", json_object_new_string("chuỗi trần"));
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (enter-number): helper_tip: phải là",
	    NULL);

	o = base();
	t = vi("Gợi ý");
	json_object_object_add(t, "French", json_object_new_string("x"));
	json_object_object_add(step(o, 1), "helper_tip", t);
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (enter-number): helper_tip.French: "
	    "\"French\" không phải mã ngôn ngữ", NULL);

	/* It reaches the terminal like any text: no control characters. */
	o = base();
	json_object_object_add(step(o, 1), "helper_tip", vi("Xem kỹ \x1b[2J màn hình"));
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (enter-number): helper_tip.vi", "U+001B",
	    NULL);

	/* Misspelt, it is an unknown field, not silently dropped. */
	o = base();
	json_object_object_add(step(o, 1), "helper-tip", vi("Gợi ý"));
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (enter-number): helper-tip: "
	    "trường không được biết", NULL);
	(void)state;
}

static void
test_bad_values(void **state)
{
	json_object *o;

	o = base();
	json_object_object_add(o, "category", json_object_new_string("games"));
	one_problem(o, WHERE ": danh mục test-basic: category: \"games\" không phải một trong: "
	    "public_services, shopping, payment, safety, local_platforms", NULL);

	o = base();
	json_object_object_add(step(o, 2), "id", json_object_new_string("open-app"));
	one_problem(o, WHERE ": danh mục test-basic: bước 3 (open-app): id: trùng với bước 1", NULL);

	o = base();
	json_object_object_add(step(o, 1), "id", json_object_new_string("Enter_Number"));
	one_problem(o, WHERE ": danh mục test-basic: bước 2 (Enter_Number): id: chỉ gồm a-z, 0-9 và dấu -",
	    NULL);

	o = base();
	json_object_object_add(json_object_object_get(o, "official"), "url",
	    json_object_new_string("https//dichvucong.gov.vn"));
	one_problem(o, WHERE ": danh mục test-basic: official.url: \"https//dichvucong.gov.vn\" "
	    "không phải địa chỉ web hợp lệ", NULL);
	o = base();
	json_object_object_add(json_object_object_get(o, "official"), "url",
	    json_object_new_string("https://"));
	one_problem(o, WHERE ": danh mục test-basic: official.url: \"https://\"", NULL);
	o = base();
	json_object_object_add(json_object_object_get(o, "official"), "url",
	    json_object_new_string("javascript:alert(1)"));
	one_problem(o, WHERE ": danh mục test-basic: official.url:", NULL);

	o = base();
	json_object_object_add(o, "reviewed", json_object_new_string("2026-02-30"));
	one_problem(o, WHERE ": danh mục test-basic: reviewed: \"2026-02-30\" không phải ngày hợp lệ",
	    NULL);
	o = base();
	json_object_object_add(o, "reviewed", json_object_new_string("01/11/2026"));
	one_problem(o, WHERE ": danh mục test-basic: reviewed: \"01/11/2026\"", NULL);

	o = base();
	json_object_object_add(o, "minutes", json_object_new_int(0));
	one_problem(o, WHERE ": danh mục test-basic: minutes: phải từ 1 đến 240 (đang là 0)", NULL);
	o = base();
	json_object_object_add(o, "minutes", json_object_new_int(241));
	one_problem(o, WHERE ": danh mục test-basic: minutes: phải từ 1 đến 240 (đang là 241)", NULL);

	o = base();
	json_object_object_add(o, "version", json_object_new_string("2"));
	one_problem(o, WHERE ": danh mục test-basic: version: phải là một số nguyên", NULL);
	o = base();
	json_object_object_add(o, "format", json_object_new_int(2));
	one_problem(o, WHERE ": danh mục test-basic: format: phải từ 1 đến 1 (đang là 2)", NULL);

	o = base();
	json_object_object_add(o, "official", json_object_new_object());
	one_problem(o, WHERE ": danh mục test-basic: official: cần ít nhất url hoặc app", NULL);

	o = base();
	json_object_object_add(o, "steps", json_object_new_array());
	one_problem(o, WHERE ": danh mục test-basic: steps: phải có từ 1 đến 30 bước (đang có 0)", NULL);

	o = base();
	json_object *p = json_object_new_array();
	json_object_array_add(p, json_object_new_string("test-basic"));
	json_object_object_add(o, "prerequisites", p);
	one_problem(o, WHERE ": danh mục test-basic: prerequisites: không thể tự yêu cầu chính nó", NULL);
	(void)state;
}

static void
test_lengths(void **state)
{
	/* 60 characters but 80 bytes: allowed; one more character is not. */
	const char *sixty = "Đăng ký tài khoản định danh điện tử mức hai cho người cao tu";
	char *sixty_one = xasprintf("%s%s", sixty, "ổ");
	json_object *o;

	assert_int_equal(util_utf8_len(sixty), 60);
	assert_true(strlen(sixty) > 60);
	o = base();
	json_object_object_add(o, "title", vi(sixty));
	const char *text = json_object_to_json_string(o);
	struct problems pr = parse(text, WHERE);
	assert_int_equal(pr.n, 0);
	json_object_put(o);

	o = base();
	json_object_object_add(o, "title", vi(sixty_one));
	one_problem(o, WHERE ": danh mục test-basic: title.vi: dài 61 ký tự, tối đa 60", NULL);

	/* A step title may be 70 characters. */
	char *seventy_one = xasprintf("%s%s", sixty, "ổi ở nhà vă");
	assert_int_equal(util_utf8_len(seventy_one), 71);
	o = base();
	json_object_object_add(step(o, 0), "title", vi(seventy_one));
	one_problem(o, WHERE ": danh mục test-basic: bước 1 (open-app): title.vi: dài 71 ký tự, "
	    "tối đa 70", NULL);
	free(seventy_one);
	free(sixty_one);
	(void)state;
}

static void
test_every_problem_listed(void **state)
{
	json_object *o = base();
	struct problems pr;

	json_object_object_add(o, "minutes", json_object_new_int(0));
	json_object_object_add(o, "category", json_object_new_string("games"));
	json_object_object_del(step(o, 3), "detail");
	pr = parse(json_object_to_json_string(o), WHERE);
	assert_int_equal(pr.n, 3);
	int minutes = 0, category = 0, detail = 0;
	for (size_t i = 0; i < pr.n; i++) {
		assert_non_null(strstr(pr.lines[i], WHERE ": danh mục test-basic: "));
		minutes += strstr(pr.lines[i], "minutes: phải từ 1 đến 240") != NULL;
		category += strstr(pr.lines[i], "category: \"games\"") != NULL;
		detail += strstr(pr.lines[i], "bước 4 (confirm): detail: thiếu") != NULL;
	}
	assert_int_equal(minutes + category + detail, 3);
	assert_true(minutes && category && detail);
	problems_free(&pr);
	json_object_put(o);

	/* The same in English, for provincial staff. */
	o = base();
	json_object_object_del(o, "source");
	i18n_set_lang(LANG_EN);
	pr = parse(json_object_to_json_string(o), WHERE);
	i18n_set_lang(LANG_VI);
	assert_int_equal(pr.n, 1);
	assert_non_null(strstr(pr.lines[0], WHERE ": checklist test-basic: source: missing"));
	problems_free(&pr);
	json_object_put(o);
	(void)state;
}

/* Writes a variant of test-basic with the given id and prerequisites as dir/name. */
static char *
write_variant(const char *dir, const char *name, const char *id, const char *prereq)
{
	json_object *o = base();
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f;

	json_object_object_add(o, "id", json_object_new_string(id));
	if (prereq != NULL) {
		json_object *p = json_object_new_array();
		json_object_array_add(p, json_object_new_string(prereq));
		json_object_object_add(o, "prerequisites", p);
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY), f);
	fclose(f);
	json_object_put(o);
	return path;
}

static char *
fresh_dir(const char *name)
{
	char *dir = test_path(name);

	mkdir(dir, 0700);
	return dir;
}

/* Loads dir; exactly one problem, which is returned (the caller frees it). */
static char *
load_dir_problem(const char *dir)
{
	struct library lib = { 0 };
	struct problems pr = { 0 };
	const char *paths[] = { dir };

	assert_int_equal(library_load(&lib, paths, 1, &pr), -1);
	for (size_t i = 0; pr.n != 1 && i < pr.n; i++)
		print_message("  %s\n", pr.lines[i]);
	assert_int_equal(pr.n, 1);
	char *line = xstrdup(pr.lines[0]);
	problems_free(&pr);
	library_free(&lib);
	return line;
}

static void
test_duplicate_ids_across_files(void **state)
{
	char *dir = fresh_dir("lib-dup");
	char *a = write_variant(dir, "a.json", "same-id", NULL);
	char *b = write_variant(dir, "b.json", "same-id", NULL);
	char *line = load_dir_problem(dir);

	assert_non_null(strstr(line, "danh mục same-id: id: trùng"));
	/* The editor must learn which two files clash. */
	int named = strstr(line, a) != NULL && strstr(line, b) != NULL;
	if (!named)
		print_error("\"%s\" does not name both %s and %s\n", line, a, b);
	free(line);
	free(a);
	free(b);
	free(dir);
	assert_true(named);
	(void)state;
}

static void
test_prerequisite_missing(void **state)
{
	char *dir = fresh_dir("lib-prereq");
	char *a = write_variant(dir, "needs.json", "needs-other", "missing-one");
	char *line = load_dir_problem(dir);

	assert_non_null(strstr(line, "danh mục needs-other: prerequisites: không có danh mục "
	    "\"missing-one\""));
	int named = strstr(line, a) != NULL;
	if (!named)
		print_error("\"%s\" does not name the file %s\n", line, a);
	free(line);
	free(a);
	free(dir);
	assert_true(named);
	(void)state;
}

static void
test_prerequisite_cycle(void **state)
{
	char *dir = fresh_dir("lib-cycle");
	char *a = write_variant(dir, "a.json", "cycle-a", "cycle-b");
	char *b = write_variant(dir, "b.json", "cycle-b", "cycle-a");
	char *line = load_dir_problem(dir);

	assert_non_null(strstr(line, "prerequisites: vòng lặp qua cycle-"));
	assert_non_null(strstr(line, "danh mục cycle-"));
	int named = strstr(line, a) != NULL || strstr(line, b) != NULL;
	if (!named)
		print_error("\"%s\" names neither %s nor %s\n", line, a, b);
	free(line);
	free(a);
	free(b);
	free(dir);
	assert_true(named);
	(void)state;
}

static void
test_load_paths(void **state)
{
	struct library lib = { 0 };
	struct problems pr = { 0 };
	char *missing = test_path("no-such-folder");
	const char *paths[] = { "tests/data/checklists/test-basic.json", missing };

	/* A good file is kept even when another path is wrong. */
	assert_int_equal(library_load(&lib, paths, 2, &pr), -1);
	assert_int_equal(lib.n, 1);
	assert_int_equal(pr.n, 1);
	assert_non_null(strstr(pr.lines[0], missing));
	assert_non_null(strstr(pr.lines[0], "không có tệp hay thư mục này"));
	problems_free(&pr);
	library_free(&lib);
	free(missing);
	(void)state;
}

/* test-basic as version 2, with one step more. */
static struct checklist *
basic_v2(void)
{
	json_object *o = base(), *steps, *s;
	struct problems pr = { 0 };

	json_object_object_add(o, "version", json_object_new_int(2));
	assert_true(json_object_object_get_ex(o, "steps", &steps));
	s = json_object_new_object();
	json_object_object_add(s, "id", json_object_new_string("check-result"));
	json_object_object_add(s, "title", vi("Kiểm tra kết quả"));
	json_object_object_add(s, "detail", vi("Xem thông báo thành công."));
	json_object_array_add(steps, s);
	const char *text = json_object_to_json_string(o);
	struct checklist *cl = checklist_parse(text, strlen(text), "v2", &pr);
	assert_int_equal(pr.n, 0);
	json_object_put(o);
	return cl;
}

static void
test_install_versions(void **state)
{
	char *path = test_path("content.db"), *cause = NULL;
	struct library lib, got, v2 = { 0 };
	struct checklist *cl;
	struct store *st;
	int added;

	assert_int_equal(store_open(path, STORE_CREATE, &st, &cause), 0);
	test_library(&lib);
	assert_int_equal(content_store_install(st, &lib, &added, &cause), 0);
	assert_int_equal(added, 3);
	/* The same library again adds nothing. */
	assert_int_equal(content_store_install(st, &lib, &added, &cause), 0);
	assert_int_equal(added, 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM checklists"), 3);

	v2.items = xmalloc(sizeof *v2.items);
	v2.items[0] = basic_v2();
	v2.n = 1;
	assert_int_equal(content_store_install(st, &v2, &added, &cause), 0);
	assert_int_equal(added, 1);
	/* An older version arriving late is not installed over the newer one. */
	assert_int_equal(content_store_install(st, &lib, &added, &cause), 0);
	assert_int_equal(added, 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM checklists"), 4);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM checklists WHERE id = 'test-basic' "
	    "AND category = 'public_services'"), 2);

	/* content_store_load: the newest of each. */
	assert_int_equal(content_store_load(st, &got, &cause), 0);
	assert_int_equal(got.n, 3);
	const struct checklist *b = library_find(&got, "test-basic");
	assert_non_null(b);
	assert_int_equal(b->version, 2);
	assert_int_equal(b->nsteps, 5);
	assert_string_equal(b->steps[4].id, "check-result");
	assert_int_equal(library_find(&got, "test-next")->version, 2);
	library_free(&got);

	/* content_store_get: exactly the version asked for. */
	assert_int_equal(content_store_get(st, "test-basic", 1, &cl, &cause), 0);
	assert_int_equal(cl->version, 1);
	assert_int_equal(cl->nsteps, 4);
	assert_string_equal(cl->title.en, "Register a test account");
	checklist_free(cl);
	assert_int_equal(content_store_get(st, "test-basic", 2, &cl, &cause), 0);
	assert_int_equal(cl->nsteps, 5);
	checklist_free(cl);
	assert_int_equal(content_store_get(st, "test-basic", 7, &cl, &cause), -1);
	assert_null(cl);
	assert_non_null(strstr(cause, "Không có danh mục test-basic phiên bản 7"));
	assert_non_null(strstr(cause, path));
	free(cause);

	store_close(st);
	free(path);

	/* A kiosk that got version 2 first never takes version 1 afterwards. */
	path = test_path("content-late.db");
	assert_int_equal(store_open(path, STORE_CREATE, &st, &cause), 0);
	assert_int_equal(content_store_install(st, &v2, &added, &cause), 0);
	assert_int_equal(added, 1);
	assert_int_equal(content_store_install(st, &lib, &added, &cause), 0);
	assert_int_equal(added, 2);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM checklists WHERE id = 'test-basic'"), 1);
	assert_int_equal(content_store_get(st, "test-basic", 1, &cl, &cause), -1);
	free(cause);

	library_free(&v2);
	library_free(&lib);
	store_close(st);
	free(path);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_test_checklists_load),
		cmocka_unit_test(test_text_get),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_missing_and_empty),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_unknown_step_field),
		cmocka_unit_test(test_helper_tip),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_every_problem_listed),
		cmocka_unit_test(test_duplicate_ids_across_files),
		cmocka_unit_test(test_prerequisite_missing),
		cmocka_unit_test(test_prerequisite_cycle),
		cmocka_unit_test(test_load_paths),
		cmocka_unit_test(test_install_versions),
	};
	return cmocka_run_group_tests_name("content", tests, NULL, NULL);
}
