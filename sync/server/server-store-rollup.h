/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server-store-rollup.h: a report's statements from the rollups, written
 * once for both stores (server-store-sqlite.c and server-store-pg.c, the
 * only files that include it), one per grouping, for the nation and for a
 * scope. The includer first defines its dialect: P(n), parameter n ("?" #n
 * or "$" #n), and TYPED(x, type), a parameter typed where the dialect
 * cannot tell its type.
 *
 * Parameters: 1 the grouping; 2..16 the cover's five (lvl, lo, hi); 17 the
 * people column (enum server_people); 18, 19 the distinct path's days
 * (empty: none); 20, 21 the scope. Rows are summed per kiosk (G) before any
 * kiosk is looked up; a kiosk's residents are its own, so distinct per
 * kiosk adds up. G: the columns summed by; D: what is distinct; K: the
 * report's three key columns; J: the kiosks and the scope, when K or the
 * scope needs them.
 */
#ifndef SOTAY_SERVER_STORE_ROLLUP_H
#define SOTAY_SERVER_STORE_ROLLUP_H

/* A rollup row's counts added to the row kept for its key: both stores' upsert. */
#define R_SUMS_ADD " ON CONFLICT (grp, lvl, period, kiosk, k1, k2, k3) DO UPDATE SET" \
	" started = r_sums.started + excluded.started," \
	" finished = r_sums.finished + excluded.finished," \
	" completed = r_sums.completed + excluded.completed," \
	" blocked = r_sums.blocked + excluded.blocked," \
	" first_ever = r_sums.first_ever + excluded.first_ever," \
	" first_year = r_sums.first_year + excluded.first_year," \
	" first_month = r_sums.first_month + excluded.first_month," \
	" on_day = r_sums.on_day + excluded.on_day," \
	" last_ever = r_sums.last_ever + excluded.last_ever"

#define R_RANGE(G, l, lo, hi, W) "SELECT " G ", started, finished, completed," \
	" blocked, CASE CAST(" P(17) " AS integer) WHEN 0 THEN first_ever" \
	" WHEN 1 THEN first_year WHEN 2 THEN first_month WHEN 3 THEN on_day" \
	" WHEN 5 THEN last_ever" \
	" ELSE 0 END AS pe FROM r_sums WHERE grp = " P(1) " AND lvl = " \
	TYPED(l, "smallint") " AND period >= " TYPED(lo, "text") " AND period < " \
	TYPED(hi, "text") W
#define R_SUMS(G, W) "SELECT " G ", sum(started) AS st, sum(finished) AS fi," \
	" sum(completed) AS co, sum(blocked) AS bl, sum(pe) AS pe FROM (" \
	R_RANGE(G, P(2), P(3), P(4), W) " UNION ALL " R_RANGE(G, P(5), P(6), P(7), W) \
	" UNION ALL " R_RANGE(G, P(8), P(9), P(10), W) \
	" UNION ALL " R_RANGE(G, P(11), P(12), P(13), W) \
	" UNION ALL " R_RANGE(G, P(14), P(15), P(16), W) ") r GROUP BY " G
#define R_SEEN(G, D, W) "SELECT " G ", 0, 0, 0, 0, count(DISTINCT " D ") FROM r_seen" \
	" WHERE grp = " P(1) " AND lvl = 3 AND period >= " TYPED(P(18), "text") \
	" AND period < " TYPED(P(19), "text") W " GROUP BY " G
#define R_JOIN " JOIN kiosks k ON k.id = x.kiosk WHERE (CAST(" P(20) " AS text) = ''" \
	" OR k.province = " P(20) ") AND (CAST(" P(21) " AS text) = '' OR" \
	" k.commune = " P(21) ")"
/* A scope's kiosks, found first: only their rows are summed. */
#define R_IN " AND kiosk IN (SELECT id FROM kiosks WHERE (CAST(" P(20) " AS text)" \
	" = '' OR province = " P(20) ") AND (CAST(" P(21) " AS text) = '' OR" \
	" commune = " P(21) "))"
#define R_SQL(G, D, K, J, W) "SELECT " K ", sum(st), sum(fi), sum(co), sum(bl)," \
	" sum(pe) FROM (" R_SUMS(G, W) " UNION ALL " R_SEEN(G, D, W) ") x" J \
	" GROUP BY 1, 2, 3 HAVING sum(st) <> 0 OR sum(fi) <> 0 OR sum(bl) <> 0"
#define R_NONE "CAST('' AS text)"
/* The nation's statements are for no scope (and take its parameters). */
#define R_ALL " WHERE CAST(" P(20) " AS text) = '' AND CAST(" P(21) " AS text) = ''"
#define R_KIOSK(K, W) R_SQL("kiosk", "resident", K, R_JOIN, W)

/* The whole nation's. */
#define R_NATION_PROVINCE R_KIOSK("k.province, " R_NONE ", " R_NONE, "")
#define R_NATION_COMMUNE R_KIOSK("k.province, k.commune, k.commune_code", "")
#define R_NATION_HAMLET R_SQL("kiosk, k1", "resident", \
	"k.province, k.commune, x.k1", R_JOIN, "")
#define R_NATION_CHECKLIST R_SQL("k1", "kiosk || '/' || resident", \
	"x.k1, " R_NONE ", " R_NONE, R_ALL, "")
#define R_NATION_CATEGORY R_SQL("k1", "kiosk || '/' || resident", \
	"x.k1, " R_NONE ", " R_NONE, R_ALL, "")
/* By day from the shards' days (SERVER_GRP_DAYS), one-day cover. */
#define R_NATION_DAY R_SQL("period", "kiosk || '/' || resident", \
	"x.period, " R_NONE ", " R_NONE, R_ALL, "")
#define R_NATION_REASON R_SQL("k1, k2, k3", "kiosk || '/' || resident", \
	"x.k1, x.k2, x.k3", R_ALL, "")
/* A province's or a commune's. */
#define R_SCOPE_PROVINCE R_KIOSK("k.province, " R_NONE ", " R_NONE, R_IN)
#define R_SCOPE_COMMUNE R_KIOSK("k.province, k.commune, k.commune_code", R_IN)
#define R_SCOPE_HAMLET R_SQL("kiosk, k1", "resident", \
	"k.province, k.commune, x.k1", R_JOIN, R_IN)
#define R_SCOPE_CHECKLIST R_SQL("kiosk, k1", "resident", \
	"x.k1, " R_NONE ", " R_NONE, R_JOIN, R_IN)
#define R_SCOPE_CATEGORY R_SQL("kiosk, k1", "resident", \
	"x.k1, " R_NONE ", " R_NONE, R_JOIN, R_IN)
#define R_SCOPE_DAY R_SQL("kiosk, period", "resident", \
	"x.period, " R_NONE ", " R_NONE, R_JOIN, R_IN)
#define R_SCOPE_REASON R_SQL("kiosk, k1, k2, k3", "resident", \
	"x.k1, x.k2, x.k3", R_JOIN, R_IN)

#endif
