users = [
    {"name": "ann", "active": True, "sessions": 10, "revenue": 120.0},
    {"name": "bob", "active": False, "sessions": 2, "revenue": 15.5},
    {"name": "cid", "active": True, "sessions": 4, "revenue": 30.25},
    {"name": "dee", "active": True, "sessions": 0, "revenue": 0.0},
]
r = calculate_user_metrics(users)
assert r["total_users"] == 4, r
assert r["active_users"] == 3, r
assert r["active_rate"] == 0.75, r
assert r["avg_sessions"] == 4.0, r
assert r["revenue_per_active"] == 50.08, r
assert r["top_users"] == ["ann", "cid", "bob"], r
