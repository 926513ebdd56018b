/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.c: see form.h. Text is kept as UTF-8 and edited at
 * its end (typing and backspace), which is all a kiosk form needs.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "fold.h"
#include "form.h"
#include "util.h"

struct form_field {
	char	*label;
	char	*buf;
	size_t	 len, cap;
	int	 flags;
	int	 maxlen;	/* code points */
};

struct form {
	char		*title;
	char		*intro;
	struct form_field *f;
	size_t		 n;
	int		 cur;
	char		*error;
	int		 help;
	form_done_fn	*done;
	void		*ctx;
	void		(*free_ctx)(void *);
};

struct form *
form_new(const char *title, form_done_fn *done)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->title = xstrdup(title);
	f->done = done;
	f->help = HELP_FORM;
	return f;
}

void
form_intro(struct form *f, const char *text)
{
	char *old = f->intro;

	f->intro = old ? xasprintf("%s\n%s", old, text) : xstrdup(text);
	free(old);
}

int
form_field(struct form *f, const char *label, const char *initial, int flags, int maxlen)
{
	struct form_field *ff;

	f->f = xrealloc(f->f, (f->n + 1) * sizeof *f->f);
	ff = &f->f[f->n];
	memset(ff, 0, sizeof *ff);
	ff->label = xstrdup(label);
	ff->flags = flags;
	ff->maxlen = maxlen;
	ff->cap = (size_t)maxlen * 4 + 1;
	ff->buf = xcalloc(1, ff->cap);
	if (initial != NULL && strlen(initial) < ff->cap) {
		strcpy(ff->buf, initial);
		ff->len = strlen(initial);
	}
	return (int)f->n++;
}

const char *
form_value(const struct form *f, int i)
{
	return i >= 0 && (size_t)i < f->n ? f->f[i].buf : "";
}

void
form_error(struct form *f, int i, const char *msg)
{
	free(f->error);
	f->error = xstrdup(msg);
	if (i >= 0 && (size_t)i < f->n) {
		f->cur = i;
		if (f->f[i].flags & (FORM_MASKED | FORM_RETYPE)) {
			f->f[i].len = 0;
			f->f[i].buf[0] = '\0';
		}
	}
}

void
form_set_ctx(struct form *f, void *ctx, void (*free_fn)(void *))
{
	f->ctx = ctx;
	f->free_ctx = free_fn;
}

void *
form_ctx(const struct form *f)
{
	return f->ctx;
}

void
form_set_help(struct form *f, int help)
{
	f->help = help;
}

void
form_push(struct tui *t, struct form *f)
{
	tui_push(t, &screen_form, f);
	tui_top(t)->help = f->help;
}

static void
form_leave(struct tui *t, struct view *v)
{
	struct form *f = v->state;
	size_t i;

	for (i = 0; i < f->n; i++) {
		/* PINs and personal details do not linger in freed memory. */
		explicit_bzero(f->f[i].buf, f->f[i].cap);
		free(f->f[i].buf);
		free(f->f[i].label);
	}
	if (f->free_ctx != NULL)
		f->free_ctx(f->ctx);
	free(f->f);
	free(f->title);
	free(f->intro);
	free(f->error);
	free(f);
}

