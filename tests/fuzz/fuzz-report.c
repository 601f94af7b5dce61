/* fuzz-report.c - the TAP and JUnit XML parsers of lib/workspace on
 * arbitrary bytes: no crash, no read past the end, bounded output, and
 * every case with a name. */
#include <stdlib.h>
#include <string.h>

#include "workspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct ab_test_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].name == NULL || r->v[i].name[0] == '\0' ||
		    strlen(r->v[i].name) > 512 || (r->v[i].skipped &&
		    !r->v[i].ok))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_test_report r;
	struct ab_error e;
	char *copy = malloc(size ? size : 1);

	/* An exact-size copy, so a read past the end is caught. */
	memcpy(copy, data, size);
	ab_test_report_init(&r);
	ab_tap_parse(copy, size, &r);
	check(&r);
	ab_test_report_release(&r);
	ab_test_report_init(&r);
	if (ab_junit_parse(copy, size, &r, &e) == 0 && r.n == 0)
		abort();
	check(&r);
	ab_test_report_release(&r);
	free(copy);
	return 0;
}
