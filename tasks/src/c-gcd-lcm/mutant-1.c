long long gcd(long long a, long long b)
{
	while (b != 0) {
		long long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

long long lcm(long long a, long long b)
{
	if (a == 0 || b == 0)
		return 0;
	return a * b / gcd(a, b);
}
