def median(xs):
    if not xs:
        return None
    s = sorted(xs)
    return s[len(s) // 2]
