/* SPDX-License-Identifier: Apache-2.0 */
/*
 * people.c: volunteers and residents (tables volunteers, residents).
 *
 * Lockout is counted in the database, not in memory, so neither a restart
 * nor a second kiosk window resets it. Resume codes come from libsodium's
 * random generator and are unique by a UNIQUE index: a collision simply
 * draws again.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>
#include <sqlite3.h>

#include "i18n.h"
#include "event.h"
#include "nfc.h"
#include "people.h"
#include "store.h"

/* Volunteers (with their PIN hashes) and residents: the kiosk's personal data. */
static const char *const people_steps[STORE_SCHEMA_VERSION] = {
	[0] =
	"CREATE TABLE volunteers ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('volunteer', 'supervisor')),"
	"  pin_hash TEXT NOT NULL,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE residents ("
	"  id TEXT PRIMARY KEY,"
	"  display_name TEXT NOT NULL,"
	"  birth_year INTEGER NOT NULL DEFAULT 0,"
	"  sex TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'f', 'm')),"
	"  hamlet TEXT,"
	"  phone TEXT,"
	"  resume_code TEXT NOT NULL UNIQUE,"
	"  consent_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL);",
	/* 2: when a resident was last seen (for the retention purge) */
	[1] =
	"ALTER TABLE residents ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;"
	"UPDATE residents SET last_seen = created_at;",
	/* 3: the residents whose details the purge at every start may still remove, indexed */
	[2] =
	"CREATE INDEX residents_unpurged ON residents(last_seen) "
	"  WHERE display_name <> '—' OR phone IS NOT NULL;",
};
const struct store_schema people_tables = { "people", people_steps };

static const char *const role_ids[] = { "volunteer", "supervisor" };

const char *
role_id(enum role r)
{
	return r <= ROLE_SUPERVISOR ? role_ids[r] : "?";
}

const char *
role_name(enum role r)
{
	return r == ROLE_SUPERVISOR ? _("tổ trưởng") : _("tình nguyện viên");
}

int
role_parse(const char *s)
{
	for (int i = 0; i <= ROLE_SUPERVISOR; i++)
		if (s != NULL && strcmp(s, role_ids[i]) == 0)
			return i;
	return -1;
}

static int
check_pin(const char *pin, char **cause)
{
	size_t n = pin ? strlen(pin) : 0;

	if (n < PEOPLE_PIN_MIN || n > PEOPLE_PIN_MAX || strspn(pin, "0123456789") != n)
		return fail(cause, _("Mã PIN phải gồm %d đến %d chữ số."), PEOPLE_PIN_MIN, PEOPLE_PIN_MAX);
	return 0;
}

