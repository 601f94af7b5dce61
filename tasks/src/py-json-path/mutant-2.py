import re

_STEP = re.compile(r"\.?([A-Za-z0-9_-]+)|\[(\d+)\]")


def json_get(data, path, default=None):
    pos = 0
    cur = data
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m:
            return default
        pos = m.end()
        key = m.group(1) if m.group(1) is not None else int(m.group(2))
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            return default
        if cur is None:
            return default
    return cur
