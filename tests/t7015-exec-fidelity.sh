#!/bin/sh
# What crosses between a python or javascript test and the solution it
# calls by proxy: MBPP and HumanEval rows (written for this test, in those
# formats) whose correct solution relies on it must pass, and a wrong
# solution beside each must fail.  Counter, defaultdict and OrderedDict
# against dicts; a solution's function named check; the solution's own
# classes built, walked and checked with isinstance by the test; a module
# the solution imported, used by the test (the standard library's own,
# not as the solution patched it); types as arguments; exceptions
# by identity (a subclass caught by its built-in base, a class only named
# ValueError not caught as it); namedtuple, Fraction and generators; in
# javascript, NaN, the infinities and undefined never pass for null, and errors are
# told by their class, not their name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-exec.sh"
I=$TOP/share/ab/import
D=$TOP/tests/data/fidelity
cd "$T" || exit 1

for f in mbpp humaneval; do
	run jq -c -f "$I/$f.jq" "$D/$f.jsonl"
	expect_rc 0 "$f.jq"
	cp "$T/out" "$f.ndjson"
	check "$f.jq: one task per row" test "$(wc -l <"$f.ndjson")" -eq "$(wc -l <"$D/$f.jsonl")"
done
expect_jq humaneval.ndjson '.[2] | .id == "humaneval-python-9000" and .entry_point == "second_largest"' \
    "humaneval.jq: a HumanEval-X row's entry point is what its test passes to check()"
for f in mbpp humaneval; do
	AB_IMPORT_TIME_LIMIT_MS=10000 jq -c -f "$I/$f.jq" "$D/$f.jsonl" >limit.ndjson
	expect_jq limit.ndjson 'all(.[]; .time_limit_ms == 10000)' "$f.jq: AB_IMPORT_TIME_LIMIT_MS"
done
expect_jq mbpp.ndjson 'all(.[]; has("time_limit_ms") | not)' "mbpp.jq: no time limit unless asked"

# The wrong solutions become the tasks' mutants.
python3 - "$D/wrong.json" mbpp.ndjson humaneval.ndjson >tasks.ndjson <<'PY'
import json, sys
wrong = json.load(open(sys.argv[1]))
seen = set()
for f in sys.argv[2:]:
    for line in open(f):
        t = json.loads(line)
        t["mutants"] = wrong[t["id"]]
        seen.add(t["id"])
        print(json.dumps(t, separators=(",", ":")))
missing = set(wrong) - seen
if missing:
    sys.exit("wrong solutions of no task: %s" % sorted(missing))
PY
check "every task has its wrong solutions" test $? -eq 0 -a -s tasks.ndjson
suite_exec tasks.ndjson "$D/javascript.ndjson"

# Why the wrong ones fail, where it matters.
if [ -s "$T/exec.ndjson" ]; then
	E=$T/exec.ndjson
	expect_jq "$E" 'map(select(.id == "mbpp-9009/mutant/0")) | .[0].exec.tests[1:] |
	    all(.[]; .verdict == "runtime_error" and (.error | startswith("solution.ValueError (the solution'"'"'s class, not the built-in): ")))' \
	    "a class of the solution's named ValueError is not the built-in one"
	expect_jq "$E" 'map(select(.id == "mbpp-9009/mutant/1")) | .[0].exec.tests[1:] |
	    all(.[]; .verdict == "runtime_error")' \
	    "... nor is one that claims the built-in's module and name"
	expect_jq "$E" 'map(select(.id == "mbpp-9001/mutant/1")) | .[0].exec.tests[0].verdict == "wrong_answer"' \
	    "a dict whose __eq__ says yes to everything is compared by its contents"
	expect_jq "$E" 'map(select(.id == "mbpp-9004/mutant/0")) | .[0].exec.tests[0].verdict == "wrong_answer"' \
	    "an object of the solution's is never asked whether it equals"
	expect_jq "$E" 'map(select(.id == "mbpp-9012/mutant/0" or .id == "mbpp-9006/mutant/1")) |
	    length == 2 and all(.[]; .exec.tests | all(.[]; .verdict == "wrong_answer"))' \
	    "the test's math and sys are the standard library's, not as the solution patched them"
	expect_jq "$E" 'map(select(.id == "js-fidelity-null/mutant/0")) | .[0].exec.tests[0] |
	    .verdict == "wrong_answer" and (.error | contains("NaN, which has no JSON form"))' \
	    "javascript: NaN is not null"
	expect_jq "$E" 'map(select(.id == "js-fidelity-null/mutant/1" or .id == "js-fidelity-null/mutant/2")) |
	    length == 2 and all(.[]; .exec.tests[0].verdict == "wrong_answer")' \
	    "javascript: Infinity and -Infinity are not null"
	expect_jq "$E" 'map(select(.id == "js-fidelity-error/mutant/0")) | .[0].exec.tests[0] |
	    .verdict == "wrong_answer" and (.error | contains("identical name but a different prototype"))' \
	    "javascript: a class of the solution's named RangeError is not the built-in one"
fi
done_testing
