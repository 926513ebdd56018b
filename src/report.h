/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h: what a supervisor reads — people helped, sessions started and
 * finished per checklist and per category, the steps most often blocked
 * and why — for a date range, from the kiosk's own database.
 */
#ifndef SOTAY_REPORT_H
#define SOTAY_REPORT_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct json_object;

struct report_row {
	char	*key;		/* checklist id or category id */
	int	 started;
	int	 finished;	/* every step marked, none blocked */
	int	 blocked;	/* finished with a step blocked */
	int	 people;	/* distinct residents */
};

struct report_block {
	char	*checklist_id;
	char	*step_id;
	char	*reason;
	int	 count;
};

struct report {
	int64_t			 from, to;	/* ms, [from, to) */
	int			 people;	/* distinct residents helped */
	int			 started, finished;
	struct report_row	*by_checklist;	/* most started first */
	size_t			 nchecklist;
	struct report_row	*by_category;
	size_t			 ncategory;
	struct report_block	*blocks;	/* most frequent first, at most 20 */
	size_t			 nblocks;
};

int	 report_build(struct store *, int64_t from, int64_t to, struct report **, char **cause);
void	 report_free(struct report *);
/* The caller owns the returned object (json_object_put). */
struct json_object *report_json(const struct report *);
/* A plain-text report in the current language. */
void	 report_print(FILE *, const struct report *);

#endif
