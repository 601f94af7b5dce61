#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "ringbuf.h"
#include "lines.h"
#include "tap.h"

static const char *
tail(const char *in, size_t cap, size_t n)
{
	static char out[1024];
	struct ringbuf rb;
	FILE *fp = fmemopen(out, sizeof out, "w");

	rb_init(&rb, cap);
	for (; *in; in++)
		rb_push(&rb, *in);
	last_lines(&rb, n, fp);
	fclose(fp);
	rb_free(&rb);
	return out;
}

int
main(void)
{
	struct ringbuf rb;
	size_t i;
	int ok = 1;

	rb_init(&rb, 4);
	for (i = 0; i < 4; i++)
		rb_push(&rb, "abcd"[i]);
	CHECK("a full ring holds cap bytes", rb.len == 4 && rb_at(&rb, 0) == 'a' && rb_at(&rb, 3) == 'd');
	rb_push(&rb, 'e');
	rb_push(&rb, 'f');
	CHECK("pushing past cap drops the oldest", rb.len == 4 && rb_at(&rb, 0) == 'c' && rb_at(&rb, 3) == 'f');
	for (i = 0; i < 1000; i++)
		rb_push(&rb, (char)('0' + i % 10));
	for (i = 0; i < 4; i++)
		ok &= rb_at(&rb, i) == (char)('0' + (996 + i) % 10);
	CHECK("long wrap-around keeps order", ok);
	rb_free(&rb);
	CHECK("last 2 lines", strcmp(tail("a\nb\nc\n", 64, 2), "b\nc\n") == 0);
	CHECK("last lines without a final newline", strcmp(tail("a\nb\nc", 64, 2), "b\nc\n") == 0 ||
	    strcmp(tail("a\nb\nc", 64, 2), "b\nc") == 0);
	CHECK("more lines asked than held", strcmp(tail("x\ny\n", 64, 5), "x\ny\n") == 0);
	CHECK("lines across the wrap", strcmp(tail("1111\n2222\n3333\n4444\n", 12, 2), "3333\n4444\n") == 0);
	CHECK("a cut first line is dropped", strcmp(tail("abcdefgh\nij\n", 8, 5), "efgh\nij\n") == 0 ||
	    strcmp(tail("abcdefgh\nij\n", 8, 5), "ij\n") == 0);
	return DONE();
}
