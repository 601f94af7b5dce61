import re

_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_interval(text):
    text = text.strip()
    if text.isdigit():
        return int(text)
    parts = re.findall(r"(\d+)([smhd])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError("bad duration %r" % text)
    return sum(int(n) * _UNIT[u] for n, u in parts)


def next_run(last, every):
    """The time (seconds) of the next run after last, every 'every'."""
    return last + _parse_interval(every)
