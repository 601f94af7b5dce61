function camelToSnake(name) {
  const words = [];
  let cur = "";
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    const isUpper = c >= "A" && c <= "Z";
    if (isUpper && cur !== "") {
      const prev = name[i - 1];
      const next = name[i + 1];
      const prevUpper = prev >= "A" && prev <= "Z";
      const nextLower = next !== undefined && next >= "a" && next <= "z";
      if (!prevUpper || nextLower) {
        words.push(cur);
        cur = "";
      }
    }
    cur += c;
  }
  if (cur !== "") words.push(cur);
  return words.join("_").toLowerCase();
}
if (typeof module !== "undefined") module.exports = { camelToSnake };
