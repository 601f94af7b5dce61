def split_csv(line):
    fields = []
    i = 0
    n = len(line)
    while True:
        if i < n and line[i] == '"':
            i += 1
            buf = []
            while True:
                if i >= n:
                    return None
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(line[i])
                i += 1
            fields.append("".join(buf))
            if i < n and line[i] != ",":
                return None
        else:
            j = i
            while j < n and line[j] != ",":
                if line[j] == '"':
                    return None
                j += 1
            fields.append(line[i:j])
            i = j
        if i >= n:
            return fields
        i += 1  # the comma
