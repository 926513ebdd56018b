/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-names.c: what the ids of a report are called. Events carry a
 * checklist's id, a step's id and a blocked reason's id ("vneid-level2",
 * "get-otp", "no-otp"); an officer reads the titles and reasons of the
 * checklists the server published, in the page's language. An id no
 * published checklist has (a step since removed) is shown as it is, and
 * so is a reason a volunteer typed by hand (it is its own words).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "util.h"
#include "web.h"

void
web_names_load(struct web *w, struct web_names *names)
{
	struct problems	 pr = { 0 };
	char		**jsons = NULL, *cause = NULL;
	int64_t		 version;
	size_t		 n = 0, i;

	memset(names, 0, sizeof *names);
	if (server_store_content_since(w->ctx->store, 0, &version, &jsons, &n,
	    &cause) != 0) {
		/* The figures are still right under their ids. */
		web_log_failed("dashboard: checklists", cause);
		return;
	}
	names->c = xcalloc(n + 1, sizeof *names->c);
	for (i = 0; i < n; i++) {
		struct checklist *c = checklist_parse(jsons[i], strlen(jsons[i]), "server",
		    &pr);

		if (c != NULL)
			names->c[names->n++] = c;
		free(jsons[i]);
	}
	free(jsons);
	problems_free(&pr);
}

void
web_names_free(struct web_names *names)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		checklist_free(names->c[i]);
	free(names->c);
	memset(names, 0, sizeof *names);
}

static const struct checklist *
find(const struct web_names *names, const char *id)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		if (strcmp(names->c[i]->id, id) == 0)
			return names->c[i];
	return NULL;
}

/* t in the page's language, else fallback when t is empty. */
static const char *
words(const struct web *w, const struct text *t, const char *fallback)
{
	const char *s = text_get(t, w->en ? LANG_EN : LANG_VI);

	return s != NULL && *s != '\0' ? s : fallback;
}

const char *
web_names_checklist(const struct web *w, const struct web_names *names,
    const char *checklist)
{
	const struct checklist *c = find(names, checklist);

	return c != NULL ? words(w, &c->title, checklist) : checklist;
}

const char *
web_names_step(const struct web *w, const struct web_names *names,
    const char *checklist, const char *step)
{
	const struct checklist	*c = find(names, checklist);
	size_t			 i;

	for (i = 0; c != NULL && i < c->nsteps; i++)
		if (strcmp(c->steps[i].id, step) == 0)
			return words(w, &c->steps[i].title, step);
	return step;
}

const char *
web_names_reason(const struct web *w, const struct web_names *names,
    const char *checklist, const char *reason)
{
	const struct block_reason *r = checklist_reason(find(names, checklist), reason);

	return r != NULL ? words(w, &r->text, reason) : reason;
}
