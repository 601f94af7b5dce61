// ab-exec: the javascript solution's side.  Loads the solution
// (argv[2]) in its own process, under its own uid, and answers the
// checker's calls on fd 3.  Nothing here is trusted.
//
// The solution runs as a script, so its top-level declarations are
// globals the checker can name, with CommonJS's module, exports, require,
// __filename and __dirname given to it: a solution that ends in
// module.exports = {...} or exports.f = f loads, and what it exports is
// found too.  A solution in ES module syntax (import, export) is loaded
// as an ES module; its top-level names and its exports are found, and its
// default export stands for the entry point.
'use strict';
const child = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const url = require('url');
const vm = require('vm');
const Module = require('module');
const wire = require('./wire.js');

const FD = 3;
const file = path.resolve(process.argv[2]);
const NAME = path.basename(file);
const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
const getProto = Object.getPrototypeOf;
// The built-in error classes, taken before the solution runs: a thrown
// error is told by its prototype chain, never by its name, so that a
// solution's own `class TypeError extends Error` is not the built-in.
const BUILTIN_ERRORS = [['Error', Error], ['TypeError', TypeError],
  ['RangeError', RangeError], ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError], ['EvalError', EvalError],
  ['URIError', URIError]].map(([n, C]) => [n, C.prototype]);

// What is known of a thrown value: the built-in error class nearest on
// its prototype chain ("base"), whether it is an object of that very
// class ("own"), and the name of its constructor.
function errorIdentity(e) {
  const id = { base: null, own: false, cls: '' };
  try {
    if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return id;
    const first = getProto(e);
    for (let p = first, i = 0; p !== null && i < 1000; p = getProto(p), i++) {
      const hit = BUILTIN_ERRORS.find(([, proto]) => proto === p);
      if (hit) {
        id.base = hit[0];
        id.own = p === first;
        break;
      }
    }
    const c = first && hasOwn(first, 'constructor') ? first.constructor : null;
    id.cls = typeof c === 'function' ? String(c.name).slice(0, 200) : '';
  } catch (e2) { /* a hostile exception */ }
  return id;
}

// CommonJS for the solution: the names a module's wrapper would give it.
const HARNESS = ['require', 'module', 'exports', '__filename', '__dirname'];
const solRequire = Module.createRequire(file);
const solModule = {
  id: '.', path: path.dirname(file), filename: file, loaded: false,
  children: [], paths: [], exports: {}, require: solRequire,
};
function provide(name, value) {
  // Configurable, so a solution may declare the name itself.
  Object.defineProperty(globalThis, name, { value, writable: true,
    configurable: true, enumerable: false });
}
provide('module', solModule);
provide('exports', solModule.exports);
provide('require', solRequire);
provide('__filename', file);
provide('__dirname', path.dirname(file));

// ES module syntax, told by the parser's complaint about a script.
const ESM_SYNTAX = /import statement outside a module|Unexpected token 'export'|'import\.meta' outside a module|top level bodies of modules/;
let esm = null;             // the namespace of an ES module solution
const LOOKUP = '__ab_lookup__';

// "Name: message (solution.js:LINE)", whatever was thrown.
function describe(e) {
  let s, where = '';
  try {
    if (e instanceof Error || (e && typeof e === 'object' && 'message' in e)) {
      s = String(e.name || 'Error') + ': ' + String(e.message);
    } else {
      s = 'uncaught ' + typeof e + ': ' + String(e);
    }
  } catch (e2) {
    s = 'an exception that cannot be shown';
  }
  try {
    const m = /solution(?:-\d+)?\.m?js:(\d+)(?::(\d+))?/.exec(String(e && e.stack));
    if (m) where = ' (' + NAME + ' line ' + m[1] + (m[2] ? ', column ' + m[2] : '') + ')';
  } catch (e2) { /* no stack */ }
  // The module's temporary file is the solution for whoever reads this.
  s = s.replace(/(?:file:\/\/)?\/[\w./-]*solution-\d+\.mjs/g, NAME);
  return (s.length > 1500 ? s.slice(0, 1500) + '...' : s) + where;
}

function loadFailed(e, what) {
  wire.send(FD, { load_error: 'the solution failed to load' + what + ': ' + describe(e) });
  process.exit(1);
}

