#include <limits.h>

int safe_atoi(const char *s, int *out)
{
	int neg = 0, digits = 0;
	int acc = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		if (acc > (INT_MAX - (*s - '0')) / 10)
			return -1;
		acc = acc * 10 + (*s - '0');
		digits++;
	}
	if (digits == 0 || *s != '\0')
		return -1;
	*out = neg ? -acc : acc;
	return 0;
}
