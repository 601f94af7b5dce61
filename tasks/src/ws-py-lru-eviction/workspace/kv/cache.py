from collections import OrderedDict


class LRUCache:
    """At most capacity entries; the least recently used goes first."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._d = OrderedDict()

    def get(self, key, default=None):
        if key not in self._d:
            return default
        return self._d[key]

    def put(self, key, value):
        self._d[key] = value
        if len(self._d) > self.capacity:
            self._d.popitem(last=True)

    def __contains__(self, key):
        return key in self._d

    def __len__(self):
        return len(self._d)