async function loadModule(src) {
  // The same text as a .mjs file beside the solution (or in the temporary
  // directory), with one more export: a function evaluating a name in the
  // module's scope, so that names it does not export are found too.
  const text = src + '\n;export function ' + LOOKUP + '(n) { return eval(n); }\n';
  let target = null;
  for (const dir of [path.dirname(file), os.tmpdir()]) {
    const p = path.join(dir, 'solution-' + process.pid + '.mjs');
    try {
      fs.writeFileSync(p, text, { mode: 0o600 });
      target = p;
      break;
    } catch (e) { /* the next place */ }
  }
  if (target === null) {
    throw new Error('no place to write the ES module solution');
  }
  try {
    esm = await import(url.pathToFileURL(target).href);
  } catch (e) {
    // The loader's syntax errors carry no line: node --check tells it.
    if (e instanceof SyntaxError) {
      try {
        const r = child.spawnSync(process.execPath, ['--check', target],
          { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'ignore', 'pipe'] });
        const m = /^\S*?:(\d+)\n/.exec(r.stderr || '');
        if (m) e.stack = NAME + ':' + m[1] + '\n' + e.stack;
      } catch (e2) { /* no line then */ }
    }
    throw e;
  } finally {
    try { fs.unlinkSync(target); } catch (e) { /* gone already */ }
  }
}

async function load() {
  const src = fs.readFileSync(file, 'utf8');
  let script;
  try {
    script = new vm.Script(src, { filename: NAME });
  } catch (e) {
    if (!(e instanceof SyntaxError && ESM_SYNTAX.test(e.message))) loadFailed(e, '');
  }
  if (script) {
    try {
      script.runInThisContext();
    } catch (e) {
      loadFailed(e, '');
    }
    return;
  }
  try {
    await loadModule(src);
  } catch (e) {
    loadFailed(e, ' as an ES module (it uses import or export)');
  }
}

function get(o, name) {
  return (o !== null && (typeof o === 'object' || typeof o === 'function') &&
    hasOwn(o, name)) ? o[name] : undefined;
}

// [value, this] of a name the checker asks for: a top-level name of the
// solution, then a property of what it exports; for the entry point, an
// exported function standing alone (module.exports = f, export default).
function lookup(name, isEntry) {
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name) ||
      HARNESS.includes(name) || name === LOOKUP) return [undefined];
  let v;
  try {
    v = esm ? esm[LOOKUP](name) : vm.runInThisContext(name);
  } catch (e) {
    v = undefined;
  }
  if (v !== undefined) return [v];
  const mx = solModule.exports;
  for (const o of esm ? [esm, mx] : [mx]) {
    if ((v = get(o, name)) !== undefined) return [v, o];
  }
  if (isEntry) {
    for (const f of esm ? [get(esm, 'default'), mx, get(mx, 'default')] :
      [mx, get(mx, 'default')]) {
      if (typeof f === 'function') return [f];
    }
  }
  return [undefined];
}

// A promise (or any thenable) the entry point returns is awaited here,
// and the reply says it was one: the checker then hands the test a
// promise of the value, as the language would.
function thenable(r) {
  return r !== null && (typeof r === 'object' || typeof r === 'function') &&
    typeof r.then === 'function';
}

async function serve() {
  for (;;) {
    let q;
    try {
      q = wire.recv(FD);
    } catch (e) {
      process.exit(0);
    }
    try {
      const [f, self] = lookup(q.name, q.entry === true);
      if (q.op === 'get') {
        wire.send(FD, f === undefined ? { missing: true } :
          typeof f === 'function' ? { callable: true } : { ok: wire.enc(f) });
        continue;
      }
      if (typeof f !== 'function') {
        throw new ReferenceError(f === undefined ?
          q.name + ' is not defined by the solution (neither declared at its top level nor exported)' :
          q.name + ' is not a function');
      }
      const args = q.args.map((a) => wire.dec(a));
      let r = f.apply(self, args), isAsync = false;
      if (thenable(r)) {
        isAsync = true;
        try {
          r = await r;
        } catch (e) {
          e.abAsync = true;
          throw e;
        }
      }
      wire.send(FD, { ok: wire.enc(r), after: args.map((a) => wire.enc(a)),
        async: isAsync });
    } catch (e) {
      let name = 'Error', msg = '';
      try {
        name = String(e && e.name);
        msg = String(e && e.message !== undefined ? e.message : e).slice(0, 2000);
      } catch (e2) { /* a hostile exception */ }
      let isAsync = false;
      try {
        isAsync = e !== null && typeof e === 'object' && e.abAsync === true;
      } catch (e2) { /* a hostile exception */ }
      wire.send(FD, { exc: name, msg, async: isAsync, error: errorIdentity(e) });
    }
  }
}

load().then(() => {
  solModule.loaded = true;
  wire.send(FD, { ready: true });
  serve();
}, (e) => loadFailed(e, ''));
