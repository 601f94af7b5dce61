import unittest

from report.render import to_text
from report.summary import Summary


class TestText(unittest.TestCase):
    def test_text(self):
        s = Summary([("north", "tea", 250), ("south", "tea", 100), ("north", "jam", 5)])
        self.assertEqual(to_text(s), "total: 3.55\n  north: 2.55\n  south: 1.00\n")
