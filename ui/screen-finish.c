/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-finish.c: the end of a visit to a checklist — how many steps are
 * done, skipped and blocked, what to do next, and the resume code when
 * anything is left, with the notes written during the session for the
 * volunteer to read before the resident leaves — and the screen that shows
 * a new resume code large.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "flows.h"
#include "journey.h"
#include "slip.h"

#define FINISH_NOTES_SHOWN	5	/* the newest ones; the rest are counted */

/* The session's notes, read once when the summary opens. */
struct finish_view {
	struct journey_note *notes;
	size_t		 n;
};

static void
finish_enter(struct tui *t, struct view *v)
{
	struct finish_view *fv = xcalloc(1, sizeof *fv);
	char *cause = NULL;

	v->state = fv;
	slip_probe(&t->app->cfg);	/* a printer plugged in since last time shows up */
	if (t->j != NULL && journey_notes(t->st, t->j->id, &fv->notes, &fv->n, &cause) == -1)
		tui_error(t, cause);
}

static void
finish_leave(struct tui *t, struct view *v)
{
	struct finish_view *fv = v->state;

	journey_notes_free(fv->notes, fv->n);
	free(fv);
}

/*
 * The newest notes (at most FINISH_NOTES_SHOWN), one line each, from row y,
 * and how many more there are; returns the next free row. Keeps reserve
 * rows free at the bottom for the resume code.
 */
static int
finish_draw_notes(const struct finish_view *fv, WINDOW *win, int y, int x, int textw,
    int bottom, int reserve)
{
	int room = bottom - reserve - y;	/* rows under the heading */
	size_t shown = fv->n < FINISH_NOTES_SHOWN ? fv->n : FINISH_NOTES_SHOWN, i;
	char when[17], *s;

	if (fv->n == 0 || room < 1)
		return y;
	if ((size_t)room < shown + (shown < fv->n))
		shown = (size_t)room - 1 > 0 ? (size_t)room - 1 : 1;
	draw_text(win, y++, x, textw, _("Ghi chú của buổi làm:"), DS_BOLD);
	for (i = fv->n - shown; i < fv->n; i++) {
		util_format_time(fv->notes[i].at, when);
		s = xasprintf(_("  Bước %d (%s): %s"), fv->notes[i].step + 1, when + 11, fv->notes[i].text);
		draw_textcut(win, y++, x, textw, s, DS_NORMAL);
		free(s);
	}
	if (shown < fv->n && y <= bottom - reserve) {
		s = xasprintf(_("  … và %zu ghi chú khác"), fv->n - shown);
		draw_text(win, y++, x, textw, s, DS_DIM);
		free(s);
	}
	return y + 1;
}

/* The key that prints the slip to take home: a digit, the same in every language. */
#define FINISH_KEY_SLIP		'1'
#define FINISH_KEY_SLIP_NAME	"1"

static int
finish_print(struct tui *t)
{
	char *text, *cause = NULL;

	if (slip_printer() == NULL || t->j == NULL)
		return 0;	/* not offered */
	text = slip_text(t->j, t->has_res ? t->res.code : NULL, &t->app->cfg, util_now_ms());
	if (slip_print(text, &cause) == -1)
		tui_error(t, cause);
	else
		tui_flash(t, _("Đang gửi phiếu tới máy in %s…"), slip_printer());
	free(text);
	return REDRAW;
}

static int
finish_key(struct tui *t, struct view *v, int key)
{
	switch (key) {
	case FINISH_KEY_SLIP:
		return finish_print(t);
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
	case KEY_ESCAPE:
	case 'q':
	case 'Q':
		screen_resident_after(t);
		return REDRAW;
	}
	return 0;
}

