/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-resident.c: choosing what to do and starting or resuming it — the
 * resident alone (consent, an optional name, a resume code shown large) and
 * the same choices when a volunteer helps someone. Every session is started
 * or resumed through journey_* before the step screen shows it.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "flows.h"
#include "journey.h"
#include "form.h"
#include "menu.h"
#include "store.h"

const char *
screen_resident_title(struct tui *t, const char *id)
{
	const struct checklist *c = library_find(tui_library(t), id);

	return c != NULL ? text_for(&c->title, i18n_code()) : id;
}

static const struct checklist *
resident_checklist_at(struct tui *t, intptr_t i)
{
	return i >= 0 && (size_t)i < tui_library(t)->n ? tui_library(t)->items[i] : NULL;
}

/* Shows the session t->j: the flow's home, the person (volunteer), the step, maybe the code. */
static void
resident_show_session(struct tui *t, int show_code)
{
	if (t->depth > t->base)
		tui_popn(t, t->depth - t->base);
	if (t->mode == MODE_VOLUNTEER && t->has_res)
		screen_resident_person(t);
	tui_push(t, &screen_step, NULL);
	if (show_code)
		tui_push(t, &screen_code, NULL);
}

static int
resident_begin_with(struct tui *t, const struct checklist *c, const char *resident_id,
    int show_code)
{
	struct journey *j = NULL;
	char *cause = NULL;

	if (journey_start(t->st, c, resident_id, t->vol_id, &j, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	tui_set_journey(t, j);
	resident_show_session(t, show_code);
	return REDRAW;
}

static int
resident_name_done(struct tui *t, struct form *f)
{
	const struct checklist *c = library_find(tui_library(t), form_ctx(f));
	struct resident r;
	const char *name = form_value(f, 0);
	struct journey *j = NULL;
	char *cause = NULL;

	if (c == NULL) {
		tui_pop(t);
		return REDRAW;
	}
	while (*name == ' ')
		name++;
	memset(&r, 0, sizeof r);
	/* One key, one change: the resident and their session are saved together or not at all. */
	if (store_begin(t->st, &cause) == -1 ||
	    people_resident_add(t->st, *name ? name : _("Người dân"), 0, SEX_UNSAID,
	    t->app->cfg.hamlet, NULL, 1, &r, &cause) == -1 ||
	    journey_start(t->st, c, r.id, t->vol_id, &j, &cause) == -1 ||
	    store_commit(t->st, &cause) == -1) {
		store_rollback(t->st);
		people_resident_clear(&r);
		journey_free(j);
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	tui_set_journey(t, j);
	resident_show_session(t, 1);
	return REDRAW;
}

static int
resident_consent_chosen(struct tui *t, struct menu *m, int i)
{
	const struct checklist *c = library_find(tui_library(t), menu_ctx(m));
	struct form *f;

	if (c == NULL)
		return REDRAW;
	if (menu_value(m, i) == 1) {
		f = form_new(_("Lưu tiến độ"), resident_name_done);
		form_intro(f, _("Tên gọi giúp tình nguyện viên nhận ra bạn. Có thể bỏ trống: nhấn Enter."));
		form_field(f, _("Tên gọi (có thể bỏ trống)"), NULL, 0, 40);
		form_set_ctx(f, xstrdup(c->id), free);
		tui_pop(t);
		form_push(t, f);
		return REDRAW;
	}
	tui_flash(t, "%s", _("Không lưu thông tin: bạn vẫn làm được, nhưng sẽ không có mã để làm tiếp lần sau."));
	return resident_begin_with(t, c, NULL, 0);
}

/* Starts c for the person at the kiosk, asking a lone resident's consent first. */
static int
resident_begin(struct tui *t, const struct checklist *c)
{
	struct menu *m;

	if (t->has_res)
		return resident_begin_with(t, c, t->res.id, 0);
	if (t->mode == MODE_VOLUNTEER) {
		tui_flash(t, "%s", _("Hãy chọn hoặc thêm người dân trước."));
		return REDRAW;
	}
	m = menu_new(_("Lưu tiến độ"), resident_consent_chosen);
	menu_intro(m, _("Máy có thể lưu tiến độ của bạn kèm một mã tiếp tục, để lần sau bạn làm tiếp. Máy chỉ lưu tên gọi (nếu bạn muốn ghi) và thôn; không bao giờ hỏi mật khẩu hay mã OTP. Bạn có đồng ý không?"), DS_NORMAL);
	menu_add(m, _("Có, tôi đồng ý"), NULL, 1);
	menu_add(m, _("Không, cảm ơn"), NULL, 0);
	menu_set_ctx(m, xstrdup(c->id), free);
	menu_set_help(m, HELP_CONSENT);
	menu_push(t, m);
	return REDRAW;
}

static void resident_info(struct tui *, const struct checklist *);

static int
resident_info_chosen(struct tui *t, struct menu *m, int i)
{
	const struct checklist *c = library_find(tui_library(t), menu_ctx(m));
	intptr_t v = menu_value(m, i);

	if (c == NULL)
		return REDRAW;
	if (v < 0)
		return resident_begin(t, c);
	if (resident_checklist_at(t, v) != NULL)
		resident_info(t, resident_checklist_at(t, v));
	return REDRAW;
}

/* What a checklist takes: time, what to bring, what to do first; start or do those first. */
static void
resident_info(struct tui *t, const struct checklist *c)
{
	const char *lg = i18n_code();
	struct menu *m = menu_new(text_for(&c->title, lg), resident_info_chosen);
	char *s, *list;
	size_t i, k;

	menu_intro(m, text_for(&c->summary, lg), DS_NORMAL);
	s = xasprintf(_("Thời gian: khoảng %d phút · %d bước"), c->minutes, (int)c->nsteps);
	menu_intro(m, s, DS_BOLD);
	free(s);
	if (c->nbring > 0) {
		list = xstrdup(_("Cần mang theo:"));
		for (i = 0; i < c->nbring; i++) {
			s = xasprintf("%s%s %s", list, i ? ";" : "", text_for(&c->bring[i], lg));
			free(list);
			list = s;
		}
		menu_intro(m, list, DS_NORMAL);
		free(list);
	}
	if (c->nprereqs > 0) {
		list = xstrdup(_("Cần làm trước:"));
		for (i = 0; i < c->nprereqs; i++) {
			s = xasprintf("%s%s %s", list, i ? ";" : "",
			    screen_resident_title(t, c->prereqs[i]));
			free(list);
			list = s;
		}
		menu_intro(m, list, DS_WARN);
		free(list);
	}
	if (c->url != NULL || c->app != NULL) {
		s = xasprintf("%s%s%s%s", c->url ? _("Trang chính thức: ") : "", c->url ? c->url : "",
		    c->app ? _("  Ứng dụng: ") : "", c->app ? c->app : "");
		menu_intro(m, s, DS_DIM);
		free(s);
	}
	menu_add(m, _("Bắt đầu"), NULL, -1);
	for (i = 0; i < c->nprereqs; i++)
		for (k = 0; k < tui_library(t)->n; k++)
			if (strcmp(tui_library(t)->items[k]->id, c->prereqs[i]) == 0) {
				s = xasprintf(_("Làm trước: %s"), text_for(&tui_library(t)->items[k]->title, lg));
				menu_add(m, s, NULL, (intptr_t)k);
				free(s);
			}
	menu_set_ctx(m, xstrdup(c->id), free);
	menu_set_help(m, HELP_INFO);
	menu_push(t, m);
	tui_guard(t);	/* "Start" starts a session */
}

static int
resident_checklist_chosen(struct tui *t, struct menu *m, int i)
{
	const struct checklist *c = resident_checklist_at(t, menu_value(m, i));

	if (c != NULL)
		resident_info(t, c);
	return REDRAW;
}

static int
resident_category_chosen(struct tui *t, struct menu *m, int i)
{
	enum category cat = (enum category)menu_value(m, i);
	struct menu *cm = menu_new(category_name(cat), resident_checklist_chosen);
	char *s;
	size_t k;

	menu_intro(cm, _("Chọn việc cần làm:"), DS_NORMAL);
	for (k = 0; k < tui_library(t)->n; k++) {
		const struct checklist *c = tui_library(t)->items[k];

		if (c->category != cat)
			continue;
		s = xasprintf(_("~%d phút"), c->minutes);
		menu_add(cm, text_for(&c->title, i18n_code()), s, (intptr_t)k);
		free(s);
	}
	menu_push(t, cm);
	return REDRAW;
}

void
screen_resident_choose(struct tui *t)
{
	struct menu *m;
	int counts[CAT_COUNT] = { 0 }, c;
	size_t k;
	char *s;

	for (k = 0; k < tui_library(t)->n; k++)
		if ((int)tui_library(t)->items[k]->category >= 0 && tui_library(t)->items[k]->category < CAT_COUNT)
			counts[tui_library(t)->items[k]->category]++;
	if (tui_library(t)->n == 0) {
		menu_message(t, _("Chọn nhóm việc"), _("Máy chưa có hướng dẫn nào. Tổ trưởng hãy đồng bộ với máy chủ hoặc cài gói hướng dẫn."), 1);
		return;
	}
	m = menu_new(_("Chọn nhóm việc"), resident_category_chosen);
	for (c = 0; c < CAT_COUNT; c++) {
		if (counts[c] == 0)
			continue;
		s = xasprintf(_("%d việc"), counts[c]);
		menu_add(m, category_name((enum category)c), s, c);
		free(s);
	}
	menu_push(t, m);
}

static int
resident_code_done(struct tui *t, struct form *f)
{
	char code[RESUME_CODE_LEN + 1], *cause = NULL, *msg;
	struct resident r;
	enum code_try res;
	int64_t until, secs;

	if (!people_code_normalise(form_value(f, 0), code)) {
		form_error(f, 0, _("Mã không đúng dạng: mã có 6 chữ và số (không có 0, 1, I, L, O). Hãy gõ lại."));
		return REDRAW;
	}
	memset(&r, 0, sizeof r);
	if (people_code_try(t->st, code, &r, &res, &until, &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	/* Whole seconds, rounded up: "0 seconds" would read as "now". */
	secs = until > 0 ? (until - util_now_ms() + 999) / 1000 : 0;
	if (res == CODE_WAIT) {
		msg = xasprintf(_("Đã gõ sai mã nhiều lần. Hãy chờ %lld giây rồi gõ lại, hoặc nhờ tình nguyện viên."),
		    (long long)secs);
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	}
	if (res == CODE_UNKNOWN) {
		msg = secs > 0 ? xasprintf(_("Không tìm thấy mã %s trên máy này. Đã sai nhiều lần: hãy chờ %lld giây "
		    "rồi gõ lại, hoặc nhờ tình nguyện viên."), code, (long long)secs) :
		    xasprintf(_("Không tìm thấy mã %s trên máy này. Hãy kiểm tra lại, hoặc nhờ tình nguyện viên."), code);
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	tui_pop(t);
	screen_resident_person(t);
	return REDRAW;
}

static int
resident_start_chosen(struct tui *t, struct menu *m, int i)
{
	struct form *f;

	if (menu_value(m, i) == 0) {
		screen_resident_choose(t);
		return REDRAW;
	}
	f = form_new(_("Tiếp tục bằng mã"), resident_code_done);
	form_intro(f, _("Gõ mã tiếp tục bạn được đưa lần trước (6 chữ và số, ví dụ K7M2QX)."));
	form_field(f, _("Mã tiếp tục"), NULL, FORM_UPPER | FORM_RETYPE, 9);
	form_set_help(f, HELP_CODE);
	form_push(t, f);
	return REDRAW;
}

void
screen_resident_start(struct tui *t)
{
	struct menu *m = menu_new(_("Người dân tự làm"), resident_start_chosen);

	tui_set_mode(t, MODE_RESIDENT);
	menu_intro(m, _("Bạn có thể tự làm theo từng bước. Lần sau quay lại, gõ mã tiếp tục để làm tiếp."), DS_NORMAL);
	menu_add(m, _("Bắt đầu một việc mới"), NULL, 0);
	menu_add(m, _("Tiếp tục bằng mã"), NULL, 1);
	menu_set_help(m, HELP_RESIDENT);
	menu_push(t, m);
}

struct person_ctx {
	char	(*ids)[UUID_STR_LEN];
	size_t	 n;
};

static void
person_ctx_free(void *p)
{
	struct person_ctx *pc = p;

	free(pc->ids);
	free(pc);
}

int
screen_resident_open(struct tui *t, const char *id)
{
	struct journey *j = NULL;
	char *cause = NULL;

	if (journey_load(t->st, id, &j, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	if (j->state == SESSION_PAUSED && journey_resume(t->st, j, &cause) == -1) {
		journey_free(j);
		tui_error(t, cause);
		return REDRAW;
	}
	tui_set_journey(t, j);
	tui_push(t, &screen_step, NULL);
	return REDRAW;
}

static int
person_chosen(struct tui *t, struct menu *m, int i)
{
	struct person_ctx *pc = menu_ctx(m);
	intptr_t v = menu_value(m, i);

	if (v < 0) {
		screen_resident_choose(t);
		return REDRAW;
	}
	if ((size_t)v < pc->n)
		return screen_resident_open(t, pc->ids[v]);
	return REDRAW;
}

void
screen_resident_person(struct tui *t)
{
	struct journey_brief *b = NULL;
	struct person_ctx *pc = xcalloc(1, sizeof *pc);
	struct menu *m;
	size_t n = 0, i;
	char *cause = NULL, *s, *d;

	/* A resident on their own reads about their own tasks, not about "the resident". */
	if (t->mode == MODE_VOLUNTEER)
		s = xasprintf(_("Người dân: %s"), t->res.display_name ? t->res.display_name : "");
	else if (t->res.display_name != NULL && *t->res.display_name != '\0' &&
	    strcmp(t->res.display_name, "Người dân") != 0 &&
	    strcmp(t->res.display_name, _("Người dân")) != 0)
		s = xasprintf(_("Việc của bạn — %s"), t->res.display_name);
	else
		s = xstrdup(_("Việc của bạn"));	/* no name was given: the stand-in is not theirs */
	m = menu_new(s, person_chosen);
	free(s);
	s = xasprintf(_("Mã tiếp tục: %s"), t->res.code);
	menu_intro(m, s, DS_BOLD);
	free(s);
	if (journey_list_open(t->st, t->res.id, &b, &n, &cause) == -1)
		tui_error(t, cause);
	pc->ids = xcalloc(n + 1, sizeof *pc->ids);
	menu_intro(m, n > 0 ? _("Việc đang dở — chọn để làm tiếp:") : _("Không có việc nào đang dở."), DS_NORMAL);
	for (i = 0; i < n; i++) {
		memcpy(pc->ids[i], b[i].id, UUID_STR_LEN);
		d = xasprintf(_("%d/%d bước · %s"), b[i].done, b[i].nsteps,
		    b[i].state == SESSION_PAUSED ? _("tạm dừng") : _("đang làm"));
		menu_add(m, screen_resident_title(t, b[i].checklist_id), d, (intptr_t)i);
		free(d);
	}
	pc->n = n;
	journey_briefs_free(b, n);
	menu_add(m, _("Bắt đầu việc mới"), NULL, -1);
	menu_set_ctx(m, pc, person_ctx_free);
	menu_set_help(m, HELP_PERSON);
	menu_push(t, m);
	tui_guard(t);	/* each item starts or resumes a session */
}

void
screen_resident_after(struct tui *t)
{
	tui_set_journey(t, NULL);
	if (t->mode == MODE_VOLUNTEER) {
		if (t->depth > t->base)
			tui_popn(t, t->depth - t->base);
		if (t->has_res)
			screen_resident_person(t);
		return;
	}
	tui_home(t);
}
