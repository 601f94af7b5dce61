import re

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(s):
    m = re.fullmatch(r"\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*", s)
    if not m or not any(m.groups()):
        return None
    return sum(int(g or 0) * u for g, u in zip(m.groups(), (86400, 3600, 60, 1)))
