import re
from decimal import Decimal, ROUND_HALF_UP

_PART = re.compile(r"\s*(\d+(?:\.\d+)?)([dhms])")
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(s):
    pos = 0
    total = Decimal(0)
    last = -1
    order = "dhms"
    parts = 0
    while True:
        m = _PART.match(s, pos)
        if not m:
            break
        u = order.index(m.group(2))
        if u <= last:
            return None
        last = u
        total += Decimal(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
        parts += 1
    if parts == 0 or s[pos:].strip():
        return None
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
