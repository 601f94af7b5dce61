function safeStats(readings) {
  let count = 0, invalid = 0, sum = 0, min = 0, max = 0;
  for (const r of readings) {
    if (typeof r !== "number" || !Number.isFinite(r)) {
      invalid++;
      continue;
    }
    count++;
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  if (!count) return { count, invalid, min: null, max: null, mean: null };
  return { count, invalid, min, max, mean: sum / count };
}
