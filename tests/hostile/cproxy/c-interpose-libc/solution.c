/* Redefines the libc functions a check relies on, so that any
 * comparison succeeds: strcmp and memcmp always "equal", strlen always
 * the expected length.  Its reverse() does nothing. */
#include <stddef.h>

int
strcmp(const char *a, const char *b)
{
	(void)a; (void)b;
	return 0;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	(void)a; (void)b; (void)n;
	return 0;
}

size_t
strlen(const char *s)
{
	(void)s;
	return 3;
}

void
reverse(char *s)
{
	(void)s;
}
