/* SPDX-License-Identifier: Apache-2.0 */
/*
 * menu.c: see menu.h. The list scrolls to keep the chosen
 * item in view; the intro scrolls with it when the two do not fit.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "menu.h"
#include "util.h"

struct menu_item {
	char		*label;
	char		*detail;
	intptr_t	 value;
};

struct menu_para {
	char		*text;
	enum draw_style	 style;
};

struct menu {
	char		*title;
	struct menu_para *intro;
	size_t		 nintro;
	struct menu_item *items;
	size_t		 n;
	int		 sel;
	int		 scroll;	/* intro lines scrolled off (menus without items) */
	int		 no_back;
	int		 help;
	menu_choose_fn	*choose;
	menu_key_fn	*key;
	struct draw_key	 extra[8];
	size_t		 nextra;
	void		*ctx;
	void		(*free_ctx)(void *);
};

struct menu *
menu_new(const char *title, menu_choose_fn *choose)
{
	struct menu *m = xcalloc(1, sizeof *m);

	m->title = xstrdup(title);
	m->choose = choose;
	m->help = HELP_MENU;
	return m;
}

void
menu_intro(struct menu *m, const char *text, enum draw_style style)
{
	m->intro = xrealloc(m->intro, (m->nintro + 1) * sizeof *m->intro);
	m->intro[m->nintro].text = xstrdup(text);
	m->intro[m->nintro++].style = style;
}

void
menu_add(struct menu *m, const char *label, const char *detail, intptr_t value)
{
	m->items = xrealloc(m->items, (m->n + 1) * sizeof *m->items);
	m->items[m->n].label = xstrdup(label);
	m->items[m->n].detail = detail ? xstrdup(detail) : NULL;
	m->items[m->n++].value = value;
}

intptr_t
menu_value(const struct menu *m, int i)
{
	return i >= 0 && (size_t)i < m->n ? m->items[i].value : -1;
}

const char *
menu_label(const struct menu *m, int i)
{
	return i >= 0 && (size_t)i < m->n ? m->items[i].label : "";
}

int
menu_count(const struct menu *m)
{
	return (int)m->n;
}

void
menu_set_help(struct menu *m, int help)
{
	m->help = help;
}

void
menu_set_key(struct menu *m, menu_key_fn *fn, const struct draw_key *k, size_t n)
{
	m->key = fn;
	if (n > sizeof m->extra / sizeof m->extra[0])
		n = sizeof m->extra / sizeof m->extra[0];
	memcpy(m->extra, k, n * sizeof *k);
	m->nextra = n;
}

int
menu_key_sign_out(struct tui *t, struct menu *m, int index, int key)
{
	if (key == KEY_ESCAPE || key == TK(KEY_LEFT)) {
		tui_home(t);
		return 1;
	}
	return 0;
}

void
menu_set_ctx(struct menu *m, void *ctx, void (*free_fn)(void *))
{
	m->ctx = ctx;
	m->free_ctx = free_fn;
}

void *
menu_ctx(const struct menu *m)
{
	return m->ctx;
}

void
menu_select(struct menu *m, int i)
{
	if (i >= 0 && (size_t)i < m->n)
		m->sel = i;
}

void
menu_no_back(struct menu *m)
{
	m->no_back = 1;
}

void
menu_push(struct tui *t, struct menu *m)
{
	tui_push(t, &screen_menu, m);
	tui_top(t)->help = m->help;
}

static int
menu_ok(struct tui *t, struct menu *m, int i)
{
	tui_pop(t);
	return REDRAW;
}

void
menu_message(struct tui *t, const char *title, const char *text, int error)
{
	struct menu *m = menu_new(title, menu_ok);

	menu_intro(m, text, error ? DS_ERROR : DS_NORMAL);
	menu_add(m, _("Đồng ý"), NULL, 0);
	menu_push(t, m);
}

static void
menu_leave(struct tui *t, struct view *v)
{
	menu_free(v->state);
}

void
menu_free(struct menu *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->items[i].label);
		free(m->items[i].detail);
	}
	for (i = 0; i < m->nintro; i++)
		free(m->intro[i].text);
	if (m->free_ctx != NULL)
		m->free_ctx(m->ctx);
	free(m->items);
	free(m->intro);
	free(m->title);
	free(m);
}

