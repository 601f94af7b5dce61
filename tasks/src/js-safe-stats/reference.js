function safeStats(readings) {
  let count = 0, invalid = 0, sum = 0, min = null, max = null;
  for (const r of readings) {
    if (typeof r !== "number" || !Number.isFinite(r)) {
      invalid++;
      continue;
    }
    count++;
    sum += r;
    if (min === null || r < min) min = r;
    if (max === null || r > max) max = r;
  }
  return { count, invalid, min, max, mean: count ? sum / count : null };
}
