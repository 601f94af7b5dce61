import sys

data = sys.stdin.read().split()
n = int(data[0]) if data else 0
xs = []
for tok in data[1:n + 1]:
    xs.append(int(tok))
    s = sorted(xs)
    k = len(s)
    m = s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) // 2
    print("%d.0" % m)
