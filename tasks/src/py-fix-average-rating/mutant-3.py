def rating_summary(reviews):
    sums = {}
    counts = {}
    for r in reviews:
        stars = r.get("stars")
        if stars is None or not 1 <= stars <= 5:
            continue
        p = r["product"]
        sums[p] = sums.get(p, 0) + stars
        counts[p] = counts.get(p, 0) + 1
    out = [[p, sums[p] // counts[p], counts[p]] for p in counts]
    out.sort(key=lambda row: (-row[1], row[0]))
    return out
