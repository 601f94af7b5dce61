/* fuzz-store.c - ab_store_parse, which cuts the task, the answer and the
 * code out of a line before parsing it, must read every line exactly as
 * ab_parse_record does: the same record, or the same error. */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(struct ab_store_cache *c, const char *line, size_t len)
{
	struct ab_error e1, e2;
	json_t *a, *b;
	enum ab_read r1, r2;

	memset(&e1, 0, sizeof e1);
	memset(&e2, 0, sizeof e2);
	r1 = ab_parse_record(line, len, &a, &e1);
	r2 = ab_store_parse(c, line, len, &b, &e2);
	if (r1 != r2 || (r1 == AB_READ_RECORD && !json_equal(a, b)) ||
	    (r1 != AB_READ_RECORD && strcmp(e1.msg, e2.msg) != 0))
		abort();
	json_decref(a);
	json_decref(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_store_cache *c = ab_store_cache_new();
	const char *s = (const char *)data, *nl;
	size_t start = 0, n;

	/* Each line twice: the second time its task is a cached one. */
	while (start < size) {
		nl = memchr(s + start, '\n', size - start);
		n = nl != NULL ? (size_t)(nl - (s + start)) : size - start;
		same(c, s + start, n);
		same(c, s + start, n);
		start += n + 1;
	}
	ab_store_cache_free(c);
	return 0;
}
