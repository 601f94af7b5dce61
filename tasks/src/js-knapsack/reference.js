const data = require("fs").readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const n = data[0], W = data[1];
const w = [], v = [];
for (let i = 0; i < n; i++) { w.push(data[2 + 2 * i]); v.push(data[3 + 2 * i]); }
// best[i][c]: best value using items i..n-1 with capacity c; filled from the
// last item backwards so that the forward reconstruction can prefer taking
// the earliest item, which gives the lexicographically smallest index list.
const best = [];
best[n] = new Float64Array(W + 1);
for (let i = n - 1; i >= 0; i--) {
  const next = best[i + 1];
  const row = new Float64Array(W + 1);
  for (let c = 0; c <= W; c++) {
    let b = next[c];
    if (w[i] <= c && next[c - w[i]] + v[i] > b) b = next[c - w[i]] + v[i];
    row[c] = b;
  }
  best[i] = row;
}
const picked = [];
let c = W;
for (let i = 0; i < n; i++) {
  if (w[i] <= c && best[i + 1][c - w[i]] + v[i] === best[i][c]) {
    picked.push(i + 1);
    c -= w[i];
  }
}
process.stdout.write(`${n > 0 ? best[0][W] : 0}\n${picked.join(" ")}\n`);
