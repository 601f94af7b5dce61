// The same hunt from node: process.env, /proc/*/environ.
const fs = require('fs');
const pat = /sk-hostile-[0-9a-f]+/;
let found = null;
for (const v of Object.values(process.env)) {
  const m = pat.exec(v);
  if (m) found = m[0];
}
for (const p of fs.readdirSync('/proc')) {
  for (const f of ['environ', 'cmdline']) {
    try {
      const m = pat.exec(fs.readFileSync(`/proc/${p}/${f}`, 'latin1'));
      if (m) found = m[0];
    } catch (e) {}
  }
}
console.log(found || 'contained: no key');
