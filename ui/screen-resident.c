/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-resident.c: choosing what to do and starting or resuming it — the
 * resident alone (consent, an optional name, a resume code shown large) and
 * the same choices when a volunteer helps someone. Every session is started
 * or resumed through journey_* before the step screen shows it.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "flows.h"
#include "journey.h"
#include "form.h"
#include "menu.h"

const char *
screen_resident_title(struct tui *t, const char *id)
{
	const struct checklist *c = library_find(tui_library(t), id);

	return c != NULL ? text_get(&c->title, i18n_lang()) : id;
}

static const struct checklist *
resident_checklist_at(struct tui *t, intptr_t i)
{
	return i >= 0 && (size_t)i < tui_library(t)->n ? tui_library(t)->items[i] : NULL;
}

/* Shows the session t->j: the flow's home, the person (volunteer), the step, maybe the code. */
static void
resident_show_session(struct tui *t, int show_code)
{
	if (t->depth > t->base)
		tui_popn(t, t->depth - t->base);
	if (t->mode == MODE_VOLUNTEER && t->has_res)
		screen_resident_person(t);
	tui_push(t, &screen_step, NULL);
	if (show_code)
		tui_push(t, &screen_code, NULL);
}

static int
resident_begin_with(struct tui *t, const struct checklist *c, const char *resident_id,
    int show_code)
{
	struct journey *j = NULL;
	char *cause = NULL;

	if (journey_start(t->st, c, resident_id, t->vol_id, &j, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	tui_set_journey(t, j);
	resident_show_session(t, show_code);
	return REDRAW;
}

static int
resident_name_done(struct tui *t, struct form *f)
{
	const struct checklist *c = library_find(tui_library(t), form_ctx(f));
	struct resident r;
	const char *name = form_value(f, 0);
	char *cause = NULL;

	if (c == NULL) {
		tui_pop(t);
		return REDRAW;
	}
	while (*name == ' ')
		name++;
	memset(&r, 0, sizeof r);
	if (people_resident_add(t->st, *name ? name : TR(T_DEFAULT_NAME), 0, SEX_UNSAID,
	    t->app->cfg.hamlet, NULL, 1, &r, &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	return resident_begin_with(t, c, t->res.id, 1);
}

static int
resident_consent_chosen(struct tui *t, struct menu *m, int i)
{
	const struct checklist *c = library_find(tui_library(t), menu_ctx(m));
	struct form *f;

	if (c == NULL)
		return REDRAW;
	if (menu_value(m, i) == 1) {
		f = form_new(TR(T_CONSENT_TITLE), resident_name_done);
		form_intro(f, TR(T_NAME_WHY));
		form_field(f, TR(T_NAME_OPTIONAL), NULL, 0, 40);
		form_set_ctx(f, xstrdup(c->id), free);
		tui_pop(t);
		form_push(t, f);
		return REDRAW;
	}
	tui_flash(t, "%s", TR(T_NO_CONSENT_NOTE));
	return resident_begin_with(t, c, NULL, 0);
}

/* Starts c for the person at the kiosk, asking a lone resident's consent first. */
static int
resident_begin(struct tui *t, const struct checklist *c)
{
	struct menu *m;

	if (t->has_res)
		return resident_begin_with(t, c, t->res.id, 0);
	if (t->mode == MODE_VOLUNTEER) {
		tui_flash(t, "%s", TR(T_NEED_RESIDENT));
		return REDRAW;
	}
	m = menu_new(TR(T_CONSENT_TITLE), resident_consent_chosen);
	menu_intro(m, TR(T_CONSENT_TEXT), DS_NORMAL);
	menu_add(m, TR(T_YES), NULL, 1);
	menu_add(m, TR(T_NO_THANKS), NULL, 0);
	menu_set_ctx(m, xstrdup(c->id), free);
	menu_set_help(m, T_HELP_CONSENT);
	menu_push(t, m);
	return REDRAW;
}

static void resident_info(struct tui *, const struct checklist *);

static int
resident_info_chosen(struct tui *t, struct menu *m, int i)
{
	const struct checklist *c = library_find(tui_library(t), menu_ctx(m));
	intptr_t v = menu_value(m, i);

	if (c == NULL)
		return REDRAW;
	if (v < 0)
		return resident_begin(t, c);
	if (resident_checklist_at(t, v) != NULL)
		resident_info(t, resident_checklist_at(t, v));
	return REDRAW;
}

/* What a checklist takes: time, what to bring, what to do first; start or do those first. */
static void
resident_info(struct tui *t, const struct checklist *c)
{
	enum lang lg = i18n_lang();
	struct menu *m = menu_new(text_get(&c->title, lg), resident_info_chosen);
	char *s, *list;
	size_t i, k;

	menu_intro(m, text_get(&c->summary, lg), DS_NORMAL);
	s = xasprintf(TR(T_INFO_TIME), c->minutes, (int)c->nsteps);
	menu_intro(m, s, DS_BOLD);
	free(s);
	if (c->nbring > 0) {
		list = xstrdup(TR(T_INFO_BRING));
		for (i = 0; i < c->nbring; i++) {
			s = xasprintf("%s%s %s", list, i ? ";" : "", text_get(&c->bring[i], lg));
			free(list);
			list = s;
		}
		menu_intro(m, list, DS_NORMAL);
		free(list);
	}
	if (c->nprereqs > 0) {
		list = xstrdup(TR(T_INFO_PREREQ));
		for (i = 0; i < c->nprereqs; i++) {
			s = xasprintf("%s%s %s", list, i ? ";" : "",
			    screen_resident_title(t, c->prereqs[i]));
			free(list);
			list = s;
		}
		menu_intro(m, list, DS_WARN);
		free(list);
	}
	if (c->url != NULL || c->app != NULL) {
		s = xasprintf("%s%s%s%s", c->url ? TR(T_INFO_OFFICIAL) : "", c->url ? c->url : "",
		    c->app ? TR(T_INFO_APP) : "", c->app ? c->app : "");
		menu_intro(m, s, DS_DIM);
		free(s);
	}
	menu_add(m, TR(T_INFO_START), NULL, -1);
	for (i = 0; i < c->nprereqs; i++)
		for (k = 0; k < tui_library(t)->n; k++)
			if (strcmp(tui_library(t)->items[k]->id, c->prereqs[i]) == 0) {
				s = xasprintf(TR(T_INFO_DO_FIRST), text_get(&tui_library(t)->items[k]->title, lg));
				menu_add(m, s, NULL, (intptr_t)k);
				free(s);
			}
	menu_set_ctx(m, xstrdup(c->id), free);
	menu_set_help(m, T_HELP_INFO);
	menu_push(t, m);
}

static int
resident_checklist_chosen(struct tui *t, struct menu *m, int i)
{
	const struct checklist *c = resident_checklist_at(t, menu_value(m, i));

	if (c != NULL)
		resident_info(t, c);
	return REDRAW;
}

static int
resident_category_chosen(struct tui *t, struct menu *m, int i)
{
	enum category cat = (enum category)menu_value(m, i);
	struct menu *cm = menu_new(category_name(cat, i18n_lang()), resident_checklist_chosen);
	char *s;
	size_t k;

	menu_intro(cm, TR(T_CHOOSE_CHECKLIST), DS_NORMAL);
	for (k = 0; k < tui_library(t)->n; k++) {
		const struct checklist *c = tui_library(t)->items[k];

		if (c->category != cat)
			continue;
		s = xasprintf(TR(T_MINUTES), c->minutes);
		menu_add(cm, text_get(&c->title, i18n_lang()), s, (intptr_t)k);
		free(s);
	}
	menu_push(t, cm);
	return REDRAW;
}

void
screen_resident_choose(struct tui *t)
{
	struct menu *m;
	int counts[CAT_COUNT] = { 0 }, c;
	size_t k;
	char *s;

	for (k = 0; k < tui_library(t)->n; k++)
		if ((int)tui_library(t)->items[k]->category >= 0 && tui_library(t)->items[k]->category < CAT_COUNT)
			counts[tui_library(t)->items[k]->category]++;
	if (tui_library(t)->n == 0) {
		menu_message(t, TR(T_CHOOSE_CATEGORY), TR(T_NO_CHECKLISTS), 1);
		return;
	}
	m = menu_new(TR(T_CHOOSE_CATEGORY), resident_category_chosen);
	for (c = 0; c < CAT_COUNT; c++) {
		if (counts[c] == 0)
			continue;
		s = xasprintf(TR(T_N_TASKS), counts[c]);
		menu_add(m, category_name((enum category)c, i18n_lang()), s, c);
		free(s);
	}
	menu_push(t, m);
}

static int
resident_code_done(struct tui *t, struct form *f)
{
	char code[RESUME_CODE_LEN + 1], *cause = NULL, *msg;
	struct resident r;
	int found = 0;

	if (!people_code_normalise(form_value(f, 0), code)) {
		form_error(f, 0, TR(T_CODE_BAD));
		return REDRAW;
	}
	memset(&r, 0, sizeof r);
	if (people_resident_by_code(t->st, code, &r, &found, &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	if (!found) {
		msg = xasprintf(TR(T_CODE_UNKNOWN), code);
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	tui_pop(t);
	screen_resident_person(t);
	return REDRAW;
}

static int
resident_start_chosen(struct tui *t, struct menu *m, int i)
{
	struct form *f;

	if (menu_value(m, i) == 0) {
		screen_resident_choose(t);
		return REDRAW;
	}
	f = form_new(TR(T_RES_RESUME), resident_code_done);
	form_intro(f, TR(T_CODE_ASK));
	form_field(f, TR(T_CODE_LABEL), NULL, FORM_UPPER | FORM_RETYPE, 9);
	form_set_help(f, T_HELP_CODE);
	form_push(t, f);
	return REDRAW;
}

void
screen_resident_start(struct tui *t)
{
	struct menu *m = menu_new(TR(T_HOME_RESIDENT), resident_start_chosen);

	t->mode = MODE_RESIDENT;
	menu_intro(m, TR(T_RES_INTRO), DS_NORMAL);
	menu_add(m, TR(T_RES_NEW), NULL, 0);
	menu_add(m, TR(T_RES_RESUME), NULL, 1);
	menu_set_help(m, T_HELP_RESIDENT);
	menu_push(t, m);
}

struct person_ctx {
	char	(*ids)[UUID_STR_LEN];
	size_t	 n;
};

static void
person_ctx_free(void *p)
{
	struct person_ctx *pc = p;

	free(pc->ids);
	free(pc);
}

int
screen_resident_open(struct tui *t, const char *id)
{
	struct journey *j = NULL;
	char *cause = NULL;

	if (journey_load(t->st, id, &j, &cause) == -1) {
		tui_error(t, cause);
		return REDRAW;
	}
	if (j->state == SESSION_PAUSED && journey_resume(t->st, j, &cause) == -1) {
		journey_free(j);
		tui_error(t, cause);
		return REDRAW;
	}
	tui_set_journey(t, j);
	tui_push(t, &screen_step, NULL);
	return REDRAW;
}

static int
person_chosen(struct tui *t, struct menu *m, int i)
{
	struct person_ctx *pc = menu_ctx(m);
	intptr_t v = menu_value(m, i);

	if (v < 0) {
		screen_resident_choose(t);
		return REDRAW;
	}
	if ((size_t)v < pc->n)
		return screen_resident_open(t, pc->ids[v]);
	return REDRAW;
}

void
screen_resident_person(struct tui *t)
{
	struct journey_brief *b = NULL;
	struct person_ctx *pc = xcalloc(1, sizeof *pc);
	struct menu *m;
	size_t n = 0, i;
	char *cause = NULL, *s, *d;

	s = xasprintf(TR(T_PERSON_TITLE), t->res.display_name ? t->res.display_name : "");
	m = menu_new(s, person_chosen);
	free(s);
	s = xasprintf(TR(T_PERSON_CODE), t->res.code);
	menu_intro(m, s, DS_BOLD);
	free(s);
	if (journey_list_open(t->st, t->res.id, &b, &n, &cause) == -1)
		tui_error(t, cause);
	pc->ids = xcalloc(n + 1, sizeof *pc->ids);
	menu_intro(m, n > 0 ? TR(T_PERSON_OPEN) : TR(T_PERSON_NONE_OPEN), DS_NORMAL);
	for (i = 0; i < n; i++) {
		memcpy(pc->ids[i], b[i].id, UUID_STR_LEN);
		d = xasprintf(TR(T_SESSION_DETAIL), b[i].done, b[i].nsteps,
		    b[i].state == SESSION_PAUSED ? TR(T_STATE_PAUSED) : TR(T_STATE_ACTIVE));
		menu_add(m, screen_resident_title(t, b[i].checklist_id), d, (intptr_t)i);
		free(d);
	}
	pc->n = n;
	journey_briefs_free(b, n);
	menu_add(m, TR(T_PERSON_NEW), NULL, -1);
	menu_set_ctx(m, pc, person_ctx_free);
	menu_set_help(m, T_HELP_PERSON);
	menu_push(t, m);
}

void
screen_resident_after(struct tui *t)
{
	tui_set_journey(t, NULL);
	if (t->mode == MODE_VOLUNTEER) {
		if (t->depth > t->base)
			tui_popn(t, t->depth - t->base);
		if (t->has_res)
			screen_resident_person(t);
		return;
	}
	tui_home(t);
}
