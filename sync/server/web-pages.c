/* SPDX-License-Identifier: Apache-2.0 */
/*
 * web-pages.c: the dashboard's reports — the overview, by commune and
 * hamlet, by checklist, and the steps most often blocked — each over the
 * page's date range and the officer's scope (web-route.c checks it), with
 * a chart, a table and the same table as CSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "web.h"

/* The five basic digital skills (assets/checklists/FORMAT.md). */
static const struct {
	const char	*key;
	const char	*vi;
	const char	*en;
} skills[] = {
	{ "public_services", "Dịch vụ công trực tuyến", "Online public services" },
	{ "shopping", "Mua bán trực tuyến", "Online shopping and selling" },
	{ "payment", "Thanh toán trực tuyến", "Online payment" },
	{ "safety", "An toàn trên mạng", "Staying safe online" },
	{ "local_platforms", "Nền tảng số địa phương", "Local digital platforms" },
};
#define NSKILLS (sizeof skills / sizeof skills[0])

const char *
web_pages_skill(struct web *w, const char *category)
{
	size_t i;

	for (i = 0; i < NSKILLS; i++)
		if (strcmp(skills[i].key, category) == 0)
			return w->en ? skills[i].en : skills[i].vi;
	return *category != '\0' ? category : W(w, "(không rõ)", "(unknown)");
}

/* The figures could not be read: the log says why (cause, freed here), the officer what to do. */
static void
unread(struct web *w, char *cause)
{
	web_html_failed(w, "dashboard report", cause, W(w, "Không đọc được số liệu từ cơ sở "
	    "dữ liệu; hãy thử lại, và xem nhật ký máy chủ nếu vẫn lỗi.", "The figures could "
	    "not be read from the database; try again, and see the server's log if it "
	    "persists."));
}

static int
report(struct web *w, enum server_report_by by, int64_t from, int64_t to,
    struct server_report *r)
{
	char *cause = NULL;

	if (server_store_report_scoped(w->ctx->store, by, from, to, &w->scope, r,
	    &cause) != 0) {
		unread(w, cause);
		return -1;
	}
	return 0;
}

struct totals {
	int64_t people, started, finished, completed, blocked;
};

static struct totals
sum(const struct server_report *r)
{
	struct totals	t = { 0 };
	size_t		i;

	for (i = 0; i < r->n; i++) {
		t.people += r->rows[i].people;
		t.started += r->rows[i].started;
		t.finished += r->rows[i].finished;
		t.completed += r->rows[i].completed;
		t.blocked += r->rows[i].blocked;
	}
	return t;
}

static void
rate(struct web_buf *b, int64_t completed, int64_t started)
{
	if (started == 0)
		web_buf_put(b, "—");
	else
		web_buf_printf(b, "%lld %%", (long long)((completed * 100 + started / 2) /
		    started));
}

static void
card(struct web *w, struct web_buf *b, int64_t v, const char *what, const char *id)
{
	web_buf_printf(b, "<div class=\"card\" id=\"%s\"><b>", id);
	web_html_num(w, b, v);
	web_buf_put(b, "</b><span>");
	web_html_esc(b, what);
	web_buf_put(b, "</span></div>");
}

/* Local midnight of the day t falls in, moved back by days. */
static int64_t
midnight(time_t t, int back_days, int to_monday, int to_month, int to_year)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (to_monday)
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
	if (to_month || to_year)
		tm.tm_mday = 1;
	if (to_year)
		tm.tm_mon = 0;
	tm.tm_mday -= back_days;
	return (int64_t)mktime(&tm) * 1000;
}

/* The column headings of a report's figures. */
static void
num_heads(struct web *w, struct web_buf *b)
{
	web_buf_printf(b, "<th class=\"n\">%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th>",
	    W(w, "Người được giúp", "People helped"),
	    W(w, "Lượt bắt đầu", "Sessions started"),
	    W(w, "Lượt kết thúc", "Sessions finished"),
	    W(w, "Lượt hoàn thành", "Sessions completed"),
	    W(w, "Tỉ lệ hoàn thành", "Completion rate"),
	    W(w, "Bước bị vướng", "Steps blocked"));
}

