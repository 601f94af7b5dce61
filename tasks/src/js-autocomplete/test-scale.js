const words = [];
let x = 12345;
for (let i = 0; i < 100000; i++) {
  x = (x * 1103515245 + 12345) % 2147483648;
  let w = "";
  for (let j = 0, y = x; j < 6; j++, y = Math.floor(y / 7)) w += "abcdefg"[y % 7];
  words.push(w);
}
const queries = [];
for (let i = 0; i < 10000; i++) queries.push(words[(i * 7919) % words.length].slice(0, 2 + (i % 3)));
const res = candidate(words, queries, 5);
assert.equal(res.length, 10000);
const sorted = [...new Set(words)].sort();
for (const i of [0, 1, 2, 4999, 9999]) {
  const q = queries[i];
  assert.deepEqual(res[i], sorted.filter((w) => w.startsWith(q)).slice(0, 5));
}
