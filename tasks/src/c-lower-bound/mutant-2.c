#include <stddef.h>

size_t lower_bound(const int *a, size_t n, int key)
{
	long lo = 0, hi = (long)n - 1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		if (a[mid] == key)
			return (size_t)mid;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return (size_t)lo;
}
