def calculate_user_metrics(users):
    if not users:
        return {"total_users": 0, "active_users": 0, "active_rate": 0.0,
                "avg_sessions": 0.0, "revenue_per_active": 0.0, "top_users": []}
    total = len(users)
    active = [u for u in users if u["active"]]
    sessions = sum(u["sessions"] for u in users)
    revenue = sum(u["revenue"] for u in active)
    top = sorted(users, key=lambda u: -u["revenue"])[:3]
    return {
        "total_users": total,
        "active_users": len(active),
        "active_rate": round(len(active) / total, 2),
        "avg_sessions": round(sessions / total, 2),
        "revenue_per_active": round(revenue / len(active), 2) if active else 0.0,
        "top_users": [u["name"] for u in top],
    }
