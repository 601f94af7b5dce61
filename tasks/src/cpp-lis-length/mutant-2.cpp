#include <algorithm>
#include <vector>

int lis_length(const std::vector<int> &a)
{
	std::vector<int> best(a.size(), 1);
	int res = 0;
	for (size_t i = 0; i < a.size(); i++) {
		for (size_t j = 0; j < i; j++)
			if (a[j] < a[i])
				best[i] = std::max(best[i], best[j] + 1);
		res = std::max(res, best[i]);
	}
	return res;
}
