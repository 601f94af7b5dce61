function longestPalindrome(s) {
  let best = "";
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 1; j <= s.length; j++) {
      const t = s.slice(i, j);
      if (t.length >= best.length && t === [...t].reverse().join("")) best = t;
    }
  }
  return best;
}
