function flattenDepth(arr, depth) {
  let out = arr;
  for (let i = 0; i <= depth; i++) {
    out = [].concat(...out);
  }
  return out;
}
if (typeof module !== "undefined") module.exports = { flattenDepth };
