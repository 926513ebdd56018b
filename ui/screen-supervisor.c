/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-supervisor.c: what a supervisor does at the kiosk — sync now with
 * a live progress bar, read the reports (this week, this month) drawn as
 * text bar charts, manage volunteers (add, disable, reset a PIN) — and the
 * only way out of a kiosk started with --kiosk.
 *
 * Sync runs as a child, `sotay-sync … sync --progress` (spawn-sync.h): the
 * screen reads its pipe without ever waiting — a `progress SENT TOTAL
 * BYTES` line a batch for the bar, then the result as one JSON line — on
 * each tick of the loop. Cancelling, leaving the screen and the idle
 * timeout all send it SIGTERM; it stops cleanly and nothing is lost (an
 * event is marked sent only once the server holds it).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "i18n.h"
#include "flows.h"
#include "report.h"
#include "form.h"
#include "menu.h"
#include "spawn-sync.h"
#include "sync-output.h"
#include "store.h"
#include "sync-state.h"

/* ---- sync ---- */

#define SYNC_LINE_MAX	4096	/* longer lines are cut (the JSON is far shorter) */

struct sync_view {
	pid_t		 pid;		/* the running sotay-sync, 0 if none */
	int		 fd;		/* its stdout and stderr, -1 once closed */
	char		 line[SYNC_LINE_MAX];	/* what came after the last newline */
	size_t		 len;
	long long	 sent, total, bytes;	/* from its progress lines */

	int		 got_json;	/* its result came */
	struct sync_output_result res;
	char		*other;		/* its last line that was neither (a message before the sync began) */

	char		*result;	/* what the screen says once it ended */
	int		 result_err;
};

static void
sync_clear(struct sync_view *sv)
{
	sync_output_result_free(&sv->res);
	memset(&sv->res, 0, sizeof sv->res);
	free(sv->other);
	free(sv->result);
	sv->other = sv->result = NULL;
	sv->got_json = 0;
	sv->len = 0;
	sv->sent = sv->total = sv->bytes = 0;
}

/* One whole line from the child. */
static void
sync_line(struct sync_view *sv, char *s)
{
	struct sync_output_progress p;
	struct sync_output_result r;

	switch (sync_output_parse(s, &p, &r)) {
	case SYNC_OUTPUT_PROGRESS:
		sv->sent = p.sent;
		sv->total = p.total;
		sv->bytes = p.bytes;
		break;
	case SYNC_OUTPUT_RESULT:
		sync_output_result_free(&sv->res);
		sv->res = r;
		sv->got_json = 1;
		break;
	case SYNC_OUTPUT_TEXT:
		if (s[strspn(s, " \r\t")] != '\0') {
			free(sv->other);
			sv->other = xstrdup(s);
		}
		break;
	}
}

/* Takes in whatever the child wrote since the last tick; closes the pipe at its end. */
static void
sync_read(struct sync_view *sv)
{
	char buf[4096], *nl;
	ssize_t n;
	size_t i, k;

	while (sv->fd != -1) {
		n = read(sv->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				close(sv->fd);
				sv->fd = -1;
			}
			break;
		}
		for (i = 0; i < (size_t)n; i += k) {
			nl = memchr(buf + i, '\n', (size_t)n - i);
			k = nl != NULL ? (size_t)(nl - (buf + i)) + 1 : (size_t)n - i;
			if (k > sizeof sv->line - 1 - sv->len)
				k = sizeof sv->line - 1 - sv->len;
			memcpy(sv->line + sv->len, buf + i, k);
			sv->len += k;
			if (sv->line[sv->len - 1] == '\n' || sv->len == sizeof sv->line - 1) {
				sv->line[sv->len] = '\0';
				sv->line[strcspn(sv->line, "\n")] = '\0';
				sync_line(sv, sv->line);
				sv->len = 0;
			}
		}
	}
	if (sv->fd == -1 && sv->len > 0) {
		sv->line[sv->len] = '\0';
		sync_line(sv, sv->line);
		sv->len = 0;
	}
}

