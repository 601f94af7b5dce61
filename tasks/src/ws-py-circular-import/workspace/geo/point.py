import math


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


def distance(a, b):
    return math.hypot(a.x - b.x, a.y - b.y)
