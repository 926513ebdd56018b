/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-report.c: the supervisor's reports (this week, this month) drawn
 * as text bar charts: people helped, sessions per checklist and skill, the
 * steps most often blocked.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "flows.h"
#include "report.h"


struct report_line {
	char		*text;
	enum draw_style	 style;
	double		 value, max;	/* a bar when max > 0 */
	char		*right;		/* figures after the bar */
};

struct report_view {
	int			 month;	/* 0: this week, 1: this month */
	int			 scroll;
	struct report_line	*lines;
	size_t			 n;
	char			*error;
};

static void
report_add(struct report_view *rv, enum draw_style st, const char *text, double value,
    double max, const char *right)
{
	rv->lines = xrealloc(rv->lines, (rv->n + 1) * sizeof *rv->lines);
	rv->lines[rv->n].text = xstrdup(text);
	rv->lines[rv->n].style = st;
	rv->lines[rv->n].value = value;
	rv->lines[rv->n].max = max;
	rv->lines[rv->n++].right = right ? xstrdup(right) : NULL;
}

static void
report_clear(struct report_view *rv)
{
	size_t i;

	for (i = 0; i < rv->n; i++) {
		free(rv->lines[i].text);
		free(rv->lines[i].right);
	}
	free(rv->lines);
	rv->lines = NULL;
	rv->n = 0;
	free(rv->error);
	rv->error = NULL;
}

