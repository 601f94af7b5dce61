def glob_match(pattern, s):
    if not pattern:
        return not s
    c = pattern[0]
    if c == "*":
        return glob_match(pattern[1:], s) or (bool(s) and glob_match(pattern, s[1:]))
    if not s:
        return False
    if c == "?":
        return glob_match(pattern[1:], s[1:])
    if c == "\\" and len(pattern) > 1:
        return s[0] == pattern[1] and glob_match(pattern[2:], s[1:])
    if c == "[":
        j = pattern.find("]", 2)
        if j > 0:
            body = pattern[1:j]
            neg = body.startswith("!")
            if neg:
                body = body[1:]
            hit = False
            k = 0
            while k < len(body):
                if k + 2 < len(body) and body[k + 1] == "-":
                    hit = hit or body[k] <= s[0] <= body[k + 2]
                    k += 3
                else:
                    hit = hit or body[k] == s[0]
                    k += 1
            return hit != neg and glob_match(pattern[j + 1:], s[1:])
    return c == s[0] and glob_match(pattern[1:], s[1:])
