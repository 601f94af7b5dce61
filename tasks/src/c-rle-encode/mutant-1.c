#include <stdio.h>

int rle_encode(const char *s, char *out, size_t cap)
{
	int n = 0;

	while (*s != '\0') {
		const char *p = s;
		while (*p == *s)
			p++;
		n += sprintf(out + n, "%d%c", (int)(p - s), *s);
		s = p;
	}
	out[n] = '\0';
	return (size_t)n < cap ? n : -1;
}
