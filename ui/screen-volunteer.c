/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-volunteer.c: logging in (a name from the list, then the PIN,
 * masked; wrong PINs count down to a lockout the core keeps in the
 * database) and the volunteer's own menu: add a resident (consent asked
 * first), find one by name or resume code, see today's residents and the
 * sessions left unfinished.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "flows.h"
#include "journey.h"
#include "form.h"
#include "menu.h"

struct login_ctx {
	int64_t	 id;
	char	*name;
	int	 supervisor;
};

static void
login_ctx_free(void *p)
{
	struct login_ctx *lc = p;

	free(lc->name);
	free(lc);
}

static int
login_pin_done(struct tui *t, struct form *f)
{
	struct login_ctx *lc = form_ctx(f);
	struct volunteer who;
	enum login res;
	int tries = 0;
	int64_t until = 0;
	char *cause = NULL, *msg, when[17];

	memset(&who, 0, sizeof who);
	if (people_login(t->st, lc->id, form_value(f, 0), &res, &tries, &until, &who,
	    &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	switch (res) {
	case LOGIN_OK:
		break;
	case LOGIN_WRONG:
		msg = xasprintf(TR(T_PIN_WRONG), tries);
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	case LOGIN_LOCKED:
		util_format_time(until, when);
		msg = xasprintf(TR(T_PIN_LOCKED), when + 11,
		    (int)((until - util_now_ms() + 59999) / 60000));
		form_error(f, 0, msg);
		free(msg);
		return REDRAW;
	case LOGIN_DISABLED:
		form_error(f, 0, TR(T_PIN_DISABLED));
		return REDRAW;
	default:
		form_error(f, 0, TR(T_PIN_UNKNOWN));
		return REDRAW;
	}
	if (lc->supervisor && who.role != ROLE_SUPERVISOR) {
		msg = xasprintf(TR(T_NOT_SUPERVISOR), who.name ? who.name : lc->name);
		form_error(f, 0, msg);
		free(msg);
		free(who.name);
		return REDRAW;
	}
	tui_home(t);
	t->vol_id = who.id ? who.id : lc->id;
	t->vol_name = who.name ? who.name : xstrdup(lc->name);
	t->vol_role = who.role;
	t->mode = lc->supervisor ? MODE_SUPERVISOR : MODE_VOLUNTEER;
	if (lc->supervisor)
		screen_supervisor_menu(t);
	else
		screen_volunteer_menu(t);
	t->base = t->depth;
	return REDRAW;
}

static int
login_name_chosen(struct tui *t, struct menu *m, int i)
{
	struct login_ctx *lc = xcalloc(1, sizeof *lc);
	struct form *f;
	char *s;

	lc->id = (int64_t)menu_value(m, i);
	lc->name = xstrdup(menu_label(m, i));
	/* A non-NULL context marks the supervisor's login. */
	lc->supervisor = menu_ctx(m) != NULL;
	s = xasprintf(TR(T_PIN_FOR), lc->name);
	f = form_new(lc->supervisor ? TR(T_HOME_SUPERVISOR) : TR(T_HOME_VOLUNTEER), login_pin_done);
	form_field(f, s, NULL, FORM_MASKED | FORM_DIGITS, PEOPLE_PIN_MAX);
	free(s);
	form_set_ctx(f, lc, login_ctx_free);
	form_set_help(f, T_HELP_PIN);
	form_push(t, f);
	return REDRAW;
}

void
screen_volunteer_login(struct tui *t, int supervisor)
{
	struct volunteer *v = NULL;
	struct menu *m;
	size_t n = 0, i;
	char *cause = NULL;

	if (people_volunteer_list(t->st, &v, &n, &cause) == -1) {
		tui_error(t, cause);
		return;
	}
	m = menu_new(supervisor ? TR(T_HOME_SUPERVISOR) : TR(T_HOME_VOLUNTEER), login_name_chosen);
	menu_intro(m, supervisor ? TR(T_SUP_CHOOSE) : TR(T_VOL_CHOOSE), DS_NORMAL);
	for (i = 0; i < n; i++) {
		if (v[i].disabled || (supervisor && v[i].role != ROLE_SUPERVISOR))
			continue;
		menu_add(m, v[i].name, v[i].role == ROLE_SUPERVISOR ? TR(T_ROLE_SUP) : NULL,
		    (intptr_t)v[i].id);
	}
	people_volunteers_free(v, n);
	if (supervisor)
		menu_set_ctx(m, xstrdup("supervisor"), free);
	menu_set_help(m, T_HELP_LOGIN);
	if (menu_count(m) == 0) {
		menu_free(m);
		menu_message(t, supervisor ? TR(T_HOME_SUPERVISOR) : TR(T_HOME_VOLUNTEER),
		    supervisor ? TR(T_SUP_NONE) : TR(T_VOL_NONE), 1);
		return;
	}
	menu_push(t, m);
}

/* Adding a resident: consent first, then the least details needed. */
enum { RF_NAME, RF_BIRTH, RF_SEX, RF_HAMLET, RF_PHONE };

static int
vol_add_done(struct tui *t, struct form *f)
{
	const char *name = form_value(f, RF_NAME), *by = form_value(f, RF_BIRTH);
	const char *sx = form_value(f, RF_SEX), *hamlet = form_value(f, RF_HAMLET);
	const char *phone = form_value(f, RF_PHONE);
	struct resident r;
	enum sex sex = SEX_UNSAID;
	char now[17], *cause = NULL;
	int year = 0, thisyear;

	while (*name == ' ')
		name++;
	if (*name == '\0') {
		form_error(f, RF_NAME, TR(T_FORM_NEED_NAME));
		return REDRAW;
	}
	util_format_time(util_now_ms(), now);
	thisyear = atoi(now);
	if (*by != '\0') {
		year = atoi(by);
		if (year < 1900 || year > thisyear) {
			form_error(f, RF_BIRTH, TR(T_FORM_BAD_YEAR));
			return REDRAW;
		}
	}
	if (strcmp(sx, "n") == 0 || strcmp(sx, "f") == 0 || strcmp(sx, "N") == 0 ||
	    strcmp(sx, "F") == 0)
		sex = SEX_FEMALE;
	else if (strcmp(sx, "m") == 0 || strcmp(sx, "M") == 0)
		sex = SEX_MALE;
	else if (*sx != '\0' && strcmp(sx, "-") != 0) {
		form_error(f, RF_SEX, TR(T_FORM_BAD_SEX));
		return REDRAW;
	}
	memset(&r, 0, sizeof r);
	if (people_resident_add(t->st, name, year, sex, *hamlet ? hamlet : NULL,
	    *phone ? phone : NULL, 1, &r, &cause) == -1) {
		form_error(f, RF_NAME, cause);
		free(cause);
		return REDRAW;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	tui_popn(t, t->depth - t->base);
	tui_flash(t, TR(T_RES_ADDED), t->res.display_name, t->res.code);
	screen_resident_person(t);
	return REDRAW;
}

static int
vol_consent_chosen(struct tui *t, struct menu *m, int i)
{
	struct form *f;

	if (menu_value(m, i) != 1) {
		tui_pop(t);
		tui_flash(t, "%s", TR(T_NO_CONSENT_VOL));
		return REDRAW;
	}
	tui_pop(t);
	f = form_new(TR(T_VOL_ADD), vol_add_done);
	form_field(f, TR(T_FORM_NAME), NULL, 0, 60);
	form_field(f, TR(T_FORM_BIRTH), NULL, FORM_DIGITS, 4);
	form_field(f, TR(T_FORM_SEX), NULL, 0, 1);
	form_field(f, TR(T_FORM_HAMLET), t->app->cfg.hamlet, 0, 60);
	form_field(f, TR(T_FORM_PHONE), NULL, FORM_DIGITS, 15);
	form_set_help(f, T_HELP_ADD);
	form_push(t, f);
	return REDRAW;
}

static void
vol_add(struct tui *t)
{
	struct menu *m = menu_new(TR(T_VOL_ADD), vol_consent_chosen);

	menu_intro(m, TR(T_CONSENT_VOL), DS_NORMAL);
	menu_add(m, TR(T_YES), NULL, 1);
	menu_add(m, TR(T_NO_THANKS), NULL, 0);
	menu_set_help(m, T_HELP_CONSENT);
	menu_push(t, m);
}

/* Residents found or listed: the menu's context holds their ids. */
struct res_ctx {
	char	(*ids)[UUID_STR_LEN];
	char	(*sessions)[UUID_STR_LEN];	/* "" for a resident without one */
	size_t	 n;
};

static void
res_ctx_free(void *p)
{
	struct res_ctx *rc = p;

	free(rc->ids);
	free(rc->sessions);
	free(rc);
}

static void
res_ctx_add(struct res_ctx *rc, const char *id, const char *session)
{
	rc->ids = xrealloc(rc->ids, (rc->n + 1) * sizeof *rc->ids);
	rc->sessions = xrealloc(rc->sessions, (rc->n + 1) * sizeof *rc->sessions);
	snprintf(rc->ids[rc->n], UUID_STR_LEN, "%s", id);
	snprintf(rc->sessions[rc->n], UUID_STR_LEN, "%s", session ? session : "");
	rc->n++;
}

/* Makes resident id the one being helped; 0 if found. */
static int
vol_pick_resident(struct tui *t, const char *id)
{
	struct resident r;
	int found = 0;
	char *cause = NULL;

	memset(&r, 0, sizeof r);
	if (people_resident_get(t->st, id, &r, &found, &cause) == -1) {
		tui_error(t, cause);
		return -1;
	}
	if (!found) {
		tui_flash(t, "%s", TR(T_PIN_UNKNOWN));
		return -1;
	}
	tui_set_resident(t, &r);
	people_resident_clear(&r);
	return 0;
}

static int
vol_res_chosen(struct tui *t, struct menu *m, int i)
{
	struct res_ctx *rc = menu_ctx(m);
	intptr_t v = menu_value(m, i);

	if (v < 0 || (size_t)v >= rc->n || vol_pick_resident(t, rc->ids[v]) == -1)
		return REDRAW;
	tui_popn(t, t->depth - t->base);
	screen_resident_person(t);
	if (rc->sessions[v][0] != '\0')
		return screen_resident_open(t, rc->sessions[v]);
	return REDRAW;
}

static int
vol_find_done(struct tui *t, struct form *f)
{
	const char *q = form_value(f, 0);
	char code[RESUME_CODE_LEN + 1], *cause = NULL, *s, *d;
	struct resident r, *list = NULL;
	struct res_ctx *rc;
	struct menu *m;
	size_t n = 0, i;
	int found = 0;

	while (*q == ' ')
		q++;
	memset(&r, 0, sizeof r);
	if (people_code_normalise(q, code) &&
	    people_resident_by_code(t->st, code, &r, &found, &cause) == 0 && found) {
		tui_set_resident(t, &r);
		people_resident_clear(&r);
		tui_popn(t, t->depth - t->base);
		screen_resident_person(t);
		return REDRAW;
	}
	free(cause);
	cause = NULL;
	if (people_resident_search(t->st, q, 50, &list, &n, &cause) == -1) {
		form_error(f, 0, cause);
		free(cause);
		return REDRAW;
	}
	if (n == 0) {
		s = xasprintf(TR(T_FIND_NONE), q);
		form_error(f, 0, s);
		free(s);
		return REDRAW;
	}
	s = xasprintf(TR(T_FIND_RESULTS), q);
	m = menu_new(s, vol_res_chosen);
	free(s);
	rc = xcalloc(1, sizeof *rc);
	for (i = 0; i < n; i++) {
		d = list[i].birth_year ? xasprintf("%d · %s", list[i].birth_year, list[i].code) :
		    xstrdup(list[i].code);
		menu_add(m, list[i].display_name ? list[i].display_name : "?", d, (intptr_t)i);
		free(d);
		res_ctx_add(rc, list[i].id, NULL);
	}
	people_residents_free(list, n);
	menu_set_ctx(m, rc, res_ctx_free);
	tui_pop(t);
	menu_push(t, m);
	return REDRAW;
}

static void
vol_find(struct tui *t)
{
	struct form *f = form_new(TR(T_VOL_FIND), vol_find_done);

	form_field(f, TR(T_FIND_PROMPT), NULL, 0, 40);
	form_set_help(f, T_HELP_FIND);
	form_push(t, f);
}

/* Today's residents and every unfinished session. */
static void
vol_today(struct tui *t)
{
	struct journey_brief *b = NULL;
	struct resident *list = NULL, r;
	struct res_ctx *rc = xcalloc(1, sizeof *rc);
	struct menu *m = menu_new(TR(T_VOL_TODAY), vol_res_chosen);
	size_t nb = 0, nr = 0, i;
	char *cause = NULL, today[17], *d;
	int64_t midnight;
	int found;

	util_format_time(util_now_ms(), today);
	today[10] = '\0';
	midnight = util_parse_date(today);
	if (journey_list_open(t->st, NULL, &b, &nb, &cause) == -1)
		tui_error(t, cause);
	cause = NULL;
	for (i = 0; i < nb; i++) {
		const char *who = "—";

		memset(&r, 0, sizeof r);
		found = 0;
		if (b[i].resident_id[0] != '\0' &&
		    people_resident_get(t->st, b[i].resident_id, &r, &found, &cause) == -1) {
			free(cause);
			cause = NULL;
		}
		if (found && r.display_name)
			who = r.display_name;
		d = xasprintf(TR(T_SESSION_DETAIL), b[i].done, b[i].nsteps,
		    b[i].state == SESSION_PAUSED ? TR(T_STATE_PAUSED) : TR(T_STATE_ACTIVE));
		{
			char *label = xasprintf("%s — %s", who,
			    screen_resident_title(t, b[i].checklist_id));

			if (b[i].resident_id[0] != '\0') {
				menu_add(m, label, d, (intptr_t)rc->n);
				res_ctx_add(rc, b[i].resident_id, b[i].id);
			}
			free(label);
		}
		free(d);
		if (found)
			people_resident_clear(&r);
	}
	journey_briefs_free(b, nb);
	if (people_resident_search(t->st, "", 200, &list, &nr, &cause) == -1)
		tui_error(t, cause);
	for (i = 0; i < nr; i++) {
		if (list[i].created_at < midnight)
			continue;
		menu_add(m, list[i].display_name ? list[i].display_name : "?", list[i].code,
		    (intptr_t)rc->n);
		res_ctx_add(rc, list[i].id, NULL);
	}
	people_residents_free(list, nr);
	menu_intro(m, rc->n > 0 ? TR(T_TODAY_INTRO) : TR(T_TODAY_NONE), DS_NORMAL);
	menu_set_ctx(m, rc, res_ctx_free);
	menu_push(t, m);
}

enum { VM_ADD, VM_FIND, VM_TODAY, VM_LOGOUT };

static int
vol_menu_chosen(struct tui *t, struct menu *m, int i)
{
	switch (menu_value(m, i)) {
	case VM_ADD:
		vol_add(t);
		break;
	case VM_FIND:
		vol_find(t);
		break;
	case VM_TODAY:
		vol_today(t);
		break;
	default:
		tui_home(t);
		break;
	}
	return REDRAW;
}

/* Esc on the volunteer's menu logs out. */
static int
vol_menu_key(struct tui *t, struct menu *m, int i, int key)
{
	if (key == KEY_ESCAPE || key == TK(KEY_LEFT)) {
		tui_home(t);
		return 1;
	}
	return 0;
}

void
screen_volunteer_menu(struct tui *t)
{
	char *s = xasprintf(TR(T_VOL_MENU_TITLE), t->vol_name ? t->vol_name : "");
	struct menu *m = menu_new(s, vol_menu_chosen);
	struct draw_key k[] = { { "Esc", TR(T_K_LOGOUT) } };

	free(s);
	/* A new person starts with the volunteer's menu: nobody is being helped yet. */
	if (t->has_res) {
		people_resident_clear(&t->res);
		t->has_res = 0;
	}
	menu_add(m, TR(T_VOL_ADD), NULL, VM_ADD);
	menu_add(m, TR(T_VOL_FIND), NULL, VM_FIND);
	menu_add(m, TR(T_VOL_TODAY), NULL, VM_TODAY);
	menu_add(m, TR(T_VOL_LOGOUT), NULL, VM_LOGOUT);
	menu_set_key(m, vol_menu_key, k, 1);
	menu_no_back(m);
	menu_set_help(m, T_HELP_VOLUNTEER);
	menu_push(t, m);
}
