#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *word;
	size_t len;
	long count;
};

static struct entry *table;
static size_t cap = 1 << 16, used;

static unsigned long hash(const char *s, size_t n)
{
	unsigned long h = 1469598103934665603UL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
	return h;
}

static void insert(const char *w, size_t n);

static void grow(void)
{
	struct entry *old = table;
	size_t oldcap = cap;

	cap *= 2;
	table = calloc(cap, sizeof *table);
	if (table == NULL)
		exit(1);
	used = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].word != NULL) {
			size_t j = hash(old[i].word, old[i].len) & (cap - 1);
			while (table[j].word != NULL)
				j = (j + 1) & (cap - 1);
			table[j] = old[i];
			used++;
		}
	free(old);
}

static void insert(const char *w, size_t n)
{
	size_t j;

	if (2 * (used + 1) > cap)
		grow();
	j = hash(w, n) & (cap - 1);
	while (table[j].word != NULL) {
		if (table[j].len == n && memcmp(table[j].word, w, n) == 0) {
			table[j].count++;
			return;
		}
		j = (j + 1) & (cap - 1);
	}
	table[j].word = malloc(n + 1);
	if (table[j].word == NULL)
		exit(1);
	memcpy(table[j].word, w, n);
	table[j].word[n] = '\0';
	table[j].len = n;
	table[j].count = 1;
	used++;
}

static int cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(y->word, x->word);
}

int main(void)
{
	size_t wcap = 64, wn = 0;
	char *w = malloc(wcap);
	int c;

	table = calloc(cap, sizeof *table);
	if (w == NULL || table == NULL)
		return 1;
	do {
		c = getchar();
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
			if (wn == wcap) {
				char *nw = realloc(w, wcap * 2);
				if (nw == NULL)
					return 1;
				w = nw;
				wcap *= 2;
			}
			w[wn++] = (char)(c | 0x20);
		} else if (wn > 0) {
			insert(w, wn);
			wn = 0;
		}
	} while (c != EOF);
	{
		struct entry *all = malloc((used + 1) * sizeof *all);
		size_t k = 0;

		if (all == NULL)
			return 1;
		for (size_t i = 0; i < cap; i++)
			if (table[i].word != NULL)
				all[k++] = table[i];
		qsort(all, k, sizeof *all, cmp);
		printf("%zu\n", k);
		for (size_t i = 0; i < k && i < 10; i++)
			printf("%ld %s\n", all[i].count, all[i].word);
	}
	return 0;
}
