#include <iostream>
#include <string>
#include <vector>

std::vector<int> parent;

int find(int x)
{
	while (parent[x] != x)
		x = parent[x];
	return x;
}

int main()
{
	int n, m;
	std::cin >> n >> m;
	parent.resize(n);
	for (int i = 0; i < n; i++)
		parent[i] = i;
	int sets = n;
	for (int i = 0; i < m; i++) {
		std::string op;
		int a, b;
		std::cin >> op >> a >> b;
		if (op == "union") {
			a = find(a);
			b = find(b);
			if (a != b) {
				parent[a] = b;
				sets--;
			}
		} else {
			std::cout << (find(a) == find(b) ? "yes" : "no") << std::endl;
		}
	}
	std::cout << sets << std::endl;
	return 0;
}
