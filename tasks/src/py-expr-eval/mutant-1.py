import re


def evaluate(expr):
    if not re.fullmatch(r"[\d\s+\-*/%()]+", expr) or not expr.strip():
        return None
    try:
        return int(eval(expr.replace("/", "//")))
    except Exception:
        return None
