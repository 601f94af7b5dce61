#include <stdio.h>

int parse_ipv4(const char *s, unsigned int *out)
{
	unsigned int a, b, c, d;

	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		return 0;
	if (a > 255 || b > 255 || c > 255 || d > 255)
		return 0;
	*out = a << 24 | b << 16 | c << 8 | d;
	return 1;
}
