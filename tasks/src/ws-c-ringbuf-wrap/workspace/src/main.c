#include <stdio.h>
#include <stdlib.h>

#include "lines.h"
#include "ringbuf.h"

int
main(int argc, char **argv)
{
	struct ringbuf rb;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
	int c;

	if (n < 0 || rb_init(&rb, 4096) < 0)
		return 2;
	while ((c = getchar()) != EOF)
		rb_push(&rb, (char)c);
	last_lines(&rb, (size_t)n, stdout);
	rb_free(&rb);
	return 0;
}
