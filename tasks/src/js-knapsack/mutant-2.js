const data = require("fs").readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const n = data[0], W = data[1];
const w = [], v = [];
for (let i = 0; i < n; i++) { w.push(data[2 + 2 * i]); v.push(data[3 + 2 * i]); }
const best = [new Float64Array(W + 1)];
for (let i = 1; i <= n; i++) {
  const prev = best[i - 1];
  const row = new Float64Array(W + 1);
  for (let c = 0; c <= W; c++) {
    row[c] = prev[c];
    if (w[i - 1] <= c && prev[c - w[i - 1]] + v[i - 1] > row[c]) row[c] = prev[c - w[i - 1]] + v[i - 1];
  }
  best.push(row);
}
const picked = [];
let c = W;
for (let i = n; i >= 1; i--) {
  if (best[i][c] !== best[i - 1][c]) { picked.push(i); c -= w[i - 1]; }
}
picked.reverse();
console.log(String(best[n][W]));
console.log(picked.join(" "));
