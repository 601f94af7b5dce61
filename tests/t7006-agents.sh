#!/bin/sh
# The offline demo agents: oracle answers with the reference, poor with a
# mutant or no code, found through $AB_TASKS, deterministic in the sample.
. "$(dirname "$0")/lib.sh"
A=$TOP/share/ab/agents
cd "$T" || exit 1
mkdir -p suite
cp "$TOP/tasks/starter.ndjson" suite/
cp "$TOP/tasks/python.ndjson" one.ndjson

# The tasks' references and py-user-metrics' mutants, read with jq -r
# (strings are exact), from one jq (a jq start is 23 ms): ref-ID for
# starter.ndjson, ref1-ID for one.ndjson, mutant-N, the ids in ids.txt.
# Each file is made of the lines that follow a line "\001 NAME".
must jq -r '
def file($name): "\u0001 \($name)", .;
if input_filename == "suite/starter.ndjson" then
	(.id | file("ids.txt")),
	(.id as $id | .reference | rtrimstr("\n") | file("ref-\($id)")),
	(select(.id == "py-user-metrics") | .mutants | to_entries[] |
	    .key as $k | .value | rtrimstr("\n") | file("mutant-\($k)"))
else
	.id as $id | .reference | rtrimstr("\n") | file("ref1-\($id)")
end' suite/starter.ndjson one.ndjson >refs.txt
must awk '/^\001 / { f = substr($0, 3); next } { print >f }' refs.txt

# The code inside the first fenced block of a file.
fenced() {
	awk 'f == 0 && /^(```|~~~)/ { f = 1; fence = $0; sub(/[^`~].*/, "", fence); next }
	     f == 1 && $0 == fence { exit }
	     f == 1 { print }' "$1"
}

export AB_TASKS="$T/suite"
run "$A/oracle" py-two-sum </dev/null
expect_rc 0 "oracle answers"
expect_contains "$T/out" '```python' "in a python fenced block"
expect_contains "$T/out" "Here is a solution in Python." "with a sentence before"
fenced "$T/out" >got.txt
expect_same got.txt ref-py-two-sum "oracle's code is the reference"

printf 'the prompt\n' | AB_TASK_ID=c-gcd-lcm "$A/oracle" >out.txt 2>err.txt
check "oracle takes the id from AB_TASK_ID and reads the prompt on stdin" test $? = 0
expect_contains out.txt '```c' "a c block"
fenced out.txt >got.txt
expect_same got.txt ref-c-gcd-lcm "oracle's c code is the reference"

AB_TASKS="$T/no-such-dir:$T/one.ndjson" "$A/oracle" py-sudoku </dev/null >out.txt
check "AB_TASKS: colon-separated, files and directories" test $? = 0
fenced out.txt >got.txt
expect_same got.txt ref1-py-sudoku "the task is found in the second entry"

(cd "$TOP" && unset AB_TASKS && "$A/oracle" bash-is-palindrome </dev/null) >out.txt
check "AB_TASKS defaults to ./tasks" test $? = 0
expect_contains out.txt '```bash' "a bash block"

run "$A/oracle" no-such-task </dev/null
expect_rc 1 "an unknown task"
expect_contains "$T/err" "oracle: task no-such-task not found in $T/suite" "is reported"
run env -u AB_TASK_ID "$A/oracle" </dev/null
expect_rc 2 "no task id"

# A reference holding ``` gets a longer fence.
printf '%s\n' '{"id":"md-1","language":"python","prompt":"p","difficulty":"easy","category":"strings","tests":[{"style":"io","stdout":""}],"reference":"s = \"```\"\nprint(s)\n"}' >suite/md.ndjson
run "$A/oracle" md-1 </dev/null
expect_contains "$T/out" '````python' "a longer fence around code that holds a fence"

# poor: deterministic, a mutant or prose, never the reference.
: >answers.txt
for s in 0 1 2 3 4 5 6 7; do
	AB_SAMPLE=$s "$A/poor" py-user-metrics </dev/null >"poor.$s"
	AB_SAMPLE=$s "$A/poor" py-user-metrics </dev/null >"again.$s"
	cmp -s "poor.$s" "again.$s" || echo "sample $s differs" >>answers.txt
done
check "poor is deterministic in the task and sample" test ! -s answers.txt
mutants_seen=0
prose_seen=0
for s in 0 1 2 3 4 5 6 7; do
	if grep -q '^```python' "poor.$s"; then
		fenced "poor.$s" >got.txt
		for m in mutant-*; do
			if cmp -s got.txt "$m"; then
				mutants_seen=$((mutants_seen + 1))
				break
			fi
		done
	else
		prose_seen=$((prose_seen + 1))
	fi
done
check "poor answers with mutants ($mutants_seen of 8 samples)" test "$mutants_seen" -ge 3
check "and with prose for some samples ($prose_seen)" test "$prose_seen" -ge 1
check "every answer is a mutant or prose" test $((mutants_seen + prose_seen)) -eq 8
check "the starter tasks and their references were read" test -s ids.txt
for id in $(cat ids.txt); do
	AB_TASK_ID=$id "$A/poor" </dev/null >p.txt
	fenced p.txt >got.txt
	if cmp -s got.txt "ref-$id"; then echo "$id" >>same.txt; fi
done
check "poor never answers with the reference" test ! -s same.txt
run "$A/poor" no-such-task </dev/null
expect_rc 1 "poor: an unknown task"

# Configurations point at the agents through {share}.
for c in oracle poor; do
	expect_jq "$TOP/configs/offline/$c.json" \
	    ".[0].provider == \"cmd\" and .[0].command[0] == \"{share}/agents/$c\" and (.[0].metadata.author | length > 0)" \
	    "configs/offline/$c.json runs share/ab/agents/$c"
done

if command -v shellcheck >/dev/null 2>&1; then
	run env -C "$TOP" shellcheck -x -s sh "$A/oracle" "$A/poor" "$A/lookup.sh" \
	    "$TOP/share/ab/validate-task" "$TOP/tasks/build.sh" \
	    "$TOP/examples/demo.sh" "$TOP/examples/ci.sh" "$TOP/examples/parallel.sh"
	expect_rc 0 "shellcheck: agents, validate-task, build.sh, examples"
else
	skip "shellcheck not installed"
fi
done_testing
