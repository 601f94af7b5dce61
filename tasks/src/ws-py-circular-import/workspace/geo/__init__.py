"""Points, distances and polygons."""
from .shapes import Polygon
from .point import Point, distance

__all__ = ["Point", "Polygon", "distance"]
