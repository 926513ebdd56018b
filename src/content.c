/* SPDX-License-Identifier: Apache-2.0 */
/*
 * content.c: checklists — parsing and validating their JSON (json-c) and
 * checking a library's cross-references. Pure: no database (the kiosk keeps
 * checklists with content-store.c), so the server and the fuzzers link it
 * alone.
 *
 * Validation never stops at the first problem: a province's editor fixes a
 * file in one pass. Each problem names the file, the checklist, the step and
 * the field, in that order, as far as they are known.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "content.h"
#include "util.h"

#define TITLE_MAX	60
#define STEP_TITLE_MAX	70
#define MAX_STEPS	30
#define ID_MAX		48

static const struct {
	const char *id, *name;
} categories[CAT_COUNT] = {
	[CAT_PUBLIC_SERVICES] = { "public_services", N_("Dịch vụ công trực tuyến") },
	[CAT_SHOPPING] = { "shopping", N_("Mua bán trực tuyến") },
	[CAT_PAYMENT] = { "payment", N_("Thanh toán trực tuyến") },
	[CAT_SAFETY] = { "safety", N_("An toàn trên mạng") },
	[CAT_LOCAL_PLATFORMS] = { "local_platforms", N_("Nền tảng số của địa phương") },
};

const char *
category_id(enum category c)
{
	return c < CAT_COUNT ? categories[c].id : "?";
}

const char *
category_name(enum category c)
{
	if (c >= CAT_COUNT)
		return "?";
	return _(categories[c].name);
}

int
category_parse(const char *s)
{
	for (int i = 0; i < CAT_COUNT; i++)
		if (s != NULL && strcmp(s, categories[i].id) == 0)
			return i;
	return -1;
}

const char *
text_get(const struct text *t, enum lang l)
{
	if (l == LANG_EN && t->en != NULL && *t->en != '\0')
		return t->en;
	return t->vi != NULL ? t->vi : "";
}

const char *
text_for(const struct text *t, const char *code)
{
	if (code != NULL && strcmp(code, "en") == 0 && t->en != NULL && *t->en != '\0')
		return t->en;
	for (size_t i = 0; code != NULL && i < t->nmore; i++)
		if (strcmp(t->more[i].code, code) == 0 && *t->more[i].s != '\0')
			return t->more[i].s;
	return t->vi != NULL ? t->vi : "";
}

int
text_lang_valid(const char *code)
{
	size_t n = strspn(code, "abcdefghijklmnopqrstuvwxyz"), k;

	if (n < 2 || n > 3)
		return 0;
	/* Subtags: "-Latn", "-VN"… (BCP 47 shape, 2 to 8 letters or digits). */
	for (code += n; *code == '-'; code += k + 1) {
		k = strspn(code + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if (k < 2 || k > 8)
			return 0;
	}
	return *code == '\0';
}

const char *
step_helper_tip(const struct step *s, const char *code)
{
	if (s->helper_tip.vi == NULL || *s->helper_tip.vi == '\0')
		return NULL;
	return text_for(&s->helper_tip, code);
}

