const lines = require("fs").readFileSync(0, "utf8").split("\n");
const out = [];
const NUM = /^-?(\d+(\.\d+)?|\.\d+)$/;
for (const line of lines) {
  const toks = line.trim().split(/\s+/).filter(Boolean);
  if (toks.length === 0) continue;
  const st = [];
  let ok = true;
  for (const t of toks) {
    if (NUM.test(t)) st.push(Number(t));
    else if (t === "neg") {
      if (st.length < 1) { ok = false; break; }
      st.push(-st.pop());
    } else if ("+-*/".includes(t) && t.length === 1) {
      if (st.length < 2) { ok = false; break; }
      const b = st.pop(), a = st.pop();
      if (t === "/" && b === 0) { ok = false; break; }
      st.push(t === "+" ? a + b : t === "-" ? a - b : t === "*" ? a * b : a / b);
    } else { ok = false; break; }
  }
  if (!ok || st.length !== 1) { out.push("error"); continue; }
  let r = Number(st[0].toFixed(6));
  if (Object.is(r, -0)) r = 0;
  out.push(String(r));
}
if (out.length) process.stdout.write(out.join("\n") + "\n");
