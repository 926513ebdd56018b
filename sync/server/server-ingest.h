/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-ingest.h: the protocol's rules on the server side, once for every
 * store — storing a kiosk's batch (duplicates, conflicts, seq_taken,
 * held_seq, the facts each event gives reports) and publishing checklists
 * (the publish rules). They drive the storage primitives of server-store.h
 * inside one transaction, and run it again when it lost a race with
 * another server process on the same database.
 */
#ifndef SOTAY_SERVER_INGEST_H
#define SOTAY_SERVER_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "server-store.h"

/*
 * Stores a batch for kiosk k in one transaction, following PROTOCOL.md:
 * new events stored (and their facts derived), duplicates counted,
 * conflicts listed, and nothing after the first seq held under another id
 * (seq_taken; the ack's held_seq stays below it, max_seq tells the kiosk
 * where to renumber from); fills ack (the caller frees it with
 * protocol_ack_free). Nothing is stored when it fails. Returns
 * SERVER_STORE_OK, SERVER_STORE_BUSY (the caller answers 503) or
 * SERVER_STORE_FAIL.
 */
int	 server_ingest_batch(struct server_store *, const struct server_kiosk *k,
	     const struct protocol_batch *, struct protocol_ack *, char **cause);

/*
 * Publishes checklists as a new content version, in one transaction. A
 * checklist already published with the same id and version and the same
 * text is left as it is; one with the same id and version but another text,
 * or a lower version than published, is a problem. If there is any problem
 * nothing is published and *problems (malloc'd lines, the caller frees)
 * lists them all. If nothing is new, *added is 0 and no version is made.
 */
int	 server_ingest_publish(struct server_store *, const struct server_checklist *,
	     size_t n, int64_t *version, size_t *added, char ***problems,
	     size_t *nproblems, char **cause);

/*
 * Makes the rollups from the facts when they are not built (after an
 * upgrade or a migrate), or always when force is 1. server_store_open
 * calls it.
 */
int	 server_ingest_rollups_build(struct server_store *, int force, char **cause);

#endif
