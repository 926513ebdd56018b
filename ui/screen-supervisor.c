/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-supervisor.c: the supervisor's menu — sync now (screen-sync.c),
 * the reports (screen-report.c), the volunteers (screen-volunteers.c),
 * enrolment with the provincial server (screen-enrol.c) —
 * and the only way out of a kiosk started with --kiosk.
 */
#include <stdlib.h>

#include "i18n.h"
#include "flows.h"
#include "menu.h"


enum { SM_SYNC, SM_REPORT, SM_VOLUNTEERS, SM_ENROL, SM_LEAVE, SM_LOGOUT };

static int
sup_menu_chosen(struct tui *t, struct menu *m, int i)
{
	switch (menu_value(m, i)) {
	case SM_SYNC:
		tui_push(t, &screen_sync, NULL);
		break;
	case SM_REPORT:
		tui_push(t, &screen_report, NULL);
		break;
	case SM_VOLUNTEERS:
		screen_volunteers_list(t);
		break;
	case SM_ENROL:
		screen_enrol_form(t, NULL);
		break;
	case SM_LEAVE:
		return BREAK;
	default:
		tui_home(t);
		break;
	}
	return REDRAW;
}

void
screen_supervisor_menu(struct tui *t)
{
	char *s = xasprintf(_("Tổ trưởng: %s"), t->vol_name ? t->vol_name : "");
	struct menu *m = menu_new(s, sup_menu_chosen);
	struct draw_key k[] = { { "Esc", _("Đăng xuất") } };

	free(s);
	menu_add(m, _("Đồng bộ ngay"), NULL, SM_SYNC);
	menu_add(m, _("Báo cáo"), NULL, SM_REPORT);
	menu_add(m, C_("list", "Tình nguyện viên"), NULL, SM_VOLUNTEERS);
	menu_add(m, _("Ghi danh với máy chủ tỉnh"), NULL, SM_ENROL);
	menu_add(m, t->app->kiosk ? _("Rời chế độ ki-ốt (thoát chương trình)") : _("Thoát chương trình"), NULL, SM_LEAVE);
	menu_add(m, _("Đăng xuất"), NULL, SM_LOGOUT);
	menu_set_key(m, menu_key_sign_out, k, 1);
	menu_no_back(m);
	menu_set_help(m, HELP_SUPERVISOR);
	menu_push(t, m);
}
