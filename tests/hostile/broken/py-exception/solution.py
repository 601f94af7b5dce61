# Raises.
raise ValueError("broken on purpose")
