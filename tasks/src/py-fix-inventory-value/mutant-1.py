def inventory_report(items):
    total = 0
    costs = []
    out = []
    for it in items:
        if it["qty"] == 0:
            out.append(it["sku"])
        if it["unit_cost"]:
            total += it["qty"] * it["unit_cost"]
            costs.append(it["unit_cost"])
    return {
        "items": len(items),
        "total_value": round(total, 2),
        "out_of_stock": out,
        "avg_unit_cost": round(sum(costs) / len(items), 2),
    }
