#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

int
main(int argc, char **argv)
{
	double v[256];
	size_t n = 0;
	int i;

	for (i = 1; i < argc && n < 256; i++)
		v[n++] = strtod(argv[i], NULL);
	if (n == 0) {
		fprintf(stderr, "usage: stats number...\n");
		return 2;
	}
	printf("mean %.3f median %.3f\n", stats_mean(v, n), stats_median(v, n));
	return 0;
}
