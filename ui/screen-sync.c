/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-sync.c: the supervisor's "Sync now" — a live progress bar while
 * the sync runs, then what it did.
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
#include <unistd.h>

#include "i18n.h"
#include "flows.h"
#include "child.h"
#include "spawn-sync.h"
#include "sync-output.h"
#include "store.h"
#include "sync-state.h"


struct sync_view {
	pid_t		 pid;		/* the running sotay-sync, 0 if none */
	struct spawn_sync_reader out;	/* its stdout and stderr */
	long long	 sent, total, bytes;	/* from its progress lines */

	int		 got_json;	/* its result came */
	struct sync_output_result res;
	char		*other;		/* its last line that was neither (a message before the sync began) */

	char		*result;	/* what the screen says once it ended */
	int		 result_err;

	/* Read by the refresh step, shown by the draw. */
	struct store_counts counts;
	struct sync_state state;
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
	sv->out.len = 0;
	sv->sent = sv->total = sv->bytes = 0;
}

/* One whole line from the child. */
static void
sync_line(void *arg, char *s)
{
	struct sync_view *sv = arg;
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

/* Once the child has ended: what the screen says about it. */
static void
sync_finish(struct tui *t, struct sync_view *sv, int status)
{
	free(sv->result);
	if (sv->got_json && sync_output_done(&sv->res)) {
		char *content;

		/* What came from the server: new checklists, or the ones here were already the newest. */
		if (sv->res.content_added > 0)
			content = xasprintf(_("nhận %d hướng dẫn mới (danh mục phiên bản %lld)."),
			    sv->res.content_added, (long long)sv->res.content_version);
		else if (sv->res.content_version > 0)
			content = xasprintf(_("hướng dẫn trên máy đã là mới nhất (danh mục phiên bản %lld)."),
			    (long long)sv->res.content_version);
		else
			content = xstrdup(_("máy chủ chưa phát hành hướng dẫn nào."));
		sv->result = xasprintf(_("Đồng bộ xong: đã gửi %lld sự kiện; %s"), (long long)sv->res.sent, content);
		free(content);
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
	/* The result is new on screen: keys held or typed while it ran are not for it. */
	tui_changed(t);
}

/* On each tick: read the pipe; once it closed and the child is reaped, the result. */
static void
sync_poll(struct tui *t, struct sync_view *sv)
{
	int status;

	if (spawn_sync_poll(&sv->pid, &sv->out, sync_line, sv, &status))
		sync_finish(t, sv, status);
}

static void
sync_start(struct tui *t, struct sync_view *sv)
{
	char *cause = NULL;

	if (sv->pid != 0)
		return;
	sync_clear(sv);
	/* What waits, as last read: the bar never starts at 0/0 while the child gets going. */
	sv->total = sv->counts.pending;
	tui_changed(t);	/* one key started it: the rest of a burst is not for the running screen */
	if (spawn_sync_start(t->app->db_path, t->app->cfg.path, i18n_lang() == LANG_EN ? "en" : "vi",
	    &sv->pid, &sv->out.fd, &cause) != 0) {
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

	sv->out.fd = -1;
	v->state = sv;
}

/* Leaving (Esc, home, the idle timeout, quitting) stops a sync still running. */
static void
sync_leave(struct tui *t, struct view *v)
{
	struct sync_view *sv = v->state;

	spawn_sync_drop(sv->pid, &sv->out);
	sync_clear(sv);
	sync_state_free(&sv->state);
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
			child_kill(sv->pid, 0);
		return REDRAW;
	case KEY_ESCAPE:
	case TK(KEY_LEFT):
		tui_pop(t);
		return REDRAW;
	}
	return 0;
}

/* What the child said since the last turn (the loop ticks fast while it runs), and what waits. */
static void
sync_refresh(struct tui *t, struct view *v)
{
	struct sync_view *sv = v->state;
	char *cause = NULL;

	sync_poll(t, sv);
	if (store_counts(t->st, &sv->counts, &cause) == -1) {
		tui_error(t, cause);
		cause = NULL;
	}
	sync_state_free(&sv->state);
	if (sync_state_read(t->st, &sv->state, &cause) == -1) {
		tui_error(t, cause);
		memset(&sv->state, 0, sizeof sv->state);
	}
}

static void
sync_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct sync_view *sv = v->state;
	const struct store_counts c = sv->counts;
	const struct sync_state ss = sv->state;
	struct draw_lines l = { 0 };
	struct draw_key keys[3];
	char *s, when[17];
	int y = TUI_BODY_TOP, x = 2, textw = w - 4, running = sv->pid != 0;
	size_t nk = 0, i;

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
	if (ss.server_url == NULL) {
		draw_wrap(_("Ki-ốt chưa ghi danh với máy chủ tỉnh: chọn “Ghi danh với máy chủ tỉnh” ở "
		    "trình đơn tổ trưởng."), textw, &l);
		for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
			draw_text(win, y++, x, textw, l.line[i], DS_WARN);
		draw_lines_free(&l);
	}
	y++;
	if (running) {
		s = xasprintf(_("Đang đồng bộ… đã gửi %lld/%lld sự kiện, %lld byte"), sv->sent, sv->total, sv->bytes);
		draw_textcut(win, y++, x, textw, s, DS_BOLD);
		free(s);
		draw_bar(win, y++, x, textw > 60 ? 60 : textw, (double)sv->sent,
		    sv->total > 0 ? (double)sv->total : 1.0);
	} else if (sv->result != NULL) {
		/* Done with nothing to send is a full bar, not an empty one. */
		draw_bar(win, y++, x, textw > 60 ? 60 : textw, sv->res.total > 0 ?
		    (double)sv->res.sent : !sv->result_err, sv->res.total > 0 ? (double)sv->res.total : 1.0);
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
	.refresh = sync_refresh,
	.draw = sync_draw,
	.leave = sync_leave,
};

