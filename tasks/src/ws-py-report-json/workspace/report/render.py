def cents(n):
    return "%d.%02d" % divmod(n, 100)


def to_text(summary):
    lines = ["total: %s" % cents(summary.total_cents)]
    for region in sorted(summary.by_region):
        lines.append("  %s: %s" % (region, cents(summary.by_region[region])))
    return "\n".join(lines) + "\n"
