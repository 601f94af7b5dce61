const data = require("fs").readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const n = data[0], W = data[1];
const items = [];
for (let i = 0; i < n; i++) items.push({ w: data[2 + 2 * i], v: data[3 + 2 * i], i: i + 1 });
items.sort((a, b) => b.v / b.w - a.v / a.w);
let c = W, total = 0;
const picked = [];
for (const it of items) {
  if (it.w <= c) { c -= it.w; total += it.v; picked.push(it.i); }
}
picked.sort((a, b) => a - b);
console.log(total);
console.log(picked.join(" "));
