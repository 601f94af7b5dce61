// ab-exec: the javascript checker.  Reads the test spec from stdin, runs
// each test with the solution's names bound to proxies that call the
// server process (fd 4), and reports each finished test on the
// supervisor's channel (fd 3), tagged with the nonce.  The solution never
// runs in this process.
'use strict';
const fs = require('fs');
const assert = require('assert/strict');
const wire = require('./wire.js');

const spec = JSON.parse(fs.readFileSync(0, 'utf8'));
fs.closeSync(0);
const NONCE = spec.nonce;
const SOL = 4;
let gone = null;

class SolutionError extends Error {}

function request(q) {
  if (gone !== null) throw Object.assign(new SolutionError(gone), { abGone: true });
  try {
    wire.send(SOL, q);
    return wire.recv(SOL);
  } catch (e) {
    gone = "the solution's process exited";
    throw Object.assign(new SolutionError(gone), { abGone: true });
  }
}

const builtinErrors = { Error, TypeError, RangeError, SyntaxError,
  ReferenceError, EvalError, URIError };

function proxy(name) {
  return function (...args) {
    const r = request({ op: 'call', name, args: args.map((a) => wire.enc(a)) });
    if ('exc' in r) {
      const C = builtinErrors[r.exc] || Error;
      const e = new C(String(r.msg));
      e.abFromSolution = true;
      throw e;
    }
    // Arrays and objects the solution changed in place.
    (r.after || []).forEach((a, i) => {
      const x = args[i];
      try {
        const v = wire.dec(a);
        if (Array.isArray(x) && Array.isArray(v)) x.splice(0, x.length, ...v);
        else if (x && typeof x === 'object' && v && typeof v === 'object') {
          for (const k of Object.keys(x)) delete x[k];
          Object.assign(x, v);
        }
      } catch (e) { /* leave it */ }
    });
    return wire.dec(r.ok);
  };
}

function report(obj) {
  fs.writeSync(3, NONCE + ' ' + JSON.stringify(obj) + '\n');
}

let hello;
try {
  hello = wire.recv(SOL);
} catch (e) {
  hello = { load_error: "the solution's process exited while loading", gone: true };
}
const entry = spec.entry_point || '';
const reserved = new Set(['assert', 'candidate', 'undefined', 'NaN', 'Infinity']);
const known = new Map();

for (const t of spec.tests) {
  const res = { test: t.index };
  const t0 = process.hrtime.bigint();
  try {
    if ('load_error' in hello) {
      throw Object.assign(new SolutionError(hello.load_error),
        { abGone: !!hello.gone });
    }
    if (t.style === 'call') {
      if (!entry) throw new Error('the task has no entry_point');
      const v = proxy(entry)(...t.args);
      res.status = 'value';
      res.value = v === undefined ? null : JSON.parse(JSON.stringify(v));
    } else {
      // Names the test uses that the solution defines become proxies.
      const names = [], values = [];
      for (const n of new Set(t.code.match(/[A-Za-z_$][\w$]*/g) || [])) {
        if (reserved.has(n) || n in globalThis) continue;
        if (!known.has(n)) {
          const r = request({ op: 'get', name: n });
          known.set(n, r.callable ? proxy(n) : 'ok' in r ? wire.dec(r.ok) : null);
        }
        if (known.get(n) !== null) {
          names.push(n);
          values.push(known.get(n));
        }
      }
      const f = new Function('assert', 'candidate', ...names, t.code);
      f(assert, entry ? proxy(entry) : undefined, ...values);
      res.status = 'pass';
    }
  } catch (e) {
    res.status = 'fail';
    res.kind = e && e.abGone ? 'gone' :
      e instanceof SolutionError || (e && e.abFromSolution) ? 'runtime_error' :
        e instanceof assert.AssertionError ? 'wrong_answer' : 'wrong_answer';
    let msg;
    try {
      msg = e && e.message !== undefined ? (e.name || 'Error') + ': ' + e.message : String(e);
    } catch (e2) {
      msg = 'error';
    }
    res.error = msg.slice(0, 2000);
  }
  res.time_ms = Number(process.hrtime.bigint() - t0) / 1e6;
  report(res);
}
