#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char word[64];
	long count;
};

static int cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->word, y->word);
}

int main(void)
{
	static struct entry e[200000];
	size_t n = 0;
	char w[64];

	while (scanf(" %63[A-Za-z]", w) == 1 || scanf("%*[^A-Za-z]") == 0) {
		if (feof(stdin))
			break;
		for (char *p = w; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(e[i].word, w) == 0)
				break;
		if (i == n) {
			strcpy(e[n].word, w);
			e[n++].count = 0;
		}
		e[i].count++;
		w[0] = 0;
	}
	qsort(e, n, sizeof *e, cmp);
	printf("%zu\n", n);
	for (size_t i = 0; i < n && i < 10; i++)
		printf("%ld %s\n", e[i].count, e[i].word);
	return 0;
}
