#include <stdlib.h>

int safe_atoi(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0')
		return -1;
	*out = (int)v;
	return 0;
}