static void
num_cells(struct web *w, struct web_buf *b, const struct server_report_row *r)
{
	int64_t v[] = { r->people, r->started, r->finished, r->completed };
	size_t	i;

	for (i = 0; i < 4; i++) {
		web_buf_put(b, "<td class=\"n\">");
		web_html_num(w, b, v[i]);
		web_buf_put(b, "</td>");
	}
	web_buf_put(b, "<td class=\"n\">");
	rate(b, r->completed, r->started);
	web_buf_put(b, "</td><td class=\"n\">");
	web_html_num(w, b, r->blocked);
	web_buf_put(b, "</td>");
}

/* A table without rows says so, in words: not a blank that reads as broken. */
static void
empty_row(struct web *w, struct web_buf *b, int columns)
{
	web_buf_printf(b, "<tr><td colspan=\"%d\" class=\"empty\">%s</td></tr>", columns,
	    W(w, "Chưa có số liệu nào trong khoảng ngày này.",
	    "No figures in this range of days yet."));
}

/* Where a table's first column comes from, before the row's own name. */
enum place_col {
	PLACE_NONE,
	PLACE_PROVINCE,
	PLACE_COMMUNE,
};

/*
 * A report's table with the given id: the place column (its heading
 * place_head) unless place is PLACE_NONE, the row's key (key_head), then
 * the figures.
 */
static void
figure_table(struct web *w, struct web_buf *b, const char *id, enum place_col place,
    const char *place_head, const char *key_head, const struct server_report_row *rows,
    size_t n)
{
	size_t i;

	web_buf_printf(b, "<div class=\"table\"><table id=\"%s\"><thead><tr>", id);
	if (place != PLACE_NONE)
		web_buf_printf(b, "<th>%s</th>", place_head);
	web_buf_printf(b, "<th>%s</th>", key_head);
	num_heads(w, b);
	web_buf_put(b, "</tr></thead><tbody>");
	if (n == 0)
		empty_row(w, b, place != PLACE_NONE ? 8 : 7);
	for (i = 0; i < n; i++) {
		web_buf_put(b, "<tr>");
		if (place != PLACE_NONE) {
			web_buf_put(b, "<td>");
			web_html_esc(b, place == PLACE_PROVINCE ? rows[i].province :
			    rows[i].commune);
			web_buf_put(b, "</td>");
		}
		web_buf_put(b, "<td>");
		web_html_esc(b, rows[i].key);
		web_buf_put(b, "</td>");
		num_cells(w, b, &rows[i]);
		web_buf_put(b, "</tr>");
	}
	web_buf_put(b, "</tbody></table></div>");
}

/*
 * A chart's bars, one a row of r: the people helped alone (people), or the
 * sessions started with those completed inside. The caller frees them.
 */
static struct web_bar *
figure_bars(const struct server_report *r, int people)
{
	struct web_bar	*bars = xcalloc(r->n + 1, sizeof *bars);
	size_t		 i;

	for (i = 0; i < r->n; i++) {
		bars[i].label = r->rows[i].key;
		bars[i].a = people ? r->rows[i].people : r->rows[i].started;
		bars[i].b = people ? -1 : r->rows[i].completed;
	}
	return bars;
}

static void
csv_heads(struct web *w, struct web_buf *b)
{
	web_csv_cell(b, W(w, "Người được giúp", "People helped"));
	web_csv_cell(b, W(w, "Lượt bắt đầu", "Sessions started"));
	web_csv_cell(b, W(w, "Lượt kết thúc", "Sessions finished"));
	web_csv_cell(b, W(w, "Lượt hoàn thành", "Sessions completed"));
	web_csv_cell(b, W(w, "Bước bị vướng", "Steps blocked"));
	web_csv_row_end(b);
}

static void
csv_nums(struct web_buf *b, const struct server_report_row *r)
{
	web_csv_int(b, r->people);
	web_csv_int(b, r->started);
	web_csv_int(b, r->finished);
	web_csv_int(b, r->completed);
	web_csv_int(b, r->blocked);
	web_csv_row_end(b);
}

static void
downloads(struct web *w, struct web_buf *b, const char *path, const char *what)
{
	web_buf_put(b, "<p class=\"downloads\"><a class=\"csv\" href=\"");
	web_html_link(w, b, path, NULL);
	web_buf_put(b, "\" download>");
	web_html_esc(b, W(w, "Tải về CSV: ", "Download CSV: "));
	web_html_esc(b, what);
	web_buf_put(b, "</a></p>");
}

