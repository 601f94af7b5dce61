from .cache import LRUCache


class PageStore:
    """Pages read through a loader, cached."""

    def __init__(self, loader, capacity=64):
        self.loader = loader
        self.cache = LRUCache(capacity)
        self.hits = 0
        self.misses = 0

    def read(self, page):
        data = self.cache.get(page)
        if data is None:
            self.misses += 1
            data = self.loader(page)
            self.cache.put(page, data)
        self.hits += 1
        return data
