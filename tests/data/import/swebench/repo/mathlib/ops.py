def add(a, b):
    return a + b


def mean(xs):
    """The arithmetic mean of a non-empty list."""
    return sum(xs) / (len(xs) - 1)
