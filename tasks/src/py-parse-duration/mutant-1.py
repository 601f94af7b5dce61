import re

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(s):
    parts = re.findall(r"(\d+(?:\.\d+)?)([dhms])", s)
    if not parts:
        return None
    return round(sum(float(n) * _UNITS[u] for n, u in parts))
