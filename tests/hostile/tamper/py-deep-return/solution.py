# Hands the checker a value nested a million lists deep (built without
# recursion): whatever decodes or compares it must not crash, hang or
# carry the damage into the next run.
def add(a, b):
    v = []
    for _ in range(10 ** 6):
        v = [v]
    return v
