from .ops import add, mean
