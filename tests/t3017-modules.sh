#!/bin/sh
# ab-exec --modules DIR: packages the solutions may load (a task's
# "modules"), seen read-only inside the sandbox: for node DIR/node_modules
# (npm install --prefix DIR), by require and import alike; for python
# DIR/python (pip install --target DIR/python).  A task naming a module
# the directory lacks, or with no directory given, is the task's
# internal_error, never the solution's failure; nothing of the host
# beyond DIR is seen, and DIR cannot be written.  The modules are written
# here (no network).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
command -v node >/dev/null 2>&1 || skip_env "node is not installed"
cd "$T" || exit 1

# The user's directory: a CommonJS package, a scoped ES module package,
# a Python module and a Python package.
M=$T/mods
mkdir -p "$M/node_modules/ab-fake-hash" "$M/node_modules/@ab/esm-only" \
    "$M/python/abpkg"
printf '{"name": "ab-fake-hash", "version": "1.0.0", "main": "index.js"}\n' \
    >"$M/node_modules/ab-fake-hash/package.json"
cat >"$M/node_modules/ab-fake-hash/index.js" <<'EOF'
// A stand-in for js-md5: a string's hash as hex (FNV-1a, 32 bits).
module.exports = function (s) {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(String(s), 'utf8')) {
    h ^= c;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
};
EOF
printf '{"name": "@ab/esm-only", "version": "1.0.0", "type": "module", "exports": "./index.js"}\n' \
    >"$M/node_modules/@ab/esm-only/package.json"
printf 'export const twice = (x) => 2 * x;\n' >"$M/node_modules/@ab/esm-only/index.js"
printf 'def triple(x):\n    return 3 * x\n' >"$M/python/abfakemod.py"
printf 'from .core import quad\n' >"$M/python/abpkg/__init__.py"
printf 'def quad(x):\n    return 4 * x\n' >"$M/python/abpkg/core.py"
# What the hash gives, computed outside the sandbox.
h=$(node -e 'console.log(require(process.argv[1])("Hello world"))' \
    "$M/node_modules/ab-fake-hash/index.js")
[ -n "$h" ] || not_ok "the hash outside the sandbox"

js_req='const hash = require("ab-fake-hash");
function string_to_hash(text) { return text === "" ? null : hash(text); }'
js_imp='import hash from "ab-fake-hash";
import { twice } from "@ab/esm-only";
export function string_to_hash(text) { return text === "" ? null : hash(text) + twice(1); }'
js_call='[{"style":"call","args":["Hello world"],"expected":"'"$h"'"},{"style":"call","args":[""],"expected":null}]'
js_assert='[{"style":"assert","code":"const assert = require(\"node:assert\");\nassert.deepEqual(string_to_hash(\"Hello world\"), \"'"$h"'\");"}]'
# A solution that tries to write into the modules and to reach the host.
js_poke='const fs = require("fs");
function poke(p) {
  const r = [];
  try { fs.writeFileSync("/node_modules/ab-fake-hash/index.js", "module.exports = () => 1;"); r.push("wrote"); } catch (e) { r.push(e.code); }
  try { fs.mkdirSync("/.ab-modules/node_modules/evil"); r.push("made"); } catch (e) { r.push(e.code); }
  r.push(fs.existsSync(p) ? "host seen" : "host hidden");
  r.push(require("ab-fake-hash")("a"));
  return r;
}'
py_mod='import abfakemod
from abpkg import quad
def f(x):
    return abfakemod.triple(x) + quad(x)'
