// A call test's expected value must stay with the supervisor: searches
// its own process memory, its files and every /proc entry it can read
// for it, and returns it only if found.
const req = typeof require === 'function' ? require : process.mainModule.require;
const fs = req('fs');
const pat = /HOSTILE-EXPECTED-[0-9a-f]+/;
function search() {
  try {
    const maps = fs.readFileSync('/proc/self/maps', 'utf8').split('\n');
    const mem = fs.openSync('/proc/self/mem', 'r');
    for (const m of maps) {
      const r = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(m);
      if (!r) continue;
      const lo = parseInt(r[1], 16), hi = parseInt(r[2], 16);
      if (hi - lo > (16 << 20)) continue;
      const buf = Buffer.alloc(hi - lo);
      try { fs.readSync(mem, buf, 0, hi - lo, lo); } catch (e) { continue; }
      const x = pat.exec(buf.toString('latin1'));
      if (x) return x[0];
    }
  } catch (e) {}
  for (const d of ['.', '/tmp', '/work']) {
    let names = [];
    try { names = fs.readdirSync(d); } catch (e) {}
    for (const n of names) {
      try {
        const x = pat.exec(fs.readFileSync(d + '/' + n, 'latin1'));
        if (x) return x[0];
      } catch (e) {}
    }
  }
  return 'contained: not found';
}
function answer(x) { return search(); }
