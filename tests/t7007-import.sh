#!/bin/sh
# The importers: HumanEval, MBPP and MultiPL-E samples (written for these
# tests, in those formats) become valid tasks whose tests run under ab-exec.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-exec.sh"
I=$TOP/share/ab/import
D=$TOP/tests/data/import
V=$TOP/share/ab/validate-task
cd "$T" || exit 1

for f in humaneval mbpp; do
	run jq -c -f "$I/$f.jq" "$D/$f.jsonl"
	expect_rc 0 "$f.jq"
	cp "$T/out" "$f.ndjson"
	check "$f.jq: one task per line" test "$(wc -l <"$f.ndjson")" -eq "$(wc -l <"$D/$f.jsonl")"
	run "$V" "$f.ndjson"
	expect_rc 0 "$f.jq: the tasks validate"
	expect_jq "$f.ndjson" 'all(.[]; (.reference | type) == "string")' "$f.jq: with references"
done
expect_jq humaneval.ndjson '.[0] | .id == "humaneval-sampleeval-0" and .entry_point == "count_peaks"
    and .signature == "def count_peaks(values: List[int]) -> int"
    and (.starter_code | startswith("from typing import List"))
    and (.reference | contains("return sum(1 for i"))
    and .tests[0].hidden == true and (.tests[0].code | contains("def check(candidate)"))
    and .source == {"format": "humaneval", "task_id": "SampleEval/0"}' \
    "humaneval.jq: the fields of a task"
expect_jq mbpp.ndjson '.[0] | .id == "mbpp-901" and .entry_point == "long_words"
    and (.reference | contains("\r") | not) and (.tests | length) == 3
    and all(.tests[]; .hidden != true)' "mbpp.jq: the fields of a task"
expect_jq mbpp.ndjson '.[1].tests[3] | .hidden == true and .name == "challenge 1"' \
    "mbpp.jq: challenge tests are hidden"
expect_jq mbpp.ndjson '.[2].tests | all(.[]; .code | startswith("import math\nORIGIN = (0, 0)\n"))' \
    "mbpp.jq: the setup code runs before each test"
AB_IMPORT_DIFFICULTY=hard AB_IMPORT_CATEGORY=numerics AB_IMPORT_SUITE=x \
    jq -c -f "$I/mbpp.jq" "$D/mbpp.jsonl" >env.ndjson
expect_jq env.ndjson 'all(.[]; .difficulty == "hard" and .category == "numerics" and .suite == "x")' \
    "AB_IMPORT_DIFFICULTY, AB_IMPORT_CATEGORY and AB_IMPORT_SUITE"

run jq -c -f "$I/multipl-e.jq" "$D/multipl-e.jsonl"
expect_rc 5 "multipl-e.jq: an unsupported language is an error"
expect_contains "$T/err" "multipl-e.jsonl:5): language lua is not supported" \
    "... reported with its line"
cp "$T/out" multipl-e.ndjson
check "multipl-e.jq: the other lines become tasks" test "$(wc -l <multipl-e.ndjson)" -eq 4
run "$V" multipl-e.ndjson
expect_rc 0 "multipl-e.jq: the tasks validate"
expect_jq multipl-e.ndjson '[.[].language] == ["python", "javascript", "cpp", "bash"]' \
    "multipl-e.jq: languages mapped"
expect_jq multipl-e.ndjson '.[1].tests[0].code | contains("require('"'node:assert'"')")' \
    "multipl-e.jq: javascript tests keep their own assert"
expect_jq multipl-e.ndjson '.[2].completion.suffix == "}\n" and .[0].completion.suffix == ""
    and .[2].completion.prompt == .[2].starter_code' \
    "multipl-e.jq: the completion member restores the brace the stop token took"
expect_jq multipl-e.ndjson '.[2].tests[0].code | (contains("main") | not) and contains("auto candidate = count_peaks;")' \
    "multipl-e.jq: c++ tests become the body of main"
expect_jq multipl-e.ndjson '.[3].tests[0].code | startswith("\ncandidate()")' \
    "multipl-e.jq: bash tests lose the prompt's closing brace"
expect_jq multipl-e.ndjson 'all(.[]; has("reference") | not) and .[0].source.stop_tokens[0] == "\ndef"' \
    "multipl-e.jq: no reference, the stop tokens kept"

printf '{"task_id": "x/1", "prompt": "def f():\\n", "test": "", "entry_point": "f"}\nnot json\n' >bad.jsonl
run jq -c -f "$I/humaneval.jq" bad.jsonl
check "humaneval.jq: a bad line is an error (exit $rc)" test "$rc" -ne 0
expect_contains "$T/err" "test missing" "humaneval.jq: names what is missing"

# The imported tests run: references of HumanEval and MBPP, and solutions
# written for the MultiPL-E sample (the format has none).
python3 - "$D/multipl-e.solutions.json" multipl-e.ndjson >multipl-e.solved.ndjson <<'PY'
import json, sys
sol = json.load(open(sys.argv[1]))
for line in open(sys.argv[2]):
    t = json.loads(line)
    t["reference"] = sol[t["source"]["name"] + "/" + t["source"]["language"]]
    print(json.dumps(t, separators=(",", ":")))
PY
suite_exec humaneval.ndjson mbpp.ndjson multipl-e.solved.ndjson
done_testing
