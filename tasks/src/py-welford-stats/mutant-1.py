def mean_variance(xs):
    n = len(xs)
    if n == 0:
        return [None, None]
    mean = sum(xs) / n
    if n == 1:
        return [mean, 0.0]
    return [mean, (sum(x * x for x in xs) - n * mean * mean) / (n - 1)]
