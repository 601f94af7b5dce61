#include <algorithm>
#include <iostream>
#include <vector>

int main()
{
	long long n, q;
	std::cin >> n >> q;
	std::vector<long long> a(n);
	for (auto &x : a)
		std::cin >> x;
	std::sort(a.begin(), a.end());
	while (q-- > 0) {
		long long k;
		std::cin >> k;
		if (k < 0 || k >= n)
			std::cout << "none\n";
		else
			std::cout << a[k] << "\n";
	}
	return 0;
}
