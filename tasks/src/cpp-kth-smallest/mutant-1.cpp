#include <algorithm>
#include <iostream>
#include <vector>

int main()
{
	int n, q;
	std::cin >> n >> q;
	std::vector<int> a(n);
	for (auto &x : a)
		std::cin >> x;
	std::sort(a.begin(), a.end());
	while (q-- > 0) {
		int k;
		std::cin >> k;
		if (k < 1 || k > n)
			std::cout << "none\n";
		else
			std::cout << a[k - 1] << "\n";
	}
	return 0;
}
