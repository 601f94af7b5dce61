int parse_ipv4(const char *s, unsigned int *out)
{
	unsigned int value = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int octet = 0;
		int digits = 0;

		if (part > 0) {
			if (*s != '.')
				return 0;
			s++;
		}
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return 0;
		while (*s >= '0' && *s <= '9') {
			octet = octet * 10 + (unsigned int)(*s - '0');
			if (octet > 255)
				return 0;
			s++;
			digits++;
		}
		if (digits == 0)
			return 0;
		value = value << 8 | octet;
	}
	if (*s != '\0')
		return 0;
	*out = value;
	return 1;
}
