/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store-pg.c: the server's store in PostgreSQL through libpq (see
 * server-store.h), for a nation: several sotay-server processes in front of
 * one database, PostgreSQL's own replication for safety.
 *
 * - Connections: a pool sized to the server's threads, each connection
 *   used by one thread at a time and reset when it breaks.
 * - Statements: every one is prepared once per connection (named s0, s1…).
 * - Isolation: READ COMMITTED with explicit locks. A batch locks its
 *   kiosk's row (SELECT … FOR UPDATE), so one kiosk's batches run one after
 *   another whichever process they reach; an event id is a primary key, so
 *   two kiosks racing for one id end with a unique violation for the later,
 *   which is SERVER_STORE_RETRY (server-ingest.c runs the batch again).
 *   Publishing locks content_versions. lock_timeout turns a long wait into
 *   SERVER_STORE_BUSY (503) rather than a hung request.
 * - Schema: numbered migrations in sotay_schema, applied under an advisory
 *   lock so two processes starting at once do not race.
 * - Messages name the database with any password blanked out.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "i18n.h"
#include "util.h"
#include "server-store.h"

#define POOL_MIN	2
#define POOL_MAX	256
#define MIGRATE_LOCK	"7400090001"	/* pg_advisory_xact_lock key */

/* Migrations: entry i takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE kiosks ("
	"  id text PRIMARY KEY,"
	"  province text NOT NULL, commune text NOT NULL,"
	"  commune_code text NOT NULL DEFAULT '',"
	"  hamlet text NOT NULL, name text NOT NULL,"
	"  token_hash bytea NOT NULL UNIQUE,"
	"  created_at bigint NOT NULL,"
	"  revoked_at bigint NOT NULL DEFAULT 0,"
	"  held_seq bigint NOT NULL DEFAULT 0,"
	"  last_seen bigint NOT NULL DEFAULT 0);"
	"CREATE TABLE events ("
	"  id text PRIMARY KEY,"
	"  kiosk text NOT NULL REFERENCES kiosks(id),"
	"  seq bigint NOT NULL, type text NOT NULL, at bigint NOT NULL,"
	"  payload text NOT NULL, received_at bigint NOT NULL,"
	"  UNIQUE (kiosk, seq));"
	"CREATE TABLE conflicts ("
	"  kiosk text NOT NULL REFERENCES kiosks(id),"
	"  id text NOT NULL, seq bigint NOT NULL, type text NOT NULL,"
	"  at bigint NOT NULL, payload text NOT NULL, reason text NOT NULL,"
	"  received_at bigint NOT NULL,"
	"  PRIMARY KEY (kiosk, id, seq));"
	"CREATE INDEX conflicts_seq ON conflicts (kiosk, seq);"
	"CREATE TABLE f_resident ("
	"  kiosk text NOT NULL, resident text NOT NULL, hamlet text,"
	"  birth_year bigint, sex text, at bigint NOT NULL,"
	"  PRIMARY KEY (kiosk, resident));"
	"CREATE TABLE f_session ("
	"  kiosk text NOT NULL, session text NOT NULL, resident text,"
	"  checklist text, version bigint, category text, at bigint NOT NULL,"
	"  PRIMARY KEY (kiosk, session));"
	"CREATE INDEX f_session_at ON f_session (at);"
	"CREATE TABLE f_finish ("
	"  kiosk text NOT NULL, session text NOT NULL, checklist text,"
	"  outcome text, at bigint NOT NULL,"
	"  PRIMARY KEY (kiosk, session));"
	"CREATE INDEX f_finish_at ON f_finish (at);"
	"CREATE TABLE f_block ("
	"  event text PRIMARY KEY, kiosk text NOT NULL, session text,"
	"  checklist text, step text, reason text, at bigint NOT NULL);"
	"CREATE INDEX f_block_at ON f_block (at);"
	"CREATE INDEX f_block_step ON f_block (kiosk, session, step);"
	"CREATE TABLE content_versions ("
	"  version bigint PRIMARY KEY, published_at bigint NOT NULL);"
	"CREATE TABLE checklists ("
	"  id text NOT NULL, version integer NOT NULL, json text NOT NULL,"
	"  content_version bigint NOT NULL REFERENCES content_versions(version),"
	"  PRIMARY KEY (id, version));"
	"CREATE INDEX checklists_cv ON checklists (content_version);",
	/* 2: rollups, so reports read a few rows, not every fact. */
	"CREATE TABLE r_counts ("
	"  grp text NOT NULL, k1 text NOT NULL, k2 text NOT NULL, k3 text NOT NULL,"
	"  day text NOT NULL, people bigint NOT NULL DEFAULT 0,"
	"  started bigint NOT NULL DEFAULT 0, finished bigint NOT NULL DEFAULT 0,"
	"  completed bigint NOT NULL DEFAULT 0, blocked bigint NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (grp, k1, k2, k3, day));"
	/* A report reads one grouping's days (or its all-time rows, day ''). */
	"CREATE INDEX r_counts_day ON r_counts (grp, day);"
	"CREATE TABLE r_people ("
	"  grp text NOT NULL, k1 text NOT NULL, k2 text NOT NULL, k3 text NOT NULL,"
	"  kiosk text NOT NULL, resident text NOT NULL, day text NOT NULL,"
	"  PRIMARY KEY (grp, k1, k2, k3, kiosk, resident));"
	"CREATE TABLE r_state (built integer NOT NULL);"
	"INSERT INTO r_state VALUES (1);"	/* a new database: nothing to build */
	"CREATE INDEX f_session_resident ON f_session (kiosk, resident);",
	/* 3: the dashboard's accounts, web sessions, audit log; kiosk status. */
	"CREATE TABLE users ("
	"  login text PRIMARY KEY, role text NOT NULL,"
	"  province text NOT NULL DEFAULT '', commune text NOT NULL DEFAULT '',"
	"  pwhash text NOT NULL, created_at bigint NOT NULL,"
	"  disabled_at bigint NOT NULL DEFAULT 0,"
	"  failures bigint NOT NULL DEFAULT 0,"
	"  locked_until bigint NOT NULL DEFAULT 0,"
	"  last_login bigint NOT NULL DEFAULT 0);"
	"CREATE TABLE web_sessions ("
	"  token_hash bytea PRIMARY KEY, login text NOT NULL REFERENCES users(login),"
	"  expires_at bigint NOT NULL);"
	"CREATE TABLE audit ("
	"  n bigserial PRIMARY KEY, at bigint NOT NULL, login text NOT NULL,"
	"  action text NOT NULL, detail text NOT NULL, addr text NOT NULL);"
	"CREATE TABLE kiosk_status ("
	"  kiosk text PRIMARY KEY REFERENCES kiosks(id), at bigint NOT NULL,"
	"  pending bigint NOT NULL, content_version bigint NOT NULL,"
	"  program_version text NOT NULL, clock_offset bigint NOT NULL);"
	"CREATE INDEX conflicts_received ON conflicts (received_at);"
	"CREATE INDEX f_session_cover ON f_session (at) INCLUDE (kiosk, resident,"
	"  category, checklist, session);"
	"CREATE INDEX f_finish_cover ON f_finish (at) INCLUDE (kiosk, outcome,"
	"  checklist, session);"
	"CREATE INDEX f_block_cover ON f_block (at) INCLUDE (kiosk, checklist, step,"
	"  reason, session);",
	/*
	 * 4: rollups a kiosk's own (no two kiosks' batches share a row: the
	 * all-time rows every batch locked are gone), by year, month and day
	 * of the corrected time, people counted by first day. A fact's time
	 * becomes the kiosk's clock corrected by its offset (for facts already
	 * kept, the last offset the kiosk gave); the rollups are made from the
	 * facts at the next open (built 0).
	 */
	"DROP TABLE r_counts;"
	"DROP TABLE r_people;"
	"UPDATE f_resident x SET at = x.at + ks.clock_offset FROM kiosk_status ks"
	"  WHERE ks.kiosk = x.kiosk AND ks.clock_offset <> 0;"
	"UPDATE f_session x SET at = x.at + ks.clock_offset FROM kiosk_status ks"
	"  WHERE ks.kiosk = x.kiosk AND ks.clock_offset <> 0;"
	"UPDATE f_finish x SET at = x.at + ks.clock_offset FROM kiosk_status ks"
	"  WHERE ks.kiosk = x.kiosk AND ks.clock_offset <> 0;"
	"UPDATE f_block x SET at = x.at + ks.clock_offset FROM kiosk_status ks"
	"  WHERE ks.kiosk = x.kiosk AND ks.clock_offset <> 0;"
	"CREATE TABLE r_sums ("
	"  grp text NOT NULL, lvl smallint NOT NULL, period text NOT NULL,"
	"  kiosk text NOT NULL, k1 text NOT NULL, k2 text NOT NULL, k3 text NOT NULL,"
	"  started bigint NOT NULL DEFAULT 0, finished bigint NOT NULL DEFAULT 0,"
	"  completed bigint NOT NULL DEFAULT 0, blocked bigint NOT NULL DEFAULT 0,"
	"  first_ever bigint NOT NULL DEFAULT 0, first_year bigint NOT NULL DEFAULT 0,"
	"  first_month bigint NOT NULL DEFAULT 0, on_day bigint NOT NULL DEFAULT 0,"
	"  last_ever bigint NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (grp, lvl, period, kiosk, k1, k2, k3));"
	"CREATE TABLE r_seen ("
	"  grp text NOT NULL, lvl smallint NOT NULL, period text NOT NULL,"
	"  kiosk text NOT NULL, k1 text NOT NULL, k2 text NOT NULL, k3 text NOT NULL,"
	"  resident text NOT NULL, first text NOT NULL, n bigint NOT NULL,"
	"  last text NOT NULL DEFAULT '',"
	"  PRIMARY KEY (kiosk, resident, grp, k1, k2, k3, lvl, period));"
	/* A resident's rows lie together (a session writes them at once); the
	 * day rows are also found by day, for the people of any range. */
	"CREATE INDEX r_seen_day ON r_seen (grp, period, kiosk, k1, k2, k3, resident)"
	"  WHERE lvl = 3;"
	"UPDATE r_state SET built = 0 WHERE EXISTS (SELECT 1 FROM f_session)"
	"  OR EXISTS (SELECT 1 FROM f_block);",
	/* 5: `migrate` finds an audit entry it copied before by its time. */
	"CREATE INDEX audit_at ON audit (at);",
	/* 6: the machine a kiosk's token is bound to, '' until it enrols. */
	"ALTER TABLE kiosks ADD COLUMN install text NOT NULL DEFAULT '';",
	/* 7: a session of no resident counts as one person: people counted anew. */
	"UPDATE r_state SET built = 0 WHERE EXISTS (SELECT 1 FROM f_session);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

#define KIOSK_COLS "id, province, commune, hamlet, name, created_at, revoked_at," \
	" held_seq, last_seen, commune_code, install"

/* The report's select list: key, commune, province, code, then counts. */
#define REPORT_JOINS " JOIN kiosks k ON k.id = x.kiosk" \
	" LEFT JOIN f_session s ON s.kiosk = x.kiosk AND s.session = x.session" \
	" LEFT JOIN f_resident r ON r.kiosk = x.kiosk AND r.resident = s.resident" \
	" WHERE x.at >= $1 AND x.at < $2 GROUP BY 1, 2, 3, 4"
#define REPORT(K, C, P, D) \
	"SELECT key, commune, province, code, sum(people), sum(st), sum(fi)," \
	" sum(co), sum(bl) FROM (" \
	"SELECT " K " AS key, " C " AS commune, " P " AS province, " D " AS code," \
	" count(DISTINCT x.kiosk || '/' || coalesce(x.resident, x.session)) AS people," \
	" count(*) AS st, 0 AS fi, 0 AS co, 0 AS bl FROM f_session x" REPORT_JOINS \
	" UNION ALL SELECT " K ", " C ", " P ", " D ", 0, 0, count(*)," \
	" count(*) FILTER (WHERE x.outcome = 'completed'), 0 FROM f_finish x" \
	REPORT_JOINS \
	" UNION ALL SELECT " K ", " C ", " P ", " D ", 0, 0, 0, 0, count(*)" \
	" FROM f_block x" REPORT_JOINS \
	") u GROUP BY key, commune, province, code ORDER BY key, commune, province, code"
