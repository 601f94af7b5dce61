#!/bin/sh
# ab-exec: the checker cache of the C and C++ proxy styles (ab-exec(1),
# "Cache"; ab-lang(5), "checker").  On MultiPL-E and HumanEval-X shaped
# programs (the importers' tasks from tests/data/multipl-e), right and
# wrong: verdicts are the same with the cache off, fresh and warm, with
# -j 2 and from two processes at once; samples of a task with the same
# declarations share one checker; a wrong sample after a right one still
# fails; a sample whose macros or headers would change the checker were
# they part of its build gets its own verdict; an entry truncated,
# altered, or holding a checker that cannot start is built again; the
# entries are ab-exec's only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1
C=$T/cache
K=$C/exec/checker
D=$TOP/tests/data/multipl-e
jq -c -f "$AB_SHARE/import/multipl-e.jq" "$D/multipl-e.jsonl" >me.ndjson
jq -c -f "$AB_SHARE/import/humaneval-x.jq" "$D/humaneval-x.jsonl" >hx.ndjson

python3 - "$D/multipl-e.jsonl" >recs.ndjson <<'PY'
import json, sys

prompts = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    prompts["multipl-e-%s-%s" % (r["name"], r["language"])] = r["prompt"]

tasks = {}
for f in ("me.ndjson", "hx.ndjson"):
    for line in open(f):
        t = json.loads(line)
        if t["language"] == "cpp":
            tasks[t["id"]] = t
n = 0
def rec(name, tid, code):
    global n
    print(json.dumps({"id": "%s/c/%d" % (tid, n), "run": "r1",
        "task": tasks[tid], "config": {"name": "c", "hash": "h"},
        "sample": n, "label": name,
        "gen": {"text": code, "error": None},
        "extract": {"code": code, "error": None}}))
    n += 1

# MultiPL-E: code is prompt + completion (the tests close the function).
me = "multipl-e-HumanEval_900_sum_positive-cpp"
p = prompts[me]
right = "    long s = 0;\n    for (long x : xs)\n        if (x > 0)\n            s += x;\n    return s;"
wrong = "    long s = 0;\n    for (long x : xs)\n        s += x;\n    return s;"
rec("me-right", me, p + right)
rec("me-wrong", me, p + wrong)
# Would silence the tests' assertions, were the solution's macros part of
# the checker's build.
rec("me-poison-assert", me, p + wrong + "\n}\n#define assert(x) ((void)0)\n"
    "#define candidate(...) 4\nstatic long unused_(long y) {\n    return y;")
# The whole function (as a chat model answers): a precompiled header of
# other headers (its first lines), NDEBUG set after them.
rec("me-poison-header", me, "#include <cassert>\n#include <map>\n"
    "#define NDEBUG 1\n" + p + wrong + "\n}\n")
# An object-like macro in the signature: the view spells the type.
rec("me-macro-type", me, "#define L long\n" + p.replace(
    "long sum_positive(std::vector<long> xs)",
    "L sum_positive(std::vector<L> xs)") + right + "\n}\n")
rec("me-wrong-again", me, p + wrong)
ml = "multipl-e-HumanEval_901_keep_longs-cpp"
q = prompts[ml]
rec("me-any-right", ml, q + "    std::vector<long> out;\n    for (auto &v : values)\n        if (v.type() == typeid(long))\n            out.push_back(std::any_cast<long>(v));\n    return out;")
rec("me-any-wrong", ml, q + "    std::vector<long> out;\n    for (auto &v : values)\n        if (v.type() == typeid(long) || v.type() == typeid(float))\n            out.push_back(1);\n    return out;")
# HumanEval-X: references and wrong ones.
ref = tasks["humaneval-x-cpp-901"]["reference"]
rec("901-right", "humaneval-x-cpp-901", ref)
rec("901-wrong", "humaneval-x-cpp-901", ref.replace("x % 2 == 0", "x % 2 != 0"))
ref = tasks["humaneval-x-cpp-900"]["reference"]
rec("900-wrong", "humaneval-x-cpp-900", ref.replace('return "None"', 'return "none"'))
PY
cat >want.txt <<'EOF'
["me-right","ok"]
["me-wrong","wrong_answer"]
["me-poison-assert","wrong_answer"]
["me-poison-header","wrong_answer"]
["me-macro-type","ok"]
["me-wrong-again","wrong_answer"]
["me-any-right","ok"]
["me-any-wrong","wrong_answer"]
["901-right","ok"]
["901-wrong","wrong_answer"]
["900-wrong","wrong_answer"]
EOF
if [ "$(wc -l <recs.ndjson)" = 11 ]; then ok "11 samples"
else not_ok "11 samples"; exit 1; fi
verdicts() { jq -c '[.label, .exec.verdict]' "$1" >"$2"; }

run ab-exec --no-cache recs.ndjson
expect_rc 0 "ab-exec --no-cache"
verdicts "$T/out" nocache.txt
expect_same nocache.txt want.txt "verdicts without the cache"
if [ -e "$K" ]; then not_ok "--no-cache makes no checker cache"
else ok "--no-cache makes no checker cache"; fi
head -n 1 recs.ndjson >first.ndjson
run ab-exec --no-cache --cache-dir "$T/none" first.ndjson
if [ -e "$T/none" ]; then not_ok "--no-cache wins over --cache-dir"
else ok "--no-cache wins over --cache-dir"; fi

