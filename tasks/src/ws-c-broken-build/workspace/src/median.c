#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
stats_median(double *v, size_t n)
{
	double *w = malloc(n * sizeof *w), m;

	memcpy(w, v, n * sizeof *w);
	qsort(w, n, sizeof *w, cmp);
	m = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
	free(w);
	return m;
}
