#!/bin/sh
# MultiPL-E and HumanEval-X through their importers and ab-exec, on samples
# written for these tests in those formats: a completion (code = prompt +
# completion, cut at a stop token) and a whole function (a chat model's
# answer) both run; the C++ completions get the verdict of the program
# MultiPL-E itself builds (prompt + completion + a newline + tests,
# compiled with g++ and run; a completion ending in a line comment keeps
# the function's closing brace); javascript tests keep their own assert (deepEqual is loose
# under node:assert, strict under node:assert/strict); std::any,
# boost::any and a link library (task.link) work; correct and wrong
# solutions of each.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
I=$TOP/share/ab/import
D=$TOP/tests/data/multipl-e
V=$TOP/share/ab/validate-task
cd "$T" || exit 1

run jq -c -f "$I/multipl-e.jq" "$D/multipl-e.jsonl"
expect_rc 0 "multipl-e.jq"
cp "$T/out" me.ndjson
run jq -c -f "$I/humaneval-x.jq" "$D/humaneval-x.jsonl"
expect_rc 0 "humaneval-x.jq"
cp "$T/out" hx.ndjson
run "$V" me.ndjson hx.ndjson
expect_rc 0 "the imported tasks validate"
expect_jq me.ndjson '.[0].completion == {prompt: .[0].starter_code, suffix: "}\n", stop_tokens: ["\n}"]}
    and .[2].completion.suffix == ""' "multipl-e.jq: the completion member, the brace the stop token took"
expect_jq me.ndjson '.[2].tests[0].code | startswith("const assert = require('"'node:assert'"');")' \
    "multipl-e.jq: javascript tests keep their require of node:assert"
expect_jq hx.ndjson '[.[].link] == [["crypto"], null, null, null]
    and (.[1].tests[0].code | contains("auto issame = [&](vector<int> a,vector<int>b) -> bool {"))
    and (.[3].tests[0].code | contains("console.assert") | not)
    and [.[].entry_point] == ["text_md5", "evens", "larger", "lastOf"]' \
    "humaneval-x.jq: link, helpers as lambdas, console.assert, entry points"

# Records: NAME FORM CODE EXPECTED for each task.  FORM: completion (the
# code is the prompt + CODE) or whole (the code is CODE).
python3 - me.ndjson hx.ndjson >recs.ndjson <<'PY'
import json, sys
tasks = {}
for f in sys.argv[1:]:
    for line in open(f):
        t = json.loads(line)
        tasks[t["id"]] = t
S = "multipl-e-HumanEval_900_sum_positive-cpp"
A = "multipl-e-HumanEval_901_keep_longs-cpp"
J = "multipl-e-HumanEval_902_count_vowels-js"
JS = "multipl-e-HumanEval_903_count_vowels_strict-js"
vowels = "  let n = 0;\n  for (const c of s) if ('aeiou'.includes(c)) n++;\n"
cases = [
    (S, "ok", "completion", "    long s = 0;\n    for (long x : xs) {\n        if (x > 0)\n            s += x;\n    }\n    return s;"),
    (S, "ok-newline", "completion", "    long s = 0;\n    for (long x : xs) if (x > 0) s += x;\n    return s;\n"),
    (S, "ok-comment", "completion", "    long s = 0;\n    for (long x : xs) if (x > 0) s += x;\n    return s; // the sum of the positive ones"),
    (S, "wrong", "completion", "    long s = 0;\n    for (long x : xs) s += x;\n    return s;"),
    (S, "uncut", "completion", "    long s = 0;\n    for (long x : xs) if (x > 0) s += x;\n    return s;\n}\n\nint main() { return 1; }\n"),
    (S, "syntax", "completion", "    return xs.size( ;"),
    (S, "whole", "whole", "#include <vector>\n\nlong sum_positive(std::vector<long> xs) {\n    long s = 0;\n    for (long x : xs)\n        if (x > 0)\n            s += x;\n    return s;\n}\n"),
    (S, "whole-wrong", "whole", "#include <vector>\nlong sum_positive(std::vector<long> xs) {\n    return xs.empty() ? 0 : 4;\n}\n"),
    (A, "ok", "completion", "    std::vector<long> out;\n    for (auto &v : values)\n        if (v.type() == typeid(long))\n            out.push_back(std::any_cast<long>(v));\n    return out;"),
    (A, "strings", "completion", "    std::vector<long> out;\n    for (auto &v : values)\n        if (v.type() == typeid(long) || v.type() == typeid(const char *))\n            out.push_back(v.type() == typeid(long) ? std::any_cast<long>(v) : 0);\n    return out;"),
    (A, "wrong", "completion", "    return {4, 9};"),
    (J, "ok", "completion", vowels + "  return n;\n}\n"),
    (J, "string", "completion", vowels + "  return String(n);\n}\n"),
    (J, "wrong", "completion", vowels + "  return n + 1;\n}\n"),
    (J, "whole", "whole", "function isVowel(c) { return 'aeiou'.includes(c); }\nfunction count_vowels(s) {\n  return [...s].filter(isVowel).length;\n}\n"),
    (JS, "ok", "completion", vowels + "  return n;\n}\n"),
    (JS, "string", "completion", vowels + "  return String(n);\n}\n"),
    ("humaneval-x-cpp-900", "wrong", "completion", "    return \"None\";\n}\n"),
    ("humaneval-x-cpp-901", "wrong", "completion", "    vector<int> out;\n    for (int x : xs) if (x % 2) out.push_back(x);\n    return out;\n}\n"),
    ("humaneval-x-cpp-902", "wrong", "completion", "    return a;\n}\n"),
    ("humaneval-x-javascript-900", "wrong", "completion", "  return xs[0];\n}\n"),
]
for tid in ("humaneval-x-cpp-900", "humaneval-x-cpp-901", "humaneval-x-cpp-902", "humaneval-x-javascript-900"):
    cases.append((tid, "reference", "whole", tasks[tid]["reference"]))
