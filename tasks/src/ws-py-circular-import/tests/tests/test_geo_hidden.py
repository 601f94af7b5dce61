import subprocess
import sys
import unittest

import geo
from geo import units
from geo.shapes import Polygon


class TestGeoHidden(unittest.TestCase):
    def square(self):
        return Polygon([geo.Point(0, 0), geo.Point(2, 0), geo.Point(2, 2), geo.Point(0, 2)])

    def test_polygon(self):
        self.assertEqual(self.square().perimeter(), 8)
        self.assertEqual(self.square().area(), 4)
        self.assertIs(geo.Polygon, Polygon)

    def test_units(self):
        self.assertAlmostEqual(units.to_km(10), 16.09344)
        self.assertAlmostEqual(units.distance_km(geo.Point(0, 0), geo.Point(0, 1)), 1.609344)

    def test_command(self):
        p = subprocess.run([sys.executable, "-m", "geo", "3", "4"], capture_output=True, text=True)
        self.assertEqual((p.returncode, p.stdout), (0, "5\n"), p.stderr)

    def test_fresh_imports(self):
        for mod in ["geo.units", "geo.shapes", "geo.point"]:
            p = subprocess.run([sys.executable, "-c", "import %s" % mod], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
