def solve_sudoku(grid):
    cells = [0 if ch == "." else int(ch) for ch in grid]
    rows = [0] * 9
    cols = [0] * 9
    boxes = [0] * 9
    empty = []
    for i, v in enumerate(cells):
        r, c = divmod(i, 9)
        b = (r // 3) * 3 + c // 3
        if v == 0:
            empty.append(i)
            continue
        bit = 1 << v
        if rows[r] & bit or cols[c] & bit or boxes[b] & bit:
            return ""
        rows[r] |= bit
        cols[c] |= bit
        boxes[b] |= bit

    def search():
        # Fill the cell with the fewest candidates first.
        best = None
        best_mask = 0
        best_n = 10
        for i in empty:
            if cells[i]:
                continue
            r, c = divmod(i, 9)
            b = (r // 3) * 3 + c // 3
            mask = ~(rows[r] | cols[c] | boxes[b]) & 0x3FE
            n = bin(mask).count("1")
            if n < best_n:
                best, best_mask, best_n = i, mask, n
                if n <= 1:
                    break
        if best is None:
            return True
        if best_n == 0:
            return False
        r, c = divmod(best, 9)
        b = (r // 3) * 3 + c // 3
        for v in range(1, 10):
            bit = 1 << v
            if best_mask & bit:
                cells[best] = v
                rows[r] |= bit
                cols[c] |= bit
                boxes[b] |= bit
                if search():
                    return True
                rows[r] &= ~bit
                cols[c] &= ~bit
                boxes[b] &= ~bit
                cells[best] = 0
        return False

    if not search():
        return ""
    return "".join(str(v) for v in cells)
