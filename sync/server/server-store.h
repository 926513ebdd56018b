/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store.h: the provincial server's storage — kiosks and their token
 * hashes, every event uploaded (keyed by its id), the facts reports are
 * built from, and published checklists.
 *
 * One interface, several implementations: a table of operations (struct
 * server_store_ops) behind the server_store_* calls. server-store-sqlite.c
 * is the province's (one file, WAL); a PostgreSQL one for the national
 * picture fills the same table and is picked by the --db argument
 * ("postgresql://…"). Every call is safe from many threads at once: the
 * implementation keeps its own connections. Nothing outside this interface
 * sees SQL.
 */
#ifndef SOTAY_SERVER_STORE_H
#define SOTAY_SERVER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

#define SERVER_HASH_LEN	32	/* BLAKE2b-256 of a token */

/* Each implementation's own struct starts with this. */
struct server_store_ops;
struct server_store {
	const struct server_store_ops *ops;
};

struct server_kiosk {
	char	*id;
	char	*province;
	char	*commune;
	char	*hamlet;
	char	*name;
	int64_t	 created_at;	/* ms */
	int64_t	 revoked_at;	/* ms, 0 while active */
	int64_t	 held_seq;
	int64_t	 last_seen;	/* ms of its last upload, 0 if never */
};
void	 server_kiosk_free(struct server_kiosk *);	/* frees the fields only */

/* What a report groups by. */
enum server_report_by {
	SERVER_BY_COMMUNE,
	SERVER_BY_HAMLET,
	SERVER_BY_CHECKLIST,
	SERVER_BY_CATEGORY,
	SERVER_BY_DAY,
	SERVER_BY_REASON
};

struct server_report_row {
	char	*key;		/* commune, hamlet, checklist, category or day */
	char	*commune;	/* by hamlet only: the hamlet's commune */
	int64_t	 people;	/* distinct residents with a session started */
	int64_t	 started;
	int64_t	 finished;	/* any outcome */
	int64_t	 completed;	/* finished with outcome "completed" */
	int64_t	 blocked;	/* steps marked blocked */
	/* by reason only: */
	char	*checklist;
	char	*step;
	char	*reason;
	int64_t	 count;
};
struct server_report {
	enum server_report_by	 by;
	int64_t			 from, to;	/* ms, [from, to) */
	struct server_report_row *rows;
	size_t			 n;
};
void	 server_report_free(struct server_report *);

/* A checklist to publish: its id, version and canonical JSON text. */
struct server_checklist {
	const char	*id;
	int		 version;
	const char	*json;
};

struct server_store_ops {
	const char *name;
	int	(*open)(const char *where, struct server_store **, char **cause);
	void	(*close)(struct server_store *);
	int	(*kiosk_add)(struct server_store *, const struct server_kiosk *,
		    const unsigned char hash[SERVER_HASH_LEN], char **cause);
	int	(*kiosk_list)(struct server_store *, struct server_kiosk **, size_t *,
		    char **cause);
	int	(*kiosk_revoke)(struct server_store *, const char *id, char **cause);
	int	(*kiosk_by_token)(struct server_store *,
		    const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *,
		    int *found, char **cause);
	int	(*events_put)(struct server_store *, const struct server_kiosk *,
		    const struct protocol_batch *, struct protocol_ack *, char **cause);
	int	(*content_publish)(struct server_store *, const struct server_checklist *,
		    size_t n, int64_t *version, size_t *added, char ***problems,
		    size_t *nproblems, char **cause);
	int	(*content_since)(struct server_store *, int64_t since, int64_t *version,
		    char ***jsons, size_t *n, char **cause);
	int	(*report)(struct server_store *, enum server_report_by, int64_t from,
		    int64_t to, struct server_report *, char **cause);
	/* May be NULL: the store has no check of its own. */
	int	(*check)(struct server_store *, char **cause);
};

extern const struct server_store_ops server_store_sqlite;

/*
 * Opens the store named by where: a file path (SQLite, created and migrated
 * if needed) or a postgresql:// URL (not built in this version: an error).
 */
int	 server_store_open(const char *where, struct server_store **, char **cause);
void	 server_store_close(struct server_store *);
/*
 * Checks the stored data is whole (SQLite: PRAGMA quick_check); -1 and a
 * cause naming what is damaged if not. serve refuses a store that fails.
 */
int	 server_store_check(struct server_store *, char **cause);

/*
 * A new kiosk; k->id must be set (a new id). Stores only the token's hash.
 */
int	 server_store_kiosk_add(struct server_store *, const struct server_kiosk *,
	     const unsigned char hash[SERVER_HASH_LEN], char **cause);
/* Every kiosk, oldest first; free each with server_kiosk_free, then the array. */
int	 server_store_kiosk_list(struct server_store *, struct server_kiosk **, size_t *,
	     char **cause);
/* Fails with a clear message when id is not a known kiosk. */
int	 server_store_kiosk_revoke(struct server_store *, const char *id, char **cause);
/*
 * *found is 1 when an active kiosk has this token hash (k is filled), -1
 * when the kiosk was revoked, 0 when no kiosk has it.
 */
int	 server_store_kiosk_by_token(struct server_store *,
	     const unsigned char hash[SERVER_HASH_LEN], struct server_kiosk *, int *found,
	     char **cause);

/*
 * Stores a batch for kiosk k in one transaction, following PROTOCOL.md:
 * new events stored (and their facts derived), duplicates counted,
 * conflicts listed, and nothing after the first seq held under another id
 * (seq_taken; the ack's held_seq stays below it, max_seq tells the kiosk
 * where to renumber from); fills ack (the caller frees it with
 * protocol_ack_free).
 * Nothing is stored when it fails. errno is EBUSY when the database stayed
 * locked (the caller answers 503).
 */
int	 server_store_events_put(struct server_store *, const struct server_kiosk *k,
	     const struct protocol_batch *, struct protocol_ack *, char **cause);

/*
 * Publishes checklists as a new content version, in one transaction. A
 * checklist already published with the same id and version and the same
 * text is left as it is; one with the same id and version but another text,
 * or a lower version than published, is a problem. If there is any problem
 * nothing is published and *problems (malloc'd lines, the caller frees)
 * lists them all. If nothing is new, *added is 0 and no version is made.
 */
int	 server_store_content_publish(struct server_store *,
	     const struct server_checklist *, size_t n, int64_t *version, size_t *added,
	     char ***problems, size_t *nproblems, char **cause);
/*
 * The current content version and the newest version of every checklist
 * published after since (malloc'd texts; the caller frees each and the array).
 */
int	 server_store_content_since(struct server_store *, int64_t since,
	     int64_t *version, char ***jsons, size_t *n, char **cause);

int	 server_store_report(struct server_store *, enum server_report_by, int64_t from,
	     int64_t to, struct server_report *, char **cause);

#endif
