#include <stdio.h>

static long solve(unsigned int full, unsigned int cols, unsigned int d1,
    unsigned int d2)
{
	unsigned int free_;
	long count = 0;

	if (cols == full)
		return 1;
	free_ = full & ~(cols | d1 | d2);
	while (free_ != 0) {
		unsigned int bit = free_ & -free_;
		free_ ^= bit;
		count += solve(full, cols | bit, d1 | bit << 1, d2 | bit >> 1);
	}
	return count;
}

int main(void)
{
	int n;

	while (scanf("%d", &n) == 1)
		printf("%ld\n", solve((1u << n) - 1, 0, 0, 0));
	return 0;
}
