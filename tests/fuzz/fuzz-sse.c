/* fuzz-sse.c - the server-sent events parser and the streamed reply
 * parsers of the three APIs, on arbitrary bytes fed in uneven pieces. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count(const char *event, const char *d, size_t len, void *ctx)
{
	(void)event;
	(void)d;
	*(size_t *)ctx += len + 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ab_provider provs[] = { AB_PROV_OPENAI,
		AB_PROV_ANTHROPIC, AB_PROV_OLLAMA };
	struct ab_agent a;
	struct ab_reply r;
	struct ab_sse s;
	size_t i, off, step, seen = 0;

	/* The bare parser, with a small cap to reach the overflow path. */
	ab_sse_init(&s);
	s.max = 512;
	for (off = 0; off < size; off += step) {
		step = 1 + (size_t)data[off] % 7;
		if (step > size - off)
			step = size - off;
		if (ab_sse_feed(&s, (const char *)data + off, step, count,
		    &seen) < 0)
			break;
	}
	ab_sse_release(&s);

	for (i = 0; i < sizeof provs / sizeof *provs; i++) {
		memset(&a, 0, sizeof a);
		a.provider = provs[i];
		a.stream = true;
		ab_reply_init(&r);
		ab_sse_init(&s);
		for (off = 0; off < size; off += step) {
			step = 1 + (size_t)data[off] % 13;
			if (step > size - off)
				step = size - off;
			if (ab_wire_feed(&a, &s, (const char *)data + off, step,
			    &r) < 0)
				break;
		}
		ab_wire_feed(&a, &s, "\n\n", 2, &r);
		ab_utf8_fix(&r.text);
		ab_reply_release(&r);
		ab_sse_release(&s);
		/* The whole body, as an unstreamed reply. */
		ab_reply_init(&r);
		ab_wire_parse(&a, (const char *)data, size, &r);
		ab_reply_release(&r);
	}
	return 0;
}