static void
finish_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	const struct journey *j = t->j;
	const struct checklist *c;
	struct journey_counts n;
	struct draw_lines l = { 0 };
	struct draw_key keys[] = { { "Enter", C_("key", "Xong") },
		{ FINISH_KEY_SLIP_NAME, _("In phiếu mang về") } };
	int y = TUI_BODY_TOP, x = 2, textw = w - 4, left;
	size_t i;
	char *s;

	if (j == NULL)
		return;
	c = j->checklist;
	journey_count(j, &n);
	left = n.todo + n.blocked;
	draw_text(win, y++, x, textw, j->state == SESSION_FINISHED ? _("Hoàn thành! Mọi bước đã được đánh dấu.") :
	    _("Đã tạm dừng. Mọi bước đã làm đều được lưu."), DS_OK);
	y++;
	s = xasprintf(_("Xong: %d   Bỏ qua: %d   Vướng: %d   Còn lại: %d"), n.done, n.skipped, n.blocked, n.todo);
	draw_textcut(win, y++, x, textw, s, DS_BOLD);
	free(s);
	draw_bar(win, y++, x, textw > 60 ? 60 : textw, n.done + n.skipped + n.blocked,
	    (double)c->nsteps);
	y++;
	/* What to do next. */
	if (n.blocked > 0)
		draw_wrap(_("Việc tiếp theo: giải quyết các bước bị vướng dưới đây (mang đủ giấy tờ, hỏi cán bộ xã) rồi quay lại làm tiếp."), textw, &l);
	else if (n.todo > 0)
		draw_wrap(_("Việc tiếp theo: quay lại bất cứ lúc nào và dùng mã tiếp tục để làm nốt các bước còn lại."), textw, &l);
	else {
		s = xasprintf(_("Việc tiếp theo: từ nay bạn có thể tự dùng %s. Hỏi tình nguyện viên nếu cần."), c->app ? c->app : c->url ? c->url : "");
		draw_wrap(s, textw, &l);
		free(s);
	}
	for (i = 0; i < c->nsteps; i++)
		if (j->marks[i] == MARK_BLOCKED) {
			const char *r = j->reasons && j->reasons[i] ? j->reasons[i] : "";
			const struct block_reason *br = checklist_reason(c, r);

			if (br != NULL)
				r = text_for(&br->text, i18n_code());
			s = xasprintf("  [!] %zu. %s — %s", i + 1,
			    text_for(&c->steps[i].title, i18n_code()), r);
			draw_wrap(s, textw, &l);
			free(s);
		}
	for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
		draw_text(win, y++, x, textw, l.line[i], DS_NORMAL);
	draw_lines_free(&l);
	y++;
	/* The notes, keeping two rows for the resume code line when one is shown. */
	y = finish_draw_notes(v->state, win, y, x, textw, TUI_BODY_BOTTOM(h), left > 0 ? 2 : 0);
	if (left > 0 && y <= TUI_BODY_BOTTOM(h)) {
		if (t->has_res) {
			s = xasprintf(_("Mã tiếp tục: %s"), t->res.code);
			draw_text(win, y++, x, textw, s, DS_BOLD);
			free(s);
			if (y + DRAW_BIG_ROWS <= TUI_BODY_BOTTOM(h) + 1)
				draw_big(win, y, x, t->res.code);
		} else {
			draw_wrap(_("Không có mã tiếp tục vì bạn chọn không lưu thông tin. Lần sau hãy bắt đầu lại, hoặc nhờ tình nguyện viên."), textw, &l);
			for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
				draw_text(win, y++, x, textw, l.line[i], DS_WARN);
			draw_lines_free(&l);
		}
	}
	/* The slip is offered only when there is a printer. */
	tui_frame(t, win, h, w, text_for(&c->title, i18n_code()), keys, slip_printer() != NULL ? 2 : 1);
}

const struct screen screen_finish = {
	.name = "finish",
	.help = HELP_FINISH,
	.guard = 1,
	.enter = finish_enter,
	.key = finish_key,
	.draw = finish_draw,
	.leave = finish_leave,
};

static int
code_key(struct tui *t, struct view *v, int key)
{
	switch (key) {
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
	case KEY_ESCAPE:
		tui_pop(t);
		return REDRAW;
	}
	return 0;
}

static void
code_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct draw_lines l = { 0 };
	struct draw_key keys[] = { { "Enter", C_("key", "Bắt đầu") } };
	int y = TUI_BODY_TOP, textw = w - 4, bw;
	size_t i;
	char *s;

	draw_wrap(_("Hãy ghi lại mã này. Lần sau chọn “Người dân tự làm” → “Tiếp tục bằng mã” và gõ mã để làm tiếp."), textw, &l);
	for (i = 0; i < l.n; i++)
		draw_text(win, y++, 2, textw, l.line[i], DS_NORMAL);
	draw_lines_free(&l);
	y++;
	bw = draw_big_width(t->res.code);
	draw_big(win, y, (w - bw) / 2, t->res.code);
	y += DRAW_BIG_ROWS + 1;
	s = xasprintf(_("Mã tiếp tục: %s"), t->res.code);
	draw_text(win, y, (w - draw_width(s)) / 2, textw, s, DS_BOLD);
	free(s);
	tui_frame(t, win, h, w, _("Mã tiếp tục của bạn"), keys, 1);
}

const struct screen screen_code = {
	.name = "code",
	.help = HELP_CODE,
	.guard = 1,
	.key = code_key,
	.draw = code_draw,
};
