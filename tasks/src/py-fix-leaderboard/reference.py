def leaderboard(scores, k):
    totals = {}
    for player, points in scores:
        totals[player] = totals.get(player, 0) + points
    if k <= 0:
        return []
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [[p, t] for p, t in ranked[:k]]