/* Local midnight of the week's Monday or of the month's first day. */
static int64_t
report_period_start(int month)
{
	time_t now = (time_t)(util_now_ms() / 1000);
	struct tm tm;

	localtime_r(&now, &tm);
	if (month)
		tm.tm_mday = 1;
	else
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static void
report_load(struct tui *t, struct report_view *rv)
{
	struct report *r = NULL;
	char *cause = NULL, *s, *fig, from[17], to[17];
	int64_t start = report_period_start(rv->month), end = util_now_ms() + 1;
	size_t i;
	int maxrow = 1;

	report_clear(rv);
	if (report_build(t->st, start, end, &r, &cause) == -1) {
		rv->error = cause;
		return;
	}
	util_format_time(start, from);
	util_format_time(end, to);
	from[10] = to[10] = '\0';
	s = xasprintf("%s: %s → %s", rv->month ? _("Tháng này") : _("Tuần này"), from, to);
	report_add(rv, DS_BOLD, s, 0, 0, NULL);
	free(s);
	s = xasprintf(_("Người được giúp: %d · Bắt đầu: %d · Hoàn thành: %d (%d%%)"), r->people, r->started, r->finished,
	    r->started ? r->finished * 100 / r->started : 0);
	report_add(rv, DS_NORMAL, s, 0, 0, NULL);
	free(s);
	if (r->started == 0) {
		report_add(rv, DS_NORMAL, "", 0, 0, NULL);
		report_add(rv, DS_DIM, _("Chưa có số liệu trong khoảng này."), 0, 0, NULL);
	}
	if (r->nchecklist > 0) {
		report_add(rv, DS_NORMAL, "", 0, 0, NULL);
		report_add(rv, DS_BOLD, _("Theo hướng dẫn (hoàn thành/bắt đầu)"), 0, 0, NULL);
	}
	for (i = 0; i < r->nchecklist; i++) {
		const struct report_row *row = &r->by_checklist[i];

		fig = xasprintf("%d/%d %3d%%", row->finished, row->started,
		    row->started ? row->finished * 100 / row->started : 0);
		report_add(rv, DS_NORMAL, screen_resident_title(t, row->key), row->finished,
		    row->started > 0 ? row->started : 1, fig);
		free(fig);
	}
	if (r->ncategory > 0) {
		report_add(rv, DS_NORMAL, "", 0, 0, NULL);
		report_add(rv, DS_BOLD, _("Theo nhóm kỹ năng"), 0, 0, NULL);
	}
	for (i = 0; i < r->ncategory; i++) {
		const struct report_row *row = &r->by_category[i];
		int cat = category_parse(row->key);

		fig = xasprintf("%d/%d %3d%%", row->finished, row->started,
		    row->started ? row->finished * 100 / row->started : 0);
		report_add(rv, DS_NORMAL, cat >= 0 ? category_name((enum category)cat) :
		    row->key, row->finished, row->started > 0 ? row->started : 1, fig);
		free(fig);
	}
	if (r->nblocks > 0) {
		report_add(rv, DS_NORMAL, "", 0, 0, NULL);
		report_add(rv, DS_BOLD, _("Hay bị vướng nhất"), 0, 0, NULL);
		maxrow = r->blocks[0].count > 0 ? r->blocks[0].count : 1;
	}
	for (i = 0; i < r->nblocks; i++) {
		const struct report_block *b = &r->blocks[i];
		const struct checklist *c = library_find(tui_library(t), b->checklist_id);
		const char *reason = b->reason ? b->reason : "";
		const struct block_reason *br = checklist_reason(c, reason);

		if (br != NULL)
			reason = text_for(&br->text, i18n_code());
		s = xasprintf("%s: %s", screen_resident_title(t, b->checklist_id), reason);
		fig = xasprintf("%d", b->count);
		report_add(rv, DS_NORMAL, s, b->count, maxrow, fig);
		free(s);
		free(fig);
	}
	report_free(r);
}

static void
rep_enter(struct tui *t, struct view *v)
{
	struct report_view *rv = xcalloc(1, sizeof *rv);

	v->state = rv;
	report_load(t, rv);
}

static void
rep_leave(struct tui *t, struct view *v)
{
	report_clear(v->state);
	free(v->state);
}

static int
rep_key(struct tui *t, struct view *v, int key)
{
	struct report_view *rv = v->state;

	switch (key) {
	case '\t':
	case 'w':
	case 'W':
	case 'm':
	case 'M':
		rv->month = key == '\t' ? !rv->month : (key == 'm' || key == 'M');
		rv->scroll = 0;
		report_load(t, rv);
		return REDRAW;
	case TK(KEY_DOWN):
	case TK(KEY_NPAGE):
		rv->scroll += key == TK(KEY_DOWN) ? 1 : 10;
		return REDRAW;
	case TK(KEY_UP):
	case TK(KEY_PPAGE):
		rv->scroll -= key == TK(KEY_UP) ? 1 : 10;
		if (rv->scroll < 0)
			rv->scroll = 0;
		return REDRAW;
	case KEY_ESCAPE:
	case TK(KEY_LEFT):
		tui_pop(t);
		return REDRAW;
	}
	return 0;
}

static void
rep_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct report_view *rv = v->state;
	struct draw_key keys[] = {
		{ "W", _("Tuần này") }, { "M", _("Tháng này") }, { "↑↓", _("Cuộn") },
		{ "Esc", _("Quay lại") },
	};
	int rows = TUI_BODY_BOTTOM(h) - TUI_BODY_TOP + 1, y, x = 2, textw = w - 4;
	int labelw = textw - 32, barw, rw;
	size_t i;

	if (rv->error != NULL)
		draw_textcut(win, TUI_BODY_TOP, x, textw, rv->error, DS_ERROR);
	if (rv->scroll > (int)rv->n - rows)
		rv->scroll = (int)rv->n - rows > 0 ? (int)rv->n - rows : 0;
	for (i = (size_t)rv->scroll, y = TUI_BODY_TOP; i < rv->n && y <= TUI_BODY_BOTTOM(h);
	    i++, y++) {
		const struct report_line *ln = &rv->lines[i];

		if (ln->max <= 0) {
			draw_textcut(win, y, x, textw, ln->text, ln->style);
			continue;
		}
		draw_textcut(win, y, x + 2, labelw - 2, ln->text, ln->style);
		rw = ln->right ? draw_width(ln->right) : 0;
		barw = textw - labelw - rw - 2;
		draw_bar(win, y, x + labelw, barw, ln->value, ln->max);
		if (ln->right)
			draw_text(win, y, x + textw - rw, rw, ln->right, DS_NORMAL);
	}
	tui_frame(t, win, h, w, _("Báo cáo"), keys, sizeof keys / sizeof keys[0]);
}

const struct screen screen_report = {
	.name = "report",
	.help = HELP_REPORT,
	.enter = rep_enter,
	.key = rep_key,
	.draw = rep_draw,
	.leave = rep_leave,
};