/* How long a bar of the time chart is. */
enum bucket {
	BUCKET_DAY,
	BUCKET_WEEK,
	BUCKET_MONTH,
};

/*
 * The bar of a day: its own, its week's (from its Monday) or its month's
 * ("YYYY-MM": the year is drawn, as a long range spans several).
 */
static void
bucket_label(int64_t day, enum bucket bucket, char out[11])
{
	time_t		t = (time_t)(day / 1000);
	struct tm	tm;

	localtime_r(&t, &tm);
	if (bucket == BUCKET_WEEK) {
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		mktime(&tm);
	}
	strftime(out, 11, bucket == BUCKET_MONTH ? "%Y-%m" : "%Y-%m-%d", &tm);
}

/*
 * Every day of the range as a bar, the days without a session too, so the
 * axis is time; every week when the range is over two months, every month
 * when it is over a year (a week's bar would be a hair, its date yearless).
 */
static void
time_chart(struct web *w, struct web_buf *b, const struct server_report *r)
{
	struct web_bar	*bars;
	char		(*labels)[11];
	size_t		 n = 0, cap, i;
	int64_t		 span = w->to - w->from, day;
	enum bucket	 bucket = span > 366 * WEB_DAY_MS ? BUCKET_MONTH :
			    span > 62 * WEB_DAY_MS ? BUCKET_WEEK : BUCKET_DAY;

	cap = (size_t)(span / WEB_DAY_MS) + 2;
	bars = xcalloc(cap, sizeof *bars);
	labels = xcalloc(cap, sizeof *labels);
	/* Noon of each day: a day is never off by an hour's change. */
	for (day = w->from + WEB_DAY_MS / 2; day < w->to && n < cap; day += WEB_DAY_MS) {
		char key[11];

		bucket_label(day, bucket, key);
		if (n == 0 || strcmp(labels[n - 1], key) != 0) {
			memcpy(labels[n], key, sizeof key);
			bars[n].label = labels[n];
			n++;
		}
	}
	for (i = 0; i < r->n; i++) {
		char	key[11];
		int64_t	d = util_parse_date(r->rows[i].key);
		size_t	j;

		if (d < 0)
			continue;
		bucket_label(d + WEB_DAY_MS / 2, bucket, key);
		for (j = 0; j < n; j++)
			if (strcmp(labels[j], key) == 0) {
				bars[j].a += r->rows[i].started;
				bars[j].b += r->rows[i].completed;
				break;
			}
	}
	web_svg_bars(b, bucket == BUCKET_MONTH ? W(w, "Lượt bắt đầu và hoàn thành theo "
	    "tháng", "Sessions started and completed by month") : bucket == BUCKET_WEEK ?
	    W(w, "Lượt bắt đầu và hoàn thành theo tuần", "Sessions started and completed "
	    "by week") : W(w, "Lượt bắt đầu và hoàn thành theo ngày", "Sessions started "
	    "and completed by day"), W(w, "bắt đầu", "started"),
	    W(w, "hoàn thành", "completed"), bars, n, 1);
	free(labels);
	free(bars);
}

