#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	static char line[200000];

	while (fgets(line, sizeof line, stdin) != NULL) {
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		/* splits on single spaces only */
		char *p = line + n;
		int first = 1;
		while (p > line) {
			char *q = p;
			while (q > line && q[-1] != ' ')
				q--;
			if (!first)
				putchar(' ');
			fwrite(q, 1, (size_t)(p - q), stdout);
			first = 0;
			p = q > line ? q - 1 : q;
		}
		putchar('\n');
	}
	return 0;
}