#define DAY "to_char(to_timestamp(x.at / 1000.0), 'YYYY-MM-DD')"

/* The rollups' statements (server-store-rollup.h) in PostgreSQL's words:
 * a parameter compared with a column gets its type. */
#define P(n)		"$" #n
#define TYPED(x, type)	"CAST(" x " AS " type ")"
#include "server-store-rollup.h"

/* Every statement, prepared on first use on each connection. */
enum stmt_id {
	S_KIOSK_ADD, S_KIOSK_LIST, S_KIOSK_REVOKE, S_KIOSK_BY_TOKEN, S_KIOSK_BIND,
	S_KIOSK_TOKEN, S_KIOSK_START, S_KIOSK_LOCK,
	S_KIOSK_SET_HELD, S_KIOSK_MAX_SEQ, S_EVENT_GET, S_SEQ_STORED, S_SEQ_HELD,
	S_EVENT_INSERT, S_EVENTS_INSERT_NEW, S_CONFLICT_INSERT, S_CONFLICT_DELETE, S_F_RESIDENT,
	S_F_SESSION, S_F_FINISH, S_F_BLOCK, S_CONTENT_LOCK,
	S_CONTENT_VERSION, S_CONTENT_VERSION_ADD, S_CHECKLIST_GET,
	S_CHECKLIST_NEWEST, S_CHECKLIST_INSERT, S_CONTENT_SINCE,
	S_R_COMMUNE, S_R_HAMLET, S_R_CHECKLIST, S_R_CATEGORY, S_R_DAY, S_R_REASON,
	S_R_PROVINCE, S_BLOCK_FIND, S_BLOCK_DELETE, S_SESSION_GET, S_RESIDENT_HAMLET,
	S_SESSION_DEPS, S_RESIDENT_SESSIONS, S_SESSIONS_FACTS, S_RESIDENTS_HAMLETS,
	S_RESIDENTS_SEEN, S_ROLLUP_ADD, S_SEEN_GET, S_SEEN_SET,
	S_SEEN_DELETE, S_ROLLUPS_BUILT, S_ROLLUPS_LOCK, S_ROLLUPS_SHARE, S_ROLLUP_DAYS,
	S_ROLLUPS_DONE, S_RR_COMMUNE, S_RR_HAMLET, S_RR_CHECKLIST, S_RR_CATEGORY,
	S_RR_DAY, S_RR_REASON, S_RR_PROVINCE, S_RS_COMMUNE, S_RS_HAMLET,
	S_RS_CHECKLIST, S_RS_CATEGORY, S_RS_DAY, S_RS_REASON, S_RS_PROVINCE, NSTMT
};
static const char *const stmt_sql[NSTMT] = {
	[S_KIOSK_ADD] = "INSERT INTO kiosks (id, province, commune, hamlet, name,"
	    " token_hash, created_at, commune_code) VALUES ($1, $2, $3, $4, $5,"
	    " decode($6, 'hex'), $7, $8)",
	[S_KIOSK_LIST] = "SELECT " KIOSK_COLS " FROM kiosks ORDER BY created_at, id",
	[S_KIOSK_REVOKE] = "UPDATE kiosks SET revoked_at = $1 WHERE id = $2 AND"
	    " revoked_at = 0",
	[S_KIOSK_BY_TOKEN] = "SELECT " KIOSK_COLS " FROM kiosks WHERE"
	    " token_hash = decode($1, 'hex')",
	/* One statement: two machines enrolling at once cannot both win. */
	[S_KIOSK_BIND] = "UPDATE kiosks SET install = $1 WHERE id = $2 AND"
	    " revoked_at = 0 AND install IN ('', $1)",
	[S_KIOSK_TOKEN] = "UPDATE kiosks SET token_hash = decode($1, 'hex'),"
	    " install = '' WHERE id = $2 AND revoked_at = 0",
	[S_KIOSK_START] = "UPDATE kiosks k SET held_seq = $1::bigint - 1 WHERE id = $2"
	    " AND held_seq < $1::bigint - 1"
	    " AND NOT EXISTS (SELECT 1 FROM events WHERE kiosk = $2"
	    "  AND seq > k.held_seq AND seq < $1::bigint)"
	    " AND NOT EXISTS (SELECT 1 FROM conflicts WHERE kiosk = $2"
	    "  AND seq > k.held_seq AND seq < $1::bigint)",
	[S_KIOSK_LOCK] = "SELECT held_seq FROM kiosks WHERE id = $1 FOR UPDATE",
	[S_KIOSK_SET_HELD] = "UPDATE kiosks SET held_seq = $1, last_seen = $2"
	    " WHERE id = $3",
	[S_KIOSK_MAX_SEQ] = "SELECT coalesce(max(seq), 0) FROM events WHERE kiosk = $1",
	[S_EVENT_GET] = "SELECT kiosk, seq, type, payload FROM events WHERE id = $1",
	[S_SEQ_STORED] = "SELECT EXISTS (SELECT 1 FROM events WHERE kiosk = $1 AND"
	    " seq = $2)::int",
	[S_SEQ_HELD] = "SELECT (EXISTS (SELECT 1 FROM events WHERE kiosk = $1 AND"
	    " seq = $2) OR EXISTS (SELECT 1 FROM conflicts WHERE kiosk = $1 AND"
	    " seq = $2))::int",
	[S_EVENT_INSERT] = "INSERT INTO events (id, kiosk, seq, type, at, payload,"
	    " received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	/*
	 * A batch's new events in one statement (one round trip): the rows
	 * come as arrays; those whose id or (kiosk, seq) is held are skipped,
	 * and the ids stored come back. The conflicts they resolve go with them.
	 */
	[S_EVENTS_INSERT_NEW] = "WITH ins AS (INSERT INTO events (id, kiosk, seq,"
	    " type, at, payload, received_at) SELECT u.id, $6, u.seq, u.type, u.at,"
	    " u.payload, $7 FROM unnest($1::text[], $2::bigint[], $3::text[],"
	    " $4::bigint[], $5::text[]) AS u(id, seq, type, at, payload)"
	    " ON CONFLICT DO NOTHING RETURNING id),"
	    " del AS (DELETE FROM conflicts c USING ins WHERE c.kiosk = $6 AND"
	    " c.reason = $8 AND c.id = ins.id)"
	    " SELECT id FROM ins",
	[S_CONFLICT_INSERT] = "INSERT INTO conflicts (kiosk, id, seq, type, at,"
	    " payload, reason, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	    " ON CONFLICT DO NOTHING",
	[S_CONFLICT_DELETE] = "DELETE FROM conflicts WHERE kiosk = $1 AND id = $2"
	    " AND reason = $3",
	[S_F_RESIDENT] = "INSERT INTO f_resident (kiosk, resident, hamlet,"
	    " birth_year, sex, at) VALUES ($1, $2, $3, $4, $5, $6)"
	    " ON CONFLICT DO NOTHING",
	[S_F_SESSION] = "INSERT INTO f_session (kiosk, session, resident, checklist,"
	    " version, category, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " ON CONFLICT DO NOTHING",
	[S_F_FINISH] = "INSERT INTO f_finish (kiosk, session, checklist, outcome, at)"
	    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
	[S_F_BLOCK] = "INSERT INTO f_block (event, kiosk, session, checklist, step,"
	    " reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
	[S_CONTENT_LOCK] = "LOCK TABLE content_versions IN EXCLUSIVE MODE",
	[S_CONTENT_VERSION] = "SELECT coalesce(max(version), 0) FROM content_versions",
	[S_CONTENT_VERSION_ADD] = "INSERT INTO content_versions (version,"
	    " published_at) VALUES ($1, $2)",
	[S_CHECKLIST_GET] = "SELECT json FROM checklists WHERE id = $1 AND"
	    " version = $2",
	[S_CHECKLIST_NEWEST] = "SELECT coalesce(max(version), 0) FROM checklists"
	    " WHERE id = $1",
	[S_CHECKLIST_INSERT] = "INSERT INTO checklists (id, version, json,"
	    " content_version) VALUES ($1, $2, $3, $4)",
	[S_CONTENT_SINCE] = "SELECT json FROM checklists c WHERE content_version > $1"
	    " AND version = (SELECT max(version) FROM checklists d WHERE d.id = c.id)"
	    " ORDER BY id",
	[S_R_COMMUNE] = REPORT("k.commune", "''", "k.province", "k.commune_code"),
	[S_R_HAMLET] = REPORT("coalesce(r.hamlet, k.hamlet)", "k.commune",
	    "k.province", "''"),
	[S_R_CHECKLIST] = REPORT("coalesce(x.checklist, s.checklist, '')", "''", "''",
	    "''"),
	[S_R_CATEGORY] = REPORT("coalesce(s.category, '')", "''", "''", "''"),
	[S_R_DAY] = REPORT(DAY, "''", "''", "''"),
	[S_R_REASON] = "SELECT coalesce(x.checklist, ''), coalesce(x.step, ''),"
	    " coalesce(x.reason, ''), count(*) FROM f_block x"
	    " WHERE x.at >= $1 AND x.at < $2 GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	[S_R_PROVINCE] = REPORT("k.province", "''", "''", "''"),
	[S_BLOCK_FIND] = "SELECT event, session, checklist, step, reason, at FROM f_block"
	    " WHERE kiosk = $1 AND session = $2 AND step = $3 ORDER BY event DESC"
	    " LIMIT 1",
	[S_BLOCK_DELETE] = "DELETE FROM f_block WHERE event = $1",
	[S_SESSION_GET] = "SELECT resident, checklist, category, at FROM f_session"
	    " WHERE kiosk = $1 AND session = $2",
	[S_RESIDENT_HAMLET] = "SELECT hamlet FROM f_resident WHERE kiosk = $1 AND"
	    " resident = $2",
	[S_SESSION_DEPS] = "SELECT 'f', NULL, session, NULL, checklist, NULL, outcome,"
	    " NULL, NULL, at FROM f_finish WHERE kiosk = $1 AND session = $2"
	    " UNION ALL SELECT 'b', event, session, NULL, checklist, NULL, NULL, step,"
	    " reason, at FROM f_block WHERE kiosk = $1 AND session = $2",
	[S_RESIDENT_SESSIONS] = "SELECT 's', NULL, session, resident, checklist,"
	    " category, NULL, NULL, NULL, at FROM f_session WHERE kiosk = $1 AND"
	    " resident = $2",
	/* A batch's questions at once (server_store_reads_at_once): $2 an array,
	 * joined so that each of its keys is an index look-up whatever the plan. */
	[S_SESSIONS_FACTS] = "SELECT 's', NULL, x.session, x.resident, x.checklist,"
	    " x.category, NULL, NULL, NULL, x.at FROM unnest($2::text[]) u(s) JOIN"
	    " f_session x ON x.kiosk = $1 AND x.session = u.s UNION ALL SELECT 'f', NULL,"
	    " x.session, NULL, x.checklist, NULL, x.outcome, NULL, NULL, x.at FROM"
	    " unnest($2::text[]) u(s) JOIN f_finish x ON x.kiosk = $1 AND x.session ="
	    " u.s UNION ALL SELECT 'b', x.event, x.session, NULL, x.checklist, NULL,"
	    " NULL, x.step, x.reason, x.at FROM unnest($2::text[]) u(s) JOIN f_block x"
	    " ON x.kiosk = $1 AND x.session = u.s",
	[S_RESIDENTS_HAMLETS] = "SELECT u.i, r.hamlet FROM unnest($2::text[]) WITH"
	    " ORDINALITY AS u(resident, i) JOIN f_resident r ON r.kiosk = $1 AND"
	    " r.resident = u.resident",
	[S_RESIDENTS_SEEN] = "SELECT x.grp, x.k1, x.k2, x.k3, x.period, x.first, x.n,"
	    " x.last, x.resident FROM unnest($2::text[]) u(r) JOIN r_seen x ON"
	    " x.kiosk = $1 AND x.resident = u.r",
	/* Many rows in one statement: each parameter an array, a column. */
	[S_ROLLUP_ADD] = "INSERT INTO r_sums (grp, lvl, period, kiosk, k1, k2, k3,"
	    " started, finished, completed, blocked, first_ever, first_year,"
	    " first_month, on_day, last_ever) SELECT * FROM unnest($1::text[],"
	    " $2::smallint[], $3::text[], $4::text[], $5::text[], $6::text[],"
	    " $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],"
	    " $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[],"
	    " $16::bigint[])" R_SUMS_ADD,
	[S_SEEN_GET] = "SELECT grp, k1, k2, k3, period, first, n, last FROM r_seen"
	    " WHERE kiosk = $1 AND resident = $2",
	[S_SEEN_SET] = "INSERT INTO r_seen (kiosk, resident, grp, k1, k2, k3, lvl,"
	    " period, first, n, last) SELECT * FROM unnest($1::text[], $2::text[],"
	    " $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[],"
	    " $8::text[], $9::text[], $10::bigint[], $11::text[])"
	    " ON CONFLICT (kiosk, resident, grp, k1, k2, k3, lvl, period) DO UPDATE"
	    " SET first = excluded.first, n = excluded.n, last = excluded.last",
	[S_SEEN_DELETE] = "DELETE FROM r_seen s USING unnest($1::text[], $2::text[],"
	    " $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[],"
	    " $8::text[]) AS d (kiosk, resident, grp, k1, k2, k3, lvl, period)"
	    " WHERE s.kiosk = d.kiosk AND s.resident = d.resident AND s.grp = d.grp"
	    " AND s.k1 = d.k1 AND s.k2 = d.k2 AND s.k3 = d.k3 AND s.lvl = d.lvl"
	    " AND s.period = d.period",
	[S_ROLLUPS_BUILT] = "SELECT built FROM r_state",
	[S_ROLLUPS_LOCK] = "LOCK TABLE r_state IN EXCLUSIVE MODE",
	/* A batch's: shared with other batches, not with a rebuild (above). */
	[S_ROLLUPS_SHARE] = "LOCK TABLE r_state IN ROW SHARE MODE",
	[S_ROLLUP_DAYS] = "SELECT (SELECT min(period) FROM r_sums WHERE grp = '"
	    SERVER_GRP_KIOSK "' AND lvl = 3), (SELECT max(period) FROM r_sums WHERE"
	    " grp = '" SERVER_GRP_KIOSK "' AND lvl = 3)",
	[S_ROLLUPS_DONE] = "UPDATE r_state SET built = 1",
	[S_RR_PROVINCE] = R_NATION_PROVINCE,
	[S_RR_COMMUNE] = R_NATION_COMMUNE,
	[S_RR_HAMLET] = R_NATION_HAMLET,
	[S_RR_CHECKLIST] = R_NATION_CHECKLIST,
	[S_RR_CATEGORY] = R_NATION_CATEGORY,
	[S_RR_DAY] = R_NATION_DAY,
	[S_RR_REASON] = R_NATION_REASON,
	[S_RS_PROVINCE] = R_SCOPE_PROVINCE,
	[S_RS_COMMUNE] = R_SCOPE_COMMUNE,
	[S_RS_HAMLET] = R_SCOPE_HAMLET,
	[S_RS_CHECKLIST] = R_SCOPE_CHECKLIST,
	[S_RS_CATEGORY] = R_SCOPE_CATEGORY,
	[S_RS_DAY] = R_SCOPE_DAY,
	[S_RS_REASON] = R_SCOPE_REASON,
};

