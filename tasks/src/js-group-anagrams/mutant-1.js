function groupAnagrams(words) {
  const groups = {};
  for (const w of words) {
    const key = [...w].sort().join("");
    (groups[key] = groups[key] || []).push(w);
  }
  return Object.values(groups);
}
