function parseQuery(qs) {
  const out = Object.create(null);
  const decode = (s) => {
    const t = s.replace(/\+/g, " ");
    try {
      return decodeURIComponent(t);
    } catch (e) {
      return t;
    }
  };
  if (qs.startsWith("?")) qs = qs.slice(1);
  for (const pair of qs.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  // A plain object with the same own properties, __proto__ included.
  const res = {};
  for (const k of Object.keys(out)) Object.defineProperty(res, k, { value: out[k], enumerable: true, writable: true, configurable: true });
  return res;
}
