function parseQuery(qs) {
  const out = {};
  if (qs.startsWith("?")) qs = qs.slice(1);
  for (const pair of qs.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = unescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : unescape(pair.slice(eq + 1));
    out[key] = value;
  }
  return out;
}