struct conn {
	struct server_tx tx;		/* first: a transaction is its connection */
	PGconn		*pg;
	unsigned char	 prepared[NSTMT];
	unsigned char	 mprepared[16];	/* row_put, by table */
};

struct pg_store {
	struct server_store	 base;
	char			*url;	/* as given: libpq needs the password */
	char			*name;	/* for messages: no password */
	struct server_store_pool pool;
};

/* Up to 24 parameters as text; NULL is SQL NULL. */
struct params {
	const char	*v[24];
	char		 buf[24][24];
	char		 hash[2 * SERVER_HASH_LEN + 1];	/* one token hash, in hex */
	int		 n;
};

static void
p_text(struct params *p, const char *s)
{
	p->v[p->n++] = s;
}

static void
p_int(struct params *p, int64_t i)
{
	snprintf(p->buf[p->n], sizeof p->buf[p->n], "%lld", (long long)i);
	p->v[p->n] = p->buf[p->n];
	p->n++;
}

static void
hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * Adds parameters, one letter of fmt each: t text (NULL is SQL NULL),
 * i int64_t, d int, h a token hash (SERVER_HASH_LEN bytes, sent as hex for
 * decode($n, 'hex')), o an optional integer (int has, int64_t v: NULL
 * unless has).
 */
static void
p_va(struct params *p, const char *fmt, va_list ap)
{
	int	has;
	int64_t	v;

	for (; *fmt != '\0'; fmt++)
		switch (*fmt) {
		case 't':
			p_text(p, va_arg(ap, const char *));
			break;
		case 'i':
			p_int(p, va_arg(ap, int64_t));
			break;
		case 'd':
			p_int(p, va_arg(ap, int));
			break;
		case 'h':
			hex(va_arg(ap, const unsigned char *), SERVER_HASH_LEN, p->hash);
			p_text(p, p->hash);
			break;
		case 'o':
			has = va_arg(ap, int);
			v = va_arg(ap, int64_t);
			if (has)
				p_int(p, v);
			else
				p_text(p, NULL);
			break;
		}
}

/*
 * The result of a failed statement, typed: a lost race (serialization,
 * deadlock, unique key taken by another transaction) is RETRY; a lock wait
 * too long, too many connections, or a connection gone is BUSY.
 */
static int
classify(const PGresult *res, PGconn *pg)
{
	const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (state == NULL)
		return PQstatus(pg) != CONNECTION_OK ? SERVER_STORE_BUSY : SERVER_STORE_FAIL;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "23505") == 0)
		return SERVER_STORE_RETRY;
	if (strcmp(state, "55P03") == 0 || strcmp(state, "53300") == 0 ||
	    strcmp(state, "57014") == 0 || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P03") == 0)
		return SERVER_STORE_BUSY;
	return SERVER_STORE_FAIL;
}

/* libpq's message on one line, for a log: newlines and tabs become spaces. */
static char *
one_line(const char *m)
{
	char	*s = xstrdup(m), *p;
	size_t	 len;

	for (p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		s[--len] = '\0';
	return s;
}

static int
pg_fail(struct pg_store *s, PGconn *pg, const PGresult *res, char **cause)
{
	const char	*msg = res != NULL ? PQresultErrorMessage(res) : "";
	char		*m;
	size_t		 len;

	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(pg);
	m = one_line(msg != NULL ? msg : "?");
	len = strlen(m);
	while (len > 0 && m[len - 1] == '.')
		m[--len] = '\0';
	fail(cause, _("Cơ sở dữ liệu máy chủ %s: %s."),
	    s->name, m);
	free(m);
	return classify(res, pg);
}

static void
conn_free(void *p)
{
	struct conn *c = p;

	if (c->pg != NULL)
		PQfinish(c->pg);
	free(c);
}

/* The zone reports count days in: the process's, as the SQLite store does. */
static const char *
local_zone(char *buf, size_t len)
{
	const char	*tz = getenv("TZ");
	ssize_t		 n;
	char		*z;

	if (tz != NULL && *tz != '\0')
		return *tz == ':' ? tz + 1 : tz;
	if ((n = readlink("/etc/localtime", buf, len - 1)) > 0) {
		buf[n] = '\0';
		if ((z = strstr(buf, "zoneinfo/")) != NULL)
			return z + 9;
	}
	return NULL;
}

static int
conn_new(struct pg_store *s, struct conn **out, char **cause)
{
	struct conn	*c = xcalloc(1, sizeof *c);
	PGresult	*res;
	char		 zone[256], *set;
	const char	*z;
	const char	*keys[] = { "dbname", "application_name", "connect_timeout", NULL };
	const char	*vals[] = { s->url, "sotay-server", "10", NULL };

	*out = NULL;
	/* expand_dbname: the URL's own settings win over these defaults. */
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		char *msg = one_line(c->pg != NULL ? PQerrorMessage(c->pg) : "?");

		fail(cause, _("Không kết nối được cơ sở dữ liệu PostgreSQL %s: %s. Hãy "
		    "kiểm tra máy chủ PostgreSQL đang chạy, địa chỉ, tên cơ sở dữ liệu "
		    "(tạo bằng `createdb`) và quyền truy cập."), s->name, msg);
		free(msg);
		conn_free(c);
		return SERVER_STORE_BUSY;
	}
	/* A long wait for a lock becomes a 503 the kiosk retries, not a hang. */
	res = PQexec(c->pg, "SET lock_timeout = '15s'; SET client_min_messages = warning");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int rc = pg_fail(s, c->pg, res, cause);

		PQclear(res);
		conn_free(c);
		return rc;
	}
	PQclear(res);
	if ((z = local_zone(zone, sizeof zone)) != NULL) {
		char *lit = PQescapeLiteral(c->pg, z, strlen(z));

		if (lit != NULL) {
			set = xasprintf("SET TimeZone = %s", lit);
			PQfreemem(lit);
			PQclear(PQexec(c->pg, set));	/* an unknown zone keeps the default */
			free(set);
		}
	}
	*out = c;
	return 0;
}

static struct conn *
conn_get(struct pg_store *s, int *rc, char **cause)
{
	struct conn *c;

	if ((c = server_store_pool_take(&s->pool)) == NULL) {
		if ((*rc = conn_new(s, &c, cause)) != 0)
			server_store_pool_cancel(&s->pool);
		return c;
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		/* The database restarted or a replica took over: reconnect. */
		PQreset(c->pg);
		memset(c->prepared, 0, sizeof c->prepared);
		memset(c->mprepared, 0, sizeof c->mprepared);
		if (PQstatus(c->pg) != CONNECTION_OK) {
			pg_fail(s, c->pg, NULL, cause);
			server_store_pool_put(&s->pool, c);
			*rc = SERVER_STORE_BUSY;
			return NULL;
		}
		PQclear(PQexec(c->pg, "SET lock_timeout = '15s'"));
	}
	return c;
}

static void
conn_put(struct pg_store *s, struct conn *c)
{
	server_store_pool_put(&s->pool, c);
}

/* A statement's result r: 0 and *res (the caller clears it), or the failure. */
static int
result(struct pg_store *s, struct conn *c, PGresult *r, PGresult **res,
    char **cause)
{
	int rc;

	*res = NULL;
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail(s, c->pg, r, cause);
		PQclear(r);
		return rc;
	}
	*res = r;
	return 0;
}

/* Runs prepared statement id with p (prepared on first use), as result. */
static int
run(struct pg_store *s, struct conn *c, enum stmt_id id, const struct params *p,
    PGresult **res, char **cause)
{
	PGresult	*r;
	char		 name[8];
	int		 rc;

	*res = NULL;
	snprintf(name, sizeof name, "s%d", (int)id);
	if (!c->prepared[id]) {
		if ((rc = result(s, c, PQprepare(c->pg, name, stmt_sql[id], 0, NULL), &r,
		    cause)) != 0)
			return rc;
		PQclear(r);
		c->prepared[id] = 1;
	}
	return result(s, c, PQexecPrepared(c->pg, name, p != NULL ? p->n : 0,
	    p != NULL ? p->v : NULL, NULL, NULL, 0), res, cause);
}

/*
 * Runs sql with p planned with its values each time, not prepared: a
 * report's best plan depends on its range (a cached generic plan of a
 * report was found to scan every rollup row), and the dashboard's queries
 * are few and built per request.
 */
static int
run_planned(struct pg_store *s, struct conn *c, const char *sql,
    const struct params *p, PGresult **res, char **cause)
{
	return result(s, c, PQexecParams(c->pg, sql, p != NULL ? p->n : 0, NULL,
	    p != NULL ? p->v : NULL, NULL, NULL, 0), res, cause);
}

