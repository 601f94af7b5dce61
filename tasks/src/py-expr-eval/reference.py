def evaluate(expr):
    tokens = []
    i = 0
    while i < len(expr):
        c = expr[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(expr) and expr[j].isdigit():
                j += 1
            tokens.append(int(expr[i:j]))
            i = j
        elif c in "+-*/%()":
            tokens.append(c)
            i += 1
        else:
            return None
    pos = 0

    class Bad(Exception):
        pass

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        if pos >= len(tokens):
            raise Bad()
        pos += 1
        return tokens[pos - 1]

    def expr_():
        v = term()
        while peek() in ("+", "-"):
            v = v + term() if take() == "+" else v - term()
        return v

    def term():
        v = unary()
        while peek() in ("*", "/", "%"):
            op = take()
            r = unary()
            if op == "*":
                v *= r
            else:
                if r == 0:
                    raise Bad()
                q = abs(v) // abs(r)
                if (v < 0) != (r < 0):
                    q = -q
                v = q if op == "/" else v - q * r
        return v

    def unary():
        t = peek()
        if t == "-":
            take()
            return -unary()
        if t == "+":
            take()
            return unary()
        return primary()

    def primary():
        t = take()
        if isinstance(t, int):
            return t
        if t == "(":
            v = expr_()
            if take() != ")":
                raise Bad()
            return v
        raise Bad()

    try:
        v = expr_()
    except Bad:
        return None
    if pos != len(tokens):
        return None
    return v
