#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Copy s[0..n) without surrounding blanks to dst (size dstsz). */
static int
copy_trimmed(const char *s, size_t n, char *dst, size_t dstsz)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n + 1 > dstsz)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int
parse_line(const char *line, char *key, size_t keysz, char *val, size_t valsz)
{
	const char *p = line, *eq;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if ((eq = strchr(p, '=')) == NULL || eq == p)
		return -1;
	if (copy_trimmed(p, (size_t)(eq - p), key, keysz) < 0 || key[0] == '\0' ||
	    copy_trimmed(eq + 1, strlen(eq + 1), val, valsz) < 0)
		return -1;
	return 1;
}

int
main(int argc, char **argv)
{
	char line[1024], key[128], val[896];
	int found = 0, r;
	long n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: kvget KEY < FILE\n");
		return 2;
	}
	while (fgets(line, sizeof line, stdin) != NULL) {
		n++;
		if ((r = parse_line(line, key, sizeof key, val, sizeof val)) < 0)
			fprintf(stderr, "kvget: line %ld: bad line\n", n);
		else if (r == 1 && strcmp(key, argv[1]) == 0) {
			printf("%s\n", val);
			found = 1;
		}
	}
	return found ? 0 : 1;
}
