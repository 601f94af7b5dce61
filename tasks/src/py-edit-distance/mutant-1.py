def edit_distance(a, b):
    n = max(len(a), len(b))
    return sum(1 for i in range(n)
               if i >= len(a) or i >= len(b) or a[i] != b[i])
