/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-step.c: one step of a checklist at a time — "Bước 3/9" with a
 * progress bar, the step's title, detail and tip wrapped to the width and
 * scrollable, the notes written on the step, the list of steps with their
 * marks when the terminal is wide enough, and a QR code of the official
 * address when it fits. Every change goes through journey_* first; the
 * screen confirms only what was saved, and shows the message when saving
 * failed. The session's notes are read from the database when the screen
 * opens and after a note is added, not on each redraw (it redraws on every
 * key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "flows.h"
#include "journey.h"
#include "qr.h"
#include "form.h"
#include "menu.h"
#include "speak.h"

#define STEP_LIST_MIN_COLS	100	/* the list of steps shows from this width */
#define STEP_LIST_COLS		32
#define STEP_TEXT_MIN_COLS	40	/* the QR code never squeezes the text below this */
#define STEP_QR_QUIET		2
/* After the step number in the list when the step has notes; ASCII where UTF-8 cannot show. */
#define STEP_NOTE_MARK		"✎"	/* drawn as "*" where the locale is not UTF-8 */

/* The step's actions, in the key bar in this order. */
#define STEP_KEY_DONE		'1'
#define STEP_KEY_SKIP		'2'
#define STEP_KEY_BLOCKED	'3'
#define STEP_KEY_NOTE		'4'
#define STEP_KEY_UNDO		'5'

struct step_view {
	int		 scroll;
	int		 shown_step;	/* scroll goes back to the top when the step changes */
	struct qr	*qr;
	char		*qr_url;
	/* The notes of the session notes_of, oldest first; owned. */
	struct journey_note *notes;
	size_t		 nnotes;
	char		 notes_of[UUID_STR_LEN];
};

/* Reads the notes of the session on screen again; a failure shows at the bottom. */
static void
step_notes_load(struct tui *t, struct step_view *sv)
{
	char *cause = NULL;

	journey_notes_free(sv->notes, sv->nnotes);
	sv->notes = NULL;
	sv->nnotes = 0;
	sv->notes_of[0] = '\0';
	if (t->j == NULL)
		return;
	snprintf(sv->notes_of, sizeof sv->notes_of, "%s", t->j->id);
	if (journey_notes(t->st, t->j->id, &sv->notes, &sv->nnotes, &cause) == -1)
		tui_error(t, cause);
}

/* Whether step i has a note (no database read: the notes loaded). */
static int
step_has_note(const struct step_view *sv, int i)
{
	size_t k;

	for (k = 0; k < sv->nnotes; k++)
		if (sv->notes[k].step == i)
			return 1;
	return 0;
}

/* The notes again only when another session came under this view: not a read per redraw. */
static void
step_refresh(struct tui *t, struct view *v)
{
	struct step_view *sv = v->state;

	if (t->j != NULL && strcmp(sv->notes_of, t->j->id) != 0)
		step_notes_load(t, sv);
}

static void
step_enter(struct tui *t, struct view *v)
{
	struct step_view *sv = xcalloc(1, sizeof *sv);

	sv->shown_step = -1;
	v->state = sv;
	step_notes_load(t, sv);
}

static void
step_leave(struct tui *t, struct view *v)
{
	struct step_view *sv = v->state;

	speak_stop();	/* leaving the step (home, the summary): its reading ends */
	qr_free(sv->qr);
	free(sv->qr_url);
	journey_notes_free(sv->notes, sv->nnotes);
	free(sv);
}

static const char *
step_mark_name(enum mark m)
{
	switch (m) {
	case MARK_DONE:		return _("đã xong");
	case MARK_SKIPPED:	return _("đã bỏ qua");
	case MARK_BLOCKED:	return _("bị vướng");
	default:		return _("chưa làm");
	}
}

static const char *
step_mark_box(enum mark m)
{
	switch (m) {
	case MARK_DONE:		return "[x]";
	case MARK_SKIPPED:	return "[-]";
	case MARK_BLOCKED:	return "[!]";
	default:		return "[ ]";
	}
}

/* A blocked reason's words: the checklist's suggestion when it is one, else as typed. */
static const char *
step_reason_text(const struct checklist *c, const char *reason)
{
	const struct block_reason *br = checklist_reason(c, reason);

	return br != NULL ? text_for(&br->text, i18n_code()) : reason;
}

/* After a mark (which moved on as it was saved): the next step, or the summary once finished. */
static int
step_advance(struct tui *t)
{
	if (t->j->state == SESSION_FINISHED) {
		tui_back_to(t, &screen_step);
		tui_replace(t, &screen_finish, NULL);
		return REDRAW;
	}
	tui_changed(t);	/* a new step: keys typed before it shows are not for it */
	return REDRAW;
}

static int
step_mark(struct tui *t, enum mark m, const char *reason)
{
	struct journey *j = t->j;
	char *cause = NULL;
	int step = j->current;
	const char *msg;

	/* One key, one change: the mark, where the session goes next, its end. */
	if (journey_mark_next(t->st, j, step, m, reason, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	msg = m == MARK_DONE ? _("Đã lưu: bước %d xong.") : m == MARK_SKIPPED ?
	    _("Đã lưu: bỏ qua bước %d.") : _("Đã lưu: bước %d bị vướng.");
	tui_flash(t, msg, step + 1);
	return step_advance(t);
}

static int
step_reason_typed(struct tui *t, struct form *f)
{
	const char *r = form_value(f, 0);

	while (*r == ' ')
		r++;
	if (*r == '\0') {
		form_error(f, 0, _("Hãy gõ lý do, hoặc Esc để quay lại."));
		return REDRAW;
	}
	tui_back_to(t, &screen_step);
	return step_mark(t, MARK_BLOCKED, r);
}

static int
step_reason_chosen(struct tui *t, struct menu *m, int i)
{
	intptr_t v = menu_value(m, i);
	struct form *f;

	if (v >= 0 && (size_t)v < t->j->checklist->nreasons) {
		tui_back_to(t, &screen_step);
		return step_mark(t, MARK_BLOCKED, t->j->checklist->reasons[v].id);
	}
	f = form_new(_("Vì sao bị vướng?"), step_reason_typed);
	form_field(f, _("Lý do"), NULL, 0, 120);
	form_push(t, f);
	return REDRAW;
}

static int
step_note_typed(struct tui *t, struct form *f)
{
	char *cause = NULL;
	const char *s = form_value(f, 0);
	struct view *v;

	if (*s == '\0') {
		tui_pop(t);
		return REDRAW;
	}
	if (journey_note(t->st, t->j, s, &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	tui_pop(t);
	v = tui_top(t);
	if (v != NULL && v->screen == &screen_step)
		step_notes_load(t, v->state);
	tui_flash(t, "%s", _("Đã lưu ghi chú."));
	return REDRAW;
}

static int
step_pause(struct tui *t)
{
	char *cause = NULL;

	if (t->j->state == SESSION_ACTIVE && journey_pause(t->st, t->j, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	tui_replace(t, &screen_finish, NULL);
	return REDRAW;
}

/*
 * The key that reads the step aloud (a second press stops it; on another
 * step it reads that one): a digit, the same in every language.
 */
#define STEP_KEY_ALOUD		'6'
#define STEP_KEY_ALOUD_NAME	"6"

static int
step_read_aloud(struct tui *t)
{
	const struct journey *j = t->j;
	const struct step *st = &j->checklist->steps[j->current];
	enum lang lg = i18n_lang();
	char *what = xasprintf("%s/%d", j->id, j->current), *text, *cause = NULL;
	/* The voice of the words read: English only where the step has English. */
	const char *voice = lg == LANG_EN && st->title.en != NULL && *st->title.en != '\0' ?
	    "en" : "vi";

	if (speak_reading(what)) {
		speak_stop();
		tui_flash(t, "%s", _("Đã dừng đọc."));
		free(what);
		return REDRAW;
	}
	text = xasprintf("%s.\n%s\n%s%s", text_get(&st->title, lg), text_get(&st->detail, lg),
	    *text_get(&st->tip, lg) != '\0' ? _("Mẹo: ") : "", text_get(&st->tip, lg));
	if (speak_start(&t->app->cfg, voice, text, what, &cause) == -1)
		tui_error(t, cause);
	else
		tui_flash(t, _("Đang đọc to bước %d… (%s lần nữa để dừng)"), j->current + 1,
		    STEP_KEY_ALOUD_NAME);
	free(text);
	free(what);
	return REDRAW;
}

static int
step_key_act(struct tui *t, struct view *v, int key)
{
	struct step_view *sv = v->state;
	struct journey *j = t->j;
	const struct checklist *c;
	char *cause = NULL;
	struct menu *m;
	struct form *f;
	size_t i;
	int to;

	if (j == NULL) {
		tui_pop(t);
		return REDRAW;
	}
	c = j->checklist;
	/*
	 * The actions are number keys, the same in every language (a letter
	 * would read one way in Vietnamese and another in English: "Bỏ qua"
	 * starts with B). Enter is "done" too.
	 */
	switch (key) {
	case STEP_KEY_DONE:
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
		return step_mark(t, MARK_DONE, NULL);
	case STEP_KEY_SKIP:
		return step_mark(t, MARK_SKIPPED, NULL);
	case STEP_KEY_BLOCKED:
		m = menu_new(_("Vì sao bị vướng?"), step_reason_chosen);
		menu_intro(m, text_for(&c->steps[j->current].title, i18n_code()), DS_BOLD);
		for (i = 0; i < c->nreasons; i++)
			menu_add(m, text_for(&c->reasons[i].text, i18n_code()), NULL, (intptr_t)i);
		menu_add(m, _("Lý do khác (tự gõ)"), NULL, -1);
		menu_set_help(m, HELP_BLOCK);
		menu_push(t, m);
		return REDRAW;
	case STEP_KEY_NOTE:
		f = form_new(_("Ghi chú"), step_note_typed);
		form_intro(f, text_for(&c->steps[j->current].title, i18n_code()));
		form_field(f, _("Ghi chú cho bước này (không ghi mật khẩu, mã OTP)"), NULL, 0, 200);
		form_push(t, f);
		return REDRAW;
	case STEP_KEY_ALOUD:
		return step_read_aloud(t);
	case STEP_KEY_UNDO:
		if (journey_undo(t->st, j, &cause) == -1)
			tui_error(t, cause);
		else
			tui_flash(t, "%s", _("Đã hoàn tác dấu gần nhất."));
		return REDRAW;
	case TK(KEY_LEFT):
	case TK(KEY_PPAGE):
	case TK(KEY_RIGHT):
	case TK(KEY_NPAGE):
		to = j->current + (key == TK(KEY_LEFT) || key == TK(KEY_PPAGE) ? -1 : 1);
		if (to < 0 || (size_t)to >= c->nsteps)
			return REDRAW;
		if (journey_goto(t->st, j, to, &cause) == -1)
			tui_error(t, cause);
		return REDRAW;
	case TK(KEY_UP):
		if (sv->scroll > 0)
			sv->scroll--;
		return REDRAW;
	case TK(KEY_DOWN):
		sv->scroll++;
		return REDRAW;
	case KEY_ESCAPE:
		return step_pause(t);
	}
	/* The letters this screen once took now say where the keys are, rather than do nothing. */
	if (key < 0x80 && ((key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z'))) {
		tui_flash(t, "%s", _("Trên màn hình này dùng phím số: 1 Xong, 2 Bỏ qua, 3 Vướng, 4 Ghi chú, 5 Hoàn tác; Esc tạm dừng."));
		return REDRAW;
	}
	return 0;
}

/* A step that is no longer on screen is not read on. */
static int
step_key(struct tui *t, struct view *v, int key)
{
	int before = t->j != NULL ? t->j->current : -1, flags;

	flags = step_key_act(t, v, key);
	if (t->j == NULL || t->j->current != before)
		speak_stop();
	return flags;
}

static void
step_draw_list(struct tui *t, const struct step_view *sv, WINDOW *win, int y0, int bottom,
    int x, int width)
{
	const struct journey *j = t->j;
	const struct checklist *c = j->checklist;
	int rows = bottom - y0 + 1, first = 0, y;
	size_t i;
	char *s;

	draw_text(win, y0, x, width, _("Các bước"), DS_BOLD);
	y0++;
	rows--;
	if (j->current >= rows)
		first = j->current - rows + 1;
	for (i = (size_t)first, y = y0; i < c->nsteps && y <= bottom; i++, y++) {
		enum draw_style st = (int)i == j->current ? DS_SELECTED :
		    j->marks[i] == MARK_BLOCKED ? DS_WARN :
		    j->marks[i] == MARK_TODO ? DS_NORMAL : DS_DIM;

		s = xasprintf("%s %zu.%s %s", step_mark_box(j->marks[i]), i + 1,
		    step_has_note(sv, (int)i) ? STEP_NOTE_MARK : "",
		    text_for(&c->steps[i].title, i18n_code()));
		draw_fill(win, y, x, width, st);
		draw_textcut(win, y, x, width, s, st);
		free(s);
	}
}

static void
step_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct step_view *sv = v->state;
	const struct journey *j = t->j;
	const struct checklist *c;
	const struct step *st;
	const char *lg = i18n_code();
	struct journey_counts n;
	struct draw_lines l = { 0 };
	struct draw_key keys[] = {
		{ "1", _("Xong") }, { "2", _("Bỏ qua") }, { "3", _("Vướng") },
		{ "4", _("Ghi chú") }, { "5", _("Hoàn tác") }, { STEP_KEY_ALOUD_NAME, _("Đọc to") },
		{ "Esc", _("Tạm dừng") },
		{ "←→", _("Bước") },
	};
	/* Moving between steps is in the help; its key shows where the bar has room beside F1. */
	size_t nkeys = sizeof keys / sizeof keys[0] - (w < STEP_LIST_MIN_COLS);
	const char *helper;
	int top = TUI_BODY_TOP, bottom = TUI_BODY_BOTTOM(h), x = 2, textw, listw = 0;
	int qrw = 0, qrh = 0, y, rows, used, more, noted, rw;
	size_t i, nsteps;
	char *s;

	if (j == NULL)
		return;
	c = j->checklist;
	nsteps = c->nsteps;
	st = &c->steps[j->current];
	if (sv->shown_step != j->current) {
		sv->scroll = 0;
		sv->shown_step = j->current;
	}
	if (w >= STEP_LIST_MIN_COLS) {
		listw = STEP_LIST_COLS;
		step_draw_list(t, sv, win, top, bottom, x, listw - 2);
		x += listw;
	}
	textw = w - x - 2;
	/* The QR code of the official address, on the right when it fits. */
	if (c->url != NULL && draw_utf8()) {
		if (sv->qr == NULL || sv->qr_url == NULL || strcmp(sv->qr_url, c->url) != 0) {
			qr_free(sv->qr);
			free(sv->qr_url);
			sv->qr = qr_make(c->url);
			sv->qr_url = xstrdup(c->url);
		}
		if (sv->qr != NULL) {
			qrw = qr_cols(sv->qr, STEP_QR_QUIET);
			qrh = qr_rows(sv->qr, STEP_QR_QUIET);
			if (textw - qrw - 2 < STEP_TEXT_MIN_COLS || qrh + 1 > bottom - top - 2)
				qrw = 0;
		}
	}
	if (qrw > 0) {
		textw -= qrw + 2;
		qr_draw(win, top + 3, w - qrw - 1, sv->qr, STEP_QR_QUIET);
		draw_textcut(win, top + 3 + qrh, w - qrw - 1, qrw, _("Quét để mở trang"), DS_DIM);
	}

	/* "Bước 3/9" and the bar of steps marked. */
	journey_count(j, &n);
	s = xasprintf(_("Bước %d/%zu"), j->current + 1, nsteps);
	used = draw_text(win, top, x, textw, s, DS_BOLD);
	free(s);
	/*
	 * The bar is the steps done; skipped and blocked ones are said apart,
	 * since they are not progress.
	 */
	s = xasprintf(_("Xong %d/%zu"), n.done, nsteps);
	if (n.skipped > 0) {
		char *longer = xasprintf(_("%s · bỏ qua %d"), s, n.skipped);

		free(s);
		s = longer;
	}
	if (n.blocked > 0) {
		char *longer = xasprintf(_("%s · vướng %d"), s, n.blocked);

		free(s);
		s = longer;
	}
	rw = draw_width(s);
	if (textw - used - rw - 4 >= 8)
		draw_bar(win, top, x + used + 2, textw - used - rw - 4, n.done, (double)nsteps);
	if (textw - used - rw - 2 >= 0)
		draw_text(win, top, x + textw - rw, rw, s, DS_NORMAL);
	free(s);
	s = xasprintf("%s  (%s)", text_for(&st->title, lg), step_mark_name(j->marks[j->current]));
	draw_wrap(s, textw, &l);
	free(s);
	y = top + 2;
	for (i = 0; i < l.n && y < top + 4; i++)
		draw_text(win, y++, x, textw, l.line[i], j->marks[j->current] == MARK_BLOCKED ?
		    DS_WARN : DS_BOLD);
	draw_lines_free(&l);
	y++;

	/* Detail, tip and the blocked reason, scrolled together. */
	draw_wrap(text_for(&st->detail, lg), textw, &l);
	if (st->tip.vi != NULL && *text_for(&st->tip, lg) != '\0') {
		draw_lines_add(&l, "");
		s = xasprintf("%s%s", _("Mẹo: "), text_for(&st->tip, lg));
		draw_wrap(s, textw, &l);
		free(s);
	}
	/* The volunteer's own tip, never shown to a resident on their own (it speaks of them). */
	helper = t->mode == MODE_VOLUNTEER ? step_helper_tip(st, lg) : NULL;
	if (helper != NULL) {
		draw_lines_add(&l, "");
		s = xasprintf("%s%s", _("Gợi ý cho tình nguyện viên: "), helper);
		draw_wrap(s, textw, &l);
		free(s);
	}
	if (j->marks[j->current] == MARK_BLOCKED && j->reasons != NULL &&
	    j->reasons[j->current] != NULL) {
		draw_lines_add(&l, "");
		s = xasprintf(_("Vướng vì: %s"), step_reason_text(c, j->reasons[j->current]));
		draw_wrap(s, textw, &l);
		free(s);
	}
	/* The notes written on this step, oldest first. */
	for (i = 0, noted = 0; i < sv->nnotes; i++) {
		char when[17];

		if (sv->notes[i].step != j->current)
			continue;
		if (!noted++)
			draw_lines_add(&l, "");
		util_format_time(sv->notes[i].at, when);
		s = xasprintf(_("Ghi chú (%s): %s"), when + 11, sv->notes[i].text);
		draw_wrap(s, textw, &l);
		free(s);
	}
	rows = bottom - y + 1;
	if (sv->scroll > (int)l.n - rows)
		sv->scroll = (int)l.n - rows > 0 ? (int)l.n - rows : 0;
	more = (size_t)(sv->scroll + rows) < l.n;
	for (i = (size_t)sv->scroll; i < l.n && y <= bottom - more; i++, y++)
		draw_text(win, y, x, textw, l.line[i], DS_NORMAL);
	if (more)
		draw_text(win, bottom, x, textw, _("↓ còn nữa (↑/↓ để cuộn)"), DS_DIM);
	draw_lines_free(&l);
	tui_frame(t, win, h, w, text_for(&c->title, lg), keys, nkeys);
}

const struct screen screen_step = {
	.name = "step",
	.help = HELP_STEP,
	.enter = step_enter,
	.key = step_key,
	.refresh = step_refresh,
	.draw = step_draw,
	.leave = step_leave,
};
