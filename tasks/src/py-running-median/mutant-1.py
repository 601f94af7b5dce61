import heapq
import sys

data = sys.stdin.read().split()
n = int(data[0]) if data else 0
low = []
high = []
for tok in data[1:n + 1]:
    x = int(tok)
    if low and x > -low[0]:
        heapq.heappush(high, x)
    else:
        heapq.heappush(low, -x)
    if len(low) > len(high) + 1:
        heapq.heappush(high, -heapq.heappop(low))
    if len(low) > len(high):
        print("%.1f" % -low[0])
    elif high:
        print("%.1f" % ((high[0] - low[0]) / 2))
    else:
        print("%.1f" % -low[0])