/* Runs a statement whose first row's first column is an integer (0 if none). */
static int
run_int(struct pg_store *s, struct conn *c, enum stmt_id id, const struct params *p,
    int64_t *v, char **cause)
{
	PGresult	*r;
	int		 rc;

	*v = 0;
	if ((rc = run(s, c, id, p, &r, cause)) != 0)
		return rc;
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		*v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return 0;
}

static int
run_none(struct pg_store *s, struct conn *c, enum stmt_id id, const struct params *p,
    char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = run(s, c, id, p, &r, cause)) != 0)
		return rc;
	PQclear(r);
	return 0;
}

/* A column of a result: text ("" or NULL when null), or an integer. */
static char *
val(PGresult *r, int row, int col)
{
	return xstrdup(PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

static int64_t
ival(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static char *
opt(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : xstrdup(PQgetvalue(r, row, col));
}

#define TX_STORE(tx)	((struct pg_store *)(tx)->store)
#define TX_CONN(tx)	((struct conn *)(tx))

/*
 * Statements inside transaction tx, their parameters from fmt (see p_va):
 * tx_run as run, tx_none and tx_int as run_none and run_int, and tx_row,
 * which answers 1 with the result (the caller clears it) when there is a
 * row, 0 when none.
 */
static int
tx_vrun(struct server_tx *tx, enum stmt_id id, PGresult **res, char **cause,
    const char *fmt, va_list ap)
{
	struct params p = { .n = 0 };

	p_va(&p, fmt, ap);
	return run(TX_STORE(tx), TX_CONN(tx), id, &p, res, cause);
}

static int
tx_run(struct server_tx *tx, enum stmt_id id, PGresult **res, char **cause,
    const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = tx_vrun(tx, id, res, cause, fmt, ap);
	va_end(ap);
	return rc;
}

static int
tx_none(struct server_tx *tx, enum stmt_id id, char **cause, const char *fmt, ...)
{
	PGresult	*r;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = tx_vrun(tx, id, &r, cause, fmt, ap);
	va_end(ap);
	PQclear(r);
	return rc;
}

static int
tx_int(struct server_tx *tx, enum stmt_id id, int64_t *v, char **cause,
    const char *fmt, ...)
{
	PGresult	*r;
	va_list		 ap;
	int		 rc;

	*v = 0;
	va_start(ap, fmt);
	rc = tx_vrun(tx, id, &r, cause, fmt, ap);
	va_end(ap);
	if (rc == 0 && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		*v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return rc;
}

static int
tx_vrow(struct server_tx *tx, enum stmt_id id, PGresult **res, char **cause,
    const char *fmt, va_list ap)
{
	int rc;

	if ((rc = tx_vrun(tx, id, res, cause, fmt, ap)) != 0)
		return rc;
	if (PQntuples(*res) > 0)
		return 1;
	PQclear(*res);
	*res = NULL;
	return 0;
}

static int
tx_row(struct server_tx *tx, enum stmt_id id, PGresult **res, char **cause,
    const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = tx_vrow(tx, id, res, cause, fmt, ap);
	va_end(ap);
	return rc;
}

/* The first column of the first row into *v by col (val or opt), *found 1. */
static int
tx_text(struct server_tx *tx, enum stmt_id id, char *(*col)(PGresult *, int, int),
    char **v, int *found, char **cause, const char *fmt, ...)
{
	PGresult	*r;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = tx_vrow(tx, id, &r, cause, fmt, ap);
	va_end(ap);
	if (rc <= 0)
		return rc;
	*v = col(r, 0, 0);
	*found = 1;
	PQclear(r);
	return 0;
}

static int
exec_simple(struct pg_store *s, struct conn *c, const char *sql, char **cause)
{
	PGresult	*r;
	int		 rc = result(s, c, PQexec(c->pg, sql), &r, cause);

	PQclear(r);
	return rc;
}

/* own_run's id for a statement given as text (the dashboard's). */
#define DASH	NSTMT

/*
 * Runs a statement on a connection of its own, its parameters from fmt
 * (see p_va): prepared statement id, or sql (id DASH) as run_planned.
 * *res (unless NULL) gets the result, which the caller clears.
 */
static int
own_run(struct pg_store *s, enum stmt_id id, PGresult **res, char **cause,
    const char *sql, const char *fmt, ...)
{
	struct params	 p = { .n = 0 };
	struct conn	*c;
	PGresult	*r;
	va_list		 ap;
	int		 rc;

	if (res != NULL)
		*res = NULL;
	if ((c = conn_get(s, &rc, cause)) == NULL)
		return rc;
	va_start(ap, fmt);
	p_va(&p, fmt, ap);
	va_end(ap);
	rc = id == DASH ? run_planned(s, c, sql, &p, &r, cause) :
	    run(s, c, id, &p, &r, cause);
	conn_put(s, c);
	if (res != NULL)
		*res = r;
	else
		PQclear(r);
	return rc;
}

/* Schema ----------------------------------------------------------------- */

static int
migrate(struct pg_store *s, struct conn *c, char **cause)
{
	PGresult	*r;
	int		 v, i, rc;
	char		 sql[96];

	if ((rc = exec_simple(s, c, "BEGIN", cause)) != 0)
		return rc;
	if ((rc = exec_simple(s, c, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
	    cause)) != 0 || (rc = exec_simple(s, c, "CREATE TABLE IF NOT EXISTS"
	    " sotay_schema (version integer NOT NULL)", cause)) != 0)
		goto bad;
	r = PQexec(c->pg, "SELECT coalesce(max(version), 0) FROM sotay_schema");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail(s, c->pg, r, cause);
		PQclear(r);
		goto bad;
	}
	v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (v > NMIGRATIONS) {
		exec_simple(s, c, "ROLLBACK", NULL);
		return fail(cause, _("Cơ sở dữ liệu %s thuộc phiên bản mới hơn (%d) "
		    "chương trình này (%d); hãy cập nhật sotay-server."), s->name, v, NMIGRATIONS);
	}
	for (i = v; i < NMIGRATIONS; i++)
		if ((rc = exec_simple(s, c, migrations[i], cause)) != 0)
			goto bad;
	if (v < NMIGRATIONS) {
		snprintf(sql, sizeof sql, "DELETE FROM sotay_schema; INSERT INTO"
		    " sotay_schema VALUES (%d)", NMIGRATIONS);
		if ((rc = exec_simple(s, c, sql, cause)) != 0)
			goto bad;
	}
	return exec_simple(s, c, "COMMIT", cause);
bad:
	exec_simple(s, c, "ROLLBACK", NULL);
	return rc;
}

static void pg_close(struct server_store *);

static int
pg_open(const char *where, int pool, struct server_store **out, char **cause)
{
	struct pg_store	*s = xcalloc(1, sizeof *s);
	struct conn	*c;
	int		 rc;

	*out = NULL;
	s->base.ops = &server_store_pg;
	s->url = xstrdup(where);
	s->name = server_store_redact(where);
	/* One connection per server thread, and one for the command-line tools. */
	server_store_pool_init(&s->pool, pool < POOL_MIN ? POOL_MIN : pool > POOL_MAX ?
	    POOL_MAX : pool);
	if ((c = conn_get(s, &rc, cause)) == NULL) {
		pg_close(&s->base);
		return SERVER_STORE_FAIL;
	}
	rc = migrate(s, c, cause);
	conn_put(s, c);
	if (rc != 0) {
		pg_close(&s->base);
		return SERVER_STORE_FAIL;
	}
	*out = &s->base;
	return 0;
}

static void
pg_close(struct server_store *base)
{
	struct pg_store	*s = (struct pg_store *)base;

	if (s == NULL)
		return;
	server_store_pool_free(&s->pool, conn_free);
	/* The URL may hold a password: leave none in freed memory. */
	explicit_bzero(s->url, strlen(s->url));
	free(s->url);
	free(s->name);
	free(s);
}

/* Kiosks ----------------------------------------------------------------- */

static void
kiosk_row(PGresult *r, int i, struct server_kiosk *k)
{
	k->id = val(r, i, 0);
	k->province = val(r, i, 1);
	k->commune = val(r, i, 2);
	k->hamlet = val(r, i, 3);
	k->name = val(r, i, 4);
	k->created_at = ival(r, i, 5);
	k->revoked_at = ival(r, i, 6);
	k->held_seq = ival(r, i, 7);
	k->last_seen = ival(r, i, 8);
	k->commune_code = val(r, i, 9);
	k->install = val(r, i, 10);
}

static int
pg_kiosk_add(struct server_store *base, const struct server_kiosk *k,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	return own_run((struct pg_store *)base, S_KIOSK_ADD, NULL, cause, NULL, "ttttthit",
	    k->id, k->province, k->commune, k->hamlet, k->name, hash, util_now_ms(),
	    k->commune_code != NULL ? k->commune_code : "");
}

static int
pg_kiosk_list(struct server_store *base, struct server_kiosk **out, size_t *n,
    char **cause)
{
	PGresult	*r;
	int		 rc, i;

	*out = NULL;
	*n = 0;
	if ((rc = own_run((struct pg_store *)base, S_KIOSK_LIST, &r, cause, NULL, "")) != 0)
		return rc;
	*n = (size_t)PQntuples(r);
	*out = xcalloc(*n > 0 ? *n : 1, sizeof **out);
	for (i = 0; i < PQntuples(r); i++)
		kiosk_row(r, i, &(*out)[i]);
	PQclear(r);
	return 0;
}

static int
pg_kiosk_revoke(struct server_store *base, const char *id, int *changed, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, S_KIOSK_REVOKE, &r, cause, NULL, "it",
	    util_now_ms(), id)) != 0)
		return rc;
	*changed = strcmp(PQcmdTuples(r), "0") != 0;
	PQclear(r);
	return 0;
}

static int
pg_kiosk_bind(struct server_store *base, const char *id, const char *install, int *bound,
    char **cause)
{
	PGresult	*r;
	int		 rc;

	*bound = 0;
	if ((rc = own_run((struct pg_store *)base, S_KIOSK_BIND, &r, cause, NULL, "tt",
	    install, id)) != 0)
		return rc;
	*bound = strcmp(PQcmdTuples(r), "0") != 0;
	PQclear(r);
	return 0;
}

static int
pg_kiosk_token(struct server_store *base, const char *id,
    const unsigned char hash[SERVER_HASH_LEN], int *changed, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, S_KIOSK_TOKEN, &r, cause, NULL, "ht",
	    hash, id)) != 0)
		return rc;
	*changed = strcmp(PQcmdTuples(r), "0") != 0;
	PQclear(r);
	return 0;
}

static int
pg_kiosk_start(struct server_store *base, const char *id, int64_t first, char **cause)
{
	return own_run((struct pg_store *)base, S_KIOSK_START, NULL, cause, NULL, "it",
	    first, id);
}

static int
pg_kiosk_by_token(struct server_store *base, const unsigned char hash[SERVER_HASH_LEN],
    struct server_kiosk *k, int *found, char **cause)
{
	PGresult	*r;
	int		 rc;

	memset(k, 0, sizeof *k);
	*found = 0;
	if ((rc = own_run((struct pg_store *)base, S_KIOSK_BY_TOKEN, &r, cause, NULL, "h",
	    hash)) != 0)
		return rc;
	if (PQntuples(r) > 0) {
		kiosk_row(r, 0, k);
		if (k->revoked_at != 0) {
			*found = -1;
			server_kiosk_free(k);
		} else
			*found = 1;
	}
	PQclear(r);
	return 0;
}

/* Transactions ----------------------------------------------------------- */

static int
pg_begin(struct server_store *base, struct server_tx **out, char **cause)
{
	struct pg_store	*s = (struct pg_store *)base;
	struct conn	*c;
	int		 rc;

	*out = NULL;
	if ((c = conn_get(s, &rc, cause)) == NULL)
		return rc;
	if ((rc = exec_simple(s, c, "BEGIN", cause)) != 0) {
		conn_put(s, c);
		return rc;
	}
	c->tx.store = base;
	*out = &c->tx;
	return 0;
}

