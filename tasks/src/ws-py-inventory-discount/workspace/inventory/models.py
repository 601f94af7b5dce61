class Item:
    def __init__(self, sku, name, price_cents, stock=0):
        self.sku = sku
        self.name = name
        self.price_cents = price_cents
        self.stock = stock

    def __repr__(self):
        return "Item(%r, %r, %d, %d)" % (self.sku, self.name,
                                         self.price_cents, self.stock)
