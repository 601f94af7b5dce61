#include <limits.h>

int safe_atoi(const char *s, int *out)
{
	int neg = 0, digits = 0;
	/* Accumulate the magnitude as a negative number: -INT_MIN does not fit. */
	long long acc = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		acc = acc * 10 - (*s - '0');
		if (acc < (long long)INT_MIN)
			return -1;
		digits++;
	}
	if (digits == 0 || *s != '\0')
		return -1;
	if (!neg) {
		if (acc < -(long long)INT_MAX)
			return -1;
		acc = -acc;
	}
	*out = (int)acc;
	return 0;
}