static void
form_type(struct form *f, int key)
{
	struct form_field *ff = &f->f[f->cur];
	char enc[5];
	size_t k = 0;
	uint32_t c = (uint32_t)key;

	if ((ff->flags & FORM_DIGITS) && (c < '0' || c > '9'))
		return;
	if ((ff->flags & FORM_UPPER) && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if ((int)util_utf8_len(ff->buf) >= ff->maxlen)
		return;
	if (c < 0x80)
		enc[k++] = (char)c;
	else if (c < 0x800) {
		enc[k++] = (char)(0xc0 | (c >> 6));
		enc[k++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		enc[k++] = (char)(0xe0 | (c >> 12));
		enc[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
		enc[k++] = (char)(0x80 | (c & 0x3f));
	} else {
		enc[k++] = (char)(0xf0 | (c >> 18));
		enc[k++] = (char)(0x80 | ((c >> 12) & 0x3f));
		enc[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
		enc[k++] = (char)(0x80 | (c & 0x3f));
	}
	if (ff->len + k + 1 > ff->cap)
		return;
	memcpy(ff->buf + ff->len, enc, k);
	ff->len += k;
	ff->buf[ff->len] = '\0';
}

static int
form_key(struct tui *t, struct view *v, int key)
{
	struct form *f = v->state;
	struct form_field *ff = &f->f[f->cur];

	switch (key) {
	case KEY_ESCAPE:
		tui_pop(t);
		return REDRAW;
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
		if ((size_t)f->cur + 1 < f->n) {
			f->cur++;
			return REDRAW;
		}
		free(f->error);
		f->error = NULL;
		return f->done(t, f) | HANDLED | REDRAW;
	case '\t':
	case TK(KEY_DOWN):
		f->cur = (f->cur + 1) % (int)f->n;
		return REDRAW;
	case TK(KEY_BTAB):
	case TK(KEY_UP):
		f->cur = (f->cur + (int)f->n - 1) % (int)f->n;
		return REDRAW;
	case TK(KEY_BACKSPACE):
	case 127:
	case 8:
		while (ff->len > 0 && (ff->buf[ff->len - 1] & 0xc0) == 0x80)
			ff->len--;
		if (ff->len > 0)
			ff->len--;
		ff->buf[ff->len] = '\0';
		return REDRAW;
	case KEY_CTRL('u'):
		ff->len = 0;
		ff->buf[0] = '\0';
		return REDRAW;
	}
	if (key >= 0x20 && key < 0x110000 && key != 0x7f &&
	    (draw_utf8() || key < 0x80)) {
		form_type(f, key);
		return REDRAW;
	}
	return 0;
}

static void
form_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct form *f = v->state;
	struct draw_lines l = { 0 };
	struct draw_key keys[4];
	size_t i, k;
	int y = TUI_BODY_TOP, x = 2, textw = w - 4, boxw, tw;
	const char *shown;
	char *dots;

	if (f->intro != NULL) {
		draw_wrap(f->intro, textw, &l);
		for (i = 0; i < l.n && y < TUI_BODY_BOTTOM(h) - 3 * (int)f->n; i++)
			draw_text(win, y++, x, textw, l.line[i], DS_NORMAL);
		draw_lines_free(&l);
		y++;
	}
	for (i = 0; i < f->n; i++) {
		struct form_field *ff = &f->f[i];

		boxw = ff->maxlen + 2;
		if (boxw > textw - 2)
			boxw = textw - 2;
		draw_textcut(win, y, x, textw, ff->label, (int)i == f->cur ? DS_BOLD : DS_NORMAL);
		y++;
		if (ff->flags & FORM_MASKED) {
			size_t nd = util_utf8_len(ff->buf);

			dots = xcalloc(nd * 3 + 1, 1);
			for (k = 0; k < nd; k++)
				strcat(dots, draw_utf8() ? "•" : "*");
			shown = dots;
		} else {
			dots = NULL;
			shown = ff->buf;
		}
		draw_text(win, y, x, 1, "[", DS_DIM);
		draw_fill(win, y, x + 1, boxw, (int)i == f->cur ? DS_SELECTED : DS_DIM);
		tw = draw_width(shown);
		/* Long text shows its end, where the typing is. */
		if (tw > boxw - 1) {
			const char *p = shown;
			uint32_t cp;

			while (*p != '\0' && draw_width(p) > boxw - 1)
				p += fold_decode(p, strlen(p), &cp);
			shown = p;
			tw = draw_width(shown);
		}
		draw_text(win, y, x + 1, boxw, shown, (int)i == f->cur ? DS_SELECTED : DS_NORMAL);
		draw_text(win, y, x + 1 + boxw, 1, "]", DS_DIM);
		if ((int)i == f->cur)
			tui_set_cursor(t, y, x + 1 + tw);
		free(dots);
		y += 2;
	}
	if (f->error != NULL) {
		draw_wrap(f->error, textw, &l);
		for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
			draw_text(win, y++, x, textw, l.line[i], DS_ERROR);
		draw_lines_free(&l);
	}
	k = 0;
	keys[k++] = (struct draw_key){ "Enter", (size_t)f->cur + 1 < f->n ? _("Ô tiếp") : _("Xác nhận") };
	if (f->n > 1)
		keys[k++] = (struct draw_key){ "Tab", _("Đổi ô") };
	keys[k++] = (struct draw_key){ "Esc", _("Quay lại") };
	tui_frame(t, win, h, w, f->title, keys, k);
}

const struct screen screen_form = {
	.name = "form",
	.help = HELP_FORM,
	.typing = 1,
	.key = form_key,
	.draw = form_draw,
	.leave = form_leave,
};
