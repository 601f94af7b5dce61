from collections import OrderedDict


def lru_simulate(capacity, ops):
    cache = OrderedDict()
    out = []
    for op in ops:
        if op[0] == "get":
            out.append(cache.get(op[1], -1))
        else:
            _, key, value = op
            if capacity <= 0:
                continue
            cache[key] = value
            cache.move_to_end(key)
            if len(cache) > capacity:
                cache.popitem(last=False)
    return out
