/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync-output.h: what the `sotay-sync` program writes for another program
 * to read — the contract between it and the kiosk's screen, which runs it
 * as a child (`sync --progress`) and reads its stdout and stderr from one
 * pipe, and with `sync --json` for scripts and the journal.
 *
 *   progress SENT TOTAL BYTES\n		one line per batch the server acknowledged
 *   {"status": "done", "sent": …}\n	the result, one JSON line, last
 *
 * Any other line is a message for people (an error before the sync began).
 * The writer and the one parser are here, so both sides change together.
 */
#ifndef SOTAY_SYNC_OUTPUT_H
#define SOTAY_SYNC_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#define SYNC_OUTPUT_DONE	"done"	/* the status of a sync that finished */

struct sync_output_progress {
	int64_t	 sent, total, bytes;
};

struct sync_output_result {
	char	*status;		/* "done", "offline", "refused", "server_error", "local", "cancelled" */
	int	 exit;			/* the program's exit code */
	int64_t	 total, sent, accepted, duplicates, conflicts, renumbered, pending, bytes;
	int	 batches;
	int64_t	 content_version;
	int	 content_added;
	int64_t	 clock_offset_ms;
	long	 http_status;
	int	 retry_after_s;
	char	*message;		/* why it did not finish; NULL if none */
	int	 next_attempt_s;	/* --watch: seconds to the next attempt; -1: none */
};

void	 sync_output_write_progress(FILE *, const struct sync_output_progress *);
void	 sync_output_write_result(FILE *, const struct sync_output_result *);

enum sync_output_line {
	SYNC_OUTPUT_TEXT,		/* a message for people (or a line cut short) */
	SYNC_OUTPUT_PROGRESS,
	SYNC_OUTPUT_RESULT,
};
/*
 * Reads one line (without its newline). A result's strings are malloc'd:
 * free them with sync_output_result_free. A result line lacking its status
 * counts as text.
 */
enum sync_output_line sync_output_parse(const char *line, struct sync_output_progress *,
	     struct sync_output_result *);
void	 sync_output_result_free(struct sync_output_result *);
/* 1 if the result says the sync finished. */
int	 sync_output_done(const struct sync_output_result *);

#endif
