function flattenDepth(arr, depth) {
  const out = [];
  // An explicit stack instead of recursion: deep nesting must not overflow.
  const stack = [[arr, 0, Math.max(0, depth)]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [a, i, d] = top;
    if (i >= a.length) {
      stack.pop();
      continue;
    }
    top[1] = i + 1;
    const v = a[i];
    if (Array.isArray(v) && d > 0) stack.push([v, 0, d - 1]);
    else out.push(v);
  }
  return out;
}
if (typeof module !== "undefined") module.exports = { flattenDepth };
