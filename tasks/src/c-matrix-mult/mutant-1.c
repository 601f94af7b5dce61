#include <stdio.h>
#include <stdlib.h>

static double *read_matrix(int *r, int *c)
{
	double *m;

	if (scanf("%d %d", r, c) != 2 || *r < 1 || *c < 1)
		return NULL;
	m = malloc((size_t)*r * (size_t)*c * sizeof *m);
	if (m == NULL)
		return NULL;
	for (long i = 0; i < (long)*r * *c; i++)
		if (scanf("%lf", &m[i]) != 1) {
			free(m);
			return NULL;
		}
	return m;
}

int main(void)
{
	int ar, ac, br, bc;
	double *a = read_matrix(&ar, &ac);
	double *b = a ? read_matrix(&br, &bc) : NULL;

	if (a == NULL || b == NULL)
		return 1;
	if (ac != br) {
		puts("dimension mismatch");
		return 0;
	}
	printf("%d %d\n", ar, bc);
	for (int i = 0; i < ar; i++) {
		for (int j = 0; j < bc; j++) {
			double s = 0;
			for (int k = 0; k < ac; k++)
				s += a[i * ac + k] * b[j * br + k];
			printf(j ? " %.6f" : "%.6f", s);
		}
		putchar('\n');
	}
	free(a);
	free(b);
	return 0;
}
