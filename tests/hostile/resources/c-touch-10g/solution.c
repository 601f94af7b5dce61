/* Asks for 10 GB at once and writes to every page of it; if the
 * allocation is refused, takes 64 MB pieces instead, so the memory limit,
 * not malloc, must end it.  The writes are volatile: the compiler may not
 * drop them. */
#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	size_t total = (size_t)10 << 30, piece = (size_t)64 << 20, done, i;
	volatile char *p;

	if ((p = malloc(total)) != NULL) {
		for (i = 0; i < total; i += 4096)
			p[i] = 1;
	} else {
		for (done = 0; done < total; done += piece) {
			if ((p = malloc(piece)) == NULL) {
				puts("malloc failed");
				return 1;
			}
			for (i = 0; i < piece; i += 4096)
				p[i] = 1;
		}
	}
	puts("42");
	return 0;
}
