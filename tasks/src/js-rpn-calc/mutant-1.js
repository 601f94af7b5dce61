const lines = require("fs").readFileSync(0, "utf8").split("\n");
for (const line of lines) {
  const toks = line.trim().split(/\s+/).filter(Boolean);
  if (toks.length === 0) continue;
  const st = [];
  for (const t of toks) {
    if (t === "neg") st.push(-st.pop());
    else if ("+-*/".includes(t)) {
      const b = st.pop(), a = st.pop();
      st.push(t === "+" ? a + b : t === "-" ? a - b : t === "*" ? a * b : a / b);
    } else st.push(Number(t));
  }
  const r = st.pop();
  console.log(Number.isFinite(r) ? String(Number(r.toFixed(6))) : "error");
}
