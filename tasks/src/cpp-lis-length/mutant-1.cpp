#include <algorithm>
#include <vector>

int lis_length(const std::vector<int> &a)
{
	// tails[k]: the smallest tail of an increasing subsequence of length k+1.
	std::vector<int> tails;
	for (int x : a) {
		auto it = std::upper_bound(tails.begin(), tails.end(), x);
		if (it == tails.end())
			tails.push_back(x);
		else
			*it = x;
	}
	return (int)tails.size();
}
