/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-people.c: volunteers (hashed PINs, lockout that survives a restart)
 * and residents (consent, resume codes, what leaves the kiosk, retention).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "content.h"
#include "journey.h"
#include "nfc.h"
#include "people.h"
#include "store.h"
#include "util.h"
#include "helpers.h"

#define DAY_MS	(24LL * 60 * 60 * 1000)

static void
test_volunteer_add(void **state)
{
	struct store *st = test_store("people-add.db");
	struct volunteer *v;
	size_t n;
	int64_t id, id2;
	char *cause = NULL;

	assert_int_equal(people_volunteer_add(st, "Chị Lan", ROLE_SUPERVISOR, "73915246", &id,
	    &cause), 0);
	assert_true(id > 0);
	/* The PIN is kept only as an Argon2id hash. */
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM volunteers WHERE id = %lld AND "
	    "name = 'Chị Lan' AND role = 'supervisor' AND substr(pin_hash, 1, 10) = '$argon2id$'",
	    (long long)id), 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM volunteers WHERE "
	    "instr(pin_hash, '73915246') > 0"), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE type = 'volunteer.added' "
	    "AND json_extract(payload, '$.role') = 'supervisor'"), 1);

	/* Two volunteers may share a PIN; the hashes still differ (salted). */
	assert_int_equal(people_volunteer_add(st, "Anh Minh", ROLE_VOLUNTEER, "73915246", &id2,
	    &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(DISTINCT pin_hash) FROM volunteers"), 2);

	REFUSED(st, people_volunteer_add(st, "Chị Lan", ROLE_VOLUNTEER, "1111", NULL, CAUSE),
	    "Đã có tình nguyện viên tên \"Chị Lan\"");
	REFUSED(st, people_volunteer_add(st, "  ", ROLE_VOLUNTEER, "1111", NULL, CAUSE),
	    "Hãy nhập tên");
	REFUSED(st, people_volunteer_add(st, "Cô Ba", ROLE_VOLUNTEER, "123", NULL, CAUSE),
	    "Mã PIN phải gồm 4 đến 12 chữ số");
	REFUSED(st, people_volunteer_add(st, "Cô Ba", ROLE_VOLUNTEER, "1234567890123", NULL, CAUSE),
	    "Mã PIN phải gồm 4 đến 12 chữ số");
	REFUSED(st, people_volunteer_add(st, "Cô Ba", ROLE_VOLUNTEER, "12ab", NULL, CAUSE),
	    "Mã PIN phải gồm 4 đến 12 chữ số");
	REFUSED(st, people_volunteer_add(st, "Cô Ba", ROLE_VOLUNTEER, "", NULL, CAUSE),
	    "Mã PIN phải gồm 4 đến 12 chữ số");
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM volunteers"), 2);

	/* The limits themselves are allowed. */
	assert_int_equal(people_volunteer_add(st, "Cô Ba", ROLE_VOLUNTEER, "0000", NULL, &cause), 0);
	assert_int_equal(people_volunteer_add(st, "Chú Tư", ROLE_VOLUNTEER, "123456789012", NULL,
	    &cause), 0);

	assert_int_equal(people_volunteer_list(st, &v, &n, &cause), 0);
	assert_int_equal(n, 4);
	int seen = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id) {
			assert_string_equal(v[i].name, "Chị Lan");
			assert_int_equal(v[i].role, ROLE_SUPERVISOR);
			assert_int_equal(v[i].disabled, 0);
			seen++;
		}
	assert_int_equal(seen, 1);
	people_volunteers_free(v, n);
	store_close(st);
	(void)state;
}

static void
login(struct store *st, int64_t id, const char *pin, enum login want, int *tries, int64_t *until)
{
	enum login r;
	char *cause = NULL;
	int t;
	int64_t u;

	if (people_login(st, id, pin, &r, &t, &u, NULL, &cause) != 0)
		fail_msg("%s", cause);
	if (r != want)
		fail_msg("login with %s gave %d, not %d", pin, r, want);
	if (tries != NULL)
		*tries = t;
	if (until != NULL)
		*until = u;
}

