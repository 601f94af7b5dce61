#include <math.h>
#include <stdint.h>

uint64_t isqrt64(uint64_t n)
{
	return (uint64_t)sqrt((double)n);
}
