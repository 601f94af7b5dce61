def rating_summary(reviews):
    sums = {}
    counts = {}
    for r in reviews:
        p = r["product"]
        counts[p] = counts.get(p, 0) + 1
        if 1 <= r["stars"] <= 5:
            sums[p] = sums.get(p, 0) + r["stars"]
    out = []
    for p in counts:
        out.append([p, round(sums[p] / counts[p], 2), counts[p]])
    out.sort(key=lambda row: (row[1], row[0]))
    return out