static void
test_login_lockout(void **state)
{
	struct store *st = test_store("people-login.db");
	char *path = xstrdup(store_path(st)), *cause = NULL;
	struct volunteer who;
	enum login r;
	int64_t id, until, before, after;
	int tries;

	assert_int_equal(people_volunteer_add(st, "Chị Hoa", ROLE_VOLUNTEER, "2468", &id, &cause), 0);
	assert_int_equal(people_login(st, id, "2468", &r, &tries, &until, &who, &cause), 0);
	assert_int_equal(r, LOGIN_OK);
	assert_int_equal(who.id, id);
	assert_string_equal(who.name, "Chị Hoa");
	assert_int_equal(who.role, ROLE_VOLUNTEER);
	free(who.name);

	login(st, id + 100, "2468", LOGIN_UNKNOWN, NULL, NULL);

	/* Four wrong PINs count down; the fifth locks for five minutes. */
	for (int i = 1; i <= 4; i++) {
		login(st, id, "1357", LOGIN_WRONG, &tries, NULL);
		assert_int_equal(tries, PEOPLE_MAX_TRIES - i);
		assert_int_equal(test_sql_int(st, "SELECT failed FROM volunteers WHERE id = %lld",
		    (long long)id), i);
	}
	before = util_now_ms();
	login(st, id, "1357", LOGIN_LOCKED, NULL, &until);
	after = util_now_ms();
	assert_in_range(until, before + PEOPLE_LOCK_MS, after + PEOPLE_LOCK_MS);
	assert_int_equal(test_sql_int(st, "SELECT locked_until FROM volunteers WHERE id = %lld",
	    (long long)id), until);

	/* Locked means locked, even for the right PIN. */
	login(st, id, "2468", LOGIN_LOCKED, NULL, NULL);

	/* A restart does not lift the lock. */
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &cause), 0);
	int64_t until2;
	login(st, id, "2468", LOGIN_LOCKED, NULL, &until2);
	assert_int_equal(until2, until);

	/* Six minutes later the right PIN opens and the count starts again. */
	util_clock_offset_ms(6 * 60 * 1000);
	login(st, id, "2468", LOGIN_OK, NULL, NULL);
	assert_int_equal(test_sql_int(st, "SELECT failed FROM volunteers WHERE id = %lld", (long long)id), 0);
	assert_int_equal(test_sql_int(st, "SELECT locked_until FROM volunteers WHERE id = %lld",
	    (long long)id), 0);
	login(st, id, "1357", LOGIN_WRONG, &tries, NULL);
	assert_int_equal(tries, PEOPLE_MAX_TRIES - 1);
	util_clock_offset_ms(-6 * 60 * 1000);

	store_close(st);
	free(path);
	(void)state;
}

static void
test_set_pin_and_disable(void **state)
{
	struct store *st = test_store("people-pin.db");
	char *cause = NULL;
	int64_t id;

	assert_int_equal(people_volunteer_add(st, "Anh Dũng", ROLE_VOLUNTEER, "1111", &id, &cause), 0);
	for (int i = 0; i < PEOPLE_MAX_TRIES - 1; i++)
		login(st, id, "9999", LOGIN_WRONG, NULL, NULL);
	login(st, id, "9999", LOGIN_LOCKED, NULL, NULL);

	/* A supervisor's new PIN lifts the lock; the old PIN no longer works. */
	REFUSED(st, people_volunteer_set_pin(st, id, "12", CAUSE), "Mã PIN phải gồm");
	REFUSED(st, people_volunteer_set_pin(st, id + 100, "4444", CAUSE), "Không có tình nguyện viên");
	assert_int_equal(people_volunteer_set_pin(st, id, "4444", &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT failed + locked_until FROM volunteers WHERE id = %lld",
	    (long long)id), 0);
	login(st, id, "4444", LOGIN_OK, NULL, NULL);
	login(st, id, "1111", LOGIN_WRONG, NULL, NULL);

	/* Disabled: even the right PIN does not open, and nothing is counted. */
	assert_int_equal(people_volunteer_disable(st, id, 1, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT disabled FROM volunteers WHERE id = %lld",
	    (long long)id), 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE type = "
	    "'volunteer.changed' AND json_extract(payload, '$.disabled') = 1"), 1);
	login(st, id, "4444", LOGIN_DISABLED, NULL, NULL);
	login(st, id, "0000", LOGIN_DISABLED, NULL, NULL);
	assert_int_equal(people_volunteer_disable(st, id, 0, &cause), 0);
	login(st, id, "4444", LOGIN_OK, NULL, NULL);
	REFUSED(st, people_volunteer_disable(st, id + 100, 1, CAUSE), "Không có tình nguyện viên");
	store_close(st);
	(void)state;
}

