from .units import distance


class Polygon:
    def __init__(self, points):
        if len(points) < 3:
            raise ValueError("a polygon needs three points")
        self.points = list(points)

    def perimeter(self):
        pts = self.points
        return sum(distance(pts[i], pts[(i + 1) % len(pts)])
                   for i in range(len(pts)))

    def area(self):
        pts = self.points
        s = 0.0
        for i in range(len(pts)):
            a, b = pts[i], pts[(i + 1) % len(pts)]
            s += a.x * b.y - b.x * a.y
        return abs(s) / 2
