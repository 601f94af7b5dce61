def inventory_report(items):
    total = 0.0
    costs = []
    out = []
    for it in items:
        qty = it.get("qty", 0)
        cost = it.get("unit_cost")
        if qty == 0:
            out.append(it["sku"])
        if cost is not None:
            total += qty * cost
            costs.append(cost)
    return {
        "items": len(items),
        "total_value": round(total, 2),
        "out_of_stock": out,
        "avg_unit_cost": round(sum(costs) / len(items), 2) if items else 0.0,
    }