void
web_pages_overview(struct web *w)
{
	struct web_buf		 b = { 0 };
	struct server_report	 communes, cats, days;
	struct totals		 t;
	struct server_report_row skill_rows[NSKILLS];
	struct web_bar		*bars;
	int64_t			 since[3], people[3];
	time_t			 now = time(NULL);
	char			*cause = NULL;
	size_t			 i, j;

	since[0] = midnight(now, 0, 1, 0, 0);
	since[1] = midnight(now, 0, 0, 1, 0);
	since[2] = midnight(now, 0, 0, 0, 1);
	if (server_store_people_since(w->ctx->store, &w->scope, since, people,
	    &cause) != 0) {
		unread(w, cause);
		return;
	}
	if (report(w, SERVER_BY_COMMUNE, w->from, w->to, &communes) != 0)
		return;
	if (report(w, SERVER_BY_CATEGORY, w->from, w->to, &cats) != 0) {
		server_report_free(&communes);
		return;
	}
	if (report(w, SERVER_BY_DAY, w->from, w->to, &days) != 0) {
		server_report_free(&communes);
		server_report_free(&cats);
		return;
	}
	web_html_begin(w, &b, W(w, "Tổng quan", "Overview"), "/overview");
	web_buf_printf(&b, "<h2>%s</h2><div class=\"cards\">",
	    W(w, "Số người được giúp", "People helped"));
	card(w, &b, people[0], W(w, "tuần này", "this week"), "people-week");
	card(w, &b, people[1], W(w, "tháng này", "this month"), "people-month");
	card(w, &b, people[2], W(w, "năm nay", "this year"), "people-year");
	web_buf_put(&b, "</div>");
	web_html_range(w, &b, "/overview");
	t = sum(&communes);
	web_buf_put(&b, "<div class=\"cards\">");
	card(w, &b, t.people, W(w, "người được giúp trong khoảng này",
	    "people helped in this range"), "people-range");
	card(w, &b, t.started, W(w, "lượt bắt đầu", "sessions started"), "started");
	card(w, &b, t.completed, W(w, "lượt hoàn thành", "sessions completed"),
	    "completed");
	web_buf_put(&b, "<div class=\"card\" id=\"rate\"><b>");
	rate(&b, t.completed, t.started);
	web_buf_printf(&b, "</b><span>%s</span></div></div>",
	    W(w, "tỉ lệ hoàn thành", "completion rate"));

	time_chart(w, &b, &days);

	/* The five skills always, in their order, then anything else. */
	bars = xcalloc(NSKILLS + cats.n + 1, sizeof *bars);
	for (i = 0; i < NSKILLS; i++) {
		bars[i].label = w->en ? skills[i].en : skills[i].vi;
		for (j = 0; j < cats.n; j++)
			if (strcmp(cats.rows[j].key, skills[i].key) == 0) {
				bars[i].a = cats.rows[j].started;
				bars[i].b = cats.rows[j].completed;
			}
	}
	web_svg_bars(&b, W(w, "Theo năm kỹ năng số cơ bản", "By the five basic digital "
	    "skills"), W(w, "bắt đầu", "started"), W(w, "hoàn thành", "completed"),
	    bars, NSKILLS, 0);
	/* Each skill's figures (none when absent), named in the page's language. */
	for (i = 0; i < NSKILLS; i++) {
		memset(&skill_rows[i], 0, sizeof skill_rows[i]);
		for (j = 0; j < cats.n; j++)
			if (strcmp(cats.rows[j].key, skills[i].key) == 0)
				skill_rows[i] = cats.rows[j];
		skill_rows[i].key = (char *)(w->en ? skills[i].en : skills[i].vi);
	}
	figure_table(w, &b, "skills", PLACE_NONE, NULL, W(w, "Kỹ năng", "Skill"), skill_rows,
	    NSKILLS);
	free(bars);

	bars = figure_bars(&communes, 1);
	web_svg_bars(&b, W(w, "Người được giúp theo xã", "People helped by commune"),
	    W(w, "người", "people"), "", bars, communes.n, 0);
	free(bars);
	web_html_end(w, &b);
	web_html_reply(w, &b, 200);
	server_report_free(&communes);
	server_report_free(&cats);
	server_report_free(&days);
}

