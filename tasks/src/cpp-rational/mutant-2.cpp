#include <numeric>
#include <string>

struct Rational {
	long long num, den;
};

Rational make_rational(long long n, long long d)
{
	if (n == 0)
		return {0, 1};
	long long g = std::gcd(n < 0 ? -n : n, d < 0 ? -d : d);
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
	return make_rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

Rational mul(Rational a, Rational b)
{
	return make_rational(a.num * b.num, a.den * b.den);
}

std::string to_string(Rational r)
{
	if (r.den == 1)
		return std::to_string(r.num);
	return std::to_string(r.num) + "/" + std::to_string(r.den);
}
