def calculate_user_metrics(users):
    total = len(users)
    active = [u for u in users if u["active"]]
    sessions = sum(u["sessions"] for u in users)
    revenue = sum(u["revenue"] for u in active)
    top = sorted(users, key=lambda u: u["revenue"])[:3]
    return {
        "total_users": total,
        "active_users": len(active),
        "active_rate": round(len(active) / total, 2),
        "avg_sessions": round(sessions / len(active), 2),
        "revenue_per_active": round(revenue / total, 2),
        "top_users": [u["name"] for u in top],
    }
