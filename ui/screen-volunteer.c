/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-volunteer.c: logging in (a name from the list, then the PIN,
 * masked; wrong PINs count down to a lockout the core keeps in the
 * database) and the volunteer's own menu: add a resident (consent asked
 * first), find one by name or resume code, see today's residents and the
 * sessions left unfinished.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "flows.h"
#include "journey.h"
#include "form.h"
#include "menu.h"

struct login_ctx {
	int64_t	 id;
	char	*name;
	int	 supervisor;
};

static void
login_ctx_free(void *p)
{
	struct login_ctx *lc = p;

	free(lc->name);
	free(lc);
}

static int
login_pin_done(struct tui *t, struct form *f)
{
	struct login_ctx *lc = form_ctx(f);
	struct volunteer who;
	enum login res;
	int tries = 0;
	int64_t until = 0;
	char *cause = NULL, *msg, when[17];

	memset(&who, 0, sizeof who);
	if (people_login(t->st, lc->id, form_value(f, 0), &res, &tries, &until, &who,
	    &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	switch (res) {
	case LOGIN_OK:
		break;
	case LOGIN_WRONG:
		msg = xasprintf(_("Sai mã PIN. Còn %d lần thử trước khi bị tạm khoá."), tries);
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	case LOGIN_LOCKED:
		util_format_time(until, when);
		msg = xasprintf(_("Tài khoản tạm khoá vì nhập sai nhiều lần. Thử lại sau %s (khoảng %d phút), hoặc nhờ tổ trưởng đặt lại mã PIN."), when + 11,
		    (int)((until - util_now_ms() + 59999) / 60000));
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	case LOGIN_DISABLED:
		form_error(f, 0, _("Tài khoản này đã bị tắt. Hãy hỏi tổ trưởng."));
		return REDRAW;
	default:
		form_error(f, 0, _("Không tìm thấy người này trên máy. Hãy chọn lại."));
		return REDRAW;
	}
	if (lc->supervisor && who.role != ROLE_SUPERVISOR) {
		msg = xasprintf(_("%s không phải tổ trưởng: mục này chỉ dành cho tổ trưởng."), who.name ? who.name : lc->name);
		form_error(f, 0, msg);
		free(msg);
		free(who.name);
		return REDRAW;
	}
	tui_home(t);
	tui_set_volunteer(t, who.id ? who.id : lc->id, who.name ? who.name : xstrdup(lc->name),
	    who.role, lc->supervisor ? MODE_SUPERVISOR : MODE_VOLUNTEER);
	if (lc->supervisor)
		screen_supervisor_menu(t);
	else
		screen_volunteer_menu(t);
	tui_set_flow_home(t);
	return REDRAW;
}

static int
login_name_chosen(struct tui *t, struct menu *m, int i)
{
	struct login_ctx *lc = xcalloc(1, sizeof *lc);
	struct form *f;
	char *s;

	lc->id = (int64_t)menu_value(m, i);
	lc->name = xstrdup(menu_label(m, i));
	/* A non-NULL context marks the supervisor's login. */
	lc->supervisor = menu_ctx(m) != NULL;
	s = xasprintf(_("Mã PIN của %s"), lc->name);
	f = form_new(lc->supervisor ? _("Tổ trưởng") : _("Tình nguyện viên"), login_pin_done);
	form_field(f, s, NULL, FORM_MASKED | FORM_DIGITS, PEOPLE_PIN_MAX);
	free(s);
	form_set_ctx(f, lc, login_ctx_free);
	form_set_help(f, HELP_PIN);
	form_push(t, f);
	return REDRAW;
}

void
screen_volunteer_login(struct tui *t, int supervisor)
{
	struct volunteer *v = NULL;
	struct menu *m;
	size_t n = 0, i;
	char *cause = NULL;

	if (people_volunteer_list(t->st, &v, &n, &cause) == -1) {
		tui_error(t, cause);
		return;
	}
	m = menu_new(supervisor ? _("Tổ trưởng") : _("Tình nguyện viên"), login_name_chosen);
	menu_intro(m, supervisor ? _("Chọn tên tổ trưởng:") : _("Chọn tên của bạn:"), DS_NORMAL);
	for (i = 0; i < n; i++) {
		if (v[i].disabled || (supervisor && v[i].role != ROLE_SUPERVISOR))
			continue;
		menu_add(m, v[i].name, v[i].role == ROLE_SUPERVISOR ? _("tổ trưởng") : NULL,
		    (intptr_t)v[i].id);
	}
	people_volunteers_free(v, n);
	if (supervisor)
		menu_set_ctx(m, xstrdup("supervisor"), free);
	menu_set_help(m, HELP_LOGIN);
	if (menu_count(m) == 0) {
		menu_free(m);
		menu_message(t, supervisor ? _("Tổ trưởng") : _("Tình nguyện viên"),
		    supervisor ? _("Chưa có tổ trưởng nào trên máy này. Thêm bằng lệnh “sotay volunteer” (xem sotay --help).") : _("Chưa có tình nguyện viên nào. Tổ trưởng thêm ở mục Tổ trưởng → Tình nguyện viên."), 1);
		return;
	}
	menu_push(t, m);
}

/* Adding a resident: consent first, then the least details needed. */
enum { RF_NAME, RF_BIRTH, RF_SEX, RF_HAMLET, RF_PHONE };

static int
vol_add_done(struct tui *t, struct form *f)
{
	const char *name = form_value(f, RF_NAME), *by = form_value(f, RF_BIRTH);
	const char *sx = form_value(f, RF_SEX), *hamlet = form_value(f, RF_HAMLET);
	const char *phone = form_value(f, RF_PHONE);
	struct resident r;
	enum sex sex = SEX_UNSAID;
	char now[17], *cause = NULL;
	int year = 0, thisyear;

	while (*name == ' ')
		name++;
	if (*name == '\0') {
		form_error(f, RF_NAME, _("Cần nhập họ tên."));
		return REDRAW;
	}
	util_format_time(util_now_ms(), now);
	thisyear = atoi(now);
	if (*by != '\0') {
		year = atoi(by);
		if (year < 1900 || year > thisyear) {
			form_error(f, RF_BIRTH, _("Năm sinh phải là năm từ 1900 đến nay, hoặc để trống."));
			return REDRAW;
		}
	}
	/* Numbered, as "n" would be "nữ" in Vietnamese and nothing in English, and "m" "male" only there. */
	if (strcmp(sx, "1") == 0)
		sex = SEX_FEMALE;
	else if (strcmp(sx, "2") == 0)
		sex = SEX_MALE;
	else if (*sx != '\0') {
		form_error(f, RF_SEX, _("Giới tính: gõ 1 (nữ), 2 (nam) hoặc để trống."));
		return REDRAW;
	}
	memset(&r, 0, sizeof r);
	if (people_resident_add(t->st, name, year, sex, *hamlet ? hamlet : NULL,
	    *phone ? phone : NULL, 1, &r, &cause) == -1) {
		form_error(f, RF_NAME, cause);
		free(cause);
		return REDRAW;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	tui_popn(t, t->depth - t->base);
	tui_flash(t, _("Đã thêm %s, mã tiếp tục %s."), t->res.display_name, t->res.code);
	screen_resident_person(t);
	return REDRAW;
}

static int
vol_consent_chosen(struct tui *t, struct menu *m, int i)
{
	struct form *f;

	if (menu_value(m, i) != 1) {
		tui_pop(t);
		tui_flash(t, "%s", _("Người dân không đồng ý: không ghi gì. Vẫn có thể hướng dẫn họ mà không lưu."));
		return REDRAW;
	}
	tui_pop(t);
	f = form_new(_("Thêm người dân"), vol_add_done);
	form_field(f, _("Họ tên"), NULL, 0, 60);
	form_field(f, _("Năm sinh (không bắt buộc)"), NULL, FORM_DIGITS, 4);
	form_field(f, _("Giới tính: 1 = nữ, 2 = nam, để trống = không nói"), NULL, FORM_DIGITS, 1);
	form_field(f, _("Thôn"), t->app->cfg.hamlet, 0, 60);
	form_field(f, _("Số điện thoại (không bắt buộc)"), NULL, FORM_DIGITS, 15);
	form_set_help(f, HELP_ADD);
	form_push(t, f);
	return REDRAW;
}

static void
vol_add(struct tui *t)
{
	struct menu *m = menu_new(_("Thêm người dân"), vol_consent_chosen);

	menu_intro(m, _("Trước khi ghi: hỏi người dân có đồng ý để tổ công nghệ số lưu họ tên, năm sinh, giới tính, thôn và số điện thoại (nếu có) trên máy này không. Tên và số điện thoại không rời khỏi máy; không bao giờ ghi mật khẩu hay mã OTP."), DS_NORMAL);
	menu_add(m, _("Có, tôi đồng ý"), NULL, 1);
	menu_add(m, _("Không, cảm ơn"), NULL, 0);
	menu_set_help(m, HELP_CONSENT);
	menu_push(t, m);
}

/* Residents found or listed: the menu's context holds their ids. */
struct res_ctx {
	char	(*ids)[UUID_STR_LEN];
	char	(*sessions)[UUID_STR_LEN];	/* "" for a resident without one */
	size_t	 n;
};

static void
res_ctx_free(void *p)
{
	struct res_ctx *rc = p;

	free(rc->ids);
	free(rc->sessions);
	free(rc);
}

static void
res_ctx_add(struct res_ctx *rc, const char *id, const char *session)
{
	rc->ids = xrealloc(rc->ids, (rc->n + 1) * sizeof *rc->ids);
	rc->sessions = xrealloc(rc->sessions, (rc->n + 1) * sizeof *rc->sessions);
	snprintf(rc->ids[rc->n], UUID_STR_LEN, "%s", id);
	snprintf(rc->sessions[rc->n], UUID_STR_LEN, "%s", session ? session : "");
	rc->n++;
}

/* Makes resident id the one being helped; 0 if found. */
static int
vol_pick_resident(struct tui *t, const char *id)
{
	struct resident r;
	int found = 0;
	char *cause = NULL;

	memset(&r, 0, sizeof r);
	if (people_resident_get(t->st, id, &r, &found, &cause) == -1) {
		tui_error(t, cause);
		return -1;
	}
	if (!found) {
		tui_flash(t, "%s", _("Không tìm thấy người này trên máy. Hãy chọn lại."));
		return -1;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	return 0;
}

static int
vol_res_chosen(struct tui *t, struct menu *m, int i)
{
	struct res_ctx *rc = menu_ctx(m);
	intptr_t v = menu_value(m, i);

	if (v < 0 || (size_t)v >= rc->n || vol_pick_resident(t, rc->ids[v]) == -1)
		return REDRAW;
	tui_popn(t, t->depth - t->base);
	screen_resident_person(t);
	if (rc->sessions[v][0] != '\0')
		return screen_resident_open(t, rc->sessions[v]);
	return REDRAW;
}

static int
vol_find_done(struct tui *t, struct form *f)
{
	const char *q = form_value(f, 0);
	char code[RESUME_CODE_LEN + 1], *cause = NULL, *s, *d;
	struct resident r, *list = NULL;
	struct res_ctx *rc;
	struct menu *m;
	size_t n = 0, i;
	int found = 0;

	while (*q == ' ')
		q++;
	memset(&r, 0, sizeof r);
	if (people_code_normalise(q, code) &&
	    people_resident_by_code(t->st, code, &r, &found, &cause) == 0 && found) {
		tui_set_resident(t, &r);
		people_resident_clear(&r);
		tui_popn(t, t->depth - t->base);
		screen_resident_person(t);
		return REDRAW;
	}
	free(cause);
	cause = NULL;
	if (people_resident_search(t->st, q, 50, &list, &n, &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	if (n == 0) {
		s = xasprintf(_("Không tìm thấy ai với “%s”. Thử một phần của tên, hoặc mã 6 ký tự."), q);
		form_error(f, 0, s);
		free(s);
		return REDRAW;
	}
	s = xasprintf(_("Kết quả cho “%s”"), q);
	m = menu_new(s, vol_res_chosen);
	free(s);
	rc = xcalloc(1, sizeof *rc);
	for (i = 0; i < n; i++) {
		d = list[i].birth_year ? xasprintf("%d · %s", list[i].birth_year, list[i].code) :
		    xstrdup(list[i].code);
		menu_add(m, list[i].display_name ? list[i].display_name : "?", d, (intptr_t)i);
		free(d);
		res_ctx_add(rc, list[i].id, NULL);
	}
	people_residents_free(list, n);
	menu_set_ctx(m, rc, res_ctx_free);
	tui_pop(t);
	menu_push(t, m);
	return REDRAW;
}

static void
vol_find(struct tui *t)
{
	struct form *f = form_new(_("Tìm người dân (tên hoặc mã)"), vol_find_done);

	form_field(f, _("Tên hoặc mã tiếp tục"), NULL, 0, 40);
	form_set_help(f, HELP_FIND);
	form_push(t, f);
}

/* Today's residents and every unfinished session. */
static void
vol_today(struct tui *t)
{
	struct journey_brief *b = NULL;
	struct resident *list = NULL, r;
	struct res_ctx *rc = xcalloc(1, sizeof *rc);
	struct menu *m = menu_new(_("Hôm nay: người dân và việc đang dở"), vol_res_chosen);
	size_t nb = 0, nr = 0, i;
	char *cause = NULL, today[17], *d;
	int64_t midnight;
	int found;

	util_format_time(util_now_ms(), today);
	today[10] = '\0';
	midnight = util_parse_date(today);
	if (journey_list_open(t->st, NULL, &b, &nb, &cause) == -1)
		tui_error(t, cause);
	cause = NULL;
	for (i = 0; i < nb; i++) {
		const char *who = "—";

		memset(&r, 0, sizeof r);
		found = 0;
		if (b[i].resident_id[0] != '\0' &&
		    people_resident_get(t->st, b[i].resident_id, &r, &found, &cause) == -1) {
			free(cause);
			cause = NULL;
		}
		if (found && r.display_name)
			who = r.display_name;
		d = xasprintf(_("%d/%d bước · %s"), b[i].done, b[i].nsteps,
		    b[i].state == SESSION_PAUSED ? _("tạm dừng") : _("đang làm"));
		{
			char *label = xasprintf("%s — %s", who,
			    screen_resident_title(t, b[i].checklist_id));

			if (b[i].resident_id[0] != '\0') {
				menu_add(m, label, d, (intptr_t)rc->n);
				res_ctx_add(rc, b[i].resident_id, b[i].id);
			}
			free(label);
		}
		free(d);
		if (found)
			people_resident_clear(&r);
	}
	journey_briefs_free(b, nb);
	if (people_resident_search(t->st, "", 200, &list, &nr, &cause) == -1)
		tui_error(t, cause);
	for (i = 0; i < nr; i++) {
		if (list[i].created_at < midnight)
			continue;
		menu_add(m, list[i].display_name ? list[i].display_name : "?", list[i].code,
		    (intptr_t)rc->n);
		res_ctx_add(rc, list[i].id, NULL);
	}
	people_residents_free(list, nr);
	menu_intro(m, rc->n > 0 ? _("Việc đang dở và người dân thêm hôm nay:") : _("Hôm nay chưa có ai, và không có việc nào đang dở."), DS_NORMAL);
	menu_set_ctx(m, rc, res_ctx_free);
	menu_push(t, m);
}

enum { VM_ADD, VM_FIND, VM_TODAY, VM_LOGOUT };

static int
vol_menu_chosen(struct tui *t, struct menu *m, int i)
{
	switch (menu_value(m, i)) {
	case VM_ADD:
		vol_add(t);
		break;
	case VM_FIND:
		vol_find(t);
		break;
	case VM_TODAY:
		vol_today(t);
		break;
	default:
		tui_home(t);
		break;
	}
	return REDRAW;
}

void
screen_volunteer_menu(struct tui *t)
{
	char *s = xasprintf(_("Tình nguyện viên: %s"), t->vol_name ? t->vol_name : "");
	struct menu *m = menu_new(s, vol_menu_chosen);
	struct draw_key k[] = { { "Esc", _("Đăng xuất") } };

	free(s);
	/* A new person starts with the volunteer's menu: nobody is being helped yet. */
	tui_clear_resident(t);
	menu_add(m, _("Thêm người dân"), NULL, VM_ADD);
	menu_add(m, _("Tìm người dân (tên hoặc mã)"), NULL, VM_FIND);
	menu_add(m, _("Hôm nay: người dân và việc đang dở"), NULL, VM_TODAY);
	menu_add(m, _("Đăng xuất"), NULL, VM_LOGOUT);
	menu_set_key(m, menu_key_sign_out, k, 1);
	menu_no_back(m);
	menu_set_help(m, HELP_VOLUNTEER);
	menu_push(t, m);
}
