"""A small inventory: items, stock, orders."""
