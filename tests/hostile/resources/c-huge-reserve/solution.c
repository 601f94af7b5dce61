/* Reserves 64 GB of address space and touches one page: virtual size
 * is not memory, so this must pass (no memory_limit, no failed mmap). */
#include <stdio.h>
#include <sys/mman.h>

int
main(void)
{
	size_t len = (size_t)64 << 30;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *q = mmap(NULL, (size_t)1 << 40, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED || q == MAP_FAILED) {
		puts("mmap refused");
		return 0;
	}
	p[len / 2] = 1;
	puts("42");
	return 0;
}
