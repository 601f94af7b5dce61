def check(solve):
    puzzles = [
        "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..",
        "..............3.85..1.2.......5.7.....4...1...9.......5......73..2.1........4...9",
        ".......12........3..23..4....1....5...6...7..8....9...4..5..6........8.7......1..",
    ]
    for p in puzzles:
        s = solve(p)
        assert len(s) == 81 and "." not in s, s
        for i, c in enumerate(p):
            assert c == "." or s[i] == c
        for k in range(9):
            assert len(set(s[k * 9:k * 9 + 9])) == 9
            assert len(set(s[k::9])) == 9
            r, c = 3 * (k // 3), 3 * (k % 3)
            assert len({s[(r + i) * 9 + c + j] for i in range(3) for j in range(3)}) == 9
