#include <algorithm>
#include <string>
#include <cstdio>
#include <vector>

int main()
{
	long long n, q;
	if (std::scanf("%lld %lld", &n, &q) != 2)
		return 1;
	std::vector<long long> a(n);
	for (auto &x : a)
		if (std::scanf("%lld", &x) != 1)
			return 1;
	std::sort(a.begin(), a.end());
	std::string out;
	while (q-- > 0) {
		long long k;
		if (std::scanf("%lld", &k) != 1)
			return 1;
		if (k < 1 || k > n)
			out += "none\n";
		else
			out += std::to_string(a[k - 1]) + "\n";
	}
	std::fputs(out.c_str(), stdout);
	return 0;
}