void
web_pages_communes(struct web *w, int csv_hamlets, int csv)
{
	struct web_buf		 b = { 0 };
	struct server_report	 communes, hamlets;
	struct web_bar		*bars;
	size_t			 i;

	/* A download reads only its own table. */
	memset(&communes, 0, sizeof communes);
	memset(&hamlets, 0, sizeof hamlets);
	if ((!csv || !csv_hamlets) &&
	    report(w, SERVER_BY_COMMUNE, w->from, w->to, &communes) != 0)
		return;
	if ((!csv || csv_hamlets) &&
	    report(w, SERVER_BY_HAMLET, w->from, w->to, &hamlets) != 0) {
		server_report_free(&communes);
		return;
	}
	if (csv) {
		web_csv_begin(&b);
		if (csv_hamlets) {
			web_csv_cell(&b, W(w, "Xã", "Commune"));
			web_csv_cell(&b, W(w, "Thôn", "Hamlet"));
		} else {
			web_csv_cell(&b, W(w, "Tỉnh", "Province"));
			web_csv_cell(&b, W(w, "Xã", "Commune"));
		}
		csv_heads(w, &b);
		for (i = 0; i < (csv_hamlets ? hamlets.n : communes.n); i++) {
			const struct server_report_row *r = csv_hamlets ? &hamlets.rows[i] :
			    &communes.rows[i];

			web_csv_cell(&b, csv_hamlets ? r->commune : r->province);
			web_csv_cell(&b, r->key);
			csv_nums(&b, r);
		}
		web_csv_reply(w, &b, csv_hamlets ? "sotay-hamlets" : "sotay-communes");
		web_route_audit(w, SERVER_AUDIT_DOWNLOAD, csv_hamlets ? "hamlets.csv" :
		    "communes.csv");
		goto out;
	}
	web_html_begin(w, &b, W(w, "Theo xã và thôn", "By commune and hamlet"),
	    "/communes");
	web_html_range(w, &b, "/communes");
	bars = figure_bars(&communes, 0);
	web_svg_bars(&b, W(w, "Lượt bắt đầu và hoàn thành theo xã", "Sessions started "
	    "and completed by commune"), W(w, "bắt đầu", "started"),
	    W(w, "hoàn thành", "completed"), bars, communes.n, 0);
	free(bars);
	web_buf_printf(&b, "<h2>%s</h2>", W(w, "Theo xã", "By commune"));
	figure_table(w, &b, "communes", PLACE_PROVINCE, W(w, "Tỉnh", "Province"),
	    W(w, "Xã", "Commune"), communes.rows, communes.n);
	downloads(w, &b, "/communes.csv", W(w, "theo xã", "by commune"));

	bars = figure_bars(&hamlets, 1);
	web_buf_printf(&b, "<h2>%s</h2>", W(w, "Theo thôn", "By hamlet"));
	web_svg_bars(&b, W(w, "Người được giúp theo thôn", "People helped by hamlet"),
	    W(w, "người", "people"), "", bars, hamlets.n, 0);
	free(bars);
	figure_table(w, &b, "hamlets", PLACE_COMMUNE, W(w, "Xã", "Commune"),
	    W(w, "Thôn", "Hamlet"), hamlets.rows, hamlets.n);
	downloads(w, &b, "/hamlets.csv", W(w, "theo thôn", "by hamlet"));
	web_html_end(w, &b);
	web_html_reply(w, &b, 200);
out:
	server_report_free(&communes);
	server_report_free(&hamlets);
}

void
web_pages_checklists(struct web *w, int csv)
{
	struct web_buf		 b = { 0 };
	struct server_report	 r, named;
	struct web_names	 names;
	struct web_bar		*bars;
	size_t			 i;

	if (report(w, SERVER_BY_CHECKLIST, w->from, w->to, &r) != 0)
		return;
	if (csv) {
		web_csv_begin(&b);
		web_csv_cell(&b, W(w, "Danh mục", "Checklist"));
		csv_heads(w, &b);
		for (i = 0; i < r.n; i++) {
			web_csv_cell(&b, r.rows[i].key);
			csv_nums(&b, &r.rows[i]);
		}
		web_csv_reply(w, &b, "sotay-checklists");
		web_route_audit(w, SERVER_AUDIT_DOWNLOAD, "checklists.csv");
		server_report_free(&r);
		return;
	}
	/* Each checklist by its title in the page's language (the CSV keeps ids). */
	web_names_load(w, &names);
	named = r;
	named.rows = xcalloc(r.n + 1, sizeof *named.rows);
	for (i = 0; i < r.n; i++) {
		named.rows[i] = r.rows[i];
		named.rows[i].key = (char *)web_names_checklist(w, &names, r.rows[i].key);
	}
	web_html_begin(w, &b, W(w, "Theo danh mục", "By checklist"), "/checklists");
	web_html_range(w, &b, "/checklists");
	bars = figure_bars(&named, 0);
	web_svg_bars(&b, W(w, "Lượt bắt đầu và hoàn thành theo danh mục", "Sessions "
	    "started and completed by checklist"), W(w, "bắt đầu", "started"),
	    W(w, "hoàn thành", "completed"), bars, r.n, 0);
	free(bars);
	figure_table(w, &b, "checklists", PLACE_NONE, NULL, W(w, "Danh mục", "Checklist"),
	    named.rows, r.n);
	downloads(w, &b, "/checklists.csv", W(w, "theo danh mục", "by checklist"));
	web_html_end(w, &b);
	web_html_reply(w, &b, 200);
	free(named.rows);
	web_names_free(&names);
	server_report_free(&r);
}

