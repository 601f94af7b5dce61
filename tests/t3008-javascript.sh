#!/bin/sh
# ab-exec: the javascript harness.  Assertion code with keywords and
# literals; objects with any own key (__proto__ included) crossing between
# the checker and the solution; solutions written as CommonJS or ES
# modules, in the three styles; what a solution that fails to load is told.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"

# The wire itself, without a sandbox: every own key round-trips, and
# nothing decoded sets a prototype.
if command -v node >/dev/null 2>&1; then
	check "wire: own keys round-trip, __proto__ included, no prototype set" \
	    node -e '
const wire = require(process.argv[1]);
const assert = require("assert/strict");
const o = JSON.parse("{\"__proto__\": {\"polluted\": 1}, \"constructor\": 2, \"prototype\": 3, \"$o\": 4, \"$u\": 5, \"x\": [{\"__proto__\": null}]}");
const back = wire.dec(JSON.parse(JSON.stringify(wire.enc(o))));
assert.deepEqual(Object.keys(back), Object.keys(o));
assert.equal(Object.getPrototypeOf(back), Object.prototype);
assert.equal(Object.getPrototypeOf(back.x[0]), Object.prototype);
assert.equal(back.polluted, undefined);
assert.deepEqual(back.__proto__, { polluted: 1 });
assert.equal(back.__proto__.polluted, 1);
assert.equal(back.$o, 4);
assert.equal(back.$u, 5);
assert.equal(back.x[0].__proto__, null);
assert.deepEqual(Object.keys(back.x[0]), ["__proto__"]);
assert.equal(({}).polluted, undefined);
// A hostile message: __proto__ in the tagged form, and tags not its own.
const h = wire.dec(JSON.parse("{\"$o\": {\"__proto__\": {\"$o\": {\"polluted\": true}}}}"));
assert.deepEqual(Object.keys(h), ["__proto__"]);
assert.equal(h.polluted, undefined);
assert.equal(({}).polluted, undefined);
assert.throws(() => wire.dec(Object.create({ $u: 1 })), /bad value/);
assert.throws(() => wire.dec({ $o: [1] }), /bad value/);
// Map, Set and Date: rebuilt as built-ins of this side, checked.
const c = wire.dec(JSON.parse(JSON.stringify(wire.enc({ m: new Map([[1, new Set(["a"])]]), d: new Date(5) }))));
assert.ok(c.m instanceof Map && c.m.get(1) instanceof Set && c.m.get(1).has("a"));
assert.equal(c.d.getTime(), 5);
assert.throws(() => wire.dec({ $map: 5 }), /bad value/);
assert.throws(() => wire.dec({ $map: [[1]] }), /bad value/);
assert.throws(() => wire.dec({ $set: "ab" }), /bad value/);
' "$TOP/share/ab/lang/javascript/wire.js"
else
	skip "node is not installed"
fi

need_sandbox
cd "$T" || exit 1