static int
menu_key(struct tui *t, struct view *v, int key)
{
	struct menu *m = v->state;
	int n = (int)m->n;

	if (m->key != NULL && m->key(t, m, m->sel, key))
		return HANDLED | REDRAW;
	switch (key) {
	case TK(KEY_UP):
		if (n == 0) {
			if (m->scroll > 0)
				m->scroll--;
		} else
			m->sel = (m->sel + n - 1) % n;
		return REDRAW;
	case TK(KEY_DOWN):
	case '\t':
		if (n == 0)
			m->scroll++;
		else
			m->sel = (m->sel + 1) % n;
		return REDRAW;
	case TK(KEY_PPAGE):
	case TK(KEY_HOME):
		m->sel = 0;
		m->scroll = m->scroll > 10 ? m->scroll - 10 : 0;
		return REDRAW;
	case TK(KEY_NPAGE):
	case TK(KEY_END):
		m->sel = n > 0 ? n - 1 : 0;
		m->scroll += 10;
		return REDRAW;
	case '\r':
	case '\n':
	case TK(KEY_ENTER):
	case TK(KEY_RIGHT):
		if (n == 0) {
			if (!m->no_back)
				tui_pop(t);
			return REDRAW;
		}
		return m->choose(t, m, m->sel) | HANDLED;
	case KEY_ESCAPE:
	case TK(KEY_LEFT):
	case TK(KEY_BACKSPACE):
	case 127:
	case 8:
		if (!m->no_back)
			tui_pop(t);
		return REDRAW;
	}
	if (key >= '1' && key <= '9' && key - '1' < n) {
		m->sel = key - '1';
		return m->choose(t, m, m->sel) | HANDLED;
	}
	if (key == '0' && n >= 10) {
		m->sel = 9;
		return m->choose(t, m, m->sel) | HANDLED;
	}
	return 0;
}

static void
menu_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct menu *m = v->state;
	struct draw_lines l = { 0 };
	enum draw_style *styles = NULL;
	struct draw_key keys[12];
	size_t i, nk = 0, before;
	int top = TUI_BODY_TOP, bottom = TUI_BODY_BOTTOM(h), rows, y, first, introrows, room;
	int x = 2, textw = w - 4;

	for (i = 0; i < m->nintro; i++) {
		if (i > 0)
			draw_lines_add(&l, "");	/* paragraphs apart */
		before = l.n;
		draw_wrap(m->intro[i].text, textw, &l);
		styles = xrealloc(styles, (l.n + 1) * sizeof *styles);
		if (before > 0)
			styles[before - 1] = DS_NORMAL;
		for (; before < l.n; before++)
			styles[before] = m->intro[i].style;
	}
	rows = bottom - top + 1;
	introrows = (int)l.n + (m->nintro > 0 && m->n > 0 ? 1 : 0);
	/* Items get the room they need; the intro what is left, and scrolls. */
	room = rows - (int)m->n;
	if (room < 3)
		room = rows / 2;
	if (introrows > room && m->n > 0)
		introrows = room;
	if (m->n == 0) {
		if (m->scroll > (int)l.n - rows)
			m->scroll = (int)l.n - rows > 0 ? (int)l.n - rows : 0;
	} else
		m->scroll = 0;
	if (m->n > 0) {
		int limit = introrows - (m->nintro > 0 ? 1 : 0);

		for (i = 0; i < l.n && (int)i < limit; i++)
			draw_text(win, top + (int)i, x, textw, l.line[i], styles[i]);
	} else {
		int more = (size_t)(m->scroll + rows) < l.n;

		for (i = (size_t)m->scroll, y = top; i < l.n && y <= bottom - more; i++, y++)
			draw_text(win, y, x, textw, l.line[i], styles[i]);
		if (more)
			draw_text(win, bottom, x, textw, _("↓ còn nữa (↑/↓ để cuộn)"), DS_DIM);
	}
	y = top + (m->nintro > 0 && m->n > 0 ? introrows : 0);
	rows = bottom - y + 1;
	first = 0;
	if (m->sel >= rows)
		first = m->sel - rows + 1;
	for (i = (size_t)first; i < m->n && y <= bottom; i++, y++) {
		char num[8];
		int sel = (int)i == m->sel, used;
		enum draw_style st = sel ? DS_SELECTED : DS_NORMAL;

		if (i < 9)
			snprintf(num, sizeof num, " %zu ", i + 1);
		else if (i == 9)
			snprintf(num, sizeof num, " 0 ");
		else
			snprintf(num, sizeof num, "   ");
		draw_fill(win, y, x, textw, st);
		used = draw_text(win, y, x, 4, num, st);
		used += draw_textcut(win, y, x + used, textw - used, m->items[i].label, st);
		if (m->items[i].detail != NULL && used + 4 < textw) {
			int dw = draw_width(m->items[i].detail);

			if (dw > textw - used - 3)
				dw = textw - used - 3;
			draw_textcut(win, y, x + textw - dw - 1, dw, m->items[i].detail,
			    sel ? DS_SELECTED : DS_DIM);
		}
	}
	draw_lines_free(&l);
	free(styles);
	for (i = 0; i < m->nextra; i++)
		keys[nk++] = m->extra[i];
	if (m->n > 0) {
		keys[nk++] = (struct draw_key){ "↑↓", _("Di chuyển") };
		keys[nk++] = (struct draw_key){ "Enter", _("Chọn") };
	} else
		keys[nk++] = (struct draw_key){ "Enter", _("Đồng ý") };
	if (!m->no_back)
		keys[nk++] = (struct draw_key){ "Esc", _("Quay lại") };
	tui_frame(t, win, h, w, m->title, keys, nk);
}

const struct screen screen_menu = {
	.name = "menu",
	.help = HELP_MENU,
	.key = menu_key,
	.draw = menu_draw,
	.leave = menu_leave,
};
