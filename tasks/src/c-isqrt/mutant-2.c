#include <stdint.h>

uint64_t isqrt64(uint64_t n)
{
	uint64_t lo = 0, hi = n;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (mid * mid <= n)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}
