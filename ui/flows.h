/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flows.h: the ways through the kiosk, each started from a menu: a
 * resident alone (screen-resident.c), a volunteer or supervisor logging in
 * (screen-volunteer.c), the supervisor's tools (screen-supervisor.c and the
 * screens it opens: screen-sync.c, screen-enrol.c, screen-report.c,
 * screen-volunteers.c).
 */
#ifndef SOTAY_FLOWS_H
#define SOTAY_FLOWS_H

#include "tui.h"

/* screen-resident.c */
/* A resident on their own: start something new or continue with a code. */
void	 screen_resident_start(struct tui *);
/* Category → checklist → what it takes → start, for t's resident (if any). */
void	 screen_resident_choose(struct tui *);
/* The resident's unfinished sessions and "start something new". */
void	 screen_resident_person(struct tui *);
/* Loads a session (resuming it if paused) and shows its current step. */
int	 screen_resident_open(struct tui *, const char *session_id);
/* Where to go when a session's summary is closed. */
void	 screen_resident_after(struct tui *);
/* The checklist's title in the chosen language, or its id. */
const char *screen_resident_title(struct tui *, const char *id);

/* screen-volunteer.c */
/* Choose a name and type a PIN; supervisor 1 asks for a supervisor. */
void	 screen_volunteer_login(struct tui *, int supervisor);
void	 screen_volunteer_menu(struct tui *);

/* screen-supervisor.c */
void	 screen_supervisor_menu(struct tui *);

/* screen-enrol.c: the server's address (url, or the one known) and the token, to enrol the kiosk. */
void	 screen_enrol_form(struct tui *, const char *url);

/* screen-volunteers.c: the list of volunteers, to add one or change one. */
void	 screen_volunteers_list(struct tui *);

#endif
