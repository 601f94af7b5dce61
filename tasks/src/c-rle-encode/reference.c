#include <stdio.h>
#include <string.h>

int rle_encode(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return -1;
	while (*s != '\0') {
		const char *p = s;
		char num[32];
		int k;

		while (*p == *s)
			p++;
		k = snprintf(num, sizeof num, "%zu", (size_t)(p - s));
		if (k < 0 || n + (size_t)k + 1 >= cap)
			return -1;
		memcpy(out + n, num, (size_t)k);
		n += (size_t)k;
		out[n++] = *s;
		s = p;
	}
	out[n] = '\0';
	return (int)n;
}