static int
pg_commit(struct server_tx *tx, char **cause)
{
	struct pg_store	*s = TX_STORE(tx);
	struct conn	*c = TX_CONN(tx);
	PGresult	*r = PQexec(c->pg, "COMMIT");
	int		 rc = 0;

	/* A COMMIT of a failed transaction answers ROLLBACK, not an error. */
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_fail(s, c->pg, r, cause);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = fail(cause, _("Cơ sở dữ liệu máy chủ %s: giao dịch bị huỷ."), s->name);
	PQclear(r);
	conn_put(s, c);
	return rc;
}

static void
pg_rollback(struct server_tx *tx)
{
	struct conn *c = TX_CONN(tx);

	PQclear(PQexec(c->pg, "ROLLBACK"));
	conn_put(TX_STORE(tx), c);
}

static int
pg_kiosk_lock(struct server_tx *tx, const char *kiosk, int64_t *held, char **cause)
{
	return tx_int(tx, S_KIOSK_LOCK, held, cause, "t", kiosk);
}

static int
pg_kiosk_set_held(struct server_tx *tx, const char *kiosk, int64_t held, int64_t now,
    char **cause)
{
	return tx_none(tx, S_KIOSK_SET_HELD, cause, "iit", held, now, kiosk);
}

static int
pg_kiosk_max_seq(struct server_tx *tx, const char *kiosk, int64_t *max, char **cause)
{
	return tx_int(tx, S_KIOSK_MAX_SEQ, max, cause, "t", kiosk);
}

static int
pg_event_get(struct server_tx *tx, const char *id, struct server_event *e, int *found,
    char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = tx_row(tx, S_EVENT_GET, &r, cause, "t", id)) <= 0)
		return rc;
	e->kiosk = val(r, 0, 0);
	e->seq = ival(r, 0, 1);
	e->type = val(r, 0, 2);
	e->payload = val(r, 0, 3);
	*found = 1;
	PQclear(r);
	return 0;
}

static int
seq_query(struct server_tx *tx, enum stmt_id id, const char *kiosk, int64_t seq,
    int *yes, char **cause)
{
	int64_t	v;
	int	rc;

	rc = tx_int(tx, id, &v, cause, "ti", kiosk, seq);
	*yes = v != 0;
	return rc;
}

static int
pg_seq_stored(struct server_tx *tx, const char *kiosk, int64_t seq, int *yes,
    char **cause)
{
	return seq_query(tx, S_SEQ_STORED, kiosk, seq, yes, cause);
}

static int
pg_seq_held(struct server_tx *tx, const char *kiosk, int64_t seq, int *yes,
    char **cause)
{
	return seq_query(tx, S_SEQ_HELD, kiosk, seq, yes, cause);
}

static int
pg_event_insert(struct server_tx *tx, const char *kiosk, const struct protocol_event *e,
    int64_t now, char **cause)
{
	return tx_none(tx, S_EVENT_INSERT, cause, "ttititi", e->id, kiosk, e->seq,
	    e->type, e->at, e->payload, now);
}

/*
 * Columns as PostgreSQL array literals, for statements that take many rows
 * at once (unnest): each text quoted with its quotes and backslashes
 * escaped. The arrays are malloc'd; arrays_free frees them.
 */
struct arrays {
	char	*a[16];
	size_t	 len[16], cap[16];
	int	 n;
};

static void
arr_put(struct arrays *x, int col, const char *s, size_t len)
{
	if (x->len[col] + len + 2 > x->cap[col]) {
		x->cap[col] = (x->len[col] + len + 2) * 2;
		x->a[col] = xrealloc(x->a[col], x->cap[col]);
	}
	memcpy(x->a[col] + x->len[col], s, len);
	x->len[col] += len;
	x->a[col][x->len[col]] = '\0';
}

/* Adds the next element to column col (row i of n). */
static void
arr_text(struct arrays *x, int col, size_t i, size_t n, const char *s)
{
	const char *run;

	arr_put(x, col, i == 0 ? "{\"" : ",\"", 2);
	/* A run at a time: a payload is long, and rarely has one to escape. */
	for (run = s; *s != '\0'; s++)
		if (*s == '"' || *s == '\\') {
			arr_put(x, col, run, (size_t)(s - run));
			arr_put(x, col, "\\", 1);
			run = s;
		}
	arr_put(x, col, run, (size_t)(s - run));
	arr_put(x, col, i + 1 == n ? "\"}" : "\"", i + 1 == n ? 2 : 1);
}

static void
arr_int(struct arrays *x, int col, size_t i, size_t n, int64_t v)
{
	char b[32];
	int l = snprintf(b, sizeof b, "%s%lld%s", i == 0 ? "{" : ",", (long long)v,
	    i + 1 == n ? "}" : "");

	arr_put(x, col, b, (size_t)l);
}

static void
arrays_params(struct arrays *x, int ncols, struct params *p)
{
	int i;

	x->n = ncols;
	for (i = 0; i < ncols; i++)
		p_text(p, x->a[i]);
}

static void
arrays_free(struct arrays *x)
{
	int i;

	for (i = 0; i < 16; i++)
		free(x->a[i]);
}

static int
cmp_event_id(const void *a, const void *b)
{
	return strcmp((*(const struct protocol_event *const *)a)->id,
	    (*(const struct protocol_event *const *)b)->id);
}

static int
pg_events_insert_new(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, size_t n, int64_t now, const char *resolved,
    unsigned char *stored, char **cause)
{
	struct params			 p = { .n = 0 };
	struct arrays			 x;
	struct protocol_event		 key;
	const struct protocol_event	**by_id, *kp = &key, **hit;
	PGresult			*r;
	size_t				 i;
	int				 rc;

	memset(stored, 0, n);
	if (n == 0)
		return 0;
	memset(&x, 0, sizeof x);
	for (i = 0; i < n; i++) {
		arr_text(&x, 0, i, n, e[i].id);
		arr_int(&x, 1, i, n, e[i].seq);
		arr_text(&x, 2, i, n, e[i].type);
		arr_int(&x, 3, i, n, e[i].at);
		arr_text(&x, 4, i, n, e[i].payload);
	}
	arrays_params(&x, 5, &p);
	p_text(&p, kiosk);
	p_int(&p, now);
	p_text(&p, resolved);
	rc = run(TX_STORE(tx), TX_CONN(tx), S_EVENTS_INSERT_NEW, &p, &r, cause);
	arrays_free(&x);
	if (rc != 0)
		return rc;
	/* The ids that came back, matched to the batch's events (ids are unique). */
	by_id = xcalloc(n, sizeof *by_id);
	for (i = 0; i < n; i++)
		by_id[i] = &e[i];
	qsort(by_id, n, sizeof *by_id, cmp_event_id);
	for (int row = 0; row < PQntuples(r); row++) {
		snprintf(key.id, sizeof key.id, "%s", PQgetvalue(r, row, 0));
		hit = bsearch(&kp, by_id, n, sizeof *by_id, cmp_event_id);
		if (hit != NULL)
			stored[*hit - e] = 1;
	}
	free(by_id);
	PQclear(r);
	return 0;
}

static int
pg_conflict_insert(struct server_tx *tx, const char *kiosk,
    const struct protocol_event *e, const char *reason, int64_t now, char **cause)
{
	return tx_none(tx, S_CONFLICT_INSERT, cause, "ttititti", kiosk, e->id, e->seq,
	    e->type, e->at, e->payload, reason, now);
}

static int
pg_conflict_delete(struct server_tx *tx, const char *kiosk, const char *id,
    const char *reason, char **cause)
{
	return tx_none(tx, S_CONFLICT_DELETE, cause, "ttt", kiosk, id, reason);
}

static int
pg_fact_put(struct server_tx *tx, const struct server_fact *f, int *added,
    char **cause)
{
	PGresult	*r = NULL;
	int		 rc = 0;

	switch (f->kind) {
	case SERVER_FACT_RESIDENT:
		rc = tx_run(tx, S_F_RESIDENT, &r, cause, "tttoti", f->kiosk, f->resident,
		    f->hamlet, f->has_birth_year, f->birth_year, f->sex, f->at);
		break;
	case SERVER_FACT_SESSION:
		rc = tx_run(tx, S_F_SESSION, &r, cause, "ttttoti", f->kiosk, f->session,
		    f->resident, f->checklist, f->has_version, f->version, f->category,
		    f->at);
		break;
	case SERVER_FACT_FINISH:
		rc = tx_run(tx, S_F_FINISH, &r, cause, "tttti", f->kiosk, f->session,
		    f->checklist, f->outcome, f->at);
		break;
	case SERVER_FACT_BLOCK:
		rc = tx_run(tx, S_F_BLOCK, &r, cause, "tttttti", f->event, f->kiosk,
		    f->session, f->checklist, f->step, f->reason, f->at);
		break;
	case SERVER_FACT_UNBLOCK:
		return fail(cause, "fact_put: an unblock is store_block_take's");
	}
	if (rc != 0)
		return rc;
	*added = strcmp(PQcmdTuples(r), "0") != 0;
	PQclear(r);
	return 0;
}

/* Content ---------------------------------------------------------------- */

static int
pg_content_lock(struct server_tx *tx, char **cause)
{
	return tx_none(tx, S_CONTENT_LOCK, cause, "");
}

static int
pg_content_version(struct server_tx *tx, int64_t *version, char **cause)
{
	return tx_int(tx, S_CONTENT_VERSION, version, cause, "");
}

static int
pg_content_version_add(struct server_tx *tx, int64_t version, int64_t now,
    char **cause)
{
	return tx_none(tx, S_CONTENT_VERSION_ADD, cause, "ii", version, now);
}

static int
pg_checklist_get(struct server_tx *tx, const char *id, int version, char **json,
    int *found, char **cause)
{
	return tx_text(tx, S_CHECKLIST_GET, val, json, found, cause, "td", id, version);
}

static int
pg_checklist_newest(struct server_tx *tx, const char *id, int64_t *version,
    char **cause)
{
	return tx_int(tx, S_CHECKLIST_NEWEST, version, cause, "t", id);
}

static int
pg_checklist_insert(struct server_tx *tx, const struct server_checklist *cl,
    int64_t content_version, char **cause)
{
	return tx_none(tx, S_CHECKLIST_INSERT, cause, "tdti", cl->id, cl->version,
	    cl->json, content_version);
}

static int
pg_content_since(struct server_store *base, int64_t since, int64_t *version,
    char ***jsons, size_t *n, char **cause)
{
	struct pg_store	*s = (struct pg_store *)base;
	struct conn	*c;
	struct params	 p = { .n = 0 };
	PGresult	*r;
	int		 rc, i;

	*version = 0;
	*jsons = NULL;
	*n = 0;
	if ((c = conn_get(s, &rc, cause)) == NULL)
		return rc;
	/* One snapshot: the version and the list agree. */
	if ((rc = exec_simple(s, c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    cause)) != 0)
		goto out;
	if ((rc = run_int(s, c, S_CONTENT_VERSION, NULL, version, cause)) != 0)
		goto end;
	p_int(&p, since);
	if ((rc = run(s, c, S_CONTENT_SINCE, &p, &r, cause)) != 0)
		goto end;
	*n = (size_t)PQntuples(r);
	*jsons = xcalloc(*n > 0 ? *n : 1, sizeof **jsons);
	for (i = 0; i < PQntuples(r); i++)
		(*jsons)[i] = val(r, i, 0);
	PQclear(r);
end:
	PQclear(PQexec(c->pg, "COMMIT"));
out:
	conn_put(s, c);
	return rc;
}

/* Reports ---------------------------------------------------------------- */

