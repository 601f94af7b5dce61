class Summary:
    def __init__(self, rows):
        self.total_cents = 0
        self.by_region = {}
        self.by_product = {}
        for region, product, cents in rows:
            self.total_cents += cents
            self.by_region[region] = self.by_region.get(region, 0) + cents
            self.by_product[product] = self.by_product.get(product, 0) + cents
