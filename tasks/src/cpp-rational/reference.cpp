#include <numeric>
#include <string>

struct Rational {
	long long num, den;
};

static long long gcd_abs(long long a, long long b)
{
	// std::gcd on the absolute values; results here never reach LLONG_MIN.
	return std::gcd(a < 0 ? -a : a, b < 0 ? -b : b);
}

Rational make_rational(long long n, long long d)
{
	if (n == 0)
		return {0, 1};
	long long g = gcd_abs(n, d);
	n /= g;
	d /= g;
	if (d < 0) {
		n = -n;
		d = -d;
	}
	return {n, d};
}

Rational add(Rational a, Rational b)
{
	a = make_rational(a.num, a.den);
	b = make_rational(b.num, b.den);
	long long g = gcd_abs(a.den, b.den);
	// a.num*(b.den/g) + b.num*(a.den/g) over lcm; __int128 keeps the sum exact.
	__int128 n = (__int128)a.num * (b.den / g) + (__int128)b.num * (a.den / g);
	__int128 d = (__int128)(a.den / g) * b.den;
	__int128 x = n < 0 ? -n : n, y = d;
	while (y != 0) {
		__int128 t = x % y;
		x = y;
		y = t;
	}
	if (x == 0)
		return {0, 1};
	return make_rational((long long)(n / x), (long long)(d / x));
}

Rational mul(Rational a, Rational b)
{
	a = make_rational(a.num, a.den);
	b = make_rational(b.num, b.den);
	if (a.num == 0 || b.num == 0)
		return {0, 1};
	long long g1 = gcd_abs(a.num, b.den), g2 = gcd_abs(b.num, a.den);
	return make_rational((a.num / g1) * (b.num / g2), (a.den / g2) * (b.den / g1));
}

std::string to_string(Rational r)
{
	r = make_rational(r.num, r.den);
	if (r.den == 1)
		return std::to_string(r.num);
	return std::to_string(r.num) + "/" + std::to_string(r.den);
}