static int
pg_report(struct server_store *base, enum server_report_by by, int64_t from,
    int64_t to, struct server_report *rep, char **cause)
{
	static const enum stmt_id which[] = {
		[SERVER_BY_COMMUNE] = S_R_COMMUNE,
		[SERVER_BY_HAMLET] = S_R_HAMLET,
		[SERVER_BY_CHECKLIST] = S_R_CHECKLIST,
		[SERVER_BY_CATEGORY] = S_R_CATEGORY,
		[SERVER_BY_DAY] = S_R_DAY,
		[SERVER_BY_REASON] = S_R_REASON,
		[SERVER_BY_PROVINCE] = S_R_PROVINCE,
	};
	struct pg_store	*s = (struct pg_store *)base;
	struct conn	*c;
	struct params	 p = { .n = 0 };
	PGresult	*r;
	int		 rc, i;

	memset(rep, 0, sizeof *rep);
	rep->by = by;
	rep->from = from;
	rep->to = to;
	if ((int)by < 0 || (size_t)by >= sizeof which / sizeof which[0])
		return fail(cause, "report: unknown grouping %d", (int)by);
	if ((c = conn_get(s, &rc, cause)) == NULL)
		return rc;
	p_int(&p, from);
	p_int(&p, to);
	if ((rc = run(s, c, which[by], &p, &r, cause)) != 0) {
		conn_put(s, c);
		return rc;
	}
	rep->n = (size_t)PQntuples(r);
	rep->rows = xcalloc(rep->n > 0 ? rep->n : 1, sizeof *rep->rows);
	for (i = 0; i < PQntuples(r); i++) {
		struct server_report_row *w = &rep->rows[i];

		if (by == SERVER_BY_REASON) {
			w->checklist = val(r, i, 0);
			w->step = val(r, i, 1);
			w->reason = val(r, i, 2);
			w->count = ival(r, i, 3);
			continue;
		}
		w->key = val(r, i, 0);
		if (by == SERVER_BY_HAMLET)
			w->commune = val(r, i, 1);
		if (by == SERVER_BY_COMMUNE || by == SERVER_BY_HAMLET)
			w->province = val(r, i, 2);
		if (by == SERVER_BY_COMMUNE)
			w->commune_code = val(r, i, 3);
		w->people = ival(r, i, 4);
		w->started = ival(r, i, 5);
		w->finished = ival(r, i, 6);
		w->completed = ival(r, i, 7);
		w->blocked = ival(r, i, 8);
	}
	PQclear(r);
	conn_put(s, c);
	return 0;
}

/* Facts read back, and rollups ------------------------------------------- */

static int
pg_block_take(struct server_tx *tx, const char *kiosk, const char *session,
    const char *step, struct server_fact_row *row, int *found, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = tx_row(tx, S_BLOCK_FIND, &r, cause, "ttt", kiosk, session, step)) <= 0)
		return rc;
	row->kind = SERVER_FACT_BLOCK;
	row->event = opt(r, 0, 0);
	row->session = opt(r, 0, 1);
	row->checklist = opt(r, 0, 2);
	row->step = opt(r, 0, 3);
	row->reason = opt(r, 0, 4);
	row->at = ival(r, 0, 5);
	PQclear(r);
	*found = 1;
	return tx_none(tx, S_BLOCK_DELETE, cause, "t", row->event);
}

static int
pg_session_get(struct server_tx *tx, const char *kiosk, const char *session,
    struct server_fact_row *row, int *found, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = tx_row(tx, S_SESSION_GET, &r, cause, "tt", kiosk, session)) <= 0)
		return rc;
	row->kind = SERVER_FACT_SESSION;
	row->session = session != NULL ? xstrdup(session) : NULL;
	row->resident = opt(r, 0, 0);
	row->checklist = opt(r, 0, 1);
	row->category = opt(r, 0, 2);
	row->at = ival(r, 0, 3);
	*found = 1;
	PQclear(r);
	return 0;
}

static int
pg_resident_hamlet(struct server_tx *tx, const char *kiosk, const char *resident,
    char **hamlet, int *found, char **cause)
{
	return tx_text(tx, S_RESIDENT_HAMLET, opt, hamlet, found, cause, "tt", kiosk,
	    resident);
}

static int
fact_rows(struct server_tx *tx, enum stmt_id id, const char *kiosk, const char *key,
    struct server_fact_row **v, size_t *n, char **cause)
{
	PGresult	*r;
	int		 rc, i;

	if ((rc = tx_run(tx, id, &r, cause, "tt", kiosk, key)) != 0)
		return rc;
	*n = (size_t)PQntuples(r);
	*v = xcalloc(*n > 0 ? *n : 1, sizeof **v);
	for (i = 0; i < PQntuples(r); i++) {
		struct server_fact_row *x = &(*v)[i];
		const char *kind = PQgetvalue(r, i, 0);

		x->kind = *kind == 'f' ? SERVER_FACT_FINISH : *kind == 'b' ?
		    SERVER_FACT_BLOCK : SERVER_FACT_SESSION;
		x->event = opt(r, i, 1);
		x->session = opt(r, i, 2);
		x->resident = opt(r, i, 3);
		x->checklist = opt(r, i, 4);
		x->category = opt(r, i, 5);
		x->outcome = opt(r, i, 6);
		x->step = opt(r, i, 7);
		x->reason = opt(r, i, 8);
		x->at = ival(r, i, 9);
	}
	PQclear(r);
	return 0;
}

static int
pg_session_deps(struct server_tx *tx, const char *kiosk, const char *session,
    struct server_fact_row **v, size_t *n, char **cause)
{
	return fact_rows(tx, S_SESSION_DEPS, kiosk, session, v, n, cause);
}

static int
pg_resident_sessions(struct server_tx *tx, const char *kiosk, const char *resident,
    struct server_fact_row **v, size_t *n, char **cause)
{
	return fact_rows(tx, S_RESIDENT_SESSIONS, kiosk, resident, v, n, cause);
}

/* keys as one text[] literal (freed with arrays_free). */
static const char *
key_array(struct arrays *x, const char *const *keys, size_t n)
{
	size_t i;

	memset(x, 0, sizeof *x);
	for (i = 0; i < n; i++)
		arr_text(x, 0, i, n, keys[i]);
	return x->a[0];
}

static int
pg_sessions_facts(struct server_tx *tx, const char *kiosk, const char *const *sessions,
    size_t n, struct server_fact_row **v, size_t *nrows, char **cause)
{
	struct arrays	x;
	int		rc = fact_rows(tx, S_SESSIONS_FACTS, kiosk, key_array(&x, sessions, n),
			    v, nrows, cause);

	arrays_free(&x);
	return rc;
}

/*
 * Seen rows of a result (grp, k1, k2, k3, period, first, n, last, and the
 * resident when resident is NULL), which it clears.
 */
static void
seen_rows(PGresult *r, const char *kiosk, const char *resident, struct server_seen **v,
    size_t *n)
{
	int i;

	*n = (size_t)PQntuples(r);
	*v = xcalloc(*n > 0 ? *n : 1, sizeof **v);
	for (i = 0; i < PQntuples(r); i++) {
		(*v)[i].kiosk = xstrdup(kiosk);
		(*v)[i].resident = resident != NULL ? xstrdup(resident) : val(r, i, 8);
		(*v)[i].grouping = val(r, i, 0);
		(*v)[i].k[0] = val(r, i, 1);
		(*v)[i].k[1] = val(r, i, 2);
		(*v)[i].k[2] = val(r, i, 3);
		(*v)[i].period = val(r, i, 4);
		(*v)[i].first = val(r, i, 5);
		(*v)[i].n = ival(r, i, 6);
		(*v)[i].last = val(r, i, 7);
	}
	PQclear(r);
}

/* Runs statement id with kiosk and keys (as one array) in tx. */
static int
tx_keys(struct server_tx *tx, enum stmt_id id, const char *kiosk,
    const char *const *keys, size_t n, PGresult **r, char **cause)
{
	struct arrays	x;
	int		rc = tx_run(tx, id, r, cause, "tt", kiosk, key_array(&x, keys, n));

	arrays_free(&x);
	return rc;
}

static int
pg_residents_hamlets(struct server_tx *tx, const char *kiosk,
    const char *const *residents, size_t n, char **hamlets, unsigned char *found,
    char **cause)
{
	PGresult	*r;
	int		 rc, i;

	if ((rc = tx_keys(tx, S_RESIDENTS_HAMLETS, kiosk, residents, n, &r, cause)) != 0)
		return rc;
	/* Each row names its resident by its place in the array (from 1). */
	for (i = 0; i < PQntuples(r); i++) {
		int64_t at = ival(r, i, 0) - 1;

		if (at >= 0 && (size_t)at < n && !found[at]) {
			found[at] = 1;
			hamlets[at] = opt(r, i, 1);
		}
	}
	PQclear(r);
	return 0;
}

static int
pg_residents_seen(struct server_tx *tx, const char *kiosk, const char *const *residents,
    size_t n, struct server_seen **v, size_t *nrows, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = tx_keys(tx, S_RESIDENTS_SEEN, kiosk, residents, n, &r, cause)) != 0)
		return rc;
	seen_rows(r, kiosk, NULL, v, nrows);
	return 0;
}

/* The level of a period: 0 ever (""), 1 year, 2 month, 3 day. */
static int
period_lvl(const char *p)
{
	size_t n = strlen(p);

	return n == 0 ? 0 : n <= 4 ? 1 : n <= 7 ? 2 : 3;
}

static int
pg_rollups_add(struct server_tx *tx, const struct server_rollup *v, size_t n,
    char **cause)
{
	struct arrays	x;
	struct params	p = { .n = 0 };
	size_t		i;
	int		rc;

	memset(&x, 0, sizeof x);
	for (i = 0; i < n; i++) {
		arr_text(&x, 0, i, n, v[i].grouping);
		arr_int(&x, 1, i, n, period_lvl(v[i].period));
		arr_text(&x, 2, i, n, v[i].period);
		arr_text(&x, 3, i, n, v[i].kiosk);
		arr_text(&x, 4, i, n, v[i].k[0]);
		arr_text(&x, 5, i, n, v[i].k[1]);
		arr_text(&x, 6, i, n, v[i].k[2]);
		arr_int(&x, 7, i, n, v[i].started);
		arr_int(&x, 8, i, n, v[i].finished);
		arr_int(&x, 9, i, n, v[i].completed);
		arr_int(&x, 10, i, n, v[i].blocked);
		arr_int(&x, 11, i, n, v[i].first_ever);
		arr_int(&x, 12, i, n, v[i].first_year);
		arr_int(&x, 13, i, n, v[i].first_month);
		arr_int(&x, 14, i, n, v[i].on_day);
		arr_int(&x, 15, i, n, v[i].last_ever);
	}
	arrays_params(&x, 16, &p);
	rc = run_none(TX_STORE(tx), TX_CONN(tx), S_ROLLUP_ADD, &p, cause);
	arrays_free(&x);
	return rc;
}

static int
pg_seen_get(struct server_tx *tx, const char *kiosk, const char *resident,
    struct server_seen **v, size_t *n, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = tx_run(tx, S_SEEN_GET, &r, cause, "tt", kiosk, resident)) != 0)
		return rc;
	seen_rows(r, kiosk, resident, v, n);
	return 0;
}

static int
pg_seen_put(struct server_tx *tx, const struct server_seen *v, size_t n,
    char **cause)
{
	size_t	i, pass, m, j;
	int	rc = 0;

	/* Rows that stay, then rows that go: one statement each. */
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		struct arrays	x;
		struct params	p = { .n = 0 };

		for (i = m = 0; i < n; i++)
			m += pass == 0 ? v[i].n > 0 : v[i].n <= 0;
		if (m == 0)
			continue;
		memset(&x, 0, sizeof x);
		for (i = j = 0; i < n; i++) {
			if (pass == 0 ? v[i].n <= 0 : v[i].n > 0)
				continue;
			arr_text(&x, 0, j, m, v[i].kiosk);
			arr_text(&x, 1, j, m, v[i].resident);
			arr_text(&x, 2, j, m, v[i].grouping);
			arr_text(&x, 3, j, m, v[i].k[0]);
			arr_text(&x, 4, j, m, v[i].k[1]);
			arr_text(&x, 5, j, m, v[i].k[2]);
			arr_int(&x, 6, j, m, period_lvl(v[i].period));
			arr_text(&x, 7, j, m, v[i].period);
			if (pass == 0) {
				arr_text(&x, 8, j, m, v[i].first);
				arr_int(&x, 9, j, m, v[i].n);
				arr_text(&x, 10, j, m, v[i].last != NULL ? v[i].last : "");
			}
			j++;
		}
		arrays_params(&x, pass == 0 ? 11 : 8, &p);
		rc = run_none(TX_STORE(tx), TX_CONN(tx), pass == 0 ? S_SEEN_SET :
		    S_SEEN_DELETE, &p, cause);
		arrays_free(&x);
	}
	return rc;
}

