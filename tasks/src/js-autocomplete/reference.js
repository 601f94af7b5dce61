function autocomplete(words, queries, k) {
  const dict = [...new Set(words)].sort();
  const lowerBound = (p) => {
    let lo = 0, hi = dict.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dict[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return queries.map((q) => {
    const out = [];
    if (k <= 0) return out;
    for (let i = lowerBound(q); i < dict.length && out.length < k && dict[i].startsWith(q); i++) out.push(dict[i]);
    return out;
  });
}
