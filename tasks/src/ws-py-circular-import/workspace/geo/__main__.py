import sys

from geo import Point, distance

a, b = float(sys.argv[1]), float(sys.argv[2])
print("%g" % distance(Point(0, 0), Point(a, b)))