py_call='[{"style":"call","args":[2],"expected":14}]'
py_assert='[{"style":"assert","code":"assert f(1) == 7\nassert candidate(0) == 0"}]'
ah=$(node -e 'console.log(require(process.argv[1])("a"))' \
    "$M/node_modules/ab-fake-hash/index.js")
{
	rec js-require javascript "$js_req" "$js_call" '{"entry_point":"string_to_hash","modules":["ab-fake-hash"]}'
	rec js-assert javascript "$js_req" "$js_assert" '{"entry_point":"string_to_hash","modules":["ab-fake-hash"]}'
	rec js-import javascript "$js_imp" '[{"style":"call","args":["Hello world"],"expected":"'"$h"'2"}]' '{"entry_point":"string_to_hash","modules":["ab-fake-hash","@ab/esm-only"]}'
	rec js-undeclared javascript "$js_req" "$js_call" '{"entry_point":"string_to_hash"}'
	rec js-poke javascript "$js_poke" "[{\"style\":\"call\",\"args\":[\"$M/node_modules\"],\"expected\":[\"EROFS\",\"EROFS\",\"host hidden\",\"$ah\"]}]" '{"entry_point":"poke"}'
	rec js-missing javascript "$js_req" "$js_call" '{"entry_point":"string_to_hash","modules":["ab-fake-hash","js-md5"]}'
	rec js-badname javascript "$js_req" "$js_call" '{"entry_point":"string_to_hash","modules":["../../etc"]}'
	rec py-call python "$py_mod" "$py_call" '{"entry_point":"f","modules":["abfakemod","abpkg"]}'
	rec py-assert python "$py_mod" "$py_assert" '{"entry_point":"f","modules":["abfakemod","abpkg"]}'
	rec py-missing python "$py_mod" "$py_call" '{"entry_point":"f","modules":["abfakemod","numpy"]}'
	rec py-io python "$py_mod" '[{"style":"io","stdin":"","stdout":""}]' '{"entry_point":"f","modules":["abfakemod"]}'
	rec c-modules c 'int f(int x) { return x; }' '[{"style":"call","args":[1],"expected":1}]' '{"entry_point":"f","modules":["m"]}'
} >recs.ndjson

run ab-exec --modules "$M" recs.ndjson
expect_rc 1 "ab-exec --modules (the tasks that cannot be judged: exit 1)"
cp "$T/out" with.ndjson
expect_verdict with.ndjson js-require ok
expect_verdict with.ndjson js-assert ok
expect_verdict with.ndjson js-import ok
expect_verdict with.ndjson js-undeclared ok
expect_verdict with.ndjson js-poke ok
expect_verdict with.ndjson py-call ok
expect_verdict with.ndjson py-assert ok
expect_jq with.ndjson '.[] | select(.task.id == "js-missing") | .exec.verdict == "internal_error" and .exec.error.kind == "task" and (.exec.error.message | test("needs the module js-md5, which the --modules directory lacks"))' \
    "a module the directory lacks: the task's internal_error, named"
expect_jq with.ndjson '.[] | select(.task.id == "py-missing") | .exec.verdict == "internal_error" and (.exec.error.message | test("needs the module numpy"))' \
    "likewise for python"
expect_jq with.ndjson '.[] | select(.task.id == "js-badname") | .exec.verdict == "internal_error" and (.exec.error.message | test("bad module name"))' \
    "a module name with .. is refused"
expect_jq with.ndjson '.[] | select(.task.id == "py-io") | .exec.verdict == "internal_error" and .exec.error.kind == "task" and (.exec.error.message | test("io style runs the solution isolated"))' \
    "python io tests (python3 -I) cannot load modules: refused, not the solution's failure"
expect_jq with.ndjson '.[] | select(.task.id == "c-modules") | .exec.verdict == "internal_error" and (.exec.error.message | test("loads no modules"))' \
    "modules in a language without them is refused"
expect_jq with.ndjson 'length == 12' "every record written"
# The directory is untouched.
check "the modules are unchanged after the runs" \
    test ! -e "$M/node_modules/evil"
expect_contains "$M/node_modules/ab-fake-hash/index.js" "FNV-1a" \
    "the package's file is the one written here"

# Without --modules: the task that names a module cannot be judged (not
# the solution's runtime_error); a solution loading an undeclared module
# fails as it would on a bare node.
run ab-exec recs.ndjson
expect_rc 1 "ab-exec without --modules (internal errors)"
cp "$T/out" without.ndjson
expect_jq without.ndjson '.[] | select(.task.id == "js-require") | .exec.verdict == "internal_error" and .exec.error.kind == "task" and (.exec.error.message | test("run ab-exec with --modules DIR"))' \
    "without --modules, a task naming a module is internal_error"
expect_verdict without.ndjson js-undeclared runtime_error

run ab-exec --modules "$T/no-such-dir" recs.ndjson
expect_rc 2 "--modules with a missing directory is fatal"
expect_contains "$T/err" "--modules $T/no-such-dir" "the message names the option and the directory"

done_testing
