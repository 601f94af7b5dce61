function longestPalindrome(s) {
  let best = 0, bestLen = s.length > 0 ? 1 : 0;
  for (let c = 0; c < s.length; c++) {
    let l = c, r = c;
    while (l >= 0 && r < s.length && s[l] === s[r]) { l--; r++; }
    const len = r - l - 1;
    if (len > bestLen) { bestLen = len; best = l + 1; }
  }
  return s.slice(best, best + bestLen);
}