static int
hash_pin(const char *pin, char out[crypto_pwhash_STRBYTES], char **cause)
{
	if (sodium_init() < 0)
		return fail(cause, "libsodium");
	if (crypto_pwhash_str(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return fail(cause, _("Không đủ bộ nhớ để mã hóa mã PIN."));
	return 0;
}

static json_object *
volunteer_event(int64_t id, enum role role, int disabled)
{
	return event_build_volunteer(&(struct event_volunteer){ .volunteer = id,
	    .role = role_ids[role], .disabled = disabled });
}

static int
step_done(struct store *st, sqlite3_stmt *s, char **cause)
{
	if (s == NULL || sqlite3_step(s) != SQLITE_DONE) {
		store_fail(st, cause);
		store_rollback(st);
		return -1;
	}
	return 0;
}

static int
volunteer_add(struct store *st, const char *name, enum role role, const char *pin,
    int64_t *id, char **cause)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *s;

	if (name == NULL || name[strspn(name, " ")] == '\0')
		return fail(cause, _("Hãy nhập tên tình nguyện viên."));
	if (check_pin(pin, cause) != 0 || hash_pin(pin, hash, cause) != 0)
		return -1;
	if (store_begin(st, cause) != 0)
		return -1;
	s = store_stmt(st, "INSERT INTO volunteers (name, role, pin_hash, created_at) "
	    "VALUES (?, ?, ?, ?)");
	if (s == NULL) {
		store_fail(st, cause);
		store_rollback(st);
		return -1;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, role_ids[role], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, util_now_ms());
	if (sqlite3_step(s) != SQLITE_DONE) {
		int unique = sqlite3_extended_errcode(sqlite3_db_handle(s)) == SQLITE_CONSTRAINT_UNIQUE;
		store_fail(st, cause);
		store_rollback(st);
		if (unique) {
			free(*cause);
			return fail(cause, _("Đã có tình nguyện viên tên \"%s\". Hãy chọn tên khác."), name);
		}
		return -1;
	}
	int64_t vid = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	if (store_event(st, event_name(EVENT_VOLUNTEER_ADDED), volunteer_event(vid, role, 0), NULL, cause) != 0 ||
	    store_commit(st, cause) != 0) {
		store_rollback(st);
		return -1;
	}
	if (id != NULL)
		*id = vid;
	return 0;
}

/* The name is kept in NFC, so the same name typed two ways is one name. */
int
people_volunteer_add(struct store *st, const char *name, enum role role, const char *pin,
    int64_t *id, char **cause)
{
	char *n = nfc_dup(name);
	int rc = volunteer_add(st, n, role, pin, id, cause);

	free(n);
	return rc;
}

/* One row of a volunteers query into a struct volunteer (elem: store_rows' shape). */
static void
read_volunteer(sqlite3_stmt *s, void *elem)
{
	struct volunteer *v = elem;

	v->id = sqlite3_column_int64(s, 0);
	v->name = xstrdup((const char *)sqlite3_column_text(s, 1));
	v->role = role_parse((const char *)sqlite3_column_text(s, 2)) == ROLE_SUPERVISOR ?
	    ROLE_SUPERVISOR : ROLE_VOLUNTEER;
	v->disabled = sqlite3_column_int(s, 3);
	v->failed = sqlite3_column_int(s, 4);
	v->locked_until = sqlite3_column_int64(s, 5);
}

static void
volunteer_clear(void *elem)
{
	free(((struct volunteer *)elem)->name);
}

int
people_volunteer_list(struct store *st, struct volunteer **out, size_t *n, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, name, role, disabled, failed, locked_until "
	    "FROM volunteers ORDER BY name COLLATE NOCASE");
	void *v;
	int rc = store_rows(st, s, sizeof **out, read_volunteer, volunteer_clear, &v, n, cause);

	*out = v;
	return rc;
}

void
people_volunteers_free(struct volunteer *v, size_t n)
{
	store_rows_free(v, n, sizeof *v, volunteer_clear);
}

static int
get_volunteer(struct store *st, int64_t id, struct volunteer *v, char **pin_hash, int *found,
    char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, name, role, disabled, failed, locked_until, "
	    "pin_hash FROM volunteers WHERE id = ?");
	int rc;

	*found = 0;
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_volunteer(s, v);
		if (pin_hash != NULL)
			*pin_hash = xstrdup((const char *)sqlite3_column_text(s, 6));
		*found = 1;
	} else if (rc != SQLITE_DONE)
		return store_fail(st, cause);
	sqlite3_reset(s);
	return 0;
}

/* Volunteer id, or -1 with *cause saying there is none by that number. Free v->name. */
static int
existing_volunteer(struct store *st, int64_t id, struct volunteer *v, char **cause)
{
	int found;

	if (get_volunteer(st, id, v, NULL, &found, cause) != 0)
		return -1;
	if (!found)
		return fail(cause, _("Không có tình nguyện viên số %lld."),
		    (long long)id);
	return 0;
}

/*
 * The end of a change to volunteer id inside the transaction: steps s (its
 * UPDATE), records volunteer.changed with the role and disabled it now has,
 * and commits, or undoes it all. Frees v->name either way.
 */
static int
volunteer_changed(struct store *st, sqlite3_stmt *s, int64_t id, struct volunteer *v,
    int disabled, char **cause)
{
	int rc = 0;

	if (step_done(st, s, cause) != 0 ||
	    store_event(st, event_name(EVENT_VOLUNTEER_CHANGED), volunteer_event(id, v->role, disabled), NULL,
	    cause) != 0 || store_commit(st, cause) != 0) {
		store_rollback(st);
		rc = -1;
	}
	free(v->name);
	return rc;
}

