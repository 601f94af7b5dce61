def split_csv(line):
    fields = []
    buf = []
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            fields.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if quoted:
        return None
    fields.append("".join(buf))
    return fields
