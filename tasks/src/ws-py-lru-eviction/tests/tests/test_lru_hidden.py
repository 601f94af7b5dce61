import unittest

from kv.cache import LRUCache
from kv.store import PageStore


class TestLRU(unittest.TestCase):
    def test_evicts_least_recent(self):
        c = LRUCache(2)
        c.put("a", 1)
        c.put("b", 2)
        c.put("c", 3)
        self.assertNotIn("a", c)
        self.assertIn("b", c)
        self.assertIn("c", c)

    def test_get_refreshes(self):
        c = LRUCache(2)
        c.put("a", 1)
        c.put("b", 2)
        c.get("a")
        c.put("c", 3)
        self.assertIn("a", c)
        self.assertNotIn("b", c)

    def test_put_refreshes(self):
        c = LRUCache(2)
        c.put("a", 1)
        c.put("b", 2)
        c.put("a", 10)
        c.put("c", 3)
        self.assertEqual(c.get("a"), 10)
        self.assertNotIn("b", c)
        self.assertEqual(len(c), 2)

    def test_falsy_values_cached(self):
        calls = []

        def loader(p):
            calls.append(p)
            return b"" if p == 0 else None

        s = PageStore(loader, capacity=4)
        for _ in range(3):
            s.read(0)
            s.read(1)
        self.assertEqual(calls, [0, 1])
        self.assertEqual((s.hits, s.misses), (4, 2))

    def test_counters(self):
        s = PageStore(lambda p: "page%d" % p, capacity=2)
        for p in [1, 2, 1, 3, 1, 2]:
            s.read(p)
        self.assertEqual((s.hits, s.misses), (2, 4))
