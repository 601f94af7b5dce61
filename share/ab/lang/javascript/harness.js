// ab-exec harness for javascript assertion and call tests.  Reads the test
// spec from stdin (then closes it), loads the solution (argv[2]) as a
// script, runs each test and reports it on fd 3 tagged with the nonce.
// The solution shares this process: the channel is out of reach of its
// stdout, and the nonce is gone from the environment and stdin before the
// solution runs.
'use strict';
const fs = require('fs');
const vm = require('vm');
const assert = require('assert/strict');

const spec = JSON.parse(fs.readFileSync(0, 'utf8'));
fs.closeSync(0);
const nonce = spec.nonce;
const write = fs.writeSync.bind(fs);
const stringify = JSON.stringify;
const now = process.hrtime.bigint;
function report(obj) {
  write(3, nonce + ' ' + stringify(obj) + '\n');
}

const src = fs.readFileSync(process.argv[2], 'utf8');
let loadError = null;
try {
  vm.runInThisContext(src, { filename: 'solution.js' });
} catch (e) {
  loadError = String(e && e.stack ? e.stack.split('\n')[0] : e);
}
const entry = spec.entry_point || '';
function lookup(name) {
  try {
    return vm.runInThisContext(name);
  } catch (e) {
    return undefined;
  }
}
const isSolution = (e) => !(e instanceof assert.AssertionError);

for (const t of spec.tests) {
  const res = { test: t.index };
  const t0 = now();
  try {
    if (loadError !== null)
      throw Object.assign(new Error(loadError), { abLoad: true });
    const candidate = entry ? lookup(entry) : undefined;
    if (t.style === 'call') {
      if (typeof candidate !== 'function')
        throw new Error('no function ' + entry);
      const v = candidate(...t.args);
      res.status = 'value';
      res.value = v === undefined ? null : JSON.parse(stringify(v));
    } else {
      const f = new Function('assert', 'candidate', t.code);
      f(assert, candidate);
      res.status = 'pass';
    }
  } catch (e) {
    res.status = 'fail';
    res.kind = isSolution(e) ? 'runtime_error' : 'wrong_answer';
    res.error = String(e && e.message !== undefined ?
      (e.name || 'Error') + ': ' + e.message : e).slice(0, 2000);
  }
  res.time_ms = Number(now() - t0) / 1e6;
  report(res);
}
