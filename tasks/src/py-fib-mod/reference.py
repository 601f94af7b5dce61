import sys

MOD = 1_000_000_007


def fib(n):
    # Fast doubling: (F(k), F(k+1)) from the bits of n, high to low.
    a, b = 0, 1
    for bit in bin(n)[2:]:
        c = a * (2 * b - a) % MOD
        d = (a * a + b * b) % MOD
        if bit == "1":
            a, b = d, (c + d) % MOD
        else:
            a, b = c, d
    return a


out = [str(fib(int(tok))) for tok in sys.stdin.read().split()]
if out:
    sys.stdout.write("\n".join(out) + "\n")
