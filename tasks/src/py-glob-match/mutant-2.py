def glob_match(pattern, s):
    # translate to a regular expression by hand
    import re as r
    out = []
    for c in pattern:
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            out.append("[")
        elif c == "]":
            out.append("]")
        elif c == "!":
            out.append("^")
        else:
            out.append(r.escape(c))
    try:
        return r.fullmatch("".join(out), s) is not None
    except r.error:
        return False
