import unittest

import geo


class TestGeo(unittest.TestCase):
    def test_distance(self):
        self.assertEqual(geo.distance(geo.Point(0, 0), geo.Point(3, 4)), 5)
