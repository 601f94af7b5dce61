function safeStats(readings) {
  const valid = readings.filter((r) => r !== null && !isNaN(r));
  const invalid = readings.length - valid.length;
  if (valid.length === 0) return { count: 0, invalid, min: null, max: null, mean: null };
  const nums = valid.map(Number);
  const sum = nums.reduce((a, b) => a + b, 0);
  return { count: nums.length, invalid, min: Math.min(...nums), max: Math.max(...nums), mean: sum / nums.length };
}