nolink = dict(tasks["humaneval-x-cpp-900"], id="nolink")
del nolink["link"]
tasks["nolink"] = nolink
cases.append(("nolink", "reference", "whole", nolink["reference"]))
badlink = dict(tasks["humaneval-x-cpp-900"], id="badlink", link=["-Wl,--foo"])
tasks["badlink"] = badlink
cases.append(("badlink", "reference", "whole", badlink["reference"]))
for tid, name, form, code in cases:
    t = tasks[tid]
    if form == "completion":
        code = t["starter_code"] + code
    print(json.dumps({"id": "%s/%s/0" % (tid, name), "run": "r1", "task": t,
        "config": {"name": name, "hash": name}, "sample": 0,
        "gen": {"text": code, "error": None},
        "extract": {"code": code, "error": None}}))
PY
run ab-exec -j 2 recs.ndjson
check "ab-exec ran every record (exit $rc)" test "$rc" -le 1
cp "$T/out" exec.ndjson
check "one record out per record in" test "$(wc -l <exec.ndjson)" -eq "$(wc -l <recs.ndjson)"

v() { # ID VERDICT
	_v=$(jq -r --arg id "$1" 'select(.id == $id) | .exec.verdict' exec.ndjson)
	if [ "$_v" = "$2" ]; then ok "$1: $2"
	else not_ok "$1: $_v, expected $2"
		diag "$(jq -c --arg id "$1" 'select(.id == $id) | .exec.tests' exec.ndjson | head -c 1500)"
	fi
}
S=multipl-e-HumanEval_900_sum_positive-cpp
v $S/ok/0 ok
v $S/ok-newline/0 ok
v $S/ok-comment/0 ok
v $S/wrong/0 wrong_answer
v $S/uncut/0 ok
v $S/syntax/0 compile_error
v $S/whole/0 ok
v $S/whole-wrong/0 wrong_answer
A=multipl-e-HumanEval_901_keep_longs-cpp
v $A/ok/0 ok
v $A/strings/0 wrong_answer
v $A/wrong/0 wrong_answer
J=multipl-e-HumanEval_902_count_vowels-js
v $J/ok/0 ok
v $J/string/0 ok
v $J/wrong/0 wrong_answer
v $J/whole/0 ok
J=multipl-e-HumanEval_903_count_vowels_strict-js
v $J/ok/0 ok
v $J/string/0 wrong_answer
for n in 900 901 902; do
	v humaneval-x-cpp-$n/reference/0 ok
	v humaneval-x-cpp-$n/wrong/0 wrong_answer
done
v humaneval-x-javascript-900/reference/0 ok
v humaneval-x-javascript-900/wrong/0 wrong_answer
v nolink/reference/0 compile_error
v badlink/reference/0 internal_error
expect_jq exec.ndjson 'map(select(.id == "badlink/reference/0"))[0].exec.error.message
    | contains("library name")' "a bad link name is the task's error, and says why"

# MultiPL-E's own assembly and executor for the C++ completions: the
# program prompt + completion + a newline + tests, compiled with g++
# -std=c++17 and run; its verdict (OK, or not) is ab-exec's.
if command -v g++ >/dev/null 2>&1; then
	python3 - "$D/multipl-e.jsonl" recs.ndjson <<'PY' >programs.txt
import json, sys
probs = {}
for line in open(sys.argv[1]):
    p = json.loads(line)
    probs[p["name"]] = p
for line in open(sys.argv[2]):
    r = json.loads(line)
    t = r["task"]
    if t["language"] != "cpp" or t.get("completion") is None:
        continue
    p = probs[t["source"]["name"]]
    code = r["extract"]["code"]
    if not code.startswith(p["prompt"]):
        continue
    comp = code[len(p["prompt"]):]
    cut = min([comp.find(s) for s in p["stop_tokens"] if s in comp] + [len(comp)])
    name = r["id"].replace("/", "_")
    open(name + ".cpp", "w").write(p["prompt"] + comp[:cut] + "\n" + p["tests"])
    print(r["id"], name)
PY
	while read -r id name; do
		if g++ -std=c++17 -o "$name" "$name.cpp" 2>/dev/null && ./"$name" 2>/dev/null
		then want=ok; else want=fail; fi
		got=$(jq -r --arg id "$id" 'select(.id == $id) | .exec.verdict' exec.ndjson)
		[ "$got" = ok ] || got=fail
		if [ "$got" = "$want" ]; then ok "$id: as MultiPL-E's executor ($want)"
		else not_ok "$id: ab-exec $got, MultiPL-E's executor $want"; fi
	done <programs.txt
	check "the MultiPL-E programs were built" test "$(wc -l <programs.txt)" -ge 8
else
	skip "g++ is needed to run MultiPL-E's programs"
fi
done_testing
