/* Asks for 10 GB at once and writes to all of it; if the allocation is
 * refused, takes 64 MB pieces instead, so the memory limit, not malloc,
 * must end it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(void)
{
	size_t total = (size_t)10 << 30, piece = (size_t)64 << 20, done;
	char *p;

	if ((p = malloc(total)) != NULL) {
		memset(p, 1, total);
	} else {
		for (done = 0; done < total; done += piece) {
			if ((p = malloc(piece)) == NULL) {
				puts("malloc failed");
				return 1;
			}
			memset(p, 1, piece);
		}
	}
	puts("42");
	return 0;
}