/* Once the child has ended: what the screen says about it. */
static void
sync_finish(struct tui *t, struct sync_view *sv, int status)
{
	free(sv->result);
	if (sv->got_json && sync_output_done(&sv->res)) {
		sv->result = xasprintf(_("Đồng bộ xong: đã gửi %lld sự kiện, nhận %d hướng dẫn mới."), (long long)sv->res.sent, sv->res.content_added);
		sv->result_err = 0;
	} else {
		char *why;

		if (sv->got_json)
			why = xstrdup(sv->res.message ? sv->res.message : sv->res.status);
		else if (sv->other != NULL)
			why = xstrdup(sv->other);
		else if (status != -1 && WIFSIGNALED(status))
			why = xasprintf(_("chương trình sotay-sync dừng vì tín hiệu %d mà không báo "
			    "kết quả; dữ liệu chưa gửi vẫn còn, hãy thử lại."), WTERMSIG(status));
		else
			why = xasprintf(_("chương trình sotay-sync kết thúc (mã %d) mà không báo kết quả; "
			    "dữ liệu chưa gửi vẫn còn, hãy thử lại."),
			    status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		sv->result = xasprintf(_("Đồng bộ chưa xong: %s"), why);
		sv->result_err = 1;
		free(why);
	}
	/* A sync may have brought new checklists. */
	tui_reload_content(t);
}

/* On each tick: read the pipe; once it closed and the child is reaped, the result. */
static void
sync_poll(struct tui *t, struct sync_view *sv)
{
	int status;

	if (sv->pid == 0)
		return;
	sync_read(sv);
	if (sv->fd == -1 && spawn_sync_ended(sv->pid, &status)) {
		sv->pid = 0;
		sync_finish(t, sv, status);
	}
}

static void
sync_start(struct tui *t, struct sync_view *sv)
{
	char *cause = NULL;

	if (sv->pid != 0)
		return;
	sync_clear(sv);
	if (spawn_sync_start(t->app->db_path, t->app->cfg.path, i18n_lang() == LANG_EN ? "en" : "vi",
	    &sv->pid, &sv->fd, &cause) != 0) {
		sv->pid = 0;
		sv->result = xasprintf(_("Đồng bộ chưa xong: %s"), cause);
		sv->result_err = 1;
		free(cause);
	}
}

static void
sync_enter(struct tui *t, struct view *v)
{
	struct sync_view *sv = xcalloc(1, sizeof *sv);

	sv->fd = -1;
	v->state = sv;
}

/* Leaving (Esc, home, the idle timeout, quitting) stops a sync still running. */
static void
sync_leave(struct tui *t, struct view *v)
{
	struct sync_view *sv = v->state;

	if (sv->fd != -1)
		close(sv->fd);
	if (sv->pid != 0)
		spawn_sync_stop(sv->pid, 1);
	sync_clear(sv);
	free(sv);
}

static int
sync_key(struct tui *t, struct view *v, int key)
{
	struct sync_view *sv = v->state;

	switch (key) {
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
	case 's':
	case 'S':
		sync_start(t, sv);
		return REDRAW;
	case 'c':
	case 'C':
		if (sv->pid != 0)
			spawn_sync_stop(sv->pid, 0);
		return REDRAW;
	case KEY_ESCAPE:
	case TK(KEY_LEFT):
		tui_pop(t);
		return REDRAW;
	}
	return 0;
}

static void
sync_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct sync_view *sv = v->state;
	struct store_counts c = { 0 };
	struct draw_lines l = { 0 };
	struct draw_key keys[3];
	struct sync_state ss;
	char *cause = NULL, *s, when[17];
	int y = TUI_BODY_TOP, x = 2, textw = w - 4, running;
	size_t nk = 0, i;

	/* What the child said since the last draw (the loop ticks fast while it runs). */
	sync_poll(t, sv);
	running = sv->pid != 0;
	if (store_counts(t->st, &c, &cause) == -1) {
		tui_error(t, cause);
		cause = NULL;
	}
	if (sync_state_read(t->st, &ss, &cause) == -1) {
		tui_error(t, cause);
		cause = NULL;
		memset(&ss, 0, sizeof ss);
	}
	s = xasprintf(_("Sự kiện chờ gửi: %lld (tổng %lld)"), (long long)c.pending, (long long)c.events);
	draw_textcut(win, y++, x, textw, s, DS_BOLD);
	free(s);
	if (ss.last_ok_ms > 0) {
		util_format_time(ss.last_ok_ms, when);
		s = xasprintf(_("Đồng bộ lần cuối: %s"), when);
	} else
		s = xasprintf(_("Đồng bộ lần cuối: %s"), _("chưa lần nào"));
	draw_textcut(win, y++, x, textw, s, DS_NORMAL);
	free(s);
	if (ss.last_error != NULL) {
		s = xasprintf(_("Lỗi lần trước: %s"), ss.last_error);
		draw_textcut(win, y++, x, textw, s, DS_WARN);
		free(s);
	}
	sync_state_free(&ss);
	y++;
	if (running) {
		s = xasprintf(_("Đang đồng bộ… đã gửi %lld/%lld sự kiện, %lld byte"), sv->sent, sv->total, sv->bytes);
		draw_textcut(win, y++, x, textw, s, DS_BOLD);
		free(s);
		draw_bar(win, y++, x, textw > 60 ? 60 : textw, (double)sv->sent,
		    sv->total > 0 ? (double)sv->total : 1.0);
	} else if (sv->result != NULL) {
		draw_bar(win, y++, x, textw > 60 ? 60 : textw, (double)sv->res.sent,
		    sv->res.total > 0 ? (double)sv->res.total : 1.0);
		draw_wrap(sv->result, textw, &l);
		for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
			draw_text(win, y++, x, textw, l.line[i], sv->result_err ? DS_ERROR : DS_OK);
		draw_lines_free(&l);
	} else
		draw_text(win, y++, x, textw, _("Nhấn Enter để đồng bộ với máy chủ tỉnh."), DS_NORMAL);
	if (!running)
		keys[nk++] = (struct draw_key){ "Enter", _("Đồng bộ") };
	else
		keys[nk++] = (struct draw_key){ "C", _("Huỷ") };
	keys[nk++] = (struct draw_key){ "Esc", _("Quay lại") };
	tui_frame(t, win, h, w, _("Đồng bộ ngay"), keys, nk);
}

