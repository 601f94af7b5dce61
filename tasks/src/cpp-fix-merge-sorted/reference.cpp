#include <utility>
#include <vector>

std::vector<std::pair<int, int>> merge_sorted(const std::vector<std::pair<int, int>> &a, const std::vector<std::pair<int, int>> &b)
{
	std::vector<std::pair<int, int>> out;
	size_t i = 0, j = 0;

	out.reserve(a.size() + b.size());
	while (i < a.size() && j < b.size()) {
		// <= keeps a's element first on equal keys: a stable merge.
		if (a[i].first <= b[j].first)
			out.push_back(a[i++]);
		else
			out.push_back(b[j++]);
	}
	out.insert(out.end(), a.begin() + i, a.end());
	out.insert(out.end(), b.begin() + j, b.end());
	return out;
}