ident='let a = 99, c = 98;
const LIMIT = 3;
function ident(x) { return x; }
'
# Each test uses keywords or literals, or declares names the solution has.
kw_tests='[
{"name":"literals","style":"assert","code":"assert.strictEqual(ident(true), true);\nassert.strictEqual(ident(false), false);\nassert.strictEqual(ident(null), null);\nassert.strictEqual(ident(undefined), undefined);\nassert.ok(Number.isNaN(ident(NaN)));\nassert.strictEqual(ident(Infinity), Infinity);\nassert.deepStrictEqual(candidate([true, null, false]), [true, null, false]);\nassert.strictEqual(ident(\"true false null this\"), \"true false null this\");"},
{"name":"operators","style":"assert","code":"assert.strictEqual(typeof ident, \"function\");\nassert.ok(new Map([[1, 2]]) instanceof Map);\nassert.strictEqual(void 0, undefined);\nassert.ok(!(\"x\" in {}));\nconst o = {a: 1, c: 2};\ndelete o.a;\nassert.deepStrictEqual(ident(o), {c: 2});\nassert.strictEqual(typeof this, \"object\");"},
{"name":"statements","style":"assert","code":"let n = 0;\nfor (const x of [1, 2]) { if (x > 1) break; else n += ident(x); }\nwhile (false) { n = -1; }\ndo { n++; } while (false);\nswitch (n) { case 2: break; default: throw new Error(\"n \" + n); }\ntry { ident(null).x; } catch (e) { assert.ok(e instanceof TypeError); } finally { n++; }\nassert.strictEqual(n, 3);\nif (n !== 3) return;\nassert.ok(true);"},
{"name":"declarations","style":"assert","code":"class K { constructor() { this.v = ident(1); } static s() { return this.name; } }\nassert.strictEqual(new K().v, 1);\nassert.strictEqual(K.s(), \"K\");\nfunction helper() { return arguments.length; }\nassert.strictEqual(helper(1, 2), 2);\nvar a = 1;\nlet b = 2;\nconst c = 3;\nassert.strictEqual(a + b + c, 6);\nassert.ok((async () => { await null; })() instanceof Promise);\nfunction* g() { yield ident(5); }\nassert.deepStrictEqual([...g()], [5]);"},
{"name":"solution names","style":"assert","code":"assert.strictEqual(LIMIT, 3);\nassert.strictEqual(a, 99);\nassert.strictEqual(JSON.stringify(ident([1])), \"[1]\");\nassert.strictEqual(Math.max(ident(2), 1), 2);\nLIMIT = 4;\nassert.strictEqual(LIMIT, 4);"},
{"name":"assignment stays in its test","style":"assert","code":"assert.strictEqual(LIMIT, 3);"},
{"name":"strict test code","style":"assert","code":"\"use strict\";\nassert.strictEqual(this, undefined);\nassert.strictEqual(ident(0), 0);"},
{"name":"undefined name","style":"assert","code":"assert.strictEqual(typeof nowhere, \"undefined\");\nnowhere(1);"}
]'
{
	rec js-keywords javascript "$ident" "$kw_tests" '{"entry_point":"ident"}'
	rec js-global-entry javascript 'function escape(s) { return s + "!"; }' \
	    '[{"style":"assert","code":"assert.strictEqual(escape(\"a\"), \"a!\");\nassert.strictEqual(candidate(\"b\"), \"b!\");"}]' \
	    '{"entry_point":"escape"}'
	# Own __proto__ keys, both ways, and copied back in place.
	rec js-proto-call javascript 'function f(o) {
  const r = {};
  Object.defineProperty(r, "__proto__", { value: 1, enumerable: true, writable: true, configurable: true });
  r.constructor = 2;
  r.keys = Object.keys(o);
  r.plain = Object.getPrototypeOf(o) === Object.prototype && o.x === undefined;
  return r;
}' '[{"name":"proto key","style":"call","args":[{"__proto__":{"x":1},"y":2}],"expected":{"__proto__":1,"constructor":2,"keys":["__proto__","y"],"plain":true}},
{"name":"proto key lost","style":"call","args":[{"y":2}],"expected":{"__proto__":1,"constructor":2,"keys":["y"],"plain":false}}]' '{"entry_point":"f"}'
	rec js-proto-assert javascript 'function addProto(o) {
  Object.defineProperty(o, "__proto__", { value: "p", enumerable: true, writable: true, configurable: true });
}
function make() { return JSON.parse("{\"__proto__\": {\"polluted\": true}, \"k\": 1}"); }' \
	    '[{"name":"in place","style":"assert","code":"const o = {};\naddProto(o);\nassert.deepStrictEqual(Object.keys(o), [\"__proto__\"]);\nassert.strictEqual(Object.getPrototypeOf(o), Object.prototype);\nassert.strictEqual(Object.getOwnPropertyDescriptor(o, \"__proto__\").value, \"p\");"},
{"name":"returned","style":"assert","code":"const r = make();\nassert.deepStrictEqual(Object.keys(r), [\"__proto__\", \"k\"]);\nassert.strictEqual(Object.getPrototypeOf(r), Object.prototype);\nassert.strictEqual(r.polluted, undefined);\nassert.strictEqual(({}).polluted, undefined);\nassert.deepStrictEqual(Object.getOwnPropertyDescriptor(r, \"__proto__\").value, {polluted: true});"}]' \
	    '{"entry_point":"make"}'
	# Async entry points: awaited in the solution's process, handed to
	# the test as a promise, as the language would.
	rec js-async javascript 'async function twice(x) {
  await new Promise((r) => setTimeout(r, 5));
  if (x < 0) throw new RangeError("negative");
  return 2 * x;
}' '[{"name":"call awaits","style":"call","args":[21],"expected":42},
{"name":"await","style":"assert","code":"assert.strictEqual(await twice(2), 4);"},
{"name":"a promise, not a value","style":"assert","code":"const p = twice(2);\nassert.ok(p instanceof Promise);\nassert.notStrictEqual(p, 4);"},
{"name":"rejects","style":"assert","code":"await assert.rejects(twice(-1), RangeError);"},
{"name":"unawaited rejection fails nothing else","style":"assert","code":"twice(-1);\nassert.strictEqual(await candidate(1), 2);"},
{"name":"rejection awaited","style":"assert","code":"await twice(-1);"},
{"name":"call rejects","style":"call","args":[-1],"expected":0},
{"name":"sync value unchanged","style":"assert","code":"assert.strictEqual(twice(3) === 6, false);"}]' '{"entry_point":"twice"}'
	rec js-thenable javascript 'function later(x) { return { then(ok) { ok(x + 1); } }; }' \
	    '[{"style":"call","args":[1],"expected":2},{"style":"assert","code":"assert.strictEqual(await later(4), 5);"}]' \
	    '{"entry_point":"later"}'
	rec js-collections javascript 'function group(xs) {
  const m = new Map();
  for (const x of xs) m.set(x % 2 ? "odd" : "even", (m.get(x % 2 ? "odd" : "even") || 0) + 1);
  return m;
}
function uniq(xs) { return new Set(xs); }
function when(ms) { return new Date(ms); }
function keys(m) { return m instanceof Map ? [...m.keys()] : "not a map"; }' \
	    '[{"name":"map as object","style":"call","args":[[1,2,3]],"expected":{"odd":2,"even":1}},
{"name":"map","style":"assert","code":"const m = group([1, 2, 3]);\nassert.ok(m instanceof Map);\nassert.deepStrictEqual(m, new Map([[\"odd\", 2], [\"even\", 1]]));"},
{"name":"set","style":"assert","code":"assert.deepStrictEqual(uniq([1, 1, 2]), new Set([1, 2]));"},
{"name":"date","style":"assert","code":"assert.strictEqual(when(86400000).toISOString(), \"1970-01-02T00:00:00.000Z\");"},
{"name":"map argument","style":"assert","code":"assert.deepStrictEqual(keys(new Map([[1, 2], [\"a\", 3]])), [1, \"a\"]);"}]' \
	    '{"entry_point":"group"}'
} >in.ndjson

