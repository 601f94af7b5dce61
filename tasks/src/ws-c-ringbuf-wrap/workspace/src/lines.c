#include "lines.h"

void
last_lines(const struct ringbuf *rb, size_t n, FILE *fp)
{
	size_t i = rb->len, seen = 0;

	if (n == 0 || rb->len == 0)
		return;
	/* A final newline ends the last line; it does not start one. */
	if (rb_at(rb, rb->len - 1) == '\n')
		i--;
	while (i > 0) {
		if (rb_at(rb, i - 1) == '\n' && ++seen == n)
			break;
		i--;
	}
	for (; i < rb->len - 1; i++)
		fputc(rb_at(rb, i), fp);
}
