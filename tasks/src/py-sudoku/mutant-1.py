def solve_sudoku(grid):
    g = [0 if ch == "." else int(ch) for ch in grid]

    def ok(i, v):
        r, c = divmod(i, 9)
        for k in range(9):
            if g[r * 9 + k] == v or g[k * 9 + c] == v:
                return False
        br, bc = 3 * (r // 3), 3 * (c // 3)
        for a in range(3):
            for b in range(3):
                if g[(br + a) * 9 + bc + b] == v:
                    return False
        return True

    def search(i):
        while i < 81 and g[i]:
            i += 1
        if i == 81:
            return True
        for v in range(1, 10):
            if ok(i, v):
                g[i] = v
                if search(i + 1):
                    return True
                g[i] = 0
        return False

    if not search(0):
        return ""
    return "".join(map(str, g))
