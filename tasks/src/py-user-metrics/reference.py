def calculate_user_metrics(users):
    total = len(users)
    active = [u for u in users if u.get("active", False)]
    sessions = sum(u.get("sessions", 0) for u in users)
    revenue = sum(u.get("revenue", 0.0) for u in active)
    top = sorted(users, key=lambda u: -u.get("revenue", 0.0))[:3]
    return {
        "total_users": total,
        "active_users": len(active),
        "active_rate": round(len(active) / total, 2) if total else 0.0,
        "avg_sessions": round(sessions / total, 2) if total else 0.0,
        "revenue_per_active": round(revenue / len(active), 2) if active else 0.0,
        "top_users": [u.get("name") for u in top],
    }
