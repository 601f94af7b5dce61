#include <stdio.h>
#include <stdlib.h>

/* Little-endian limbs in base 10^9. */
#define BASE 1000000000u

int main(void)
{
	int n;
	size_t cap = 1200;
	unsigned int *d = malloc(cap * sizeof *d);

	if (d == NULL)
		return 1;
	while (scanf("%d", &n) == 1) {
		size_t len = 1;
		unsigned long sum = 0;

		d[0] = 1;
		for (int k = 2; k <= n; k++) {
			unsigned long long carry = 0;
			for (size_t i = 0; i < len; i++) {
				unsigned long long x = (unsigned long long)d[i] * (unsigned)k + carry;
				d[i] = (unsigned int)(x % BASE);
				carry = x / BASE;
			}
			while (carry != 0) {
				if (len == cap) {
					unsigned int *nd = realloc(d, 2 * cap * sizeof *d);
					if (nd == NULL)
						return 1;
					d = nd;
					cap *= 2;
				}
				d[len++] = (unsigned int)(carry % BASE);
				carry /= BASE;
			}
		}
		printf("%u", d[len - 1]);
		for (size_t i = len - 1; i-- > 0;)
			printf("%u", d[i]);
		for (size_t i = 0; i < len; i++)
			for (unsigned int x = d[i]; x != 0; x /= 10)
				sum += x % 10;
		printf(" %lu\n", sum);
	}
	free(d);
	return 0;
}
