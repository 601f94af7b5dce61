import math
xs = [1e12 + (i % 10) * 0.5 for i in range(100000)]
m, v = candidate(xs)
assert math.isclose(m, 1e12 + 2.25, rel_tol=1e-15), m
# values 0, 0.5, ..., 4.5 equally often: population variance 2.0625
assert math.isclose(v, 2.0625 * 100000 / 99999, rel_tol=1e-6), v
