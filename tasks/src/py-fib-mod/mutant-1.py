import sys

MOD = 1_000_000_007

for tok in sys.stdin.read().split():
    n = int(tok)
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) % MOD
    print(a)
