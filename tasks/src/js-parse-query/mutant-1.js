function parseQuery(qs) {
  const out = {};
  if (qs.startsWith("?")) qs = qs.slice(1);
  for (const pair of qs.split("&")) {
    if (pair === "") continue;
    const [k, v = ""] = pair.split("=");
    const key = decodeURIComponent(k.replace(/\+/g, " "));
    const value = decodeURIComponent(v.replace(/\+/g, " "));
    if (!(key in out)) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}
