/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui-lock.c: see tui-lock.h. An flock on a small file beside the database:
 * the kernel drops it when the process ends, however it ends (a power cut
 * or kill -9 leaves no stale lock). The file says who holds it, for the
 * message the second screen shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "i18n.h"
#include "tui-lock.h"
#include "util.h"

int
tui_lock_take(const char *db_path, char **cause)
{
	char *path = xasprintf("%s.screen-lock", db_path), holder[256] = "", when[32];
	const char *tty = ttyname(STDIN_FILENO);
	ssize_t n;
	int fd;

	/* O_CLOEXEC: a sotay-sync child must not keep the lock after the screen is gone. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		*cause = xasprintf(_("Không mở được tệp khoá %s: %s. Hãy kiểm tra quyền ghi vào thư mục của cơ sở dữ liệu."),
		    path, strerror(errno));
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = read(fd, holder, sizeof holder - 1);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		*cause = xasprintf(_("Ki-ốt đã mở trên cơ sở dữ liệu này (%s: %s). Mỗi cơ sở dữ liệu chỉ mở một màn hình; hãy dùng màn hình đó. Các lệnh như sotay status, sotay report vẫn dùng được."),
		    db_path, *holder ? holder : "?");
		close(fd);
		free(path);
		return -1;
	}
	util_format_time(util_now_ms(), when);
	snprintf(holder, sizeof holder, _("màn hình %s, tiến trình %ld, mở lúc %s"), tty ? tty : "?",
	    (long)getpid(), when);
	/*
	 * Who holds it is a courtesy for the message: the lock holds without
	 * it. Written over the last holder's line, then cut to length: emptying
	 * the file first would free its block and allocate it again at every
	 * start (a discard on some disks).
	 */
	n = pwrite(fd, holder, strlen(holder), 0);
	if (n > 0 && ftruncate(fd, n) != 0)
		n = -1;
	(void)n;
	free(path);
	return 0;	/* fd stays open: the lock lasts as long as the process */
}
