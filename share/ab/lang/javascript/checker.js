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
const entry = typeof spec.entry_point === 'string' ? spec.entry_point : '';
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

// Null-prototype: the name comes from the solution (think __proto__).
const builtinErrors = Object.assign(Object.create(null), { Error, TypeError,
  RangeError, SyntaxError, ReferenceError, EvalError, URIError });
// Classes standing for the solution's error classes, by base and name.
const standIns = new Map();

// The solution's error as the test sees it: an object of the built-in
// class it was one of, or of a class of the same name deriving from the
// built-in class nearest on its prototype chain (so assert.throws(f,
// TypeError) accepts a subclass of TypeError, and not a class of the
// solution's that is only named TypeError); a thrown non-error is an
// Error.
function solutionError(r) {
  const id = r.error && typeof r.error === 'object' ? r.error : {};
  const Base = typeof id.base === 'string' && builtinErrors[id.base] || Error;
  let C = Base;
  if (id.own !== true || !builtinErrors[id.base]) {
    const cls = typeof id.cls === 'string' && id.cls ? id.cls : 'Error';
    const key = (builtinErrors[id.base] ? id.base : 'Error') + ' ' + cls;
    if (!standIns.has(key)) {
      const S = class extends Base {};
      Object.defineProperty(S, 'name', { value: cls });
      standIns.set(key, S);
    }
    C = standIns.get(key);
  }
  const e = new C(String(r.msg));
  // The name the solution's error gave (what String(e) shows).
  if (typeof r.exc === 'string' && r.exc !== C.prototype.name) {
    Object.defineProperty(e, 'name', { value: r.exc, writable: true,
      configurable: true });
  }
  e.abFromSolution = true;
  return e;
}

function proxy(name) {
  const isEntry = name === entry;
  return function (...args) {
    const r = request({ op: 'call', name, entry: isEntry,
      args: args.map((a) => wire.enc(a)) });
    if ('exc' in r) {
      const e = solutionError(r);
      // An async function's rejection: a rejected promise, as in the
      // language (assert.rejects sees it; an await throws it).
      if (r.async === true) return Promise.reject(e);
      throw e;
    }
    // Arrays and objects the solution changed in place.
    (r.after || []).forEach((a, i) => {
      const x = args[i];
      try {
        const v = wire.dec(a);
        if (Array.isArray(x) && Array.isArray(v)) {
          x.length = 0;
          for (const y of v) x.push(y);
        } else if (x && typeof x === 'object' && v && typeof v === 'object') {
          for (const k of Object.keys(x)) delete x[k];
          for (const k of Object.keys(v)) wire.put(x, k, v[k]);
        }
      } catch (e) { /* leave it */ }
    });
    const v = wire.dec(r.ok);
    return r.async === true ? Promise.resolve(v) : v;
  };
}

// A call test's value as JSON: a Map as an object (its keys as strings),
// a Set as an array; a Date is its ISO string already.
function jsonable(k, x) {
  // NaN and the infinities have no JSON form (JSON.stringify would make
  // them null, and a wrong answer would pass a test expecting null).
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new Error('returned ' + String(x) + ', which has no JSON form');
  }
  // Nor has undefined (or a function, a symbol) inside a value: it would
  // be null in an array and left out of an object.
  if (k !== '' && (x === undefined || typeof x === 'function' ||
      typeof x === 'symbol')) {
    throw new Error('returned a value holding ' + typeof x +
      ', which has no JSON form');
  }
  if (x instanceof Map) {
    const o = {};
    for (const [mk, mv] of x) wire.put(o, String(mk), mv);
    return o;
  }
  return x instanceof Set ? Array.from(x) : x;
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

// The scope of the assertion code.  Its free names are resolved by the
// language itself: the code runs inside `with (scope)`, so a name that is
// not declared by the test code reaches the scope's `has` below, and only
// then.  Keywords and literals (true, null, this, typeof...) never do, nor
// do names the test declares.  The checker's own globals (JSON, Math,
// console...) stay the checker's; assert and candidate are the harness's;
// any other name is looked up in the solution (once), and a function
// there becomes a proxy.  The entry point is always the solution's: a
// proxy like candidate, so a solution without it fails as in a call test.
const known = new Map();
function solutionName(n) {
  if (!known.has(n)) {
    const r = request({ op: 'get', name: n, entry: n === entry });
    known.set(n, r.callable ? { v: proxy(n) } : 'ok' in r ? { v: wire.dec(r.ok) } : null);
  }
  return known.get(n);
}
// A test may require node's assert in either flavour (MultiPL-E's tests
// use the loose one: deepEqual compares with ==); nothing else.
const assertModules = new Set(['assert', 'node:assert', 'assert/strict',
  'node:assert/strict']);
function testRequire(m) {
  if (!assertModules.has(m)) throw new Error('a test may require only assert, not ' + String(m));
  return require(m);
}
const fixed = new Map([['assert', assert], ['require', testRequire],
  ['candidate', entry ? proxy(entry) : undefined]]);
if (entry && entry !== 'assert' && entry !== 'require') fixed.set(entry, fixed.get('candidate'));
const makeScope = () => new Proxy(Object.create(null), {
  has(target, n) {
    if (typeof n !== 'string') return false;
    if (fixed.has(n) || n in target) return true;
    if (n in globalThis) return false;
    return solutionName(n) !== null;
  },
  get(target, n) {
    if (typeof n !== 'string') return undefined;  // Symbol.unscopables
    if (fixed.has(n)) return fixed.get(n);
    if (n in target) return target[n];
    const b = solutionName(n);
    return b === null ? undefined : b.v;
  },
  set(target, n, v) {
    // An assignment to a solution's name stays in the checker.
    if (typeof n !== 'string' || fixed.has(n)) return false;
    wire.put(target, n, v);
    return true;
  },
  deleteProperty() { return false; },
  defineProperty() { return false; },
});
// The test code is the body of an async function nested in the `with`,
// so it can declare what it likes (let a, function f), may be strict
// itself, and may await an async entry point.
const compile = (code) => new Function('scope',
  'with (scope) { return async function () {\n' + code + '\n}; }')(makeScope());

// A promise of the solution's that a test leaves unawaited must not end
// the checker.
process.on('unhandledRejection', () => {});

async function main() {
  for (const t of spec.tests) {
    const res = { test: t.index };
    const t0 = process.hrtime.bigint();
    try {
      if ('load_error' in hello) {
        throw Object.assign(new SolutionError(String(hello.load_error)),
          { abGone: !!hello.gone });
      }
      if (t.style === 'call') {
        if (!entry) throw new Error('the task has no entry_point');
        let v = proxy(entry)(...t.args);
        if (v instanceof Promise) v = await v;
        res.status = 'value';
        res.value = v === undefined ? null : JSON.parse(JSON.stringify(v, jsonable));
      } else {
        await compile(t.code).call(undefined);
        res.status = 'pass';
      }
    } catch (e) {
      res.status = 'fail';
      res.kind = e && e.abGone ? 'gone' :
        e instanceof SolutionError || (e && e.abFromSolution) ? 'runtime_error' :
          e instanceof assert.AssertionError ? 'wrong_answer' : 'wrong_answer';
      let msg;
      try {
        msg = e instanceof SolutionError ? e.message :
          e && e.message !== undefined ? (e.name || 'Error') + ': ' + e.message : String(e);
      } catch (e2) {
        msg = 'error';
      }
      res.error = msg.slice(0, 2000);
    }
    res.time_ms = Number(process.hrtime.bigint() - t0) / 1e6;
    report(res);
  }
}

main();
