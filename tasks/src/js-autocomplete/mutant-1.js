function autocomplete(words, queries, k) {
  const dict = [...new Set(words)].sort((a, b) => a.localeCompare(b));
  return queries.map((q) => dict.filter((w) => w.startsWith(q)).slice(0, Math.max(k, 0)));
}