run ab-exec --cache-dir "$C" recs.ndjson
expect_rc 0 "ab-exec with a fresh cache"
verdicts "$T/out" cold.txt
expect_same cold.txt want.txt "the same verdicts while the cache fills"
run ab-exec --cache-dir "$C" recs.ndjson
expect_rc 0 "ab-exec with the cache warm"
verdicts "$T/out" warm.txt
expect_same warm.txt want.txt "the same verdicts from the cache"
run ab-exec -j 2 --cache-dir "$C" recs.ndjson
verdicts "$T/out" warm2.txt
expect_same warm2.txt want.txt "the same verdicts from the cache with -j 2"

# The entries: whole ones only, ab-exec's alone.
ls "$K" >entries.txt
if grep -q '^tmp\.' entries.txt; then not_ok "no half-written entry left"
else ok "no half-written entry left"; fi
if [ "$(stat -c %a "$K")" = 700 ] && [ -z "$(find "$K" -type f ! -perm 600)" ]
then ok "the entries are ab-exec's only (0700, 0600)"
else not_ok "the entries are ab-exec's only"; diag "$(ls -la "$K")"; fi
# Samples of a task with the same declarations share a checker: at most
# one per task and per distinct view (sum_positive: plain, the macro
# type's view, the other headers'; keep_longs; two HumanEval-X tasks).
nk=$(wc -l <entries.txt)
if [ "$nk" -ge 4 ] && [ "$nk" -le 7 ]; then
	ok "one checker per task and view ($nk entries for 11 samples)"
else
	not_ok "one checker per task and view: $nk entries"
fi
# A run sees none of them.
rec peek bash "if ls '$K' >/dev/null 2>&1; then echo seen; else echo none; fi; ls /.ab-cache | grep -v '^[0-9a-f]\{64\}\$' || true" \
    '[{"style": "io", "stdin": "", "stdout": "none\n"}]' >peek.ndjson
run ab-exec --cache-dir "$C" peek.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "ok"' "no run sees the checker cache"

# A wrong sample alone, with only the right one's checker cached.
rm -rf "$K"
sed -n 1p recs.ndjson >right.ndjson
sed -n 2p recs.ndjson >wrong.ndjson
sed -n 3p recs.ndjson >poison.ndjson
run ab-exec --cache-dir "$C" right.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "ok"' "right: ok (its checker cached)"
if [ "$(ls "$K" | wc -l)" = 1 ]; then ok "one entry"; else not_ok "one entry"; fi
cp "$K"/* entry.saved
run ab-exec --cache-dir "$C" wrong.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "wrong_answer"' "wrong after right, from the cached checker: wrong_answer"
run ab-exec --cache-dir "$C" poison.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "wrong_answer"' "macros that would silence the checker: still wrong_answer"
if [ "$(ls "$K" | wc -l)" = 1 ] && cmp -s entry.saved "$K"/*; then
	ok "the wrong samples used the right one's checker, unchanged"
else
	not_ok "the wrong samples used the right one's checker, unchanged"
fi

# A damaged entry is built again: cut short, one byte changed, a
# checker that cannot start (its hash right).
e=$(ls "$K")
head -c 5000 entry.saved >"$K/$e"
run ab-exec --cache-dir "$C" wrong.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "wrong_answer"' "a truncated entry: wrong_answer"
if cmp -s entry.saved "$K/$e"; then ok "a truncated entry is built again"
else not_ok "a truncated entry is built again"; fi
python3 - "$K/$e" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x40
open(p, "wb").write(b)
PY
run ab-exec --cache-dir "$C" right.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "ok"' "an altered entry: ok"
if cmp -s entry.saved "$K/$e"; then ok "an altered entry is built again"
else not_ok "an altered entry is built again"; fi
python3 - "$K/$e" <<'PY'
import hashlib, sys
body = b"this is not a program\n"
open(sys.argv[1], "wb").write(b"ab-exec checker 1 %s %d\n" % (
    hashlib.sha256(body).hexdigest().encode(), len(body)) + body)
PY
run ab-exec --cache-dir "$C" wrong.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "wrong_answer"' "a cached checker that cannot start: the verdict of a fresh one"
run ab-exec --cache-dir "$C" right.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "ok"' "... and ok for the right one"
if cmp -s entry.saved "$K/$e"; then ok "a checker that cannot start is replaced"
else not_ok "a checker that cannot start is replaced"; fi

# Two processes at once, each with two workers, on an empty cache.
rm -rf "$K"
ab-exec -j 2 --cache-dir "$C" recs.ndjson >c1.out 2>c1.err &
p1=$!
ab-exec -j 2 --cache-dir "$C" recs.ndjson >c2.out 2>c2.err &
p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
if [ "$r1" = 0 ] && [ "$r2" = 0 ]; then ok "two processes at once: both finish"
else not_ok "two processes at once: $r1 $r2"; diag "$(cat c1.err c2.err)"; fi
verdicts c1.out conc1.txt
verdicts c2.out conc2.txt
expect_same conc1.txt want.txt "two processes at once: the verdicts (first)"
expect_same conc2.txt want.txt "two processes at once: the verdicts (second)"
if ls "$K" | grep -q '^tmp\.'; then not_ok "no half-written entry left"
else ok "no half-written entry left after two processes"; fi
run ab-exec --cache-dir "$C" recs.ndjson
verdicts "$T/out" after.txt
expect_same after.txt want.txt "the entries they wrote give the same verdicts"
done_testing
