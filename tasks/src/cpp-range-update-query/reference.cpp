#include <cstdio>
#include <cstring>
#include <vector>

// Range add and range sum with two Fenwick trees:
// prefix(i) = sum1(i) * i - sum2(i).
struct Fenwick {
	std::vector<long long> t;
	explicit Fenwick(int n) : t(n + 1, 0) {}
	void add(int i, long long v)
	{
		for (; i < (int)t.size(); i += i & -i)
			t[i] += v;
	}
	long long sum(int i) const
	{
		long long s = 0;
		for (; i > 0; i -= i & -i)
			s += t[i];
		return s;
	}
};

int main()
{
	int n, q;
	if (std::scanf("%d %d", &n, &q) != 2)
		return 1;
	Fenwick b1(n), b2(n);
	auto prefix = [&](int i) { return b1.sum(i) * i - b2.sum(i); };
	char op[8];
	for (int k = 0; k < q; k++) {
		int l, r;
		if (std::scanf("%7s %d %d", op, &l, &r) != 3)
			return 1;
		if (std::strcmp(op, "add") == 0) {
			long long v;
			if (std::scanf("%lld", &v) != 1)
				return 1;
			b1.add(l, v);
			b1.add(r + 1, -v);
			b2.add(l, v * (l - 1));
			b2.add(r + 1, -v * r);
		} else {
			std::printf("%lld\n", prefix(r) - prefix(l - 1));
		}
	}
	return 0;
}
