def _compile(pattern):
    # A list of items: ("*",), ("?",), ("lit", c) or ("set", negated, members, ranges).
    items = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            items.append(("*",))
            i += 1
        elif c == "?":
            items.append(("?",))
            i += 1
        elif c == "\\" and i + 1 < n:
            items.append(("lit", pattern[i + 1]))
            i += 2
        elif c == "[":
            j = i + 1
            neg = j < n and pattern[j] == "!"
            if neg:
                j += 1
            start = j
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                items.append(("lit", "["))
                i += 1
                continue
            body = pattern[start:j]
            members = set()
            ranges = []
            k = 0
            while k < len(body):
                if k + 2 < len(body) and body[k + 1] == "-":
                    ranges.append((body[k], body[k + 2]))
                    k += 3
                else:
                    members.add(body[k])
                    k += 1
            items.append(("set", neg, members, ranges))
            i = j + 1
        else:
            items.append(("lit", c))
            i += 1
    return items


def _one(item, ch):
    kind = item[0]
    if kind == "?":
        return True
    if kind == "lit":
        return item[1] == ch
    _, neg, members, ranges = item
    hit = ch in members or any(lo <= ch <= hi for lo, hi in ranges)
    return hit != neg


def glob_match(pattern, s):
    items = _compile(pattern)
    # can[j]: the items so far can match s[:j].
    can = [False] * (len(s) + 1)
    can[0] = True
    for item in items:
        nxt = [False] * (len(s) + 1)
        if item[0] == "*":
            seen = False
            for j in range(len(s) + 1):
                seen = seen or can[j]
                nxt[j] = seen
        else:
            for j in range(len(s)):
                if can[j] and _one(item, s[j]):
                    nxt[j + 1] = True
        can = nxt
    return can[len(s)]
