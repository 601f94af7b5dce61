#include <stdlib.h>

int parse_ipv4(const char *s, unsigned int *out)
{
	unsigned int value = 0;

	for (int part = 0; part < 4; part++) {
		char *end;
		long octet;

		if (part > 0) {
			if (*s != '.')
				return 0;
			s++;
		}
		octet = strtol(s, &end, 10);
		if (end == s || octet < 0 || octet > 255)
			return 0;
		s = end;
		value = value << 8 | (unsigned int)octet;
	}
	if (*s != '\0')
		return 0;
	*out = value;
	return 1;
}