void
web_pages_blocked(struct web *w, int csv)
{
	struct web_buf		 b = { 0 };
	struct server_report	 r;
	struct web_names	 names;
	struct web_bar		*bars;
	char			**labels;
	size_t			 i, n;

	if (report(w, SERVER_BY_REASON, w->from, w->to, &r) != 0)
		return;
	if (csv) {
		web_csv_begin(&b);
		web_csv_cell(&b, W(w, "Danh mục", "Checklist"));
		web_csv_cell(&b, W(w, "Bước", "Step"));
		web_csv_cell(&b, W(w, "Lý do", "Reason"));
		web_csv_cell(&b, W(w, "Số lần", "Times"));
		web_csv_row_end(&b);
		for (i = 0; i < r.n; i++) {
			web_csv_cell(&b, r.rows[i].checklist);
			web_csv_cell(&b, r.rows[i].step);
			web_csv_cell(&b, r.rows[i].reason);
			web_csv_int(&b, r.rows[i].count);
			web_csv_row_end(&b);
		}
		web_csv_reply(w, &b, "sotay-blocked");
		web_route_audit(w, SERVER_AUDIT_DOWNLOAD, "blocked.csv");
		server_report_free(&r);
		return;
	}
	/* Checklists, steps and reasons by their words, not their ids. */
	web_names_load(w, &names);
	web_html_begin(w, &b, W(w, "Bước hay bị vướng và lý do", "Steps most often "
	    "blocked and why"), "/blocked");
	web_html_range(w, &b, "/blocked");
	n = r.n < 15 ? r.n : 15;
	bars = xcalloc(n + 1, sizeof *bars);
	labels = xcalloc(n + 1, sizeof *labels);
	for (i = 0; i < n; i++) {
		labels[i] = xasprintf("%s · %s", web_names_step(w, &names,
		    r.rows[i].checklist, r.rows[i].step), *r.rows[i].reason != '\0' ?
		    web_names_reason(w, &names, r.rows[i].checklist, r.rows[i].reason) : "—");
		bars[i].label = labels[i];
		bars[i].a = r.rows[i].count;
		bars[i].b = -1;
	}
	web_svg_bars(&b, W(w, "15 bước hay vướng nhất", "The 15 steps most often "
	    "blocked"), W(w, "số lần", "times"), "", bars, n, 0);
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(bars);
	web_buf_printf(&b, "<div class=\"table\"><table id=\"blocked\"><thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th></tr></thead><tbody>",
	    W(w, "Danh mục", "Checklist"), W(w, "Bước", "Step"), W(w, "Lý do", "Reason"),
	    W(w, "Số lần", "Times"));
	if (r.n == 0)
		empty_row(w, &b, 4);
	for (i = 0; i < r.n; i++) {
		web_buf_put(&b, "<tr><td>");
		web_html_esc(&b, web_names_checklist(w, &names, r.rows[i].checklist));
		web_buf_put(&b, "</td><td>");
		web_html_esc(&b, web_names_step(w, &names, r.rows[i].checklist,
		    r.rows[i].step));
		web_buf_put(&b, "</td><td>");
		web_html_esc(&b, web_names_reason(w, &names, r.rows[i].checklist,
		    r.rows[i].reason));
		web_buf_put(&b, "</td><td class=\"n\">");
		web_html_num(w, &b, r.rows[i].count);
		web_buf_put(&b, "</td></tr>");
	}
	web_buf_put(&b, "</tbody></table></div>");
	downloads(w, &b, "/blocked.csv", W(w, "bước bị vướng", "blocked steps"));
	web_html_end(w, &b);
	web_html_reply(w, &b, 200);
	web_names_free(&names);
	server_report_free(&r);
}