static void
test_resident_validation(void **state)
{
	struct store *st = test_store("people-residents.db");
	struct resident r;

	REFUSED(st, people_resident_add(st, "Bà Tám", 1950, SEX_FEMALE, NULL, NULL, 0, &r, CAUSE),
	    "đồng ý");
	REFUSED(st, people_resident_add(st, "", 1950, SEX_FEMALE, NULL, NULL, 1, &r, CAUSE),
	    "Hãy nhập tên");
	REFUSED(st, people_resident_add(st, "   ", 1950, SEX_FEMALE, NULL, NULL, 1, &r, CAUSE),
	    "Hãy nhập tên");
	REFUSED(st, people_resident_add(st, "Bà Tám", 1850, SEX_FEMALE, NULL, NULL, 1, &r, CAUSE),
	    "Năm sinh 1850 không hợp lệ");
	REFUSED(st, people_resident_add(st, "Bà Tám", 2300, SEX_FEMALE, NULL, NULL, 1, &r, CAUSE),
	    "Năm sinh 2300 không hợp lệ");
	REFUSED(st, people_resident_add(st, "Bà Tám", 1950, SEX_FEMALE, NULL, "09a1234567", 1, &r,
	    CAUSE), "Số điện thoại \"09a1234567\" không hợp lệ");
	REFUSED(st, people_resident_add(st, "Bà Tám", 1950, SEX_FEMALE, NULL, "123", 1, &r, CAUSE),
	    "Số điện thoại \"123\" không hợp lệ");
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents"), 0);

	/* Only the name is needed. */
	char *cause = NULL;
	assert_int_equal(people_resident_add(st, "Bà Tám", 0, SEX_UNSAID, NULL, NULL, 1, &r, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE id = '%s' AND "
	    "birth_year = 0 AND sex = '' AND phone IS NULL AND hamlet IS NULL AND consent_at > 0",
	    r.id), 1);
	people_resident_clear(&r);
	store_close(st);
	(void)state;
}

