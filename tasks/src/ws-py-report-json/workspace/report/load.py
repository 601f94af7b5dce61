import csv


def load(path):
    """Rows of a sales CSV as (region, product, cents) tuples."""
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            rows.append((rec["region"], rec["product"], int(rec["cents"])))
    return rows
