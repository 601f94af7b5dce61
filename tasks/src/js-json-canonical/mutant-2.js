const text = require("fs").readFileSync(0, "utf8");
let i = 0;
const s = text;
function ws() { while (i < s.length && /\s/.test(s[i])) i++; }
function value() {
  ws();
  if (s[i] === "[") {
    i++; const out = []; ws();
    if (s[i] === "]") { i++; return "[]"; }
    for (;;) { out.push(value()); ws(); if (s[i] === ",") { i++; continue; } if (s[i] === "]") { i++; return "[" + out.join(",") + "]"; } throw 0; }
  }
  if (s[i] === "{") {
    i++; const m = {}; ws();
    if (s[i] === "}") { i++; return "{}"; }
    for (;;) { ws(); const k = str(); ws(); if (s[i++] !== ":") throw 0; m[k] = value(); ws(); if (s[i] === ",") { i++; continue; } if (s[i] === "}") { i++; return "{" + Object.keys(m).sort().map((x) => JSON.stringify(x) + ":" + m[x]).join(",") + "}"; } throw 0; }
  }
  if (s[i] === '"') return JSON.stringify(str());
  const mm = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(s.slice(i));
  if (!mm) throw 0;
  i += mm[0].length;
  return mm[0] === "-0" ? "0" : mm[0];
}
function str() {
  if (s[i] !== '"') throw 0;
  const j = s.indexOf('"', i + 1);
  let k = j;
  while (s[k - 1] === "\\") k = s.indexOf('"', k + 1);
  const raw = s.slice(i, k + 1);
  i = k + 1;
  return JSON.parse(raw);
}
try { const r = value(); ws(); if (i !== s.length) throw 0; console.log(r); } catch (e) { console.log("invalid"); }