const struct screen screen_sync = {
	.name = "sync",
	.help = HELP_SYNC,
	.guard = 1,
	.tick = 1,
	.enter = sync_enter,
	.key = sync_key,
	.draw = sync_draw,
	.leave = sync_leave,
};

/* ---- reports ---- */

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
		size_t k;

		if (c != NULL)
			for (k = 0; k < c->nreasons; k++)
				if (strcmp(c->reasons[k].id, reason) == 0)
					reason = text_for(&c->reasons[k].text, i18n_code());
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

/* ---- volunteers ---- */

static void sup_volunteers(struct tui *);

/* After a change: the list again, fresh. */
static void
sup_volunteers_again(struct tui *t)
{
	tui_popn(t, t->depth - t->base);
	sup_volunteers(t);
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
	if (*role == '\0' || strchr("tTvV", *role) != NULL)
		r = ROLE_VOLUNTEER;
	else if (strchr("sS", *role) != NULL)
		r = ROLE_SUPERVISOR;
	else {
		form_error(f, VF_ROLE, _("Vai trò: gõ t (tình nguyện viên) hoặc s (tổ trưởng)."));
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
		form_field(f, _("Vai trò: t = tình nguyện viên, s = tổ trưởng"), "t", 0, 1);
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

static void
sup_volunteers(struct tui *t)
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
		d = xasprintf("%s%s%s", v[i].role == ROLE_SUPERVISOR ? _("tổ trưởng") : _("tình nguyện viên"),
		    v[i].disabled ? _(" · đã tắt") : "",
		    v[i].locked_until > util_now_ms() ? _(" · đang khoá") : "");
		menu_add(m, v[i].name, d, (intptr_t)v[i].id);
		free(d);
	}
	people_volunteers_free(v, n);
	menu_set_help(m, HELP_VOLUNTEERS);
	menu_push(t, m);
}

/* ---- the supervisor's menu ---- */

enum { SM_SYNC, SM_REPORT, SM_VOLUNTEERS, SM_LEAVE, SM_LOGOUT };

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
		sup_volunteers(t);
		break;
	case SM_LEAVE:
		return BREAK;
	default:
		tui_home(t);
		break;
	}
	return REDRAW;
}

static int
sup_menu_key(struct tui *t, struct menu *m, int i, int key)
{
	if (key == KEY_ESCAPE || key == TK(KEY_LEFT)) {
		tui_home(t);
		return 1;
	}
	return 0;
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
	menu_add(m, t->app->kiosk ? _("Rời chế độ ki-ốt (thoát chương trình)") : _("Thoát chương trình"), NULL, SM_LEAVE);
	menu_add(m, _("Đăng xuất"), NULL, SM_LOGOUT);
	menu_set_key(m, sup_menu_key, k, 1);
	menu_no_back(m);
	menu_set_help(m, HELP_SUPERVISOR);
	menu_push(t, m);
}
