/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-enrol.c: the supervisor enrols the kiosk with the provincial
 * server from the kiosk itself (in kiosk mode there is no shell to run
 * `sotay enroll` from): the server's address and the token the province
 * gave, typed or pasted into a form, then a screen that runs
 * `sotay-sync … enroll` as a child (spawn-sync.h) and says how it went.
 *
 * The token reaches the child through a pipe, never its arguments. The
 * child writes nothing to the database unless the server accepted the
 * token; then the last sync error (often "not enrolled") is cleared with
 * the enrolment (sync-state.h). Leaving the screen stops a child still
 * running.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "flows.h"
#include "form.h"
#include "child.h"
#include "spawn-sync.h"
#include "sync-state.h"

#define ENROL_URL_MAX	256
#define ENROL_TOKEN_MAX	200
/* What the child puts before its messages: not for the person reading them. */
#define ENROL_PREFIX	"sotay enroll: "

struct enrol_view {
	char		*url;
	pid_t		 pid;		/* the running sotay-sync, 0 once it ended */
	struct spawn_sync_reader out;	/* its stdout and stderr */
	char		*last;		/* its last line with words in it */
	int64_t		 started_ms;
	int		 seconds;	/* since it started, as shown */
	int		 ended, ok;
	char		*result;	/* what the screen says once it ended */
};

static void
enrol_line(void *arg, char *s)
{
	struct enrol_view *ev = arg;

	if (s[strspn(s, " \t\r")] == '\0')
		return;
	if (strncmp(s, ENROL_PREFIX, strlen(ENROL_PREFIX)) == 0)
		s += strlen(ENROL_PREFIX);
	free(ev->last);
	ev->last = xstrdup(s);
}

/* Once the child has ended: what the screen says about it. */
static void
enrol_finish(struct tui *t, struct enrol_view *ev, int status)
{
	struct sync_state ss;
	char *cause = NULL;

	ev->ended = 1;
	ev->ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (ev->ok) {
		if (sync_state_read(t->st, &ss, &cause) != 0) {
			free(cause);
			memset(&ss, 0, sizeof ss);
		}
		ev->result = xasprintf(_("Đã ghi danh ki-ốt với máy chủ %s (mã máy %s). Giờ có thể "
		    "đồng bộ: nhấn Enter."), ss.server_url ? ss.server_url : ev->url,
		    ss.kiosk_id ? ss.kiosk_id : "?");
		sync_state_free(&ss);
	} else if (ev->last != NULL)
		ev->result = xasprintf(_("Chưa ghi danh được: %s"), ev->last);
	else if (status != -1 && WIFSIGNALED(status))
		ev->result = xasprintf(_("Chưa ghi danh được: đã dừng (tín hiệu %d). Ki-ốt vẫn như "
		    "trước; hãy thử lại."), WTERMSIG(status));
	else
		ev->result = xasprintf(_("Chưa ghi danh được: chương trình sotay-sync kết thúc (mã %d) "
		    "mà không nói vì sao. Ki-ốt vẫn như trước; hãy thử lại."),
		    status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	/* The result is new on screen: keys typed while waiting are not for it. */
	tui_changed(t);
}

static void
enrol_refresh(struct tui *t, struct view *v)
{
	struct enrol_view *ev = v->state;
	int status;

	if (ev->pid == 0)
		return;
	ev->seconds = (int)((util_now_ms() - ev->started_ms) / 1000);
	if (spawn_sync_poll(&ev->pid, &ev->out, enrol_line, ev, &status))
		enrol_finish(t, ev, status);
}

static void
enrol_leave(struct tui *t, struct view *v)
{
	struct enrol_view *ev = v->state;

	spawn_sync_drop(ev->pid, &ev->out);
	free(ev->url);
	free(ev->last);
	free(ev->result);
	free(ev);
}

static int
enrol_key(struct tui *t, struct view *v, int key)
{
	struct enrol_view *ev = v->state;
	char *url;

	switch (key) {
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
		if (!ev->ended)
			return 0;
		if (ev->ok) {
			tui_replace(t, &screen_sync, NULL);
			return REDRAW;
		}
		/* Again, with the address as it was typed. */
		url = xstrdup(ev->url);
		tui_pop(t);
		screen_enrol_form(t, url);
		free(url);
		return REDRAW;
	case 'c':
	case 'C':
		if (ev->pid != 0)
			child_kill(ev->pid, 0);
		return REDRAW;
	case KEY_ESCAPE:
	case TK(KEY_LEFT):
		tui_pop(t);
		return REDRAW;
	}
	return 0;
}

static void
enrol_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct enrol_view *ev = v->state;
	struct draw_lines l = { 0 };
	struct draw_key keys[2];
	int y = TUI_BODY_TOP, x = 2, textw = w - 4;
	size_t nk = 0, i;
	char *s;

	s = xasprintf(_("Máy chủ: %s"), ev->url);
	draw_textcut(win, y++, x, textw, s, DS_BOLD);
	free(s);
	y++;
	if (!ev->ended) {
		s = xasprintf(_("Đang ghi danh… (%d giây)"), ev->seconds);
		draw_textcut(win, y++, x, textw, s, DS_NORMAL);
		free(s);
		keys[nk++] = (struct draw_key){ "C", _("Huỷ") };
	} else {
		draw_wrap(ev->result, textw, &l);
		for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
			draw_text(win, y++, x, textw, l.line[i], ev->ok ? DS_OK : DS_ERROR);
		draw_lines_free(&l);
		keys[nk++] = (struct draw_key){ "Enter", ev->ok ? _("Đồng bộ ngay") : _("Thử lại") };
	}
	keys[nk++] = (struct draw_key){ "Esc", _("Quay lại") };
	tui_frame(t, win, h, w, _("Ghi danh với máy chủ tỉnh"), keys, nk);
}

