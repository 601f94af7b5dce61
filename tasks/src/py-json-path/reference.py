import re

_STEP = re.compile(r"\.?([A-Za-z0-9_-]+)|\[(\d+)\]")


def json_get(data, path, default=None):
    pos = 0
    cur = data
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m or m.end() == pos:
            return default
        if pos == 0 and path[0] == ".":
            return default
        pos = m.end()
        if m.group(1) is not None:
            if not isinstance(cur, dict) or m.group(1) not in cur:
                return default
            cur = cur[m.group(1)]
        else:
            i = int(m.group(2))
            if not isinstance(cur, list) or i >= len(cur):
                return default
            cur = cur[i]
    return cur
