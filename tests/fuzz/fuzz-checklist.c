/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-checklist.c: libFuzzer harness for the checklist loader
 * (checklist_parse), which reads files a province edits by hand and text
 * the server sends. Any input must give a checklist or a list of problems,
 * never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problems pr = { 0 };
	struct checklist *cl = checklist_parse((const char *)data, size, "fuzz.json", &pr);

	/* A parse either succeeds cleanly or says why. */
	if ((cl == NULL) == (pr.n == 0))
		__builtin_trap();
	if (cl != NULL) {
		struct library lib = { .items = &cl, .n = 1 };
		library_check(&lib, &pr);
		for (size_t i = 0; i < cl->nsteps; i++)
			(void)text_get(&cl->steps[i].title, LANG_EN);
	}
	checklist_free(cl);
	problems_free(&pr);
	return 0;
}
