/* Unbounded recursion with a big frame: a stack overflow. */
#include <stdio.h>
#include <string.h>

static int
deep(int n)
{
	volatile char frame[4096];

	memset((char *)frame, n, sizeof frame);
	return deep(n + 1) + frame[0];
}

int
main(void)
{
	printf("%d\n", deep(0));
	return 0;
}
