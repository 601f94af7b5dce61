import heapq


def topo_order(n, edges):
    succ = [set() for _ in range(n)]
    indeg = [0] * n
    for a, b in edges:
        if a != b and b not in succ[a]:
            succ[a].add(b)
            indeg[b] += 1
    ready = [v for v in range(n) if indeg[v] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        v = heapq.heappop(ready)
        order.append(v)
        for w in succ[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                heapq.heappush(ready, w)
    return order if len(order) == n else None
