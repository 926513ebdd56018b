/* SPDX-License-Identifier: Apache-2.0 */
/*
 * slip.c: see slip.h. The slip is plain UTF-8 text: CUPS's text filter
 * lays it out for whatever printer the kiosk has, receipt or A4.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "content.h"
#include "i18n.h"
#include "journey.h"
#include "slip.h"
#include "tui.h"
#include "util.h"

static struct child probe = { .fd = -1 };	/* lpstat */
static struct child job = { .fd = -1 };		/* lp */
static char *printer;		/* where slips go; owned */
static char *job_printer;	/* where the job being sent goes; owned */
static int64_t probe_ms, job_ms;	/* when each started (util_now_ms) */

/* One line of the slip. */
static void __attribute__((format(printf, 2, 3)))
slip_line(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

/* A blocked step's reason in words: the checklist's suggestion, else as typed. */
static const char *
slip_reason(const struct checklist *c, const char *r)
{
	const struct block_reason *br = checklist_reason(c, r);

	return br != NULL ? text_get(&br->text, i18n_lang()) : r;
}

/* The steps with mark m, one a line; 0 if there was none. */
static int
slip_steps(FILE *f, const struct journey *j, enum mark m, const char *box)
{
	const struct checklist *c = j->checklist;
	size_t i;
	int n = 0;

	for (i = 0; i < c->nsteps; i++) {
		if (j->marks[i] != m)
			continue;
		fprintf(f, "  %s %zu. %s", box, i + 1, text_get(&c->steps[i].title, i18n_lang()));
		if (m == MARK_BLOCKED && j->reasons != NULL && j->reasons[i] != NULL)
			fprintf(f, _(" — vướng vì: %s"), slip_reason(c, j->reasons[i]));
		fputc('\n', f);
		n++;
	}
	return n;
}

char *
slip_text(const struct journey *j, const char *code, const struct config *cfg, int64_t now_ms)
{
	const struct checklist *c = j->checklist;
	struct journey_counts n;
	char when[17], *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return xstrdup("");
	journey_count(j, &n);
	util_format_time(now_ms, when);
	fprintf(f, "%s\n", _("SỔ TAY SỐ — PHIẾU MANG VỀ"));
	fprintf(f, "%s", cfg->kiosk_name != NULL ? cfg->kiosk_name : "");
	if (cfg->commune != NULL)
		fprintf(f, ", %s", cfg->commune);
	if (cfg->province != NULL)
		fprintf(f, ", %s", cfg->province);
	fprintf(f, "\n%s\n\n", when);
	slip_line(f, _("Việc: %s"), text_get(&c->title, i18n_lang()));
	if (n.todo + n.blocked > 0) {
		if (code != NULL && *code != '\0') {
			slip_line(f, _("Mã tiếp tục: %s"), code);
			fprintf(f, "%s\n", _("Lần sau chọn “Người dân tự làm” → “Tiếp tục bằng mã” và gõ mã này để làm tiếp."));
		} else
			fprintf(f, "%s\n", _("Không có mã tiếp tục vì bạn chọn không lưu thông tin. Lần sau hãy bắt đầu lại, hoặc nhờ tình nguyện viên."));
	} else
		fprintf(f, "%s\n", _("Hoàn thành! Mọi bước đã được đánh dấu."));
	fprintf(f, "\n");
	slip_line(f, _("Đã xong: %d/%zu bước"), n.done, c->nsteps);
	slip_steps(f, j, MARK_DONE, "[x]");
	if (n.todo + n.blocked > 0) {
		fprintf(f, "%s\n", _("Còn lại:"));
		slip_steps(f, j, MARK_BLOCKED, "[!]");
		slip_steps(f, j, MARK_TODO, "[ ]");
	}
	if (n.skipped > 0) {
		fprintf(f, "%s\n", _("Đã bỏ qua:"));
		slip_steps(f, j, MARK_SKIPPED, "[-]");
	}
	if (n.todo + n.blocked > 0 && c->nbring > 0) {
		fprintf(f, "\n%s\n", _("Lần sau mang theo:"));
		for (i = 0; i < c->nbring; i++)
			fprintf(f, "  - %s\n", text_get(&c->bring[i], i18n_lang()));
	}
	if (c->url != NULL || c->app != NULL)
		fputc('\n', f);
	if (c->url != NULL)
		slip_line(f, _("Địa chỉ chính thức: %s"), c->url);
	if (c->app != NULL)
		slip_line(f, _("Ứng dụng: %s"), c->app);
	fprintf(f, "\n%s\n", _("Không đưa mật khẩu hay mã OTP cho ai, kể cả người tự xưng là cán bộ."));
	fclose(f);
	return buf;
}

void
slip_probe(const struct config *cfg)
{
	char *argv[] = { SLIP_LPSTAT, "-d", "-p", NULL };

	if (cfg->printer != NULL) {
		free(printer);
		printer = xstrdup(cfg->printer);
		return;
	}
	if (probe.pid != 0)
		return;		/* the last question is still out */
	probe_ms = util_now_ms();
	if (child_start(&probe, argv, NULL, 1) == -1) {
		/* No CUPS client: no printer. */
		free(printer);
		printer = NULL;
	}
}

/* Reads lpstat -d -p's answer: the default destination, unless it is disabled. */
static char *
slip_default(const char *out)
{
	static const char def[] = "system default destination: ";
	const char *p = strstr(out, def), *e, *line;
	char *name, *want;

	if (p == NULL)
		return NULL;
	p += sizeof def - 1;
	e = p + strcspn(p, "\r\n");
	while (e > p && e[-1] == ' ')
		e--;
	if (e == p)
		return NULL;
	name = xasprintf("%.*s", (int)(e - p), p);
	want = xasprintf("printer %s disabled", name);
	for (line = out; line != NULL && *line != '\0'; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (strncmp(line, want, strlen(want)) == 0) {
			free(name);
			name = NULL;
			break;
		}
	free(want);
	return name;
}

const char *
slip_printer(void)
{
	return printer;
}

int
slip_print(const char *text, char **cause)
{
	char *argv[] = { SLIP_LP, "-d", printer, "-t", (char *)_("Sổ tay số — phiếu mang về"), NULL };

	if (printer == NULL)
		return fail(cause, "%s", _("Ki-ốt chưa có máy in."));
	if (job.pid != 0)
		return fail(cause, "%s", _("Phiếu trước vẫn đang được gửi tới máy in; chờ một chút."));
	if (child_start(&job, argv, text, 1) == -1) {
		if (errno == ENOENT)
			return fail(cause, "%s", _("Không in được: máy chưa cài cups-client (apt-get install cups-client)."));
		return fail(cause, _("Không in được: không chạy được lp (%s)."), strerror(errno));
	}
	free(job_printer);
	job_printer = xstrdup(printer);
	job_ms = util_now_ms();
	return 0;
}

int
slip_poll(struct tui *t)
{
	int status, changed = 0;
	char *line;
	int64_t now = util_now_ms();

	/* A CUPS that does not answer: no printer, rather than a question out for ever. */
	if (probe.pid != 0 && now - probe_ms > SLIP_LPSTAT_MS) {
		child_stop(&probe);
		free(printer);
		printer = t->app->cfg.printer != NULL ? xstrdup(t->app->cfg.printer) : NULL;
		changed = 1;
	}
	if (job.pid != 0 && now - job_ms > SLIP_LP_MS) {
		child_stop(&job);
		tui_error(t, xasprintf(_("Không in được phiếu trên máy in %s: %s"), job_printer,
		    _("CUPS không trả lời; hãy kiểm tra máy in rồi thử lại.")));
		changed = 1;
	}
	if (probe.pid != 0 && child_ended(&probe, &status)) {
		free(printer);
		printer = status != -1 && WIFEXITED(status) && probe.out != NULL ?
		    slip_default(probe.out) : NULL;
		/* The setting may have named one since: it wins. */
		if (t->app->cfg.printer != NULL) {
			free(printer);
			printer = xstrdup(t->app->cfg.printer);
		}
		child_clear(&probe);
		changed = 1;
	}
	if (job.pid != 0 && child_ended(&job, &status)) {
		if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			tui_flash(t, _("Đã gửi phiếu tới máy in %s. Hãy lấy phiếu ở máy in."), job_printer);
		else {
			line = job.out != NULL ? job.out : "";
			line[strcspn(line, "\r\n")] = '\0';
			tui_error(t, xasprintf(_("Không in được phiếu trên máy in %s: %s"), job_printer,
			    *line != '\0' ? line : _("lp báo lỗi.")));
		}
		child_clear(&job);
		changed = 1;
	}
	return changed;
}