static void
test_resume_codes(void **state)
{
	struct store *st = test_store("people-codes.db");
	struct resident r, got;
	char *cause = NULL, name[32];
	int found;

	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "Người %d", i);
		if (people_resident_add(st, name, 0, SEX_UNSAID, NULL, NULL, 1, &r, &cause) != 0)
			fail_msg("%s", cause);
		assert_int_equal(strlen(r.code), RESUME_CODE_LEN);
		/* Never 0/O, 1/I/L, 8/B or 5/S, which are misread aloud or on a slip. */
		assert_int_equal(strcspn(r.code, "0O1IL8B5S"), RESUME_CODE_LEN);
		assert_int_equal(strspn(r.code, "234679ACDEFGHJKMNPQRTUVWXYZ"), RESUME_CODE_LEN);
		people_resident_clear(&r);
	}
	assert_int_equal(test_sql_int(st, "SELECT count(DISTINCT resume_code) FROM residents"), 2000);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE "
	    "length(resume_code) = 6 AND resume_code GLOB '[2-46-79ACDEFGHJKMNPQRTUVWXYZ]"
	    "[2-46-79ACDEFGHJKMNPQRTUVWXYZ][2-46-79ACDEFGHJKMNPQRTUVWXYZ][2-46-79ACDEFGHJKMNPQRTUVWXYZ]"
	    "[2-46-79ACDEFGHJKMNPQRTUVWXYZ][2-46-79ACDEFGHJKMNPQRTUVWXYZ]'"), 2000);

	/* Typed back as a person would: lower case, a space, a dash. */
	assert_int_equal(people_resident_add(st, "Chị Mai", 1985, SEX_FEMALE, "Thôn 2", NULL, 1, &r,
	    &cause), 0);
	char typed[16];
	snprintf(typed, sizeof typed, "%c%c %c-%c%c%c", r.code[0], r.code[1], r.code[2], r.code[3],
	    r.code[4], r.code[5]);
	for (char *p = typed; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	assert_int_equal(people_resident_by_code(st, typed, &got, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_string_equal(got.id, r.id);
	assert_string_equal(got.display_name, "Chị Mai");
	assert_string_equal(got.hamlet, "Thôn 2");
	assert_int_equal(got.birth_year, 1985);
	assert_int_equal(got.sex, SEX_FEMALE);
	assert_string_equal(got.code, r.code);
	people_resident_clear(&got);

	/* Not a code, or nobody's code: not found, and not an error. */
	assert_int_equal(people_resident_by_code(st, "O0I1L0", &got, &found, &cause), 0);
	assert_int_equal(found, 0);
	assert_int_equal(people_resident_by_code(st, "ABC", &got, &found, &cause), 0);
	assert_int_equal(found, 0);
	char other[RESUME_CODE_LEN + 1];
	memcpy(other, r.code, sizeof other);
	for (const char *a = RESUME_ALPHABET; *a != '\0'; a++) {
		other[0] = *a;
		if (test_sql_int(st, "SELECT count(*) FROM residents WHERE resume_code = '%s'", other) == 0)
			break;
	}
	assert_int_equal(people_resident_by_code(st, other, &got, &found, &cause), 0);
	assert_int_equal(found, 0);

	/* A code given before 8, B, 5 and S were left out still finds its person. */
	{
		sqlite3 *db;
		char *sql = xasprintf("UPDATE residents SET resume_code = 'B8S5K7' WHERE id = '%s'", r.id);

		assert_int_equal(sqlite3_open(store_path(st), &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		free(sql);
	}
	assert_int_equal(people_resident_by_code(st, "b8s5-k7", &got, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_string_equal(got.id, r.id);
	people_resident_clear(&got);
	/* Exactly: an old 8 is not a B. */
	assert_int_equal(people_resident_by_code(st, "88S5K7", &got, &found, &cause), 0);
	assert_int_equal(found, 0);

	char norm[RESUME_CODE_LEN + 1];
	assert_int_equal(people_code_normalise(" k7m-q2x ", norm), 1);
	assert_string_equal(norm, "K7MQ2X");
	assert_int_equal(people_code_normalise("K7MQ2XA", norm), 0);
	assert_int_equal(people_code_normalise("K7MQ2", norm), 0);
	assert_int_equal(people_code_normalise("K7MQ2O", norm), 0);

	people_resident_clear(&r);
	store_close(st);
	(void)state;
}

/*
 * Wrong resume codes typed at the kiosk: a few are free, then each waits,
 * longer each time; the count survives a restart; the right code after the
 * wait opens and starts the count again.
 */
static void
test_code_tries_slowed(void **state)
{
	char *path = test_path("people-code-tries.db"), *cause = NULL, wrong[RESUME_CODE_LEN + 1];
	struct store *st = test_store("people-code-tries.db");
	struct resident r, got;
	enum code_try res;
	int64_t until, before;

	assert_int_equal(people_resident_add(st, "Bà Ba Đức", 0, SEX_FEMALE, NULL, NULL, 1, &r,
	    &cause), 0);
	memcpy(wrong, r.code, sizeof wrong);
	wrong[0] = r.code[0] == 'K' ? 'M' : 'K';
	for (int i = 0; i < PEOPLE_CODE_FREE_TRIES - 1; i++) {
		assert_int_equal(people_code_try(st, wrong, &got, &res, &until, &cause), 0);
		assert_int_equal(res, CODE_UNKNOWN);
		assert_int_equal(until, 0);
	}
	before = util_now_ms();
	assert_int_equal(people_code_try(st, wrong, &got, &res, &until, &cause), 0);
	assert_int_equal(res, CODE_UNKNOWN);
	assert_true(until >= before + PEOPLE_CODE_WAIT_MS && until <= util_now_ms() + PEOPLE_CODE_WAIT_MS);

	/* While it waits even the right code is not looked at; a restart changes nothing. */
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &cause), 0);
	assert_int_equal(people_code_try(st, r.code, &got, &res, &until, &cause), 0);
	assert_int_equal(res, CODE_WAIT);
	assert_true(until > util_now_ms());

	/* After the wait, another wrong code waits twice as long. */
	util_clock_offset_ms(PEOPLE_CODE_WAIT_MS + 1000);
	before = util_now_ms();
	assert_int_equal(people_code_try(st, wrong, &got, &res, &until, &cause), 0);
	assert_int_equal(res, CODE_UNKNOWN);
	assert_true(until >= before + 2 * PEOPLE_CODE_WAIT_MS);
	util_clock_offset_ms(2 * PEOPLE_CODE_WAIT_MS + 1000);

	/* An hour's quiet after a wait: the tries are free again. */
	util_clock_offset_ms(PEOPLE_CODE_FORGET_MS + 1000);
	assert_int_equal(people_code_try(st, wrong, &got, &res, &until, &cause), 0);
	assert_int_equal(res, CODE_UNKNOWN);
	assert_int_equal(until, 0);
	util_clock_offset_ms(-(PEOPLE_CODE_FORGET_MS + 1000));

	/* The right code opens, and the count starts again. */
	assert_int_equal(people_code_try(st, r.code, &got, &res, &until, &cause), 0);
	assert_int_equal(res, CODE_FOUND);
	assert_string_equal(got.id, r.id);
	people_resident_clear(&got);
	assert_int_equal(people_code_try(st, wrong, &got, &res, &until, &cause), 0);
	assert_int_equal(res, CODE_UNKNOWN);
	assert_int_equal(until, 0);

	util_clock_offset_ms(-(3 * PEOPLE_CODE_WAIT_MS + 2000));
	people_resident_clear(&r);
	store_close(st);
	free(path);
	(void)state;
}

static void
test_resident_event_private(void **state)
{
	struct store *st = test_store("people-private.db");
	struct resident r;
	char *cause = NULL;

	assert_int_equal(people_resident_add(st, "Nguyễn Thị Hoa", 1962, SEX_FEMALE, "Thôn Đông",
	    "0912345678", 1, &r, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE id = '%s' AND "
	    "display_name = 'Nguyễn Thị Hoa' AND phone = '0912345678' AND resume_code = '%s'",
	    r.id, r.code), 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE type = 'resident.added'"), 1);
	/* The event carries the pseudonymous id and coarse facts… */
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE type = 'resident.added' AND "
	    "json_extract(payload, '$.resident') = '%s' AND "
	    "json_extract(payload, '$.birth_year') = 1962 AND "
	    "json_extract(payload, '$.sex') = 'f' AND "
	    "json_extract(payload, '$.hamlet') = 'Thôn Đông'", r.id), 1);
	/* …and never the name, the phone or the resume code. */
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE "
	    "instr(payload, 'Hoa') > 0 OR instr(payload, 'Nguy') > 0 OR "
	    "instr(payload, '0912345678') > 0 OR instr(payload, '912345678') > 0"), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM outbox WHERE instr(payload, '%s') > 0",
	    r.code), 0);
	people_resident_clear(&r);
	store_close(st);
	(void)state;
}