const struct screen screen_enrol = {
	.name = "enrol",
	.help = HELP_ENROL,
	.guard = 1,
	.tick = 1,
	.key = enrol_key,
	.refresh = enrol_refresh,
	.draw = enrol_draw,
	.leave = enrol_leave,
};

enum { EF_URL, EF_TOKEN };

/* Pasted text may bring spaces or a line end around it. */
static char *
enrol_trimmed(const char *s)
{
	size_t n;
	char *r;

	s += strspn(s, " \t\r\n");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		n--;
	r = xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

static int
enrol_form_done(struct tui *t, struct form *f)
{
	char *url = enrol_trimmed(form_value(f, EF_URL));
	char *token = enrol_trimmed(form_value(f, EF_TOKEN)), *cause = NULL;
	struct enrol_view *ev;

	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		form_error(f, EF_URL, _("Địa chỉ máy chủ bắt đầu bằng https:// (hoặc http:// trong "
		    "mạng nội bộ), đúng như tỉnh đã gửi."));
		goto out;
	}
	if (*token == '\0' || strpbrk(token, " \t") != NULL) {
		form_error(f, EF_TOKEN, _("Mã ghi danh là một chuỗi liền, không có dấu cách, đúng như "
		    "tỉnh đã gửi. Hãy gõ hoặc dán lại."));
		goto out;
	}
	ev = xcalloc(1, sizeof *ev);
	ev->out.fd = -1;
	if (spawn_sync_enroll(t->app->db_path, t->app->cfg.path, i18n_lang() == LANG_EN ? "en" : "vi",
	    url, token, &ev->pid, &ev->out.fd, &cause) != 0) {
		form_error(f, EF_TOKEN, cause);
		free(cause);
		free(ev);
		goto out;
	}
	ev->url = url;
	url = NULL;
	ev->started_ms = util_now_ms();
	tui_replace(t, &screen_enrol, ev);
out:
	free(url);
	/* The token stays in memory no longer than needed. */
	explicit_bzero(token, strlen(token));
	free(token);
	return REDRAW;
}

void
screen_enrol_form(struct tui *t, const char *url)
{
	struct sync_state ss;
	char *cause = NULL;
	struct form *f;

	memset(&ss, 0, sizeof ss);
	if (url == NULL && sync_state_read(t->st, &ss, &cause) != 0) {
		free(cause);
		memset(&ss, 0, sizeof ss);
	}
	if (url == NULL)
		url = ss.server_url != NULL ? ss.server_url : t->app->cfg.server_url;
	f = form_new(_("Ghi danh với máy chủ tỉnh"), enrol_form_done);
	form_intro(f, _("Gõ hoặc dán địa chỉ máy chủ và mã ghi danh (token) mà tỉnh cấp cho ki-ốt "
	    "này. Ghi danh lại với mã mới cũng được: dữ liệu trên máy vẫn giữ nguyên."));
	form_field(f, _("Địa chỉ máy chủ tỉnh"), url, 0, ENROL_URL_MAX);
	form_field(f, _("Mã ghi danh (token)"), NULL, FORM_MASKED, ENROL_TOKEN_MAX);
	form_set_help(f, HELP_ENROL);
	form_push(t, f);
	sync_state_free(&ss);
}