void
problems_add(struct problems *pr, const char *fmt, ...)
{
	va_list ap;

	pr->lines = xrealloc(pr->lines, (pr->n + 1) * sizeof *pr->lines);
	va_start(ap, fmt);
	pr->lines[pr->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void
problems_free(struct problems *pr)
{
	for (size_t i = 0; i < pr->n; i++)
		free(pr->lines[i]);
	free(pr->lines);
	pr->lines = NULL;
	pr->n = 0;
}

/* Where a problem is: "FILE: checklist ID: step N (ID): FIELD". */
struct ctx {
	const char	*where;
	const char	*checklist;
	int		 step;		/* 1-based; 0 outside steps */
	const char	*step_id;
	struct problems	*pr;
	int		 bad;
};

static void __attribute__((format(printf, 3, 4)))
problem(struct ctx *c, const char *field, const char *fmt, ...)
{
	char *msg, *loc;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->step > 0)
		loc = xasprintf(_("%s: danh mục %s: bước %d (%s): %s"),
		    c->where, c->checklist ? c->checklist : "?", c->step,
		    c->step_id ? c->step_id : "?", field);
	else if (c->checklist != NULL)
		loc = xasprintf(_("%s: danh mục %s: %s"), c->where,
		    c->checklist, field);
	else
		loc = xasprintf("%s: %s", c->where, field);
	problems_add(c->pr, "%s: %s", loc, msg);
	free(loc);
	free(msg);
	c->bad = 1;
}

static int
valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > ID_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* http(s)://host[:port][/path], host of letters, digits, dots and dashes. */
static int
valid_url(const char *s)
{
	const char *h;

	if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return 0;
	size_t hl = strcspn(h, ":/?#");
	if (hl == 0 || h[0] == '.' || h[0] == '-' || h[hl - 1] == '.' || memchr(h, '.', hl) == NULL)
		return 0;
	for (size_t i = 0; i < hl; i++) {
		char ch = h[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-'))
			return 0;
	}
	for (const char *p = h + hl; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

/* Reports fields of o not in allowed (a NULL-terminated list). */
static void
check_known(struct ctx *c, json_object *o, const char *prefix, const char *const *allowed)
{
	json_object_object_foreach(o, key, val) {
		int ok = 0;
		(void)val;
		for (const char *const *a = allowed; *a != NULL; a++)
			if (strcmp(key, *a) == 0)
				ok = 1;
		if (!ok) {
			char *f = xasprintf("%s%s", prefix, key);
			problem(c, f, _("trường không được biết (viết sai tên?)"));
			free(f);
		}
	}
}

/*
 * What a string field may hold: its length in characters, and whether it
 * may break lines. Looked up by the field's name without its language and
 * list numbers ("steps.detail" for "detail.vi" of a step); titles have their
 * own, tighter bounds in get_text.
 */
static const struct field_rule {
	const char	*name;
	size_t		 max;
	int		 newline;
} field_rules[] = {
	{ "title", 200, 0 },
	{ "summary", 1000, 1 },
	{ "bring", 200, 0 },
	{ "official.url", 300, 0 },
	{ "official.app", 80, 0 },
	{ "block_reasons.id", 48, 0 },
	{ "block_reasons.text", 200, 0 },
	{ "reviewed", 10, 0 },
	{ "source", 500, 0 },
	{ "steps.title", 200, 0 },
	{ "steps.detail", 4000, 1 },
	{ "steps.tip", 1000, 1 },
	{ "steps.helper_tip", 1000, 1 },
};
#define FIELD_DEFAULT_MAX	200	/* ids, category, anything not above */
#define CHECKLIST_MAX_BYTES	(1024 * 1024)

static const struct field_rule *
field_rule(const char *label, int in_step)
{
	static const struct field_rule other = { "", FIELD_DEFAULT_MAX, 0 };
	char	 name[96];
	size_t	 n = 0, k;

	if (in_step)
		n = (size_t)snprintf(name, sizeof name, "steps.");
	/* "block_reasons[2].text.vi" -> "block_reasons.text" */
	for (const char *p = label; *p != '\0' && n < sizeof name - 1; p++) {
		if (*p == '[') {
			p += strcspn(p, "]");
			if (*p == '\0')
				break;
			continue;
		}
		name[n++] = *p;
	}
	name[n] = '\0';
	for (k = 0; k < sizeof field_rules / sizeof field_rules[0]; k++)
		if (strcmp(field_rules[k].name, name) == 0)
			return &field_rules[k];
	/* Not a field itself: a text's language ("title.vi", "steps.tip.hre"). */
	char *dot = strrchr(name, '.');
	if (dot != NULL && text_lang_valid(dot + 1)) {
		*dot = '\0';
		for (k = 0; k < sizeof field_rules / sizeof field_rules[0]; k++)
			if (strcmp(field_rules[k].name, name) == 0)
				return &field_rules[k];
	}
	return &other;
}

/*
 * The first character of s (len bytes, from the JSON parser: a NUL inside
 * counts) that a terminal must never receive: C0 and C1 controls (a newline
 * only if allowed), DEL, and the bidirectional controls U+202A–202E and
 * U+2066–2069 that reorder what follows. Returns its code point and sets
 * *at (1-based character), or -1 if there is none.
 */
static long
bad_char(const char *s, size_t len, int newline, size_t *at)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;
	long			 cp;

	for (*at = 1; i < len; (*at)++, i += k) {
		k = p[i] < 0x80 ? 1 : p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;
		if (i + k > len)
			return p[i];
		cp = k == 1 ? p[i] : p[i] & (0xff >> (k + 1));
		for (size_t j = 1; j < k; j++)
			cp = cp << 6 | (p[i + j] & 0x3f);
		if ((cp < 0x20 && !(cp == '\n' && newline)) || (cp >= 0x7f && cp < 0xa0) ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return cp;
	}
	return -1;
}

/* Refuses control characters and over-long text in the string field label. */
static int
check_chars(struct ctx *c, const char *label, const char *s, size_t len)
{
	const struct field_rule	*r = field_rule(label, c->step > 0);
	size_t			 at, chars;
	long			 cp;

	if (!util_utf8_valid(s, len)) {
		problem(c, label, _("không phải UTF-8 hợp lệ"));
		return -1;
	}
	if ((cp = bad_char(s, len, r->newline, &at)) >= 0) {
		if (cp == '\n')
			problem(c, label, _("không được xuống dòng (ký tự %zu)"), at);
		else
			problem(c, label, _("có ký tự điều khiển U+%04lX ở ký tự %zu; hãy xóa nó"), cp, at);
		return -1;
	}
	if ((chars = util_utf8_len(s)) > r->max) {
		problem(c, label, _("dài %zu ký tự, tối đa %zu"),
		    chars, r->max);
		return -1;
	}
	return 0;
}

static char *
get_string(struct ctx *c, json_object *o, const char *field, const char *label, int required)
{
	json_object *v;

	if (!json_object_object_get_ex(o, field, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			problem(c, label, _("thiếu"));
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		problem(c, label, _("phải là một chuỗi chữ"));
		return NULL;
	}
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	if (required && len == 0) {
		problem(c, label, _("không được để trống"));
		return NULL;
	}
	if (check_chars(c, label, s, len) != 0)
		return NULL;
	return xstrdup(s);
}

static int
get_int(struct ctx *c, json_object *o, const char *field, int lo, int hi, int *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, field, &v)) {
		problem(c, field, _("thiếu"));
		return -1;
	}
	if (!json_object_is_type(v, json_type_int)) {
		problem(c, field, _("phải là một số nguyên"));
		return -1;
	}
	int64_t n = json_object_get_int64(v);
	if (n < lo || n > hi) {
		problem(c, field, _("phải từ %d đến %d (đang là %lld)"),
		    lo, hi, (long long)n);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* Adds a problem when the text for one language is longer than maxlen characters. */
static void
check_len(struct ctx *c, const char *label, const char *s, size_t maxlen)
{
	if (s != NULL && maxlen > 0 && util_utf8_len(s) > maxlen)
		problem(c, label, _("dài %zu ký tự, tối đa %zu"),
		    util_utf8_len(s), maxlen);
}

static void
get_text(struct ctx *c, json_object *o, const char *field, const char *label, int required,
    size_t maxlen, struct text *t)
{
	json_object *v;
	char *lab;

	memset(t, 0, sizeof *t);
	if (!json_object_object_get_ex(o, field, &v)) {
		if (required)
			problem(c, label, _("thiếu"));
		return;
	}
	if (!json_object_is_type(v, json_type_object)) {
		problem(c, label, _("phải là {\"vi\": \"…\", \"en\": \"…\"}"));
		return;
	}
	lab = xasprintf("%s.vi", label);
	t->vi = get_string(c, v, "vi", lab, 1);
	check_len(c, lab, t->vi, maxlen);
	free(lab);
	/* Every other key is a language: its code must be one, its text a string. */
	json_object_object_foreach(v, code, val) {
		char *s;

		(void)val;
		if (strcmp(code, "vi") == 0)
			continue;
		lab = xasprintf("%s.%s", label, code);
		if (!text_lang_valid(code)) {
			problem(c, lab, _("\"%s\" không phải mã ngôn ngữ (2–3 chữ thường, như vi, en, "
			    "hre, bdq)"), code);
			free(lab);
			continue;
		}
		s = get_string(c, v, code, lab, 0);
		check_len(c, lab, s, maxlen);
		free(lab);
		if (s == NULL)
			continue;
		if (strcmp(code, "en") == 0)
			t->en = s;
		else {
			t->more = xrealloc(t->more, (t->nmore + 1) * sizeof *t->more);
			t->more[t->nmore].code = xstrdup(code);
			t->more[t->nmore++].s = s;
		}
	}
}

static json_object *
get_array(struct ctx *c, json_object *o, const char *field, int required)
{
	json_object *v;

	if (!json_object_object_get_ex(o, field, &v)) {
		if (required)
			problem(c, field, _("thiếu"));
		return NULL;
	}
	if (!json_object_is_type(v, json_type_array)) {
		problem(c, field, _("phải là một danh sách [ … ]"));
		return NULL;
	}
	return v;
}

static void
text_free(struct text *t)
{
	free(t->vi);
	free(t->en);
	for (size_t i = 0; i < t->nmore; i++) {
		free(t->more[i].code);
		free(t->more[i].s);
	}
	free(t->more);
}

static void
parse_steps(struct ctx *c, json_object *root, struct checklist *cl)
{
	static const char *const allowed[] = { "id", "title", "detail", "tip", "helper_tip",
	    NULL };
	json_object *arr = get_array(c, root, "steps", 1);

	if (arr == NULL)
		return;
	size_t n = json_object_array_length(arr);
	if (n == 0 || n > MAX_STEPS) {
		problem(c, "steps", _("phải có từ 1 đến %d bước (đang có %zu)"), MAX_STEPS, n);
		if (n == 0)
			return;
	}
	cl->steps = xcalloc(n, sizeof *cl->steps);
	cl->nsteps = n;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct step *s = &cl->steps[i];

		c->step = (int)i + 1;
		c->step_id = NULL;
		if (!json_object_is_type(o, json_type_object)) {
			problem(c, "", _("mỗi bước phải là một đối tượng { … }"));
			continue;
		}
		s->id = get_string(c, o, "id", "id", 1);
		if (s->id != NULL) {
			c->step_id = s->id;
			if (!valid_id(s->id))
				problem(c, "id", _("chỉ gồm a-z, 0-9 và dấu -, dài 2–%d"), ID_MAX);
			for (size_t j = 0; j < i; j++)
				if (cl->steps[j].id != NULL && strcmp(cl->steps[j].id, s->id) == 0)
					problem(c, "id", _("trùng với bước %zu"), j + 1);
		}
		/* After the id, so the message can name the step. */
		check_known(c, o, "", allowed);
		get_text(c, o, "title", "title", 1, STEP_TITLE_MAX, &s->title);
		get_text(c, o, "detail", "detail", 1, 0, &s->detail);
		get_text(c, o, "tip", "tip", 0, 0, &s->tip);
		get_text(c, o, "helper_tip", "helper_tip", 0, 0, &s->helper_tip);
	}
	c->step = 0;
	c->step_id = NULL;
}

static void
parse_reasons(struct ctx *c, json_object *root, struct checklist *cl)
{
	static const char *const allowed[] = { "id", "text", NULL };
	json_object *arr = get_array(c, root, "block_reasons", 0);

	if (arr == NULL)
		return;
	size_t n = json_object_array_length(arr);
	cl->reasons = xcalloc(n, sizeof *cl->reasons);
	cl->nreasons = n;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		char field[64];

		snprintf(field, sizeof field, "block_reasons[%zu]", i + 1);
		if (!json_object_is_type(o, json_type_object)) {
			problem(c, field, _("phải là {\"id\": …, \"text\": …}"));
			continue;
		}
		char *pre = xasprintf("%s.", field);
		check_known(c, o, pre, allowed);
		free(pre);
		char *lab = xasprintf("%s.id", field);
		cl->reasons[i].id = get_string(c, o, "id", lab, 1);
		if (cl->reasons[i].id != NULL) {
			if (!valid_id(cl->reasons[i].id))
				problem(c, lab, _("chỉ gồm a-z, 0-9 và dấu -"));
			for (size_t j = 0; j < i; j++)
				if (cl->reasons[j].id != NULL && strcmp(cl->reasons[j].id, cl->reasons[i].id) == 0)
					problem(c, lab, _("trùng với lý do %zu"), j + 1);
		}
		free(lab);
		lab = xasprintf("%s.text", field);
		get_text(c, o, "text", lab, 1, 0, &cl->reasons[i].text);
		free(lab);
	}
}

/* Line and column (1-based) of a byte offset, for JSON syntax errors. */
static void
line_col(const char *s, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

static json_object *
parse_json(const char *json, size_t len, struct ctx *c)
{
	json_tokener *tok;
	json_object *root;
	int line, col;

	size_t good = util_utf8_prefix(json, len);
	if (good < len) {
		line_col(json, good, &line, &col);
		problem(c, _("mã hóa"), _("không phải UTF-8 hợp lệ (dòng %d, cột %d)"), line, col);
		return NULL;
	}
	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error err = json_tokener_get_error(tok);
	if (root == NULL && err == json_tokener_continue)
		err = json_tokener_error_parse_eof;
	if (err == json_tokener_success) {
		/* Anything but white space after the value is an error too. */
		size_t end = json_tokener_get_parse_end(tok);
		while (end < len && strchr(" \t\r\n", json[end]) != NULL)
			end++;
		if (end < len) {
			line_col(json, end, &line, &col);
			problem(c, "JSON", _("có nội dung thừa sau dữ liệu (dòng %d, cột %d)"), line, col);
			json_object_put(root);
			root = NULL;
		}
	} else {
		line_col(json, json_tokener_get_parse_end(tok), &line, &col);
		problem(c, "JSON", _("sai cú pháp ở dòng %d, cột %d: %s"), line, col,
		    json_tokener_error_desc(err));
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

struct checklist *
checklist_parse(const char *json, size_t len, const char *where, struct problems *pr)
{
	static const char *const allowed[] = { "format", "id", "version", "category", "title",
	    "summary", "prerequisites", "bring", "minutes", "official", "steps", "block_reasons",
	    "reviewed", "source", NULL };
	static const char *const official_allowed[] = { "url", "app", NULL };
	struct ctx c = { .where = where, .pr = pr };
	struct checklist *cl;
	json_object *root, *v;
	int format;

	if (len > CHECKLIST_MAX_BYTES) {
		problem(&c, "JSON", _("tệp dài %zu byte, tối đa %d"), len, CHECKLIST_MAX_BYTES);
		return NULL;
	}
	root = parse_json(json, len, &c);
	if (c.bad)
		return NULL;
	/* JSON null parses to NULL without an error: it is not a checklist either. */
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		problem(&c, "JSON", _("tệp phải chứa một đối tượng { … }"));
		json_object_put(root);
		return NULL;
	}
	cl = xcalloc(1, sizeof *cl);
	cl->id = get_string(&c, root, "id", "id", 1);
	if (cl->id != NULL) {
		if (!valid_id(cl->id))
			problem(&c, "id", _("chỉ gồm a-z, 0-9 và dấu -, dài 2–%d"), ID_MAX);
		c.checklist = cl->id;
	}
	check_known(&c, root, "", allowed);
	get_int(&c, root, "format", 1, 1, &format);
	get_int(&c, root, "version", 1, 1000000, &cl->version);
	char *cat = get_string(&c, root, "category", "category", 1);
	if (cat != NULL) {
		int k = category_parse(cat);
		if (k < 0)
			problem(&c, "category", _("\"%s\" không phải một trong: public_services, shopping, "
			    "payment, safety, local_platforms"), cat);
		else
			cl->category = k;
		free(cat);
	}
	get_text(&c, root, "title", "title", 1, TITLE_MAX, &cl->title);
	get_text(&c, root, "summary", "summary", 1, 0, &cl->summary);

	if ((v = get_array(&c, root, "prerequisites", 0)) != NULL) {
		cl->nprereqs = json_object_array_length(v);
		cl->prereqs = xcalloc(cl->nprereqs, sizeof *cl->prereqs);
		for (size_t i = 0; i < cl->nprereqs; i++) {
			json_object *p = json_object_array_get_idx(v, i);
			/* The parser's length: an id with a NUL inside is not the id before it. */
			if (!json_object_is_type(p, json_type_string) ||
			    strlen(json_object_get_string(p)) != (size_t)json_object_get_string_len(p) ||
			    !valid_id(json_object_get_string(p))) {
				problem(&c, "prerequisites", _("mục %zu phải là mã của một danh mục"), i + 1);
				continue;
			}
			cl->prereqs[i] = xstrdup(json_object_get_string(p));
			if (cl->id != NULL && strcmp(cl->prereqs[i], cl->id) == 0)
				problem(&c, "prerequisites", _("không thể tự yêu cầu chính nó"));
		}
	}
	if ((v = get_array(&c, root, "bring", 0)) != NULL) {
		cl->nbring = json_object_array_length(v);
		cl->bring = xcalloc(cl->nbring, sizeof *cl->bring);
		for (size_t i = 0; i < cl->nbring; i++) {
			char lab[32];
			json_object *wrap = json_object_new_object();
			snprintf(lab, sizeof lab, "bring[%zu]", i + 1);
			json_object_object_add(wrap, "x", json_object_get(json_object_array_get_idx(v, i)));
			get_text(&c, wrap, "x", lab, 1, 0, &cl->bring[i]);
			json_object_put(wrap);
		}
	}
	get_int(&c, root, "minutes", 1, 240, &cl->minutes);
	if (!json_object_object_get_ex(root, "official", &v))
		problem(&c, "official", _("thiếu (cần url hoặc app)"));
	else if (!json_object_is_type(v, json_type_object))
		problem(&c, "official", _("phải là {\"url\": …, \"app\": …}"));
	else {
		check_known(&c, v, "official.", official_allowed);
		cl->url = get_string(&c, v, "url", "official.url", 0);
		cl->app = get_string(&c, v, "app", "official.app", 0);
		if (cl->url != NULL && !valid_url(cl->url))
			problem(&c, "official.url", _("\"%s\" không phải địa chỉ web hợp lệ (https://tên-miền/…)"), cl->url);
		if ((cl->url == NULL || *cl->url == '\0') && (cl->app == NULL || *cl->app == '\0'))
			problem(&c, "official", _("cần ít nhất url hoặc app"));
	}
	parse_steps(&c, root, cl);
	parse_reasons(&c, root, cl);
	cl->reviewed = get_string(&c, root, "reviewed", "reviewed", 1);
	if (cl->reviewed != NULL && util_parse_date(cl->reviewed) < 0)
		problem(&c, "reviewed", _("\"%s\" không phải ngày hợp lệ dạng YYYY-MM-DD"), cl->reviewed);
	cl->source = get_string(&c, root, "source", "source", 1);
	json_object_put(root);
	if (c.bad) {
		checklist_free(cl);
		return NULL;
	}
	/* json need not end in NUL: take exactly len bytes. */
	cl->json = xmalloc(len + 1);
	memcpy(cl->json, json, len);
	cl->json[len] = '\0';
	cl->where = xstrdup(where);
	return cl;
}

const struct block_reason *
checklist_reason(const struct checklist *c, const char *id)
{
	for (size_t i = 0; c != NULL && id != NULL && i < c->nreasons; i++)
		if (strcmp(c->reasons[i].id, id) == 0)
			return &c->reasons[i];
	return NULL;
}

void
checklist_free(struct checklist *cl)
{
	if (cl == NULL)
		return;
	free(cl->id);
	text_free(&cl->title);
	text_free(&cl->summary);
	for (size_t i = 0; i < cl->nprereqs; i++)
		free(cl->prereqs[i]);
	free(cl->prereqs);
	for (size_t i = 0; i < cl->nbring; i++)
		text_free(&cl->bring[i]);
	free(cl->bring);
	free(cl->url);
	free(cl->app);
	for (size_t i = 0; i < cl->nsteps; i++) {
		free(cl->steps[i].id);
		text_free(&cl->steps[i].title);
		text_free(&cl->steps[i].detail);
		text_free(&cl->steps[i].tip);
		text_free(&cl->steps[i].helper_tip);
	}
	free(cl->steps);
	for (size_t i = 0; i < cl->nreasons; i++) {
		free(cl->reasons[i].id);
		text_free(&cl->reasons[i].text);
	}
	free(cl->reasons);
	free(cl->reviewed);
	free(cl->source);
	free(cl->json);
	free(cl->where);
	free(cl);
}

void
library_add(struct library *lib, struct checklist *cl)
{
	lib->items = xrealloc(lib->items, (lib->n + 1) * sizeof *lib->items);
	lib->items[lib->n++] = cl;
}

const struct checklist *
library_find(const struct library *lib, const char *id)
{
	for (size_t i = 0; i < lib->n; i++)
		if (strcmp(lib->items[i]->id, id) == 0)
			return lib->items[i];
	return NULL;
}

void
library_free(struct library *lib)
{
	for (size_t i = 0; i < lib->n; i++)
		checklist_free(lib->items[i]);
	free(lib->items);
	lib->items = NULL;
	lib->n = 0;
}

static int
load_file(struct library *lib, const char *path, struct problems *pr)
{
	size_t len;
	char *json = util_read_file(path, &len);

	if (json == NULL) {
		problems_add(pr, _("%s: không đọc được tệp: %s"),
		    path, strerror(errno));
		return -1;
	}
	struct checklist *cl = checklist_parse(json, len, path, pr);
	free(json);
	if (cl == NULL)
		return -1;
	library_add(lib, cl);
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_dir(struct library *lib, const char *dir, struct problems *pr)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (d == NULL) {
		problems_add(pr, _("%s: không mở được thư mục: %s"),
		    dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0 && de->d_name[0] != '.') {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	/* Sorted, so the same folder always gives the same order and messages. */
	qsort(names, n, sizeof *names, compare_names);
	for (size_t i = 0; i < n; i++) {
		if (load_file(lib, names[i], pr) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
library_load(struct library *lib, const char *const *paths, size_t n, struct problems *pr)
{
	size_t before = pr->n;
	struct stat sb;

	for (size_t i = 0; i < n; i++) {
		if (stat(paths[i], &sb) != 0) {
			problems_add(pr, _("%s: không có tệp hay thư mục này"),
			    paths[i]);
			continue;
		}
		if (S_ISDIR(sb.st_mode))
			load_dir(lib, paths[i], pr);
		else
			load_file(lib, paths[i], pr);
	}
	library_check(lib, pr);
	return pr->n == before ? 0 : -1;
}

/* Depth-first search for a cycle through prerequisites; state: 0 new, 1 on path, 2 done. */
static int
find_cycle(const struct library *lib, size_t i, int *state, struct problems *pr)
{
	const struct checklist *cl = lib->items[i];

	state[i] = 1;
	for (size_t k = 0; k < cl->nprereqs; k++) {
		if (cl->prereqs[k] == NULL)
			continue;
		for (size_t j = 0; j < lib->n; j++) {
			if (strcmp(lib->items[j]->id, cl->prereqs[k]) != 0)
				continue;
			if (state[j] == 1) {
				problems_add(pr, _("%s: danh mục %s: prerequisites: vòng lặp qua %s"), cl->where,
				    cl->id, lib->items[j]->id);
				return 1;
			}
			if (state[j] == 0 && find_cycle(lib, j, state, pr))
				return 1;
		}
	}
	state[i] = 2;
	return 0;
}

int
library_check(const struct library *lib, struct problems *pr)
{
	size_t before = pr->n;

	for (size_t i = 0; i < lib->n; i++) {
		const struct checklist *cl = lib->items[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(lib->items[j]->id, cl->id) == 0)
				problems_add(pr, _("%s: danh mục %s: id: trùng mã với %s"), cl->where, cl->id,
				    lib->items[j]->where);
		for (size_t k = 0; k < cl->nprereqs; k++)
			if (cl->prereqs[k] != NULL && library_find(lib, cl->prereqs[k]) == NULL)
				problems_add(pr, _("%s: danh mục %s: prerequisites: không có danh mục \"%s\""),
				    cl->where, cl->id, cl->prereqs[k]);
	}
	int *state = xcalloc(lib->n, sizeof *state);
	for (size_t i = 0; i < lib->n; i++)
		if (state[i] == 0 && find_cycle(lib, i, state, pr))
			break;
	free(state);
	return pr->n == before ? 0 : -1;
}
