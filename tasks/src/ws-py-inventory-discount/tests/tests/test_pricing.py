import unittest

from inventory.models import Item
from inventory import pricing


class TestPricing(unittest.TestCase):
    def test_line_total(self):
        self.assertEqual(pricing.line_total(Item("a", "A", 250), 3), 750)

    def test_discount_rounds_half_up(self):
        self.assertEqual(pricing.apply_discount(1005, 10), 904)
        self.assertEqual(pricing.apply_discount(1000, 0), 1000)