static int
pg_rollup_days(struct server_store *base, char **first, char **last, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, S_ROLLUP_DAYS, &r, cause, NULL, "")) != 0)
		return rc;
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		*first = val(r, 0, 0);
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 1))
		*last = val(r, 0, 1);
	PQclear(r);
	return 0;
}

static int
pg_rollups_built(struct server_store *base, int *built, char **cause)
{
	PGresult	*r;
	int		 rc;

	rc = own_run((struct pg_store *)base, S_ROLLUPS_BUILT, &r, cause, NULL, "");
	*built = rc == 0 && PQntuples(r) > 0 && ival(r, 0, 0) != 0;
	PQclear(r);
	return rc;
}

/*
 * Any small read of the schema: the database is reached and is ours. Twice:
 * a pooled connection that PostgreSQL closed (a restart) fails once, and is
 * reconnected the next time it is taken.
 */
static int
pg_ping(struct server_store *base, char **cause)
{
	struct pg_store	*s = (struct pg_store *)base;
	int		 rc;

	if ((rc = own_run(s, S_ROLLUPS_BUILT, NULL, cause, NULL, "")) == 0)
		return 0;
	free(*cause);
	*cause = NULL;
	return own_run(s, S_ROLLUPS_BUILT, NULL, cause, NULL, "");
}

static int
pg_rollups_claim(struct server_tx *tx, int force, int *todo, char **cause)
{
	int64_t	built;
	int	rc;

	/* Every process that finds them unbuilt waits here; one builds. */
	if ((rc = tx_none(tx, S_ROLLUPS_LOCK, cause, "")) != 0 ||
	    (rc = tx_int(tx, S_ROLLUPS_BUILT, &built, cause, "")) != 0 ||
	    (built && !force))
		return rc;
	*todo = 1;
	return exec_simple(TX_STORE(tx), TX_CONN(tx), "DELETE FROM r_sums;"
	    " DELETE FROM r_seen; UPDATE r_state SET built = 0", cause);
}

static int
pg_rollups_done(struct server_tx *tx, char **cause)
{
	return tx_none(tx, S_ROLLUPS_DONE, cause, "");
}

static int
pg_rollups_share(struct server_tx *tx, char **cause)
{
	return tx_none(tx, S_ROLLUPS_SHARE, cause, "");
}

static int
pg_report_rollups(struct server_store *base, enum server_report_by by,
    const struct server_cover *cv, const struct server_scope *scope,
    struct server_report *rep, char **cause)
{
	static const enum stmt_id which[2][7] = { {
		[SERVER_BY_COMMUNE] = S_RR_COMMUNE,
		[SERVER_BY_HAMLET] = S_RR_HAMLET,
		[SERVER_BY_CHECKLIST] = S_RR_CHECKLIST,
		[SERVER_BY_CATEGORY] = S_RR_CATEGORY,
		[SERVER_BY_DAY] = S_RR_DAY,
		[SERVER_BY_REASON] = S_RR_REASON,
		[SERVER_BY_PROVINCE] = S_RR_PROVINCE,
	}, {
		[SERVER_BY_COMMUNE] = S_RS_COMMUNE,
		[SERVER_BY_HAMLET] = S_RS_HAMLET,
		[SERVER_BY_CHECKLIST] = S_RS_CHECKLIST,
		[SERVER_BY_CATEGORY] = S_RS_CATEGORY,
		[SERVER_BY_DAY] = S_RS_DAY,
		[SERVER_BY_REASON] = S_RS_REASON,
		[SERVER_BY_PROVINCE] = S_RS_PROVINCE,
	} };
	static const char *const grp[] = {
		[SERVER_BY_COMMUNE] = SERVER_GRP_KIOSK,
		[SERVER_BY_HAMLET] = SERVER_GRP_HAMLET,
		[SERVER_BY_CHECKLIST] = SERVER_GRP_CHECKLIST,
		[SERVER_BY_CATEGORY] = SERVER_GRP_CATEGORY,
		[SERVER_BY_DAY] = SERVER_GRP_KIOSK,
		[SERVER_BY_REASON] = SERVER_GRP_REASON,
		[SERVER_BY_PROVINCE] = SERVER_GRP_KIOSK,
	};
	struct pg_store	*s = (struct pg_store *)base;
	struct conn	*c;
	struct params	 p = { .n = 0 };
	PGresult	*r;
	int		 rc, i, distinct, scoped;

	memset(rep, 0, sizeof *rep);
	rep->by = by;
	scoped = scope != NULL && ((scope->province != NULL && *scope->province) ||
	    (scope->commune != NULL && *scope->commune));
	if ((int)by < 0 || (size_t)by >= sizeof which[0] / sizeof which[0][0])
		return fail(cause, "report: unknown grouping %d", (int)by);
	p_text(&p, by == SERVER_BY_DAY && !scoped ? SERVER_GRP_DAYS : grp[by]);
	for (i = 0; i < 5; i++) {
		/* An unused range is empty: lvl 0 holds no counts. */
		p_int(&p, i < cv->n ? cv->r[i].lvl : 0);
		p_text(&p, i < cv->n ? cv->r[i].lo : "");
		p_text(&p, i < cv->n ? cv->r[i].hi : "");
	}
	distinct = cv->people == SERVER_PEOPLE_DISTINCT && by != SERVER_BY_REASON;
	p_int(&p, by == SERVER_BY_REASON ? -1 : (int)cv->people);
	p_text(&p, distinct ? cv->from_day : "");
	p_text(&p, distinct ? cv->to_day : "");
	p_text(&p, scope != NULL && scope->province != NULL ? scope->province : "");
	p_text(&p, scope != NULL && scope->commune != NULL ? scope->commune : "");
	if ((c = conn_get(s, &rc, cause)) == NULL)
		return rc;
	if ((rc = run_planned(s, c, stmt_sql[which[scoped][by]], &p, &r, cause)) == 0) {
		rep->n = (size_t)PQntuples(r);
		rep->rows = xcalloc(rep->n > 0 ? rep->n : 1, sizeof *rep->rows);
		for (i = 0; i < PQntuples(r); i++)
			server_store_rollup_row(by, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
			    PQgetvalue(r, i, 2), ival(r, i, 7), ival(r, i, 3),
			    ival(r, i, 4), ival(r, i, 5), ival(r, i, 6), &rep->rows[i]);
		PQclear(r);
	}
	conn_put(s, c);
	return rc;
}

/* Migration: reading a table row by row (rebuilding rollups) ------------- */

static int
pg_rows(struct server_store *base, const struct server_table *t, server_row_fn each,
    void *arg, char **cause)
{
	struct pg_store	*s = (struct pg_store *)base;
	struct conn	*c;
	PGresult	*r;
	const char	*vals[32];
	char		*sql, *cols = xstrdup(""), *next;
	int		 i, rc = 0, stop = 0;

	for (i = 0; i < t->ncols && i < 32; i++) {
		next = xasprintf(i == t->hash_col ? "%s%sencode(%s, 'hex')" : "%s%s%s",
		    cols, i > 0 ? ", " : "", t->cols[i]);
		free(cols);
		cols = next;
	}
	sql = xasprintf("SELECT %s FROM %s ORDER BY %s", cols, t->name, t->order);
	free(cols);
	if ((c = conn_get(s, &rc, cause)) == NULL) {
		free(sql);
		return rc;
	}
	/* One row at a time: a table of millions never sits in memory. */
	if (!PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c->pg)) {
		rc = pg_fail(s, c->pg, NULL, cause);
		goto out;
	}
	while ((r = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE && !stop) {
			for (i = 0; i < t->ncols; i++)
				vals[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
			if ((rc = each(arg, vals)) != 0)
				stop = 1;	/* drain the rest, then return */
		} else if (PQresultStatus(r) != PGRES_SINGLE_TUPLE &&
		    PQresultStatus(r) != PGRES_TUPLES_OK && rc == 0)
			rc = pg_fail(s, c->pg, r, cause);
		PQclear(r);
	}
out:
	conn_put(s, c);
	free(sql);
	return rc;
}

/* The dashboard ----------------------------------------------------------- */

/* Fills element i from row i of r. */
typedef void (*fill_fn)(PGresult *r, int i, void *);

/* The rows of a dashboard query into a new array (*v, *n) of sz-byte elements. */
static int
dash_rows(struct pg_store *s, void **v, size_t *n, size_t sz, fill_fn fill,
    char **cause, const char *sql, int64_t limit)
{
	PGresult	*r;
	int		 rc, i;

	if ((rc = limit >= 0 ? own_run(s, DASH, &r, cause, sql, "i", limit) :
	    own_run(s, DASH, &r, cause, sql, "")) != 0)
		return rc;
	*n = (size_t)PQntuples(r);
	*v = xcalloc(*n > 0 ? *n : 1, sz);
	for (i = 0; i < PQntuples(r); i++)
		fill(r, i, (char *)*v + (size_t)i * sz);
	PQclear(r);
	return 0;
}

#define PG_USER_COLS "login, role, province, commune, pwhash, created_at," \
	" disabled_at, failures, locked_until, last_login"

static void
pg_user_row(PGresult *r, int i, void *p)
{
	struct server_user *u = p;

	u->login = val(r, i, 0);
	u->role = strcmp(PQgetvalue(r, i, 1), "commune") == 0 ? SERVER_ROLE_COMMUNE :
	    SERVER_ROLE_PROVINCE;
	u->province = val(r, i, 2);
	u->commune = val(r, i, 3);
	u->pwhash = val(r, i, 4);
	u->created_at = ival(r, i, 5);
	u->disabled_at = ival(r, i, 6);
	u->failures = ival(r, i, 7);
	u->locked_until = ival(r, i, 8);
	u->last_login = ival(r, i, 9);
}

static int
pg_user_add(struct server_store *base, const struct server_user *u, char **cause)
{
	int rc;

	rc = own_run((struct pg_store *)base, DASH, NULL, cause, "INSERT INTO users (login,"
	    " role, province, commune, pwhash, created_at) VALUES ($1, $2, $3, $4, $5,"
	    " $6)", "ttttti", u->login, u->role == SERVER_ROLE_COMMUNE ? "commune" :
	    "province", u->province != NULL ? u->province : "",
	    u->commune != NULL ? u->commune : "", u->pwhash, u->created_at);
	if (rc == SERVER_STORE_RETRY) {
		if (cause != NULL)
			free(*cause);	/* the key taken: say which */
		rc = fail(cause, _("Đã có tài khoản \"%s\"; hãy chọn tên đăng nhập "
		    "khác."), u->login);
	}
	return rc;
}

static int
pg_user_get(struct server_store *base, const char *login, struct server_user *u,
    int *found, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, DASH, &r, cause, "SELECT " PG_USER_COLS
	    " FROM users WHERE login = $1", "t", login)) != 0)
		return rc;
	if (PQntuples(r) > 0) {
		pg_user_row(r, 0, u);
		*found = 1;
	}
	PQclear(r);
	return 0;
}

static int
pg_user_list(struct server_store *base, struct server_user **v, size_t *n,
    char **cause)
{
	return dash_rows((struct pg_store *)base, (void **)v, n, sizeof **v, pg_user_row,
	    cause, "SELECT " PG_USER_COLS " FROM users ORDER BY login", -1);
}

static int
pg_user_update(struct server_store *base, const struct server_user *u, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, DASH, &r, cause, "UPDATE users SET"
	    " pwhash = $1, disabled_at = $2, failures = $3, locked_until = $4,"
	    " last_login = $5 WHERE login = $6", "tiiiit", u->pwhash, u->disabled_at,
	    u->failures, u->locked_until, u->last_login, u->login)) != 0)
		return rc;
	if (strcmp(PQcmdTuples(r), "0") == 0)
		rc = fail(cause, _("Không có tài khoản \"%s\"; xem danh sách bằng "
		    "`sotay-server user list`."), u->login);
	PQclear(r);
	return rc;
}

