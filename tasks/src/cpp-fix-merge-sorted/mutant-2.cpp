#include <utility>
#include <vector>

std::vector<std::pair<int, int>> merge_sorted(const std::vector<std::pair<int, int>> &a, const std::vector<std::pair<int, int>> &b)
{
	std::vector<std::pair<int, int>> out;
	size_t i = 0, j = 0;
	while (i < a.size() || j < b.size()) {
		if (j >= b.size() || a[i].first <= b[j].first)
			out.push_back(a[i++]);
		else
			out.push_back(b[j++]);
	}
	return out;
}
