import re


def json_get(data, path, default=None):
    cur = data
    for step in re.findall(r"[^.\[\]]+", path):
        try:
            cur = cur[int(step)] if step.lstrip("-").isdigit() else cur[step]
        except (KeyError, IndexError, TypeError):
            return default
    return cur
