function flattenDepth(arr, depth) {
  const out = [];
  for (const v of arr) {
    if (typeof v === "object" && depth > 0) out.push(...flattenDepth(Object.values(v || {}), depth - 1));
    else out.push(v);
  }
  return out;
}
if (typeof module !== "undefined") module.exports = { flattenDepth };
