# Hands the checker a 100 MB string, then a dict of a million keys: the
# checker's own memory must be bounded, and the next run unharmed.
def add(a, b):
    if a == 2:
        return "x" * (100 << 20)
    return {str(i): i for i in range(10 ** 6)}
