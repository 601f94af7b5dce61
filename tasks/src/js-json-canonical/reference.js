const text = require("fs").readFileSync(0, "utf8");

class Invalid extends Error {}

function parse(s) {
  let i = 0;
  const ws = () => {
    while (i < s.length && " \t\n\r".includes(s[i])) i++;
  };
  const fail = () => {
    throw new Invalid();
  };
  // Values as {t: kind, v: payload}; numbers keep their text.
  function value() {
    ws();
    const c = s[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return { t: "s", v: string() };
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]]) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return { t: "lit", v };
      }
    }
    return fail();
  }
  function number() {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m) fail();
    i += m[0].length;
    return { t: "n", v: m[0] };
  }
  function string() {
    i++; // opening quote
    let out = "";
    for (;;) {
      if (i >= s.length) fail();
      const c = s[i++];
      if (c === '"') return out;
      if (c < " ") fail();
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = s[i++];
      const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e in simple) out += simple[e];
      else if (e === "u") {
        const h = s.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) fail();
        out += String.fromCharCode(parseInt(h, 16));
        i += 4;
      } else fail();
    }
  }
  // Containers are parsed iteratively, so deep nesting cannot overflow.
  function array() { return container(); }
  function object() { return container(); }
  function container() {
    const stack = [];
    let cur = null;
    let result;
    for (;;) {
      ws();
      // Open containers.
      while (s[i] === "[" || s[i] === "{") {
        const isObj = s[i] === "{";
        i++;
        const node = isObj ? { t: "o", v: new Map(), key: null } : { t: "a", v: [] };
        if (cur) stack.push(cur);
        cur = node;
        ws();
        if ((isObj && s[i] === "}") || (!isObj && s[i] === "]")) break;
        if (isObj) {
          if (s[i] !== '"') fail();
          cur.key = string();
          ws();
          if (s[i++] !== ":") fail();
          ws();
        }
      }
      let v;
      if ((cur.t === "o" && s[i] === "}" && cur.v.size === 0 && cur.key === null) ||
          (cur.t === "a" && s[i] === "]" && cur.v.length === 0)) {
        i++;
        v = cur;
        cur = stack.pop() || null;
      } else {
        v = value();
      }
      // Attach v and close containers as long as they end.
      for (;;) {
        if (cur === null) {
          result = v;
          return result;
        }
        if (cur.t === "a") cur.v.push(v);
        else {
          cur.v.delete(cur.key);
          cur.v.set(cur.key, v);
          cur.key = null;
        }
        ws();
        if (s[i] === ",") {
          i++;
          ws();
          if (cur.t === "o") {
            if (s[i] !== '"') fail();
            cur.key = string();
            ws();
            if (s[i++] !== ":") fail();
          }
          break;
        }
        if ((cur.t === "a" && s[i] === "]") || (cur.t === "o" && s[i] === "}")) {
          i++;
          v = cur;
          cur = stack.pop() || null;
          continue;
        }
        fail();
      }
    }
  }
  const v = value();
  ws();
  if (i !== s.length) fail();
  return v;
}

function quote(str) {
  let out = '"';
  for (const c of str) {
    const code = c.charCodeAt(0);
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\b") out += "\\b";
    else if (c === "\f") out += "\\f";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += c;
  }
  return out + '"';
}

function emit(root) {
  // Iterative as well: a stack of pending output pieces and nodes.
  const parts = [];
  const todo = [root];
  while (todo.length) {
    const x = todo.pop();
    if (typeof x === "string") {
      parts.push(x);
      continue;
    }
    if (x.t === "s") parts.push(quote(x.v));
    else if (x.t === "n") parts.push(/^-0$/.test(x.v) ? "0" : x.v);
    else if (x.t === "lit") parts.push(String(x.v));
    else if (x.t === "a") {
      const items = ["["];
      x.v.forEach((e, k) => {
        if (k) items.push(",");
        items.push(e);
      });
      items.push("]");
      for (let k = items.length - 1; k >= 0; k--) todo.push(items[k]);
    } else {
      const keys = [...x.v.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const items = ["{"];
      keys.forEach((key, k) => {
        if (k) items.push(",");
        items.push(quote(key) + ":");
        items.push(x.v.get(key));
      });
      items.push("}");
      for (let k = items.length - 1; k >= 0; k--) todo.push(items[k]);
    }
  }
  return parts.join("");
}

let outText;
try {
  outText = emit(parse(text));
} catch (e) {
  if (!(e instanceof Invalid)) throw e;
  outText = "invalid";
}
process.stdout.write(outText + "\n");