# The same tests, call and assert, for every way of writing a module.
mod_tests='[{"style":"call","args":[[3,1,2]],"expected":[1,2,3]},{"style":"assert","code":"assert.deepStrictEqual(srt([true, false]), [false, true]);\nassert.deepStrictEqual(candidate([2, 1]), [1, 2]);"}]'
mod() {
	rec "$1" javascript "$2" "$mod_tests" '{"entry_point":"srt"}' >>in.ndjson
}
mod cjs-object 'function srt(a) { return [...a].sort(); }
module.exports = { srt };'
mod cjs-require 'const { isDeepStrictEqual } = require("node:util");
const path = require("path");
module.exports = { srt: (a) => isDeepStrictEqual(a, []) ? [] : [...a].sort() };'
mod cjs-exports 'exports.srt = function (a) { return [...a].sort(); };'
mod cjs-function 'module.exports = function (a) { return [...a].sort(); };'
mod cjs-this 'module.exports = { srt(a) { return this.helper(a); }, helper(a) { return [...a].sort(); } };'
mod cjs-main-guard 'function srt(a) { return [...a].sort(); }
function main() { console.log(srt([2, 1])); process.exit(3); }
if (require.main === module) main();
module.exports = { srt, main };'
mod esm-named 'import { isDeepStrictEqual } from "node:util";
function helper(a) { return isDeepStrictEqual(a, []) ? [] : [...a].sort(); }
export function srt(a) { return helper(a); }'
mod esm-default 'export default function srt(a) { return [...a].sort(); }'
mod esm-default-anon 'export default (a) => [...a].sort();'
mod esm-list 'const s = (a) => [...a].sort();
export { s as srt };'
mod esm-syntax 'import fs from "fs";
export function srt(a) { return a.sort(; }'
mod esm-throw 'export function srt(a) { return a; }
throw new RangeError("not today");'
mod load-throw '// a comment
function srt(a) { return a; }
throw new Error("broken on purpose");'
mod load-type 'function srt(a) { return a; }
null.foo;'
mod load-syntax 'function srt(a) {
  return a.sort(;
}'
mod load-string 'throw "a string";'
mod load-exit 'process.exit(0);'
mod no-entry 'function other(a) { return a; }
module.exports = { other };'
io_tests='[{"style":"io","stdin":"2 3\n","stdout":"5\n"}]'
rec io-cjs javascript 'function main() { console.log(require("fs").readFileSync(0, "utf8").trim().split(" ").map(Number).reduce((a, b) => a + b)); }
if (require.main === module) main();
module.exports = { main };' "$io_tests" >>in.ndjson
rec io-esm javascript 'import { readFileSync } from "fs";
export function main() { console.log(readFileSync(0, "utf8").trim().split(" ").map(Number).reduce((a, b) => a + b)); }
main();' "$io_tests" >>in.ndjson

run ab-exec in.ndjson
expect_rc 0 "ab-exec runs the javascript cases"
check "one record per input record" test "$(wc -l <out)" -eq "$(wc -l <in.ndjson)"

# Bug: names in the test code were all taken for the solution's, keywords
# and literals too ("SyntaxError: Unexpected token 'true'").
expect_tests out js-keywords "ok ok ok ok ok ok ok wrong_answer"
expect_jq out '.[] | select(.task.id == "js-keywords") | .exec.tests[7].error | test("nowhere is not defined")' \
    "a name nobody defines is a ReferenceError"
expect_verdict out js-global-entry ok

expect_tests out js-proto-call "ok wrong_answer"
expect_jq out '.[] | select(.task.id == "js-proto-call") | .exec.tests[0].actual | keys_unsorted == ["__proto__", "constructor", "keys", "plain"]' \
    "a returned own __proto__ key reaches the supervisor"
expect_tests out js-proto-assert "ok ok"
expect_tests out js-async "ok ok ok ok ok runtime_error runtime_error ok"
expect_jq out '.[] | select(.task.id == "js-async") | .exec.tests[5].error | test("negative")' \
    "an awaited rejection names the solution's error"
expect_tests out js-thenable "ok ok"
expect_tests out js-collections "ok ok ok ok ok"

for id in cjs-object cjs-require cjs-exports cjs-function cjs-this \
    cjs-main-guard esm-named esm-default esm-default-anon esm-list \
    io-cjs io-esm; do
	expect_verdict out $id ok
done
for id in esm-syntax esm-throw load-throw load-type load-syntax \
    load-string load-exit no-entry; do
	expect_tests out $id "runtime_error runtime_error"
done
err_is() {
	expect_jq out ".[] | select(.task.id == \"$1\") | .exec.tests | all(.error | test(\"$2\"))" \
	    "$1: error says $3"
}
err_is esm-syntax "^the solution failed to load as an ES module \\\\(it uses import or export\\\\): SyntaxError: Unexpected token ';' \\\\(solution.js line 2\\\\)" \
    "an ES module, the syntax error and its line"
err_is esm-throw "RangeError: not today \\\\(solution.js line 2, column 7\\\\)" \
    "the exception and its line in an ES module"
err_is load-throw "^the solution failed to load: Error: broken on purpose \\\\(solution.js line 3" \
    "the exception and its line"
err_is load-type "TypeError: Cannot read properties of null .* \\\\(solution.js line 2" \
    "a TypeError and its line"
err_is load-syntax "^the solution failed to load: SyntaxError: Unexpected token ';' \\\\(solution.js line 2\\\\)" \
    "the syntax error and its line"
err_is load-string "uncaught string: a string" "what was thrown"
err_is load-exit "exited while loading" "that the process exited"
err_is no-entry "^ReferenceError: srt is not defined by the solution" \
    "the entry point is missing"
expect_clean "javascript"
done_testing