int
people_volunteer_disable(struct store *st, int64_t id, int disabled, char **cause)
{
	struct volunteer v;

	if (existing_volunteer(st, id, &v, cause) != 0)
		return -1;
	if (store_begin(st, cause) != 0) {
		free(v.name);
		return -1;
	}
	sqlite3_stmt *s = store_stmt(st, "UPDATE volunteers SET disabled = ? WHERE id = ?");
	if (s != NULL) {
		sqlite3_bind_int(s, 1, disabled != 0);
		sqlite3_bind_int64(s, 2, id);
	}
	return volunteer_changed(st, s, id, &v, disabled != 0, cause);
}

int
people_volunteer_set_pin(struct store *st, int64_t id, const char *pin, char **cause)
{
	char hash[crypto_pwhash_STRBYTES];
	struct volunteer v;

	if (check_pin(pin, cause) != 0 || existing_volunteer(st, id, &v, cause) != 0)
		return -1;
	if (hash_pin(pin, hash, cause) != 0 || store_begin(st, cause) != 0) {
		free(v.name);
		return -1;
	}
	/* A new PIN also lifts a lockout: the supervisor has checked who it is. */
	sqlite3_stmt *s = store_stmt(st, "UPDATE volunteers SET pin_hash = ?, failed = 0, "
	    "locked_until = 0 WHERE id = ?");
	if (s != NULL) {
		sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
	}
	return volunteer_changed(st, s, id, &v, v.disabled, cause);
}

int
people_login(struct store *st, int64_t id, const char *pin, enum login *result, int *tries_left,
    int64_t *until, struct volunteer *who, char **cause)
{
	struct volunteer v;
	char *hash = NULL;
	int found;
	int64_t now = util_now_ms();

	*result = LOGIN_UNKNOWN;
	if (tries_left != NULL)
		*tries_left = 0;
	if (until != NULL)
		*until = 0;
	if (get_volunteer(st, id, &v, &hash, &found, cause) != 0)
		return -1;
	if (!found)
		return 0;
	if (v.disabled) {
		*result = LOGIN_DISABLED;
		goto out;
	}
	if (v.locked_until > now) {
		*result = LOGIN_LOCKED;
		if (until != NULL)
			*until = v.locked_until;
		goto out;
	}
	int ok = pin != NULL && sodium_init() >= 0 &&
	    crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
	/* A lock that has run out starts a fresh count. */
	int failed = ok ? 0 : (v.locked_until != 0 ? 1 : v.failed + 1);
	int64_t lock = 0;
	if (!ok && failed >= PEOPLE_MAX_TRIES)
		lock = now + PEOPLE_LOCK_MS;
	sqlite3_stmt *s = store_stmt(st, "UPDATE volunteers SET failed = ?, locked_until = ? "
	    "WHERE id = ?");
	if (s == NULL) {
		store_fail(st, cause);
		goto fail;
	}
	sqlite3_bind_int(s, 1, failed);
	sqlite3_bind_int64(s, 2, lock);
	sqlite3_bind_int64(s, 3, id);
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_fail(st, cause);
		goto fail;
	}
	if (ok) {
		*result = LOGIN_OK;
		v.failed = 0;
		v.locked_until = 0;
	} else if (lock != 0) {
		*result = LOGIN_LOCKED;
		if (until != NULL)
			*until = lock;
	} else {
		*result = LOGIN_WRONG;
		if (tries_left != NULL)
			*tries_left = PEOPLE_MAX_TRIES - failed;
	}
out:
	free(hash);
	if (*result == LOGIN_OK && who != NULL)
		*who = v;
	else
		free(v.name);
	return 0;
fail:
	free(hash);
	free(v.name);
	return -1;
}

