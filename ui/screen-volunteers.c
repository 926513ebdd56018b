/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-volunteers.c: the supervisor manages volunteers — adds one (name,
 * role, PIN typed twice), disables or enables an account, resets a PIN.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "flows.h"
#include "form.h"
#include "menu.h"
#include "people.h"


/* After a change: the list again, fresh. */
static void
sup_volunteers_again(struct tui *t)
{
	tui_popn(t, t->depth - t->base);
	screen_volunteers_list(t);
}

enum { VF_NAME, VF_ROLE, VF_PIN, VF_PIN2 };

static int
sup_add_done(struct tui *t, struct form *f)
{
	const char *name = form_value(f, VF_NAME), *role = form_value(f, VF_ROLE);
	char *cause = NULL;
	enum role r;

	while (*name == ' ')
		name++;
	if (*name == '\0') {
		form_error(f, VF_NAME, _("Cần nhập họ tên."));
		return REDRAW;
	}
	/* Numbers, not letters: "tình nguyện viên" and "tổ trưởng" both begin with t. */
	if (*role == '\0' || strcmp(role, "1") == 0)
		r = ROLE_VOLUNTEER;
	else if (strcmp(role, "2") == 0)
		r = ROLE_SUPERVISOR;
	else {
		form_error(f, VF_ROLE, _("Vai trò: gõ 1 (tình nguyện viên) hoặc 2 (tổ trưởng)."));
		return REDRAW;
	}
	if (strcmp(form_value(f, VF_PIN), form_value(f, VF_PIN2)) != 0) {
		form_error(f, VF_PIN2, _("Hai lần gõ mã PIN không khớp. Hãy gõ lại."));
		return REDRAW;
	}
	if (people_volunteer_add(t->st, name, r, form_value(f, VF_PIN), NULL, &cause) == -1) {
		form_error(f, VF_PIN, cause);
		free(cause);
		return REDRAW;
	}
	tui_flash(t, _("Đã thêm %s."), name);
	sup_volunteers_again(t);
	return REDRAW;
}

static int
sup_pin_done(struct tui *t, struct form *f)
{
	int64_t id = *(int64_t *)form_ctx(f);
	char *cause = NULL;

	if (strcmp(form_value(f, 0), form_value(f, 1)) != 0) {
		form_error(f, 1, _("Hai lần gõ mã PIN không khớp. Hãy gõ lại."));
		return REDRAW;
	}
	if (people_volunteer_set_pin(t->st, id, form_value(f, 0), &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	tui_flash(t, "%s", _("Đã lưu."));
	sup_volunteers_again(t);
	return REDRAW;
}

enum { VA_TOGGLE, VA_PIN };

static int
sup_action_chosen(struct tui *t, struct menu *m, int i)
{
	int64_t *ctx = menu_ctx(m), id = ctx[0], *pid;
	int disabled = (int)ctx[1];
	char *cause = NULL;
	struct form *f;

	if (menu_value(m, i) == VA_TOGGLE) {
		if (id == t->vol_id && !disabled) {
			tui_flash(t, "%s", _("Không thể tự tắt tài khoản của mình: nhờ một tổ trưởng khác."));
			return REDRAW;
		}
		if (people_volunteer_disable(t->st, id, !disabled, &cause) == -1) {
			tui_error(t, cause);
			return REDRAW;
		}
		tui_flash(t, "%s", _("Đã lưu."));
		sup_volunteers_again(t);
		return REDRAW;
	}
	pid = xmalloc(sizeof *pid);
	*pid = id;
	f = form_new(menu_label(m, i), sup_pin_done);
	form_field(f, _("Mã PIN mới (4–12 chữ số)"), NULL, FORM_MASKED | FORM_DIGITS, PEOPLE_PIN_MAX);
	form_field(f, _("Gõ lại mã PIN"), NULL, FORM_MASKED | FORM_DIGITS, PEOPLE_PIN_MAX);
	form_set_ctx(f, pid, free);
	form_push(t, f);
	return REDRAW;
}

static int
sup_vol_chosen(struct tui *t, struct menu *m, int i)
{
	struct volunteer *v = NULL;
	size_t n = 0, k;
	char *cause = NULL;
	int64_t id = (int64_t)menu_value(m, i), *ctx;
	struct form *f;
	struct menu *am;

	if (id < 0) {
		f = form_new(_("+ Thêm tình nguyện viên"), sup_add_done);
		form_field(f, _("Họ tên"), NULL, 0, 60);
		form_field(f, _("Vai trò: 1 = tình nguyện viên, 2 = tổ trưởng"), "1", FORM_DIGITS, 1);
		form_field(f, _("Mã PIN (4–12 chữ số)"), NULL, FORM_MASKED | FORM_DIGITS, PEOPLE_PIN_MAX);
		form_field(f, _("Gõ lại mã PIN"), NULL, FORM_MASKED | FORM_DIGITS, PEOPLE_PIN_MAX);
		form_push(t, f);
		return REDRAW;
	}
	if (people_volunteer_list(t->st, &v, &n, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	for (k = 0; k < n && v[k].id != id; k++)
		;
	if (k < n) {
		ctx = xcalloc(2, sizeof *ctx);
		ctx[0] = id;
		ctx[1] = v[k].disabled;
		am = menu_new(v[k].name, sup_action_chosen);
		menu_add(am, v[k].disabled ? _("Bật lại tài khoản") : _("Tắt tài khoản"), NULL, VA_TOGGLE);
		menu_add(am, _("Đặt lại mã PIN"), NULL, VA_PIN);
		menu_set_ctx(am, ctx, free);
		menu_push(t, am);
	}
	people_volunteers_free(v, n);
	return REDRAW;
}

void
screen_volunteers_list(struct tui *t)
{
	struct volunteer *v = NULL;
	struct menu *m;
	size_t n = 0, i;
	char *cause = NULL, *d;

	if (people_volunteer_list(t->st, &v, &n, &cause) == -1) {
		tui_error(t, cause);
		return;
	}
	m = menu_new(C_("list", "Tình nguyện viên"), sup_vol_chosen);
	menu_add(m, _("+ Thêm tình nguyện viên"), NULL, -1);
	for (i = 0; i < n; i++) {
		d = xasprintf("%s%s%s", role_name(v[i].role),
		    v[i].disabled ? _(" · đã tắt") : "",
		    v[i].locked_until > util_now_ms() ? _(" · đang khoá") : "");
		menu_add(m, v[i].name, d, (intptr_t)v[i].id);
		free(d);
	}
	people_volunteers_free(v, n);
	menu_set_help(m, HELP_VOLUNTEERS);
	menu_push(t, m);
}

