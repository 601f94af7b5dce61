#include <stdio.h>
#include <stdlib.h>

static void flush_line(char *s, size_t n)
{
	size_t end = n, first = 1;

	/* Walk backwards, printing each word found. */
	while (end > 0) {
		size_t start;

		while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		if (end == 0)
			break;
		start = end;
		while (start > 0 && s[start - 1] != ' ' && s[start - 1] != '\t')
			start--;
		if (!first)
			putchar(' ');
		fwrite(s + start, 1, end - start, stdout);
		first = 0;
		end = start;
	}
	putchar('\n');
}

int main(void)
{
	size_t cap = 1024, n = 0;
	char *buf = malloc(cap);
	int c;

	if (buf == NULL)
		return 1;
	while ((c = getchar()) != EOF) {
		if (c == '\n') {
			flush_line(buf, n);
			n = 0;
			continue;
		}
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL)
				return 1;
			buf = nb;
			cap *= 2;
		}
		buf[n++] = (char)c;
	}
	if (n > 0)
		flush_line(buf, n);
	free(buf);
	return 0;
}
