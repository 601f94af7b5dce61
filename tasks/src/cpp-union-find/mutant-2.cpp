#include <cstdio>
#include <cstring>
#include <numeric>
#include <vector>

std::vector<int> parent;

int find(int x)
{
	return parent[x] == x ? x : parent[x] = find(parent[x]);
}

int main()
{
	int n, m;
	if (std::scanf("%d %d", &n, &m) != 2)
		return 1;
	parent.resize(n);
	std::iota(parent.begin(), parent.end(), 0);
	int sets = n;
	char op[16];
	for (int i = 0; i < m; i++) {
		int a, b;
		if (std::scanf("%15s %d %d", op, &a, &b) != 3)
			return 1;
		if (std::strcmp(op, "union") == 0) {
			parent[find(a)] = find(b);
			sets--;
		} else {
			std::puts(find(a) == find(b) ? "yes" : "no");
		}
	}
	std::printf("%d\n", sets);
	return 0;
}