/* The count and the lock in one statement: concurrent ones queue on the row. */
static int
pg_user_failed(struct server_store *base, const char *login, int max, int64_t until,
    int *locked, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, DASH, &r, cause, "UPDATE users SET"
	    " locked_until = CASE WHEN failures + 1 >= $1 THEN $2 ELSE locked_until END,"
	    " failures = CASE WHEN failures + 1 >= $1 THEN 0 ELSE failures + 1 END"
	    " WHERE login = $3 RETURNING locked_until", "iit", (int64_t)max, until,
	    login)) != 0)
		return rc;
	*locked = PQntuples(r) == 1 && strtoll(PQgetvalue(r, 0, 0), NULL, 10) == until;
	PQclear(r);
	return 0;
}

static int
pg_web_session_add(struct server_store *base, const unsigned char hash[SERVER_HASH_LEN],
    const char *login, int64_t expires, char **cause)
{
	struct pg_store	*s = (struct pg_store *)base;
	int		 rc;

	if ((rc = own_run(s, DASH, NULL, cause, "DELETE FROM web_sessions WHERE"
	    " expires_at < $1", "i", util_now_ms())) != 0)
		return rc;
	return own_run(s, DASH, NULL, cause, "INSERT INTO web_sessions (token_hash, login,"
	    " expires_at) VALUES (decode($1, 'hex'), $2, $3)", "hti", hash, login,
	    expires);
}

static int
pg_web_session_get(struct server_store *base, const unsigned char hash[SERVER_HASH_LEN],
    char **login, int64_t *expires, int *found, char **cause)
{
	PGresult	*r;
	int		 rc;

	if ((rc = own_run((struct pg_store *)base, DASH, &r, cause, "SELECT login,"
	    " expires_at FROM web_sessions WHERE token_hash = decode($1, 'hex')", "h",
	    hash)) != 0)
		return rc;
	if (PQntuples(r) > 0) {
		*login = val(r, 0, 0);
		*expires = ival(r, 0, 1);
		*found = 1;
	}
	PQclear(r);
	return 0;
}

static int
pg_web_session_delete(struct server_store *base,
    const unsigned char hash[SERVER_HASH_LEN], char **cause)
{
	return own_run((struct pg_store *)base, DASH, NULL, cause, "DELETE FROM web_sessions"
	    " WHERE token_hash = decode($1, 'hex')", "h", hash);
}

static int
pg_audit_add(struct server_store *base, const struct server_audit *a, char **cause)
{
	return own_run((struct pg_store *)base, DASH, NULL, cause, "INSERT INTO audit (at,"
	    " login, action, detail, addr) VALUES ($1, $2, $3, $4, $5)", "itttt", a->at,
	    a->login != NULL ? a->login : "-", a->action,
	    a->detail != NULL ? a->detail : "", a->addr != NULL ? a->addr : "");
}

static void
audit_row(PGresult *r, int i, void *p)
{
	struct server_audit *a = p;

	a->at = ival(r, i, 0);
	a->login = val(r, i, 1);
	a->action = val(r, i, 2);
	a->detail = val(r, i, 3);
	a->addr = val(r, i, 4);
}

static int
pg_audit_list(struct server_store *base, int64_t limit, struct server_audit **v,
    size_t *n, char **cause)
{
	return dash_rows((struct pg_store *)base, (void **)v, n, sizeof **v, audit_row,
	    cause, "SELECT at, login, action, detail, addr FROM audit ORDER BY n DESC"
	    " LIMIT $1", limit);
}

static int
pg_kiosk_status_set(struct server_store *base, const struct server_kiosk_status *k,
    char **cause)
{
	return own_run((struct pg_store *)base, DASH, NULL, cause, "INSERT INTO kiosk_status"
	    " (kiosk, at, pending, content_version, program_version, clock_offset)"
	    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kiosk) DO UPDATE SET"
	    " at = excluded.at, pending = excluded.pending,"
	    " content_version = excluded.content_version,"
	    " program_version = excluded.program_version,"
	    " clock_offset = excluded.clock_offset", "tiiiti", k->kiosk, k->at,
	    k->pending, k->content_version,
	    k->program_version != NULL ? k->program_version : "", k->clock_offset);
}

static void
status_row(PGresult *r, int i, void *p)
{
	struct server_kiosk_status *k = p;

	k->kiosk = val(r, i, 0);
	k->at = ival(r, i, 1);
	k->pending = ival(r, i, 2);
	k->content_version = ival(r, i, 3);
	k->program_version = val(r, i, 4);
	k->clock_offset = ival(r, i, 5);
}

static int
pg_kiosk_status_list(struct server_store *base, struct server_kiosk_status **v,
    size_t *n, char **cause)
{
	return dash_rows((struct pg_store *)base, (void **)v, n, sizeof **v, status_row,
	    cause, "SELECT kiosk, at, pending, content_version, program_version,"
	    " clock_offset FROM kiosk_status ORDER BY kiosk", -1);
}

static void
conflict_row(PGresult *r, int i, void *p)
{
	struct server_conflict *c = p;

	c->kiosk = val(r, i, 0);
	c->id = val(r, i, 1);
	c->seq = ival(r, i, 2);
	c->type = val(r, i, 3);
	c->at = ival(r, i, 4);
	c->reason = val(r, i, 5);
	c->received_at = ival(r, i, 6);
}

static int
pg_conflict_list(struct server_store *base, int64_t limit, struct server_conflict **v,
    size_t *n, char **cause)
{
	return dash_rows((struct pg_store *)base, (void **)v, n, sizeof **v,
	    conflict_row, cause, "SELECT kiosk, id, seq, type, at, reason, received_at"
	    " FROM conflicts ORDER BY received_at DESC, kiosk, seq LIMIT $1", limit);
}

/* Migration: the target side --------------------------------------------- */

static char *
row_put_sql(const struct server_table *t)
{
	char	*cols = xstrdup(""), *vals = xstrdup(""), *sql, *next;
	int	 i;

	for (i = 0; i < t->ncols; i++) {
		next = xasprintf("%s%s%s", cols, i > 0 ? ", " : "", t->cols[i]);
		free(cols);
		cols = next;
		next = xasprintf(i == t->hash_col ? "%s%sdecode($%d, 'hex')" : "%s%s$%d",
		    vals, i > 0 ? ", " : "", i + 1);
		free(vals);
		vals = next;
	}
	if (strcmp(t->name, "audit") == 0)
		/*
		 * The log's numbers are each server's own: an entry is the same
		 * when all it says is (an identical one in the same millisecond
		 * counts once), so a copy run again adds only what is new.
		 */
		sql = xasprintf("INSERT INTO audit (%s) SELECT $1::bigint, $2::text,"
		    " $3::text, $4::text, $5::text WHERE NOT EXISTS (SELECT 1 FROM audit"
		    " WHERE at = $1::bigint AND login = $2::text AND action = $3::text"
		    " AND detail = $4::text AND addr = $5::text)", cols);
	else if (strcmp(t->name, "kiosks") == 0)
		/*
		 * Copied again later: what moved on since the last copy moves here
		 * too, a token given anew (kiosk token) with the machine it is
		 * bound to, and the machine a token was bound to since.
		 */
		sql = xasprintf("INSERT INTO kiosks (%s) VALUES (%s) ON CONFLICT (id) DO"
		    " UPDATE SET revoked_at = EXCLUDED.revoked_at,"
		    " held_seq = greatest(kiosks.held_seq, EXCLUDED.held_seq),"
		    " last_seen = greatest(kiosks.last_seen, EXCLUDED.last_seen),"
		    " token_hash = EXCLUDED.token_hash,"
		    " install = CASE WHEN kiosks.token_hash <> EXCLUDED.token_hash OR"
		    "  kiosks.install = '' THEN EXCLUDED.install ELSE kiosks.install END"
		    " WHERE kiosks.revoked_at <> EXCLUDED.revoked_at OR"
		    " kiosks.held_seq < EXCLUDED.held_seq OR"
		    " kiosks.last_seen < EXCLUDED.last_seen OR"
		    " kiosks.token_hash <> EXCLUDED.token_hash OR"
		    " (kiosks.install = '' AND EXCLUDED.install <> '')", cols, vals);
	else
		sql = xasprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT DO NOTHING",
		    t->name, cols, vals);
	free(cols);
	free(vals);
	return sql;
}

static int
pg_row_put(struct server_tx *tx, const struct server_table *t,
    const char *const *vals, int *added, char **cause)
{
	struct pg_store	*s = TX_STORE(tx);
	struct conn	*c = TX_CONN(tx);
	PGresult	*r;
	char		 name[8];
	int		 ti = (int)(t - server_tables), rc;

	if (ti < 0 || ti >= (int)sizeof c->mprepared || (size_t)ti >= server_ntables)
		return fail(cause, "row_put: unknown table %s", t->name);
	snprintf(name, sizeof name, "m%d", ti);
	if (!c->mprepared[ti]) {
		char *sql = row_put_sql(t);

		r = PQprepare(c->pg, name, sql, 0, NULL);
		free(sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = pg_fail(s, c->pg, r, cause);
			PQclear(r);
			return rc;
		}
		PQclear(r);
		c->mprepared[ti] = 1;
	}
	r = PQexecPrepared(c->pg, name, t->ncols, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_fail(s, c->pg, r, cause);
		PQclear(r);
		return rc;
	}
	*added = strcmp(PQcmdTuples(r), "0") != 0;
	PQclear(r);
	return 0;
}


const struct server_store_ops server_store_pg = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.kiosk_add = pg_kiosk_add,
	.kiosk_list = pg_kiosk_list,
	.kiosk_revoke = pg_kiosk_revoke,
	.kiosk_by_token = pg_kiosk_by_token,
	.kiosk_bind = pg_kiosk_bind,
	.kiosk_token = pg_kiosk_token,
	.kiosk_start = pg_kiosk_start,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.kiosk_lock = pg_kiosk_lock,
	.kiosk_set_held = pg_kiosk_set_held,
	.kiosk_max_seq = pg_kiosk_max_seq,
	.event_get = pg_event_get,
	.seq_stored = pg_seq_stored,
	.seq_held = pg_seq_held,
	.event_insert = pg_event_insert,
	.events_insert_new = pg_events_insert_new,
	.conflict_insert = pg_conflict_insert,
	.conflict_delete = pg_conflict_delete,
	.fact_put = pg_fact_put,
	.content_lock = pg_content_lock,
	.content_version = pg_content_version,
	.content_version_add = pg_content_version_add,
	.checklist_get = pg_checklist_get,
	.checklist_newest = pg_checklist_newest,
	.checklist_insert = pg_checklist_insert,
	.content_since = pg_content_since,
	.report = pg_report,
	.block_take = pg_block_take,
	.session_get = pg_session_get,
	.resident_hamlet = pg_resident_hamlet,
	.session_deps = pg_session_deps,
	.resident_sessions = pg_resident_sessions,
	.rollups_add = pg_rollups_add,
	.seen_get = pg_seen_get,
	.sessions_facts = pg_sessions_facts,
	.residents_hamlets = pg_residents_hamlets,
	.residents_seen = pg_residents_seen,
	.seen_put = pg_seen_put,
	.rollup_days = pg_rollup_days,
	.rollups_built = pg_rollups_built,
	.rollups_claim = pg_rollups_claim,
	.ping = pg_ping,
	.rollups_done = pg_rollups_done,
	.rollups_share = pg_rollups_share,
	.report_rollups = pg_report_rollups,
	.user_add = pg_user_add,
	.user_get = pg_user_get,
	.user_list = pg_user_list,
	.user_update = pg_user_update,
	.user_failed = pg_user_failed,
	.web_session_add = pg_web_session_add,
	.web_session_get = pg_web_session_get,
	.web_session_delete = pg_web_session_delete,
	.audit_add = pg_audit_add,
	.audit_list = pg_audit_list,
	.kiosk_status_set = pg_kiosk_status_set,
	.kiosk_status_list = pg_kiosk_status_list,
	.conflict_list = pg_conflict_list,
	.rows = pg_rows,
	.row_put = pg_row_put,
};
