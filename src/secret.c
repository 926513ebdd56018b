/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secret.c: reading tokens without showing them, and private files (see
 * secret.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "i18n.h"
#include "secret.h"
#include "util.h"

/* Reads up to the first line end (or SECRET_MAX bytes) from fd. */
static char *
read_line(int fd, const char *what, char **cause)
{
	char	 buf[SECRET_MAX + 1];
	size_t	 len = 0;
	ssize_t	 n;

	while (len < SECRET_MAX && memchr(buf, '\n', len) == NULL) {
		n = read(fd, buf + len, SECRET_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			fail(cause, _("Không đọc được %s: %s."), what,
			    strerror(e));
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	if (len == 0) {
		fail(cause, _("%s trống."), what);
		return NULL;
	}
	char *s = xstrdup(buf);
	sodium_memzero(buf, sizeof buf);
	return s;
}

char *
secret_read_fd(int fd, const char *what, char **cause)
{
	return read_line(fd, what, cause);
}

char *
secret_read_file(const char *path, const char *what, char **cause)
{
	struct stat	 sb;
	char		*s;
	int		 fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		fail(cause, _("Không mở được tệp %s (%s): %s."),
		    path, what, strerror(errno));
		return NULL;
	}
	/* fstat of the open file: what is checked is what is read. */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		fail(cause, _("%s không phải một tệp thường (%s)."),
		    path, what);
		return NULL;
	}
	if (sb.st_mode & (S_IROTH | S_IWOTH)) {
		close(fd);
		fail(cause, _("Mọi người dùng trên máy đều đọc hoặc ghi được tệp %s (%s, quyền %04o); "
		    "không dùng nó. Hãy chạy: chmod 600 %s (hoặc 640 cho một nhóm)."), path, what,
		    (unsigned)(sb.st_mode & 07777), path);
		return NULL;
	}
	s = read_line(fd, what, cause);
	close(fd);
	return s;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

int
secret_create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd >= 0)
		return close(fd);
	return errno == EEXIST ? 0 : -1;
}
