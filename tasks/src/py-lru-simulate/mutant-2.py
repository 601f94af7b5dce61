def lru_simulate(capacity, ops):
    keys = []
    vals = {}
    out = []
    for op in ops:
        if op[0] == "get":
            key = op[1]
            if key in vals:
                keys.remove(key)
                keys.append(key)
                out.append(vals[key])
            else:
                out.append(-1)
        else:
            _, key, value = op
            if key in vals:
                keys.remove(key)
            elif len(keys) >= capacity and keys:
                del vals[keys.pop(0)]
            keys.append(key)
            vals[key] = value
    return out
