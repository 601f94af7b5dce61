ops = []
for i in range(100000):
    ops.append(["put", i % 5000, i])
    ops.append(["get", (i * 7) % 6000])
res = candidate(4000, ops)
assert len(res) == 100000
assert res[0] == 0 and res[-1] == 98993, (res[0], res[-1])
assert sum(1 for r in res if r == -1) == 44344
