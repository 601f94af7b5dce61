import unittest

from inventory.models import Item
from inventory import orders


def cart():
    return [(Item("pen", "Pen", 199, 10), 3), (Item("pad", "Pad", 450, 5), 2)]


class TestOrders(unittest.TestCase):
    def test_no_code(self):
        self.assertEqual(orders.order_total(cart()), 1497)

    def test_save10(self):
        self.assertEqual(orders.order_total(cart(), "SAVE10"), 1347)

    def test_half(self):
        self.assertEqual(orders.order_total(cart(), "HALF"), 748)

    def test_unknown_code(self):
        with self.assertRaises(ValueError):
            orders.order_total(cart(), "FREE")

    def test_reserve_all_or_nothing(self):
        pen, pad = Item("pen", "Pen", 199, 1), Item("pad", "Pad", 450, 5)
        with self.assertRaises(ValueError):
            orders.reserve([(pad, 2), (pen, 2)])
        self.assertEqual((pen.stock, pad.stock), (1, 5))
