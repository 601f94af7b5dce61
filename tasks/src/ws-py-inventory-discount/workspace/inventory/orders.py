from . import pricing

# Discount codes and their rates.
DISCOUNTS = {
    "SAVE10": 0.10,
    "HALF": 0.50,
}


def order_total(lines, code=None):
    """Total of [(item, qty), ...] in cents, less the discount of code."""
    total = sum(pricing.line_total(item, qty) for item, qty in lines)
    if code is None:
        return total
    if code not in DISCOUNTS:
        raise ValueError("unknown discount code %r" % code)
    return pricing.apply_discount(total, DISCOUNTS[code])


def reserve(lines):
    """Take the lines' quantities out of stock, all or nothing."""
    for item, qty in lines:
        if item.stock < qty:
            raise ValueError("not enough %s" % item.sku)
    for item, qty in lines:
        item.stock -= qty
