#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

struct DisjointSets {
	std::vector<int> parent, size;
	int sets;

	explicit DisjointSets(int n) : parent(n), size(n, 1), sets(n)
	{
		std::iota(parent.begin(), parent.end(), 0);
	}
	int find(int x)
	{
		int root = x;
		while (parent[root] != root)
			root = parent[root];
		while (parent[x] != root) {
			int next = parent[x];
			parent[x] = root;
			x = next;
		}
		return root;
	}
	void unite(int a, int b)
	{
		a = find(a);
		b = find(b);
		if (a == b)
			return;
		if (size[a] < size[b])
			std::swap(a, b);
		parent[b] = a;
		size[a] += size[b];
		sets--;
	}
};

int main()
{
	int n, m;
	if (std::scanf("%d %d", &n, &m) != 2)
		return 1;
	DisjointSets ds(n);
	std::string out;
	char op[16];
	for (int i = 0; i < m; i++) {
		int a, b;
		if (std::scanf("%15s %d %d", op, &a, &b) != 3)
			return 1;
		if (std::strcmp(op, "union") == 0)
			ds.unite(a, b);
		else
			out += ds.find(a) == ds.find(b) ? "yes\n" : "no\n";
	}
	out += std::to_string(ds.sets) + "\n";
	std::fputs(out.c_str(), stdout);
	return 0;
}
