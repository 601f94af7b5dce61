const text = require("fs").readFileSync(0, "utf8");
function canon(v) {
  if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
  if (v && typeof v === "object") return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}";
  return JSON.stringify(v);
}
try {
  console.log(canon(JSON.parse(text)));
} catch (e) {
  console.log("invalid");
}
