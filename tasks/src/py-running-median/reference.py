import heapq
import sys


def fmt(twice):
    # twice is twice the median, an integer: print it halved with one decimal.
    sign = "-" if twice < 0 else ""
    t = abs(twice)
    return "%s%d.%d" % (sign, t // 2, 5 if t % 2 else 0)


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0]) if data else 0
    low = []   # max-heap, negated
    high = []  # min-heap
    out = []
    for tok in data[1:n + 1]:
        x = int(tok)
        if low and x > -low[0]:
            heapq.heappush(high, x)
        else:
            heapq.heappush(low, -x)
        if len(low) > len(high) + 1:
            heapq.heappush(high, -heapq.heappop(low))
        elif len(high) > len(low):
            heapq.heappush(low, -heapq.heappop(high))
        if len(low) > len(high):
            out.append(fmt(-2 * low[0]))
        else:
            out.append(fmt(high[0] - low[0]))
    if out:
        sys.stdout.write("\n".join(out) + "\n")


main()
