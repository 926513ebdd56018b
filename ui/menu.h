/* SPDX-License-Identifier: Apache-2.0 */
/*
 * menu.h: the one list-of-choices screen every flow uses (categories,
 * checklists, names, yes/no questions, messages). Items are chosen with the
 * arrows and Enter, or directly with their number key; Esc or ← goes back.
 * Text above the list (intro) is wrapped to the width at draw time.
 */
#ifndef SOTAY_MENU_H
#define SOTAY_MENU_H

#include "tui.h"

struct menu;

/*
 * Called with the chosen item's index; returns loop flags. It may pop the
 * menu (the menu's memory stays valid until the handler returns).
 */
typedef int menu_choose_fn(struct tui *, struct menu *, int index);
/* Extra keys of one menu; returns 0 if the key is not for it. */
typedef int menu_key_fn(struct tui *, struct menu *, int index, int key);

/* A new menu; the menu owns copies of every string given to it. */
struct menu *menu_new(const char *title, menu_choose_fn *);
void	 menu_intro(struct menu *, const char *text, enum draw_style);
/* Adds an item; its value is what the choose callback can ask back. */
void	 menu_add(struct menu *, const char *label, const char *detail, intptr_t value);
intptr_t menu_value(const struct menu *, int index);
const char *menu_label(const struct menu *, int index);
/* Frees a menu that was never pushed. */
void	 menu_free(struct menu *);
int	 menu_count(const struct menu *);
void	 menu_set_help(struct menu *, int help_id);
void	 menu_set_key(struct menu *, menu_key_fn *, const struct draw_key *, size_t);
/* The key hook of a signed-in person's own menu: Esc or ← signs them out (home). */
int	 menu_key_sign_out(struct tui *, struct menu *, int index, int key);
/* Private data for the callbacks, freed with free_fn when the menu goes. */
void	 menu_set_ctx(struct menu *, void *ctx, void (*free_fn)(void *));
void	*menu_ctx(const struct menu *);
void	 menu_select(struct menu *, int index);
/* Esc does nothing (the home screen). */
void	 menu_no_back(struct menu *);
/* Puts the menu on screen; the stack owns it from now on. */
void	 menu_push(struct tui *, struct menu *);
/* A message with one "OK" item that goes back. */
void	 menu_message(struct tui *, const char *title, const char *text, int error);

extern const struct screen screen_menu;

#endif
