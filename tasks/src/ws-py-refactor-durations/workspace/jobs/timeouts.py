import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(spec):
    spec = spec.strip()
    if spec.isdigit():
        return int(spec)
    found = re.findall(r"(\d+)([smhd])", spec)
    if not found or "".join(n + u for n, u in found) != spec:
        raise ValueError("bad duration %r" % spec)
    total = 0
    for n, u in found:
        total += int(n) * UNITS[u]
    return total


def deadline(start, limit):
    """start plus the limit, or None when the limit is 'none'."""
    if limit == "none":
        return None
    return start + _seconds(limit)
