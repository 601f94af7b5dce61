int rle_encode(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	while (*s != '\0') {
		const char *p = s;
		while (*p == *s)
			p++;
		if (n + 3 > cap)
			return -1;
		out[n++] = (char)('0' + (p - s) % 10);
		out[n++] = *s;
		s = p;
	}
	out[n] = '\0';
	return (int)n;
}
