long long gcd(long long a, long long b)
{
	unsigned long long x = a < 0 ? 0ULL - (unsigned long long)a : (unsigned long long)a;
	unsigned long long y = b < 0 ? 0ULL - (unsigned long long)b : (unsigned long long)b;

	while (y != 0) {
		unsigned long long t = x % y;
		x = y;
		y = t;
	}
	return (long long)x;
}

long long lcm(long long a, long long b)
{
	long long g;

	if (a == 0 || b == 0)
		return 0;
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	g = gcd(a, b);
	return a / g * b;
}
