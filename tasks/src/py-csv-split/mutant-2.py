def split_csv(line):
    fields = []
    i = 0
    n = len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j = line.find('"', i + 1)
            if j < 0:
                return None
            fields.append(line[i + 1:j])
            i = j + 2
        else:
            j = line.find(",", i)
            if j < 0:
                j = n
            fields.append(line[i:j])
            i = j + 1
    return fields
