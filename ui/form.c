/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.c: see form.h. Text is kept as UTF-8 with a cursor in it. The
 * cursor moves, and Backspace and Delete remove, by whole characters as a
 * reader sees them (libunistring's grapheme clusters), so a wide character
 * or a Vietnamese letter typed as a base and combining marks is never split.
 * A field's limit counts those characters and is shown beside it ("12/60");
 * a character past it is refused with a word, never cut silently.
 */
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>

#include "i18n.h"
#include "fold.h"
#include "form.h"
#include "util.h"

struct form_field {
	char	*label;
	char	*initial;	/* what it held when the form opened: typing since makes the form worth keeping */
	char	*buf;
	size_t	 len, cap;
	size_t	 pos;		/* the cursor: a byte offset on a character boundary */
	size_t	 scroll;	/* first byte shown when the text is wider than its box */
	int	 flags;
	int	 maxlen;	/* characters (grapheme clusters) */
	int	 unreadable;	/* bytes that were not UTF-8 arrived here since the last check */
};

/* The most bytes one character may take (a base and its combining marks). */
#define FORM_CHAR_BYTES	16

struct form {
	char		*title;
	char		*intro;
	struct form_field *f;
	size_t		 n;
	int		 cur;
	char		*error;
	int		 full;		/* the last key was refused: the field is at its limit */
	int		 asking;	/* "throw away what was typed?" is on screen */
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
	ff->cap = (size_t)maxlen * FORM_CHAR_BYTES + 1;
	ff->buf = xcalloc(1, ff->cap);
	if (initial != NULL && strlen(initial) < ff->cap) {
		strcpy(ff->buf, initial);
		ff->len = ff->pos = strlen(initial);
	}
	ff->initial = xstrdup(ff->buf);
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
			f->f[i].len = f->f[i].pos = f->f[i].scroll = 0;
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
		free(f->f[i].initial);
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

/* Characters (grapheme clusters) in the n bytes at s. */
static int
form_chars(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	int k = 0;

	while (p < end) {
		p = u8_grapheme_next(p, end);
		k++;
	}
	return k;
}

/* The start of the character after the one at pos (or len). */
static size_t
form_next(const struct form_field *ff, size_t pos)
{
	const uint8_t *b = (const uint8_t *)ff->buf;

	return pos < ff->len ? (size_t)(u8_grapheme_next(b + pos, b + ff->len) - b) : ff->len;
}

/* The start of the character before pos (or 0). */
static size_t
form_prev(const struct form_field *ff, size_t pos)
{
	const uint8_t *b = (const uint8_t *)ff->buf;

	return pos > 0 ? (size_t)(u8_grapheme_prev(b + pos, b) - b) : 0;
}

/* Removes the bytes [from, to) of the field; the cursor goes to from. */
static void
form_cut(struct form_field *ff, size_t from, size_t to)
{
	memmove(ff->buf + from, ff->buf + to, ff->len - to + 1);
	ff->len -= to - from;
	ff->pos = from;
}

/* Puts the typed code point c at the cursor; 0, or -1 when the field is full. */
static int
form_type(struct form *f, int key)
{
	struct form_field *ff = &f->f[f->cur];
	char enc[4];
	size_t k = 0;
	uint32_t c = (uint32_t)key;

	if ((ff->flags & FORM_DIGITS) && (c < '0' || c > '9'))
		return 0;
	if ((ff->flags & FORM_UPPER) && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
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
		return -1;
	memmove(ff->buf + ff->pos + k, ff->buf + ff->pos, ff->len - ff->pos + 1);
	memcpy(ff->buf + ff->pos, enc, k);
	ff->len += k;
	/* A combining mark joins the character before it; anything else is one more. */
	if (form_chars(ff->buf, ff->len) > ff->maxlen) {
		form_cut(ff, ff->pos, ff->pos + k);
		return -1;
	}
	ff->pos += k;
	return 0;
}

/* Something was typed (not only moved through) since the form opened; PINs are not worth asking about. */
static int
form_dirty(const struct form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!(f->f[i].flags & FORM_MASKED) && strcmp(f->f[i].buf, f->f[i].initial) != 0)
			return 1;
	return 0;
}

/* "Throw away what was typed?": 1 throws it away, 2 or Esc goes back to typing. */
static int
form_key_asking(struct tui *t, struct form *f, int key)
{
	switch (key) {
	case '1':
		tui_pop(t);
		return REDRAW;
	case '2':
	case KEY_ESCAPE:
		f->asking = 0;
		return REDRAW;
	}
	return 0;
}

static int
form_key(struct tui *t, struct view *v, int key)
{
	struct form *f = v->state;
	struct form_field *ff = &f->f[f->cur];
	size_t i;

	if (f->asking)
		return form_key_asking(t, f, key);
	f->full = 0;
	switch (key) {
	case KEY_ESCAPE:
		if (form_dirty(f)) {
			f->asking = 1;
			return REDRAW;
		}
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
		/* What arrived unreadable was not stored: the person checks the field before it is saved. */
		for (i = 0; i < f->n; i++)
			if (f->f[i].unreadable) {
				f->f[i].unreadable = 0;
				form_error(f, (int)i, _("Có chữ gõ vào ô này không đọc được nên đã không được ghi (bàn phím không gửi chữ UTF-8). Hãy xem lại ô này, gõ không dấu nếu cần, rồi nhấn Enter."));
				return REDRAW;
			}
		return f->done(t, f) | HANDLED | REDRAW;
	case TUI_KEY_UNREADABLE:
		ff->unreadable = 1;
		free(f->error);
		f->error = xstrdup(_("Chữ vừa gõ không đọc được (bàn phím không gửi chữ UTF-8) nên đã không được ghi. Hãy gõ không dấu, hoặc nhờ tổ trưởng đặt máy dùng UTF-8."));
		return REDRAW;
	case '\t':
	case TK(KEY_DOWN):
		f->cur = (f->cur + 1) % (int)f->n;
		return REDRAW;
	case TK(KEY_BTAB):
	case TK(KEY_UP):
		f->cur = (f->cur + (int)f->n - 1) % (int)f->n;
		return REDRAW;
	case TK(KEY_LEFT):
		ff->pos = form_prev(ff, ff->pos);
		return REDRAW;
	case TK(KEY_RIGHT):
		ff->pos = form_next(ff, ff->pos);
		return REDRAW;
	case TK(KEY_HOME):
	case KEY_CTRL('a'):
		ff->pos = 0;
		return REDRAW;
	case TK(KEY_END):
	case KEY_CTRL('e'):
		ff->pos = ff->len;
		return REDRAW;
	case TK(KEY_BACKSPACE):
	case 127:
	case 8:
		if (ff->pos > 0)
			form_cut(ff, form_prev(ff, ff->pos), ff->pos);
		return REDRAW;
	case TK(KEY_DC):
		if (ff->pos < ff->len)
			form_cut(ff, ff->pos, form_next(ff, ff->pos));
		return REDRAW;
	case KEY_CTRL('u'):
		form_cut(ff, 0, ff->len);
		return REDRAW;
	}
	/* Any character but the control ones (C0, DEL, C1), whatever the locale shows. */
	if (key >= 0x20 && key < 0x110000 && (key < 0x7f || key > 0x9f)) {
		if (form_type(f, key) == -1)
			f->full = 1;
		return REDRAW;
	}
	return 0;
}

/* Columns the n bytes at s take on screen. */
static int
form_width(const char *s, size_t n)
{
	char *c = xasprintf("%.*s", (int)n, s);
	int w = draw_width(c);

	free(c);
	return w;
}

/*
 * Draws field ff's box on row y: the text, scrolled so that the cursor is
 * in view; returns the cursor's column.
 */
static int
form_draw_box(WINDOW *win, struct form_field *ff, int y, int x, int boxw, int current)
{
	char *shown;
	size_t spos, sscroll, k, nd;
	int room = boxw - 1, cx;

	if (ff->flags & FORM_MASKED) {
		const char *dot = draw_utf8() ? "•" : "*";

		/* Dots, one a character; the cursor and scroll counted in dots. */
		nd = (size_t)form_chars(ff->buf, ff->len);
		shown = xcalloc(nd * strlen(dot) + 1, 1);
		for (k = 0; k < nd; k++)
			strcat(shown, dot);
		spos = (size_t)form_chars(ff->buf, ff->pos) * strlen(dot);
		sscroll = (size_t)form_chars(ff->buf, ff->scroll) * strlen(dot);
	} else {
		shown = xstrdup(ff->buf);
		spos = ff->pos;
		sscroll = ff->scroll;
	}
	if (sscroll > spos)
		sscroll = spos;
	while (sscroll < spos && form_width(shown + sscroll, spos - sscroll) > room)
		sscroll = (size_t)(u8_grapheme_next((const uint8_t *)shown + sscroll,
		    (const uint8_t *)shown + strlen(shown)) - (const uint8_t *)shown);
	/* Text that fits is shown from its start. */
	if (draw_width(shown) <= room)
		sscroll = 0;
	ff->scroll = (ff->flags & FORM_MASKED) ? (size_t)0 : sscroll;
	draw_text(win, y, x, 1, "[", DS_DIM);
	draw_fill(win, y, x + 1, boxw, current ? DS_SELECTED : DS_DIM);
	draw_text(win, y, x + 1, boxw, shown + sscroll, current ? DS_SELECTED : DS_NORMAL);
	draw_text(win, y, x + 1 + boxw, 1, "]", DS_DIM);
	cx = x + 1 + form_width(shown + sscroll, spos - sscroll);
	explicit_bzero(shown, strlen(shown));
	free(shown);
	return cx;
}

static void
form_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct form *f = v->state;
	struct draw_lines l = { 0 };
	struct draw_key keys[4];
	size_t i, k;
	int y = TUI_BODY_TOP, x = 2, textw = w - 4, boxw, cw, cx, below;
	char *s;

	if (f->intro != NULL) {
		draw_wrap(f->intro, textw, &l);
		for (i = 0; i < l.n && y < TUI_BODY_BOTTOM(h) - 3 * (int)f->n; i++)
			draw_text(win, y++, x, textw, l.line[i], DS_NORMAL);
		draw_lines_free(&l);
		y++;
	}
	for (i = 0; i < f->n; i++) {
		struct form_field *ff = &f->f[i];
		int cur = (int)i == f->cur, n = form_chars(ff->buf, ff->len);

		boxw = ff->maxlen + 2;
		if (boxw > textw - 2)
			boxw = textw - 2;
		/*
		 * How many characters of how many: after the box where it fits,
		 * else above the box's end. A PIN's length stays unsaid.
		 */
		s = NULL;
		cw = 0;
		if (!(ff->flags & FORM_MASKED) && ff->maxlen > 1) {
			s = xasprintf("%d/%d", n, ff->maxlen);
			cw = draw_width(s);
		}
		below = s != NULL && x + boxw + 3 + cw <= x + textw;
		if (s != NULL && !below)
			draw_text(win, y, x + boxw + 2 - cw, cw, s, n >= ff->maxlen ? DS_WARN : DS_DIM);
		draw_textcut(win, y, x, s != NULL && !below ? boxw + 1 - cw : textw, ff->label,
		    cur ? DS_BOLD : DS_NORMAL);
		y++;
		cx = form_draw_box(win, ff, y, x, boxw, cur);
		if (s != NULL && below)
			draw_text(win, y, x + boxw + 3, cw, s, n >= ff->maxlen ? DS_WARN : DS_DIM);
		free(s);
		if (cur && !f->asking)
			tui_set_cursor(t, y, cx);
		y++;
		if (cur && f->full && y <= TUI_BODY_BOTTOM(h)) {
			s = xasprintf(_("Ô này nhận tối đa %d ký tự: chữ vừa gõ không được thêm."), ff->maxlen);
			draw_textcut(win, y, x, textw, s, DS_WARN);
			free(s);
		}
		y++;
	}
	if (f->asking) {
		draw_wrap(_("Bỏ những gì đã gõ? Nếu quay lại bây giờ, những gì đã gõ sẽ không được lưu."), textw, &l);
		draw_lines_add(&l, _("1  Bỏ đi và quay lại"));
		draw_lines_add(&l, _("2  Gõ tiếp"));
		for (i = 0; i < l.n && y <= TUI_BODY_BOTTOM(h); i++)
			draw_text(win, y++, x, textw, l.line[i], i == 0 ? DS_WARN : DS_BOLD);
		draw_lines_free(&l);
		keys[0] = (struct draw_key){ "1", _("Bỏ đi") };
		keys[1] = (struct draw_key){ "2", _("Gõ tiếp") };
		tui_frame(t, win, h, w, f->title, keys, 2);
		return;
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
	keys[k++] = (struct draw_key){ "←→", _("Di chuyển") };
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
