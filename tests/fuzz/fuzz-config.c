/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-config.c: libFuzzer harness for the kiosk's settings file parser
 * (config_load): the input is the file's bytes, written to a private file
 * and read as `--config FILE` would be.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 c;
	char		*cause = NULL;
	int		 fd;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/sotay-fuzz-config.%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	if (config_load(path, &c, &cause) == 0)
		config_free(&c);
	free(cause);
	return 0;
}