static void
test_search(void **state)
{
	struct store *st = test_store("people-search.db");
	struct resident r, *v;
	size_t n;
	char *cause = NULL;

	assert_int_equal(people_resident_add(st, "Nguyễn Văn An", 0, SEX_MALE, NULL, NULL, 1, &r,
	    &cause), 0);
	people_resident_clear(&r);
	util_clock_offset_ms(1000);
	assert_int_equal(people_resident_add(st, "Trần Thị Bình", 0, SEX_FEMALE, NULL, NULL, 1, &r,
	    &cause), 0);
	people_resident_clear(&r);
	util_clock_offset_ms(1000);
	assert_int_equal(people_resident_add(st, "Lê Văn Anh", 0, SEX_MALE, NULL, NULL, 1, &r,
	    &cause), 0);
	people_resident_clear(&r);

	/* Diacritics and case are folded away: "an" is in Anh, Trần and An. */
	assert_int_equal(people_resident_search(st, "an", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].display_name, "Lê Văn Anh");	/* newest first */
	assert_string_equal(v[1].display_name, "Trần Thị Bình");
	assert_string_equal(v[2].display_name, "Nguyễn Văn An");
	people_residents_free(v, n);

	/* Typed without accents (a keyboard with no Vietnamese input), still found. */
	assert_int_equal(people_resident_search(st, "VAN", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	people_residents_free(v, n);
	assert_int_equal(people_resident_search(st, "nguyen van an", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	people_residents_free(v, n);
	assert_int_equal(people_resident_search(st, "văn", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	people_residents_free(v, n);

	assert_int_equal(people_resident_search(st, "Bình", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].display_name, "Trần Thị Bình");
	people_residents_free(v, n);

	/* Words in any order, each folded: "binh tran" and "Thị  Bình" find Trần Thị Bình. */
	assert_int_equal(people_resident_search(st, "binh tran", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].display_name, "Trần Thị Bình");
	people_residents_free(v, n);
	assert_int_equal(people_resident_search(st, " Bình  Thị ", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	people_residents_free(v, n);
	/* Every word must be there: "van binh" is nobody. */
	assert_int_equal(people_resident_search(st, "van binh", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	people_residents_free(v, n);
	assert_int_equal(people_resident_search(st, "an van le", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].display_name, "Lê Văn Anh");
	people_residents_free(v, n);

	assert_int_equal(people_resident_search(st, "", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	people_residents_free(v, n);
	assert_int_equal(people_resident_search(st, "", 2, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	people_residents_free(v, n);
	assert_int_equal(people_resident_search(st, "Xuân", 10, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	people_residents_free(v, n);

	util_clock_offset_ms(-2000);
	store_close(st);
	(void)state;
}

/*
 * Many family names begin with a capital that is not ASCII (Đỗ, Đặng, Đinh,
 * Ánh…); a volunteer types them in lower case.
 */
static void
test_search_vietnamese_capitals(void **state)
{
	struct store *st = test_store("people-search-vi.db");
	struct resident r, *v;
	size_t n;
	char *cause = NULL;

	assert_int_equal(people_resident_add(st, "Đỗ Thị Hường", 0, SEX_FEMALE, NULL, NULL, 1, &r,
	    &cause), 0);
	people_resident_clear(&r);
	assert_int_equal(people_resident_add(st, "Trần Văn Út", 0, SEX_MALE, NULL, NULL, 1, &r,
	    &cause), 0);
	people_resident_clear(&r);

	const char *typed[] = { "Đỗ", "đỗ", "hường", "út", "Út" };
	size_t found[5];
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(people_resident_search(st, typed[i], 10, &v, &n, &cause), 0);
		found[i] = n;
		people_residents_free(v, n);
	}
	store_close(st);
	int bad = 0;
	for (size_t i = 0; i < 5; i++)
		if (found[i] != 1) {
			print_error("searching \"%s\" found %zu, not 1\n", typed[i], found[i]);
			bad++;
		}
	assert_int_equal(bad, 0);
	(void)state;
}

static void
test_purge(void **state)
{
	struct store *st = test_store("people-purge.db");
	struct library lib;
	struct resident old, seen, fresh, got;
	struct journey *j;
	char *cause = NULL;
	int purged, found;

	test_library(&lib);
	assert_int_equal(people_resident_add(st, "Bà Cũ", 1940, SEX_FEMALE, NULL, "0987654321", 1,
	    &old, &cause), 0);
	assert_int_equal(people_resident_add(st, "Ông Quay Lại", 1945, SEX_MALE, NULL, "0977111222",
	    1, &seen, &cause), 0);

	/* 100 days on: one comes back for a session, one is new. */
	util_clock_offset_ms(100 * DAY_MS);
	assert_int_equal(journey_start(st, library_find(&lib, "test-basic"), seen.id, 0, &j,
	    &cause), 0);
	journey_free(j);
	assert_int_equal(people_resident_add(st, "Chị Mới", 1990, SEX_FEMALE, NULL, "0911222333", 1,
	    &fresh, &cause), 0);

	assert_int_equal(people_purge(st, 90, &purged, &cause), 0);
	assert_int_equal(purged, 1);
	assert_int_equal(people_resident_get(st, old.id, &got, &found, &cause), 0);
	assert_int_equal(found, 1);
	assert_string_not_equal(got.display_name, "Bà Cũ");
	assert_null(got.phone);
	people_resident_clear(&got);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE "
	    "display_name = 'Bà Cũ' OR phone = '0987654321'"), 0);
	/* The record stays, so what happened is still counted. */
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE id = '%s'", old.id), 1);

	assert_int_equal(people_resident_get(st, seen.id, &got, &found, &cause), 0);
	assert_string_equal(got.display_name, "Ông Quay Lại");
	assert_string_equal(got.phone, "0977111222");
	people_resident_clear(&got);
	assert_int_equal(people_resident_get(st, fresh.id, &got, &found, &cause), 0);
	assert_string_equal(got.display_name, "Chị Mới");
	assert_string_equal(got.phone, "0911222333");
	people_resident_clear(&got);

	/* Nothing more to purge; a retention of 0 days purges nothing. */
	assert_int_equal(people_purge(st, 90, &purged, &cause), 0);
	assert_int_equal(purged, 0);
	assert_int_equal(people_purge(st, 0, &purged, &cause), 0);
	assert_int_equal(purged, 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE phone IS NOT NULL"), 2);

	util_clock_offset_ms(-100 * DAY_MS);
	people_resident_clear(&old);
	people_resident_clear(&seen);
	people_resident_clear(&fresh);
	library_free(&lib);
	store_close(st);
	(void)state;
}

/*
 * The same name typed precomposed or with combining marks (as some
 * keyboards and input methods send it) is one name: kept in NFC, found
 * either way, and a volunteer's name cannot be taken twice by typing it
 * differently.
 */
#define NGUYEN_NFC	"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Lan"	/* ễ, ị precomposed */
#define NGUYEN_NFD	"Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 Lan"	/* e + ˆ + ˜, i + dot below */

static void
test_nfc(void **state)
{
	struct store *st = test_store("nfc.db");
	struct resident r, *found;
	size_t n;
	char *cause = NULL, *s;
	int64_t id;

	/* The library itself: decomposed in, precomposed out; plain text unchanged. */
	s = nfc_dup(NGUYEN_NFD);
	assert_string_equal(s, NGUYEN_NFC);
	free(s);
	s = nfc_dup("Lan");
	assert_string_equal(s, "Lan");
	free(s);
	assert_null(nfc_dup(NULL));

	/* Typed with combining marks: stored precomposed. */
	assert_int_equal(people_resident_add(st, NGUYEN_NFD, 1960, SEX_FEMALE,
	    "Tho\xcc\x82n \xc4\x90o\xcc\x82ng", NULL, 1, &r, &cause), 0);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM residents WHERE display_name = '"
	    NGUYEN_NFC "' AND hamlet = 'Th\xc3\xb4n \xc4\x90\xc3\xb4ng'"), 1);
	people_resident_clear(&r);

	/* Found by the precomposed name, and by the decomposed one. */
	assert_int_equal(people_resident_search(st, "Nguy\xe1\xbb\x85n", 10, &found, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(found[0].display_name, NGUYEN_NFC);
	people_residents_free(found, n);
	assert_int_equal(people_resident_search(st, "nguye\xcc\x82\xcc\x83n thi\xcc\xa3", 10, &found,
	    &n, &cause), 0);
	assert_int_equal(n, 1);
	people_residents_free(found, n);

	/* A row an older version stored decomposed is found by the precomposed name. */
	assert_int_equal(people_resident_add(st, "Ph\xe1\xba\xa1m V\xc4\x83n B\xc3\xacnh", 0, SEX_MALE,
	    NULL, NULL, 1, &r, &cause), 0);
	sqlite3_stmt *u = store_stmt(st, "UPDATE residents SET display_name = ? WHERE id = ?");
	sqlite3_bind_text(u, 1, "Pha\xcc\xa3m Va\xcc\x86n Bi\xcc\x80nh", -1, SQLITE_STATIC);
	sqlite3_bind_text(u, 2, r.id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(u), SQLITE_DONE);
	people_resident_clear(&r);
	assert_int_equal(people_resident_search(st, "Ph\xe1\xba\xa1m V\xc4\x83n", 10, &found, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	people_residents_free(found, n);

	/* One volunteer name, however typed. */
	assert_int_equal(people_volunteer_add(st, NGUYEN_NFC, ROLE_VOLUNTEER, "2468", &id, &cause), 0);
	REFUSED(st, people_volunteer_add(st, NGUYEN_NFD, ROLE_VOLUNTEER, "1357", NULL, CAUSE),
	    "\xc4\x90\xc3\xa3 c\xc3\xb3 t\xc3\xacnh nguy\xe1\xbb\x87n vi\xc3\xaan t\xc3\xaan");
	store_close(st);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_volunteer_add),
		cmocka_unit_test(test_login_lockout),
		cmocka_unit_test(test_code_tries_slowed),
		cmocka_unit_test(test_set_pin_and_disable),
		cmocka_unit_test(test_resident_validation),
		cmocka_unit_test(test_resume_codes),
		cmocka_unit_test(test_resident_event_private),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_vietnamese_capitals),
		cmocka_unit_test(test_purge),
		cmocka_unit_test(test_nfc),
	};
	return cmocka_run_group_tests_name("people", tests, NULL, NULL);
}
