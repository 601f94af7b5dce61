/* sse.c - incremental parsers for server-sent events and NDJSON streams. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define SSE_MAX_DEFAULT ((size_t)16 << 20)

void
ab_sse_init(struct ab_sse *s)
{
	memset(s, 0, sizeof *s);
}

void
ab_sse_release(struct ab_sse *s)
{
	ab_buf_release(&s->line);
	ab_buf_release(&s->data);
	ab_buf_release(&s->event);
}

/* Handle one complete line (without its end of line). */
static int
sse_line(struct ab_sse *s, const char *l, size_t n, ab_sse_fn fn, void *ctx)
{
	const char *colon, *val;
	size_t flen, vlen;
	int rc = 0;

	if (n == 0) {
		/* Dispatch. */
		if (s->have_data) {
			rc = fn(s->event.len ? s->event.s : "message",
			    s->data.s ? s->data.s : "", s->data.len, ctx);
		}
		ab_buf_reset(&s->data);
		ab_buf_reset(&s->event);
		s->have_data = false;
		return rc;
	}
	if (l[0] == ':')
		return 0;	/* comment */
	colon = memchr(l, ':', n);
	flen = colon != NULL ? (size_t)(colon - l) : n;
	val = colon != NULL ? colon + 1 : l + n;
	vlen = n - (size_t)(val - l);
	if (vlen > 0 && *val == ' ')
		val++, vlen--;
	if (flen == 4 && memcmp(l, "data", 4) == 0) {
		if (s->have_data)
			ab_buf_addc(&s->data, '\n');
		ab_buf_add(&s->data, val, vlen);
		s->have_data = true;
	} else if (flen == 5 && memcmp(l, "event", 5) == 0) {
		ab_buf_reset(&s->event);
		ab_buf_add(&s->event, val, vlen);
	}
	/* id and retry are of no use here. */
	return 0;
}

int
ab_sse_feed(struct ab_sse *s, const char *p, size_t n, ab_sse_fn fn,
    void *ctx)
{
	size_t max = s->max ? s->max : SSE_MAX_DEFAULT, i, start = 0;

	if (s->stopped)
		return -1;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (s->skip_lf) {
			s->skip_lf = false;
			if (c == '\n') {
				start = i + 1;
				continue;
			}
		}
		if (c != '\n' && c != '\r')
			continue;
		ab_buf_add(&s->line, p + start, i - start);
		start = i + 1;
		if (c == '\r')
			s->skip_lf = true;
		if (sse_line(s, s->line.s ? s->line.s : "", s->line.len, fn,
		    ctx) < 0) {
			s->stopped = true;
			return -1;
		}
		ab_buf_reset(&s->line);
	}
	ab_buf_add(&s->line, p + start, n - start);
	if (s->line.len + s->data.len > max) {
		s->overflow = s->stopped = true;
		return -1;
	}
	return 0;
}

int
ab_lines_feed(struct ab_buf *pending, const char *p, size_t n,
    ab_line_fn fn, void *ctx)
{
	const char *nl, *end = p + n, *l;
	size_t len;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			ab_buf_add(pending, p, (size_t)(end - p));
			return 0;
		}
		if (pending->len > 0) {
			ab_buf_add(pending, p, (size_t)(nl - p));
			l = pending->s;
			len = pending->len;
		} else {
			l = p;
			len = (size_t)(nl - p);
		}
		if (len > 0 && l[len - 1] == '\r')
			len--;
		if (len > 0 && fn(l, len, ctx) < 0) {
			ab_buf_reset(pending);
			return -1;
		}
		ab_buf_reset(pending);
		p = nl + 1;
	}
	return 0;
}
