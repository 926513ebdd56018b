/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-help.c: help for the screen below it (F1 or ?), in the chosen
 * language, scrollable; any other key goes back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog.h"
#include "tui.h"

struct help {
	int	id;
	int	scroll;
};

static void
help_enter(struct tui *t, struct view *v)
{
	struct help *hp = xcalloc(1, sizeof *hp);

	hp->id = (int)(intptr_t)v->state;
	if (hp->id <= 0 || hp->id >= T_COUNT)
		hp->id = T_HELP_MENU;
	v->state = hp;
}

static void
help_leave(struct tui *t, struct view *v)
{
	free(v->state);
}

static int
help_key(struct tui *t, struct view *v, int key)
{
	struct help *hp = v->state;

	switch (key) {
	case TK(KEY_DOWN):
	case TK(KEY_NPAGE):
		hp->scroll += key == TK(KEY_DOWN) ? 1 : 10;
		return REDRAW;
	case TK(KEY_UP):
	case TK(KEY_PPAGE):
		hp->scroll -= key == TK(KEY_UP) ? 1 : 10;
		if (hp->scroll < 0)
			hp->scroll = 0;
		return REDRAW;
	}
	tui_pop(t);
	return REDRAW;
}

static void
help_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct help *hp = v->state;
	struct draw_lines l = { 0 };
	struct draw_key keys[] = {
		{ "↑↓", TR(T_K_SCROLL) },
		{ "Esc", TR(T_K_BACK) },
	};
	int rows = TUI_BODY_BOTTOM(h) - TUI_BODY_TOP + 1, y;
	size_t i;

	draw_wrap(TR(hp->id), w - 4, &l);
	draw_wrap("", w - 4, &l);
	draw_wrap(TR(T_HELP_KEYS), w - 4, &l);
	if (hp->scroll > (int)l.n - rows)
		hp->scroll = (int)l.n - rows > 0 ? (int)l.n - rows : 0;
	for (i = (size_t)hp->scroll, y = TUI_BODY_TOP; i < l.n && y <= TUI_BODY_BOTTOM(h); i++, y++)
		draw_text(win, y, 2, w - 4, l.line[i], DS_NORMAL);
	draw_lines_free(&l);
	tui_frame(t, win, h, w, TR(T_HELP_TITLE), keys, sizeof keys / sizeof keys[0]);
}

const struct screen screen_help = {
	.name = "help",
	.help = T_HELP_HOME,
	.enter = help_enter,
	.key = help_key,
	.draw = help_draw,
	.leave = help_leave,
};
