import sys
from collections import Counter

counts = Counter(sys.stdin.read().lower().split())
for w, n in counts.most_common(3):
    print(w, n)
