// ab-exec: the javascript solution's side.  Loads the solution
// (argv[2]) as a script in its own process, under its own uid, and
// answers the checker's calls on fd 3.  Nothing here is trusted.
'use strict';
const fs = require('fs');
const vm = require('vm');
const wire = require('./wire.js');

const FD = 3;
const src = fs.readFileSync(process.argv[2], 'utf8');
try {
  vm.runInThisContext(src, { filename: 'solution.js' });
} catch (e) {
  wire.send(FD, { load_error: String(e && e.stack ? e.stack.split('\n')[0] : e) });
  process.exit(1);
}
wire.send(FD, { ready: true });

function lookup(name) {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  try {
    return vm.runInThisContext(name);
  } catch (e) {
    return undefined;
  }
}

for (;;) {
  let q;
  try {
    q = wire.recv(FD);
  } catch (e) {
    process.exit(0);
  }
  try {
    const f = lookup(q.name);
    if (q.op === 'get') {
      wire.send(FD, f === undefined ? { missing: true } :
        typeof f === 'function' ? { callable: true } : { ok: wire.enc(f) });
      continue;
    }
    const args = q.args.map((a) => wire.dec(a));
    const r = f(...args);
    wire.send(FD, { ok: wire.enc(r), after: args.map((a) => wire.enc(a)) });
  } catch (e) {
    let name = 'Error', msg = '';
    try {
      name = String(e && e.name);
      msg = String(e && e.message !== undefined ? e.message : e).slice(0, 2000);
    } catch (e2) { /* a hostile exception */ }
    wire.send(FD, { exc: name, msg });
  }
}
