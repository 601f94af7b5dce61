/* fuzz-fence.c - the fence scanner and everything ab-extract does with an
 * answer, on arbitrary bytes.  The first byte picks the options. */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = { "python", "javascript", "c", "cpp",
	"bash", "py", "rust", NULL };
static const char *const entries[] = { "f", "solve", "main", NULL };

static void
check_scan(const char *s, size_t n)
{
	struct ab_fences f;
	size_t i, prev = 0;

	ab_fences_init(&f);
	ab_fence_scan(&f, s, n);
	for (i = 0; i < f.n; i++) {
		/* blocks lie in the content buffer, in order */
		if (f.v[i].off < prev || f.v[i].off + f.v[i].len > f.text.len ||
		    f.v[i].tag[sizeof(f.v[i].tag) - 1] != '\0')
			abort();
		prev = f.v[i].off + f.v[i].len;
		if (i + 1 < f.n && !f.v[i].closed)
			abort();	/* only the last may run to the end */
	}
	if (f.text.s[f.text.len] != '\0' || f.prose.s[f.prose.len] != '\0' ||
	    f.prose.len > n + 1)
		abort();
	ab_fences_release(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_extract_opts o = { 0 };
	struct ab_extract x;
	struct ab_error err;
	struct ab_buf out = AB_BUF_INIT;
	const char *s;
	size_t n;
	unsigned op;
	int rc;

	if (size == 0)
		return 0;
	op = data[0];
	s = (const char *)data + 1;
	n = size - 1;
	check_scan(s, n);

	o.language = langs[op % 7];
	o.pick = (enum ab_pick)((op >> 3) & 3);
	o.only_function = (op >> 5) & 1;
	o.entry_point = (op >> 6) == 3 ? NULL : entries[op >> 6];
	rc = ab_extract(s, n, &o, &x, &err);
	if ((rc == 0) != (x.code != NULL) || (rc == 0 && x.method == NULL) ||
	    (rc < 0 && err.kind[0] == '\0'))
		abort();
	ab_extract_release(&x);

	/* the trimmer and the heuristics on the raw bytes too */
	for (int l = AB_LANG_PYTHON; l <= AB_LANG_BASH; l++) {
		(void)ab_code_plausible((enum ab_lang)l, s, n, NULL, NULL);
		(void)ab_defines((enum ab_lang)l, s, n, "f");
		if (ab_only_function((enum ab_lang)l, s, n, "f", &out,
		    &err) == 0 && out.len > 3 * n + 64)
			abort();	/* never invents much text */
		ab_buf_reset(&out);
	}
	ab_buf_release(&out);
	return 0;
}
