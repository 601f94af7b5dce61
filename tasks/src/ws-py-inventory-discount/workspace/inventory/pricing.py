def line_total(item, qty):
    """Price of qty units of item, in cents."""
    if qty < 0:
        raise ValueError("negative quantity")
    return item.price_cents * qty


def apply_discount(total_cents, percent):
    """total_cents less percent per cent (0 to 100), rounded half up."""
    if not 0 <= percent <= 100:
        raise ValueError("percent out of range")
    off = (total_cents * percent * 2 + 100) // 200
    return total_cents - off
