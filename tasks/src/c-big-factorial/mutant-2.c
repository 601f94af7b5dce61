#include <stdio.h>

int main(void)
{
	int n;

	while (scanf("%d", &n) == 1) {
		unsigned long long f = 1;
		unsigned long sum = 0;
		for (int k = 2; k <= n; k++)
			f *= (unsigned long long)k;
		for (unsigned long long x = f; x != 0; x /= 10)
			sum += x % 10;
		printf("%llu %lu\n", f, sum);
	}
	return 0;
}