int
people_code_normalise(const char *in, char out[RESUME_CODE_LEN + 1])
{
	size_t n = 0;

	for (; *in != '\0'; in++) {
		char ch = (char)toupper((unsigned char)*in);
		if (ch == ' ' || ch == '-')
			continue;
		/* Codes given before B, 8, S and 5 were left out still read. */
		if (n == RESUME_CODE_LEN || strchr(RESUME_ALPHABET_READ, ch) == NULL || ch == '\0')
			return 0;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == RESUME_CODE_LEN;
}

static void
new_code(char out[RESUME_CODE_LEN + 1])
{
	size_t k = strlen(RESUME_ALPHABET);

	for (int i = 0; i < RESUME_CODE_LEN; i++)
		out[i] = RESUME_ALPHABET[randombytes_uniform((uint32_t)k)];
	out[RESUME_CODE_LEN] = '\0';
}

/*
 * Wrong codes typed at the kiosk, counted in the database (like the PIN
 * lockout) so a restart does not reset them: the count of wrong codes in a
 * row, and until when the next code is not even looked at.
 */
#define META_CODE_FAILED	"resume_code_failed"
#define META_CODE_WAIT		"resume_code_wait_until"

int
people_code_try(struct store *st, const char *code, struct resident *r, enum code_try *result,
    int64_t *until, char **cause)
{
	int64_t now = util_now_ms(), failed, wait, ms;
	int found = 0;

	*result = CODE_UNKNOWN;
	*until = 0;
	failed = wait = 0;
	if (store_meta_get_int(st, META_CODE_FAILED, &failed, cause) < 0 ||
	    store_meta_get_int(st, META_CODE_WAIT, &wait, cause) < 0)
		return -1;
	if (wait > now) {
		*result = CODE_WAIT;
		*until = wait;
		return 0;
	}
	/* Quiet for long after the last wait: whoever guessed has gone; start afresh. */
	if (wait != 0 && now - wait > PEOPLE_CODE_FORGET_MS)
		failed = 0;
	if (people_resident_by_code(st, code, r, &found, cause) != 0)
		return -1;
	if (found) {
		*result = CODE_FOUND;
		if (failed == 0 && wait == 0)
			return 0;
		if (store_meta_set_int(st, META_CODE_FAILED, 0, cause) != 0 ||
		    store_meta_set_int(st, META_CODE_WAIT, 0, cause) != 0) {
			people_resident_clear(r);
			return -1;
		}
		return 0;
	}
	failed++;
	wait = 0;
	if (failed >= PEOPLE_CODE_FREE_TRIES) {
		/* Doubles with each wrong code past the free ones, up to a ceiling. */
		ms = PEOPLE_CODE_WAIT_MS;
		for (int64_t i = PEOPLE_CODE_FREE_TRIES; i < failed && ms < PEOPLE_CODE_WAIT_MAX_MS; i++)
			ms *= 2;
		wait = now + (ms < PEOPLE_CODE_WAIT_MAX_MS ? ms : PEOPLE_CODE_WAIT_MAX_MS);
	}
	if (store_meta_set_int(st, META_CODE_FAILED, failed, cause) != 0 ||
	    store_meta_set_int(st, META_CODE_WAIT, wait, cause) != 0)
		return -1;
	*until = wait;
	return 0;
}

static int
resident_add(struct store *st, const char *name, int birth_year, enum sex sex,
    const char *hamlet, const char *phone, int consent, struct resident *out, char **cause)
{
	sqlite3_stmt *s;
	json_object *ev;
	char sexs[2] = { 0 };
	int64_t now = util_now_ms();

	if (!consent)
		return fail(cause, _("Cần người dân đồng ý cho lưu thông tin trước khi ghi lại."));
	if (name == NULL || name[strspn(name, " ")] == '\0')
		return fail(cause, _("Hãy nhập tên để gọi người dân."));
	if (birth_year != 0 && (birth_year < 1900 || birth_year > 2100))
		return fail(cause, _("Năm sinh %d không hợp lệ."),
		    birth_year);
	if (phone != NULL && *phone != '\0' && (strlen(phone) < 8 || strlen(phone) > 15 ||
	    strspn(phone, "+0123456789 ") != strlen(phone)))
		return fail(cause, _("Số điện thoại \"%s\" không hợp lệ."),
		    phone);
	if (sex == SEX_FEMALE || sex == SEX_MALE)
		sexs[0] = (char)sex;

	memset(out, 0, sizeof *out);
	util_uuid7(out->id);
	if (store_begin(st, cause) != 0)
		return -1;
	for (int tries = 0;; tries++) {
		new_code(out->code);
		s = store_stmt(st, "INSERT INTO residents (id, display_name, birth_year, sex, hamlet, "
		    "phone, resume_code, consent_at, created_at, last_seen) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		if (s == NULL)
			goto fail;
		sqlite3_bind_text(s, 1, out->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, birth_year);
		sqlite3_bind_text(s, 4, sexs, -1, SQLITE_STATIC);
		if (hamlet != NULL && *hamlet != '\0')
			sqlite3_bind_text(s, 5, hamlet, -1, SQLITE_STATIC);
		if (phone != NULL && *phone != '\0')
			sqlite3_bind_text(s, 6, phone, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, out->code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 8, now);
		sqlite3_bind_int64(s, 9, now);
		sqlite3_bind_int64(s, 10, now);
		if (sqlite3_step(s) == SQLITE_DONE)
			break;
		/* 27^6 codes: a clash is rare; draw again, a few times at most. */
		if (sqlite3_extended_errcode(sqlite3_db_handle(s)) != SQLITE_CONSTRAINT_UNIQUE ||
		    tries == 20)
			goto fail;
	}
	ev = event_build_resident(&(struct event_resident){ .resident = out->id,
	    .birth_year = birth_year, .sex = sexs, .hamlet = hamlet });
	if (store_event(st, event_name(EVENT_RESIDENT_ADDED), ev, NULL, cause) != 0 || store_commit(st, cause) != 0) {
		store_rollback(st);
		return -1;
	}
	out->display_name = xstrdup(name);
	out->birth_year = birth_year;
	out->sex = sexs[0] ? (enum sex)sexs[0] : SEX_UNSAID;
	out->hamlet = hamlet && *hamlet ? xstrdup(hamlet) : NULL;
	out->phone = phone && *phone ? xstrdup(phone) : NULL;
	out->consent_at = out->created_at = now;
	return 0;
fail:
	store_fail(st, cause);
	store_rollback(st);
	return -1;
}

#define RESIDENT_COLS "id, display_name, birth_year, sex, hamlet, phone, resume_code, " \
	"consent_at, created_at"

/* One row of RESIDENT_COLS into a struct resident (elem: store_rows' shape). */
static void
read_resident(sqlite3_stmt *s, void *elem)
{
	struct resident *r = elem;
	const char *sex;

	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", sqlite3_column_text(s, 0));
	r->display_name = xstrdup((const char *)sqlite3_column_text(s, 1));
	r->birth_year = sqlite3_column_int(s, 2);
	sex = (const char *)sqlite3_column_text(s, 3);
	r->sex = sex && (*sex == 'f' || *sex == 'm') ? (enum sex)*sex : SEX_UNSAID;
	if (sqlite3_column_type(s, 4) != SQLITE_NULL)
		r->hamlet = xstrdup((const char *)sqlite3_column_text(s, 4));
	if (sqlite3_column_type(s, 5) != SQLITE_NULL)
		r->phone = xstrdup((const char *)sqlite3_column_text(s, 5));
	snprintf(r->code, sizeof r->code, "%s", sqlite3_column_text(s, 6));
	r->consent_at = sqlite3_column_int64(s, 7);
	r->created_at = sqlite3_column_int64(s, 8);
}

static int
one_resident(struct store *st, sqlite3_stmt *s, struct resident *r, int *found, char **cause)
{
	int rc = sqlite3_step(s);

	*found = 0;
	if (rc == SQLITE_ROW) {
		read_resident(s, r);
		*found = 1;
		sqlite3_reset(s);
	} else if (rc != SQLITE_DONE)
		return store_fail(st, cause);
	return 0;
}

/* Name and hamlet are kept in NFC: found however they are typed later. */
int
people_resident_add(struct store *st, const char *name, int birth_year, enum sex sex,
    const char *hamlet, const char *phone, int consent, struct resident *out, char **cause)
{
	char *n = nfc_dup(name), *h = nfc_dup(hamlet);
	int rc = resident_add(st, n, birth_year, sex, h, phone, consent, out, cause);

	free(n);
	free(h);
	return rc;
}

int
people_resident_by_code(struct store *st, const char *code, struct resident *r, int *found,
    char **cause)
{
	char norm[RESUME_CODE_LEN + 1];

	*found = 0;
	if (!people_code_normalise(code, norm))
		return 0;
	sqlite3_stmt *s = store_stmt(st, "SELECT " RESIDENT_COLS " FROM residents WHERE resume_code = ?");
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	return one_resident(st, s, r, found, cause);
}

int
people_resident_get(struct store *st, const char *id, struct resident *r, int *found, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " RESIDENT_COLS " FROM residents WHERE id = ?");

	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	return one_resident(st, s, r, found, cause);
}

static void
resident_clear(void *elem)
{
	people_resident_clear(elem);
}

/* Words of a search beyond this many are searched for as one phrase in the last. */
#define SEARCH_WORDS	6

int
people_resident_search(struct store *st, const char *part, int limit, struct resident **out,
    size_t *n, char **cause)
{
	/*
	 * Folded on both sides: "do" finds "Đỗ", whatever the keyboard could
	 * type. Each word on its own, so "Đức Ba" finds "Bà Ba Đức": an unused
	 * word is "", which every name contains.
	 */
	sqlite3_stmt *s = store_stmt(st, "SELECT " RESIDENT_COLS " FROM residents "
	    "WHERE instr(fold(display_name), fold(?1)) > 0 AND instr(fold(display_name), fold(?2)) > 0 "
	    "AND instr(fold(display_name), fold(?3)) > 0 AND instr(fold(display_name), fold(?4)) > 0 "
	    "AND instr(fold(display_name), fold(?5)) > 0 AND instr(fold(display_name), fold(?6)) > 0 "
	    "ORDER BY last_seen DESC LIMIT ?7");
	void *v;
	size_t k;
	const char *p = part ? part : "";
	int rc, w;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return store_fail(st, cause);
	/* fold() makes both sides NFC first (store.c), so a decomposed "ễ" folds to "e". */
	for (w = 1; w <= SEARCH_WORDS; w++) {
		p += strspn(p, " \t");
		k = w == SEARCH_WORDS ? strlen(p) : strcspn(p, " \t");
		sqlite3_bind_text(s, w, p, (int)k, SQLITE_TRANSIENT);
		p += k;
	}
	sqlite3_bind_int(s, SEARCH_WORDS + 1, limit > 0 ? limit : 100);
	rc = store_rows(st, s, sizeof **out, read_resident, resident_clear, &v, n, cause);
	*out = v;
	return rc;
}

void
people_resident_clear(struct resident *r)
{
	free(r->display_name);
	free(r->hamlet);
	free(r->phone);
	r->display_name = r->hamlet = r->phone = NULL;
}

void
people_residents_free(struct resident *v, size_t n)
{
	store_rows_free(v, n, sizeof *v, resident_clear);
}

int
people_resident_touch(struct store *st, const char *id, char **cause)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE residents SET last_seen = ? WHERE id = ?");

	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_int64(s, 1, util_now_ms());
	sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_fail(st, cause);
	return 0;
}

int
people_purge(struct store *st, int days, int *purged, char **cause)
{
	sqlite3_stmt *s;

	*purged = 0;
	if (days <= 0)
		return 0;
	/* The record stays (sessions refer to it, reports count it); the person's details go. */
	s = store_stmt(st, "UPDATE residents SET display_name = '—', phone = NULL "
	    "WHERE last_seen < ? AND (display_name <> '—' OR phone IS NOT NULL)");
	if (s == NULL)
		return store_fail(st, cause);
	sqlite3_bind_int64(s, 1, util_now_ms() - (int64_t)days * 86400000);
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_fail(st, cause);
	*purged = sqlite3_changes(sqlite3_db_handle(s));
	return 0;
}
