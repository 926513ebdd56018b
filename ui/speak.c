/* SPDX-License-Identifier: Apache-2.0 */
/*
 * speak.c: see speak.h. A sound device is a PulseAudio or PipeWire server
 * this user can reach, or an ALSA playback device this user may open;
 * without one espeak-ng would only print errors, so the kiosk says so
 * instead of pretending to read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "i18n.h"
#include "speak.h"
#include "tui.h"
#include "util.h"

static struct child reader = { .fd = -1 };
static char *reading;		/* what is being read (speak_start's what), owned */

/* 1 if path exists and this user may open it for writing. */
static int
speak_writable(const char *path)
{
	return access(path, W_OK) == 0;
}

/* 1 if this user can play sound here (see the file's comment). */
static int
speak_sound_device(void)
{
	const char *e = getenv("PULSE_SERVER"), *run = getenv("XDG_RUNTIME_DIR");
	struct dirent *d;
	DIR *dir;
	char *p;
	int found = 0;

	if (e != NULL && *e != '\0')
		return 1;
	if (run != NULL && *run != '\0') {
		p = xasprintf("%s/pulse/native", run);
		found = speak_writable(p);
		free(p);
		p = xasprintf("%s/pipewire-0", run);
		found = found || speak_writable(p);
		free(p);
		if (found)
			return 1;
	}
	/* ALSA: /dev/snd/pcmC0D0p and the like ('p' for playback). */
	if ((dir = opendir("/dev/snd")) == NULL)
		return 0;
	while (!found && (d = readdir(dir)) != NULL) {
		size_t n = strlen(d->d_name);

		if (strncmp(d->d_name, "pcmC", 4) == 0 && n > 4 && d->d_name[n - 1] == 'p') {
			p = xasprintf("/dev/snd/%s", d->d_name);
			found = speak_writable(p);
			free(p);
		}
	}
	closedir(dir);
	return found;
}

int
speak_start(const struct config *cfg, const char *voice, const char *text, const char *what,
    char **cause)
{
	char *argv[] = { SPEAK_PROGRAM, "-v", (char *)voice, "-s", SPEAK_WPM, "-b", "1", "--stdin",
	    NULL };

	speak_stop();
	if (cfg->read_aloud == READ_ALOUD_NO)
		return fail(cause, "%s", _("Đọc to đang tắt trong cài đặt của ki-ốt (read_aloud = no)."));
	if (cfg->read_aloud == READ_ALOUD_AUTO && !speak_sound_device())
		return fail(cause, "%s", _("Không đọc to được: máy này không có loa hay thiết bị âm thanh nào."));
	if (child_start(&reader, argv, text, 0) == -1) {
		if (errno == ENOENT)
			return fail(cause, "%s", _("Không đọc to được: máy chưa cài espeak-ng (apt-get install espeak-ng)."));
		return fail(cause, _("Không đọc to được: không chạy được espeak-ng (%s)."), strerror(errno));
	}
	reading = xstrdup(what);
	return 0;
}

int
speak_reading(const char *what)
{
	return reader.pid != 0 && reading != NULL && strcmp(reading, what) == 0;
}

void
speak_stop(void)
{
	child_stop(&reader);
	free(reading);
	reading = NULL;
}

int
speak_poll(struct tui *t)
{
	int status;

	if (reader.pid == 0 || !child_ended(&reader, &status))
		return 0;
	child_clear(&reader);
	free(reading);
	reading = NULL;
	if (status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		tui_error(t, xasprintf(_("espeak-ng không đọc được (mã %d): hãy kiểm tra loa và giọng "
		    "tiếng Việt (espeak-ng -v vi \"xin chào\")."), WIFEXITED(status) ?
		    WEXITSTATUS(status) : 128 + WTERMSIG(status)));
		return 1;
	}
	return 0;
}
