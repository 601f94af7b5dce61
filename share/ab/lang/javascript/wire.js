// ab-exec: the wire between the javascript checker and the solution's
// server: 4-byte big-endian lengths and JSON, with tags for what JSON
// cannot carry (undefined, non-finite numbers, BigInt, Map, Set, Date).  Decoding builds plain values only.  Objects are built
// with Object.defineProperty, never with o[k] = v: every own key (a key
// named __proto__ included) round-trips as an own key, and nothing on the
// wire can set a prototype.
'use strict';
const fs = require('fs');

const MAX = 16 << 20;
// Taken before any other code runs in this process.
const defineProperty = Object.defineProperty;
const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);

function send(fd, obj) {
  const body = Buffer.from(JSON.stringify(obj), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  const all = Buffer.concat([head, body]);
  let off = 0;
  while (off < all.length) off += fs.writeSync(fd, all, off, all.length - off);
}

function readN(fd, n) {
  const buf = Buffer.alloc(n);
  let off = 0;
  while (off < n) {
    let k;
    try {
      k = fs.readSync(fd, buf, off, n - off, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      throw e;
    }
    if (k === 0) throw Object.assign(new Error('EOF'), { code: 'EOF' });
    off += k;
  }
  return buf;
}

function recv(fd) {
  const n = readN(fd, 4).readUInt32BE(0);
  if (n > MAX) throw new Error('message too long');
  return JSON.parse(readN(fd, n).toString('utf8'));
}

function enc(v, depth = 0) {
  if (depth > 200) throw new Error('value nested too deeply');
  if (v === undefined) return { $u: 1 };
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
  if (typeof v === 'bigint') return { $big: v.toString() };
  if (Array.isArray(v)) return v.map((x) => enc(x, depth + 1));
  if (v instanceof Map) {
    return { $map: Array.from(Map.prototype.entries.call(v),
      ([k, x]) => [enc(k, depth + 1), enc(x, depth + 1)]) };
  }
  if (v instanceof Set) {
    return { $set: Array.from(Set.prototype.values.call(v),
      (x) => enc(x, depth + 1)) };
  }
  if (v instanceof Date) return { $date: String(Date.prototype.getTime.call(v)) };
  if (typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) put(o, k, enc(v[k], depth + 1));
    return { $o: o };
  }
  return { $x: typeof v, r: String(v).slice(0, 200) };
}

function dec(v, depth = 0) {
  if (depth > 200) throw new Error('value nested too deeply');
  if (v === null || typeof v === 'boolean' || typeof v === 'string' ||
      typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x) => dec(x, depth + 1));
  if (typeof v !== 'object') throw new Error('bad value on the wire');
  if (own(v, '$u')) return undefined;
  if (own(v, '$n')) return Number(v.$n);
  if (own(v, '$big')) return BigInt(String(v.$big));
  if (own(v, '$o')) {
    const w = v.$o;
    if (w === null || typeof w !== 'object' || Array.isArray(w)) {
      throw new Error('bad value on the wire');
    }
    const o = {};
    for (const k of Object.keys(w)) put(o, k, dec(w[k], depth + 1));
    return o;
  }
  if (own(v, '$map')) {
    if (!Array.isArray(v.$map)) throw new Error('bad value on the wire');
    const m = new Map();
    for (const e of v.$map) {
      if (!Array.isArray(e) || e.length !== 2) throw new Error('bad value on the wire');
      m.set(dec(e[0], depth + 1), dec(e[1], depth + 1));
    }
    return m;
  }
  if (own(v, '$set')) {
    if (!Array.isArray(v.$set)) throw new Error('bad value on the wire');
    return new Set(v.$set.map((x) => dec(x, depth + 1)));
  }
  if (own(v, '$date')) return new Date(Number(String(v.$date)));
  if (own(v, '$x')) return Object.freeze({ opaque: String(v.$x), repr: String(v.r) });
  throw new Error('bad value on the wire');
}

// o[k] = v as an own, enumerable, writable data property, whatever k.
function put(o, k, v) {
  defineProperty(o, k, { value: v, enumerable: true, writable: true,
    configurable: true });
}

function own(o, k) {
  return hasOwn(o, k);
}

module.exports = { send, recv, enc, dec, put };
