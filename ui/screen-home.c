/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-home.c: the first screen and the one the kiosk returns to. It names
 * the kiosk and its place, offers the ways in (a resident alone, a
 * volunteer, a supervisor), the language and help, and shows at the bottom
 * whether the kiosk is online, how many events wait to be sent and when it
 * last synced.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "flows.h"
#include "store.h"
#include "sync-state.h"
#include "tui.h"

enum { HOME_RESIDENT, HOME_VOLUNTEER, HOME_SUPERVISOR, HOME_LANG, HOME_HELP, HOME_QUIT, HOME_N };

struct home {
	int	 sel;
	int64_t	 status_at;	/* when the status below was read */
	unsigned long moves;	/* t->moves then: read again after coming back */
	int64_t	 pending;
	int	 online;	/* -1 unknown (never synced) */
	char	*last_ok;
};

static int
home_count(struct tui *t)
{
	return t->app->kiosk ? HOME_QUIT : HOME_N;
}

static void
home_enter(struct tui *t, struct view *v)
{
	v->state = xcalloc(1, sizeof(struct home));
}

static void
home_leave(struct tui *t, struct view *v)
{
	struct home *hm = v->state;

	free(hm->last_ok);
	free(hm);
}

/* Online: the last sync attempt succeeded (its error is a message, not a time). */
static void
home_refresh(struct tui *t, struct view *v)
{
	struct home *hm = v->state;
	struct store_counts c;
	struct sync_state ss;
	char *cause = NULL, when[17];

	/* Read every few seconds, and whenever the screen comes back on top. */
	if (hm->status_at != 0 && hm->moves == t->moves && util_now_ms() - hm->status_at < 5000)
		return;
	hm->status_at = util_now_ms();
	hm->moves = t->moves;
	if (store_counts(t->st, &c, &cause) == 0)
		hm->pending = c.pending;
	else {
		free(cause);
		cause = NULL;
		hm->pending = -1;
	}
	free(hm->last_ok);
	hm->last_ok = NULL;
	if (sync_state_read(t->st, &ss, &cause) != 0) {
		free(cause);
		hm->online = -1;
		return;
	}
	if (ss.last_ok_ms > 0) {
		util_format_time(ss.last_ok_ms, when);
		hm->last_ok = xstrdup(when);
	}
	hm->online = sync_state_online(&ss);
	sync_state_free(&ss);
}

static int
home_choose(struct tui *t, struct home *hm)
{
	/* Whoever used the kiosk before is forgotten before anyone else starts. */
	if (hm->sel <= HOME_SUPERVISOR)
		tui_home(t);
	switch (hm->sel) {
	case HOME_RESIDENT:
		tui_set_mode(t, MODE_RESIDENT);
		screen_resident_start(t);
		break;
	case HOME_VOLUNTEER:
		screen_volunteer_login(t, 0);
		break;
	case HOME_SUPERVISOR:
		screen_volunteer_login(t, 1);
		break;
	case HOME_LANG:
		tui_next_language(t);
		break;
	case HOME_HELP:
		tui_push(t, &screen_help, (void *)(intptr_t)HELP_HOME);
		break;
	case HOME_QUIT:
		return BREAK;
	}
	return REDRAW;
}

static int
home_key(struct tui *t, struct view *v, int key)
{
	struct home *hm = v->state;
	int n = home_count(t);

	switch (key) {
	case TK(KEY_UP):
		hm->sel = (hm->sel + n - 1) % n;
		return REDRAW;
	case TK(KEY_DOWN):
	case '\t':
		hm->sel = (hm->sel + 1) % n;
		return REDRAW;
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
	case TK(KEY_RIGHT):
		return home_choose(t, hm);
	case 'q':
	case 'Q':
		if (!t->app->kiosk)
			return BREAK;
		return 0;
	}
	if (key >= '1' && key < '1' + n) {
		hm->sel = key - '1';
		return home_choose(t, hm);
	}
	return 0;
}

static void
home_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct home *hm = v->state;
	const struct config *c = &t->app->cfg;
	const char *labels[HOME_N] = {
		_("Người dân tự làm"), _("Tình nguyện viên"), _("Tổ trưởng"),
		i18n_name(i18n_next(i18n_code())), _("Hướng dẫn sử dụng"), _("Thoát"),
	};
	struct draw_key keys[3];
	char *line, clock[17], num[8];
	int y = TUI_BODY_TOP, x = 4, i, n = home_count(t), used;
	size_t nk = 0;

	draw_textcut(win, y++, x, w - 8, c->kiosk_name ? c->kiosk_name : _("Sổ tay số"), DS_BOLD);
	if (c->commune != NULL || c->hamlet != NULL) {
		line = xasprintf("%s%s%s%s%s", c->hamlet && !config_place_named(c->hamlet) ? _("Thôn: ") : "",
		    c->hamlet ? c->hamlet : "", c->hamlet && c->commune ? " · " : "",
		    c->commune && !config_place_named(c->commune) ? _("Xã/phường: ") : "",
		    c->commune ? c->commune : "");
		draw_textcut(win, y++, x, w - 8, line, DS_NORMAL);
		free(line);
	}
	y++;
	draw_textcut(win, y++, x, w - 8, _("Xin chào! Chọn việc bằng phím số, hoặc mũi tên rồi Enter."), DS_NORMAL);
	y++;
	for (i = 0; i < n; i++, y++) {
		enum draw_style st = i == hm->sel ? DS_SELECTED : DS_NORMAL;

		snprintf(num, sizeof num, " %d ", i + 1);
		draw_fill(win, y, x, 44, st);
		used = draw_text(win, y, x, 4, num, st);
		draw_textcut(win, y, x + used, 44 - used, labels[i], st);
	}
	/* The status line, just above the message line. */
	util_format_time(util_now_ms(), clock);
	{
		char *pend = xasprintf(_("%lld sự kiện chờ gửi"), (long long)(hm->pending < 0 ? 0 : hm->pending));
		char *last = xasprintf(_("Đồng bộ lần cuối: %s"), hm->last_ok ? hm->last_ok : _("chưa lần nào"));

		line = xasprintf("%s · %s · %s · %s", clock + 11,
		    hm->online == 1 ? _("Có mạng") : _("Ngoại tuyến"), pend, last);
		draw_fill(win, h - 3, 0, w, DS_DIM);
		draw_textcut(win, h - 3, 1, w - 2, line, hm->online == 1 ? DS_OK : DS_WARN);
		free(pend);
		free(last);
		free(line);
	}
	keys[nk++] = (struct draw_key){ n == HOME_N ? "1-6" : "1-5", _("Chọn") };
	if (!t->app->kiosk)
		keys[nk++] = (struct draw_key){ "Q", _("Thoát") };
	tui_frame(t, win, h, w, _("Sổ tay số — Trang chủ"), keys, nk);
}

const struct screen screen_home = {
	.name = "home",
	.help = HELP_HOME,
	.tick = 1,
	.enter = home_enter,
	.key = home_key,
	.refresh = home_refresh,
	.draw = home_draw,
	.leave = home_leave,
};
