def leaderboard(scores, k):
    totals = {}
    for player, points in scores:
        totals[player] = points
    ranked = sorted(totals.items(), key=lambda kv: (kv[1], kv[0]))
    return [list(kv) for kv in ranked[:k]]
