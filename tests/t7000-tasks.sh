#!/bin/sh
# The task suite: built from its sources, valid, and covering what ab-task(5)
# promises; validate-task reports bad tasks by file, line and reason.
. "$(dirname "$0")/lib.sh"
V=$TOP/share/ab/validate-task

run sh "$TOP/tasks/build.sh" -c
expect_rc 0 "tasks/*.ndjson are up to date with tasks/src (tasks/build.sh -c)"

run "$V" "$TOP"/tasks/*.ndjson
expect_rc 0 "validate-task accepts every task file"
check "... silently" test ! -s "$T/err"

# Coverage, computed in one pass: shell variables from one jq run.
# (Workspace tasks have their own checks: t7031-workspace-tasks.sh.)
cat "$TOP"/tasks/*.ndjson | jq -s -r '
	map(select(.kind != "workspace"))
	| def count(f): [.[] | select(f)] | length;
	{n: length,
	 starter: count(.suite == "starter"),
	 hidden: count(any(.tests[]; .hidden == true)),
	 all_hidden: count(all(.tests[]; .hidden == true)),
	 no_reference: count((.reference | type) != "string"),
	 no_mutant: count((.mutants // []) | length == 0),
	 fix_without_code: count(.category == "bug-fixing" and (.starter_code | type) != "string"),
	 time_limits: count(.time_limit_ms), memory_limits: count(.memory_limit_mb),
	 unique_ids: ([.[].id] | unique | length),
	 call_languages: ([.[] | select(any(.tests[]; .style == "call")) | .language] | unique | join(","))}
	+ (reduce .[] as $t ({}; .["lang_\($t.language)"] += 1
	    | .["diff_\($t.difficulty)"] += 1
	    | .["cat_\($t.category | gsub("-"; "_"))"] += 1
	    | .["styles_\($t.language)"] = ((.["styles_\($t.language)"] // "") + ([$t.tests[].style] | unique | join(",")) + ",")))
	+ (reduce (.[].tests[]) as $x ({}; .["style_\($x.style)"] += 1))
	| to_entries[] | "\(.key)=\(.value | @sh)"' >"$T/stats.sh"
. "$T/stats.sh"
# both STYLES: the comma-separated styles hold assert and io
both() {
	case $1 in *assert*) case $1 in *io*) return 0 ;; esac ;; esac
	return 1
}
check "at least 60 tasks ($n)" test "$n" -ge 60
check "at least 10 starter tasks ($starter)" test "$starter" -ge 10
for l in python javascript c cpp bash; do
	eval "v=\${lang_$l:-0}"
	check "tasks in $l ($v)" test "$v" -ge 5
	eval "v=\${styles_$l:-}"
	check "$l tasks have assert and io tests" both "$v"
done
for d in easy medium hard extreme; do
	eval "v=\${diff_$d:-0}"
	check "$d tasks ($v)" test "$v" -ge 3
done
for c in algorithms strings data_structures parsing numerics bug_fixing edge_cases; do
	eval "v=\${cat_$c:-0}"
	check "$c tasks ($v)" test "$v" -ge 3
done
for x in assert io call; do
	eval "v=\${style_$x:-0}"
	check "$x tests ($v)" test "$v" -ge 10
done
check "call tests in python and javascript ($call_languages)" \
    test "$call_languages" = javascript,python
check "hidden tests in at least 40 tasks ($hidden)" test "$hidden" -ge 40
check "every task keeps a visible test for the prompt" test "$all_hidden" -eq 0
check "every task has a reference" test "$no_reference" -eq 0
check "every task has at least one mutant" test "$no_mutant" -eq 0
check "bug-fixing tasks give the buggy code" test "$fix_without_code" -eq 0
check "time limits where tasks need them ($time_limits)" test "$time_limits" -ge 15
check "memory limits too ($memory_limits)" test "$memory_limits" -ge 3
check "ids are unique" test "$unique_ids" -eq "$n"

# The examples of ab-task(5) validate.
. "$TOP/tests/suite-exec.sh"
man_examples "$TOP/share/man/man5/ab-task.5" >"$T/man.ndjson"
run "$V" "$T/man.ndjson"
expect_rc 0 "the examples of ab-task(5) validate"
check "... all three of them" test "$(wc -l <"$T/man.ndjson")" -eq 3

# The validator on bad input: every problem with file, line and reason.
cd "$T" || exit 1
good='{"id":"t-1","language":"python","prompt":"p","difficulty":"easy","category":"strings","entry_point":"f","tests":[{"style":"call","args":[1],"expected":null,"strict_types":true}]}'
{
	printf '%s\n' "$good"
	printf 'not json\n'
	printf '\n'
	printf '[1,2]\n'
	printf '%s\n' '{"id":"bad id","language":"rust","prompt":"p","difficulty":"trivial","category":"misc","tests":[],"timeout":3}'
	printf '%s\n' '{"id":"t-2","language":"c","prompt":"p","difficulty":"easy","category":"numerics","tests":[{"style":"call","args":[],"expected":1,"strict_types":"yes"},{"style":"io","stdin":"","stdout":"1","compare":"fuzzy"},{"style":"assert","code":""},{"style":"io","stdout":"","weight":0,"hidden":"yes","stdout_file":"x"}],"time_limit_ms":0,"mutants":[1]}'
	printf '%s\n' "$good"
	printf '%s\n' '{"id":"t-3","language":"javascript","description":"d","difficulty":"hard","category":"parsing","tests":[{"style":"assert","code":"assert.ok(1)"}]}'
	printf '%s\n' '{"id":"t-4","language":"python","prompt":"p","difficulty":"easy","category":"strings","modules":["numpy"],"tests":[{"style":"io","stdin":"","stdout":""}]}'
	printf '%s\n' '{"id":"t-5","language":"python","prompt":"p","difficulty":"easy","category":"strings","entry_point":"f","modules":["@ab/x"],"tests":[{"style":"call","args":[],"expected":1}]}'
	printf '%s\n' '{"id":"t-6","language":"c","prompt":"p","difficulty":"easy","category":"strings","modules":["m"],"tests":[{"style":"io","stdin":"","stdout":""}]}'
	printf '%s\n' '{"id":"t-7","language":"javascript","prompt":"p","difficulty":"easy","category":"strings","entry_point":"f","modules":["@ab/x","js-md5"],"tests":[{"style":"call","args":[],"expected":1}]}'
} >bad.ndjson
printf '\357\273\277%s\r\n' "$good" | sed 's/t-1/t-bom/' >bom.ndjson

run "$V" bad.ndjson
expect_rc 1 "validate-task: bad tasks"
check "nothing on stdout" test ! -s "$T/out"
for m in \
    'bad.ndjson:2: invalid JSON' \
    'bad.ndjson:4: not a JSON object' \
    'bad.ndjson:5: unknown member "timeout"' \
    'bad.ndjson:5: id "bad id" must match' \
    'bad.ndjson:5: language must be one of' \
    'bad.ndjson:5: difficulty must be one of' \
    'bad.ndjson:5: category must be one of' \
    'bad.ndjson:5: tests is empty' \
    'bad.ndjson:6: tests[0]: call tests are for python and javascript, not c' \
    'bad.ndjson:6: tests[0]: a call test needs the task'"'"'s entry_point' \
    'bad.ndjson:6: tests[0]: strict_types must be true or false' \
    'bad.ndjson:6: tests[1]: compare must be one of' \
    'bad.ndjson:6: tests[2]: an assert test needs code' \
    'bad.ndjson:6: tests[3]: unknown member "stdout_file" in an io test' \
    'bad.ndjson:6: tests[3]: hidden must be true or false' \
    'bad.ndjson:6: tests[3]: weight must be a number above 0' \
    'bad.ndjson:6: time_limit_ms must be' \
    'bad.ndjson:6: mutants must be an array of strings' \
    'bad.ndjson:7: duplicate id "t-1" (first at bad.ndjson:1)' \
    'bad.ndjson:8: tests[0]: a javascript assert test needs the task'"'"'s entry_point' \
    'bad.ndjson:9: modules: python'"'"'s io tests run isolated from modules' \
    'bad.ndjson:10: modules: @scope/name is javascript'"'"'s' \
    'bad.ndjson:11: modules is for javascript and python tasks'
do
	expect_contains "$T/err" "validate-task: $m" "reports $m"
done
expect_not_contains "$T/err" "bad.ndjson:1:" "a good line is not reported"
expect_not_contains "$T/err" "bad.ndjson:3:" "a blank line is not reported"
expect_not_contains "$T/err" "bad.ndjson:12:" "javascript modules, scoped or not, are not reported"

run "$V" bom.ndjson
expect_rc 0 "a byte order mark and CRLF are accepted"
run_in bom.ndjson "$V"
expect_rc 0 "standard input"
run_in bad.ndjson "$V"
expect_contains "$T/err" "validate-task: <stdin>:2: invalid JSON" "standard input is named <stdin>"
run "$V" bom.ndjson no-such-file bad.ndjson
expect_rc 1 "a missing file"
expect_contains "$T/err" "validate-task: no-such-file: No such file or directory" "names the missing file"
expect_contains "$T/err" "bad.ndjson:2: invalid JSON" "and goes on with the others"
run "$V" "$T"
expect_rc 1 "a directory"
run "$V" -h
expect_rc 0 "-h"
expect_contains "$T/out" "usage: validate-task" "-h prints the usage"
run "$V" -x
expect_rc 2 "an unknown option"
expect_contains "$T/err" "usage: validate-task" "prints the usage on stderr"

# build.sh -c notices a task file that no longer matches its sources.
mkdir -p stale/src stale/src/x-1
cp "$TOP/tasks/build.sh" stale/
printf '%s\n' '{"id":"x-1","language":"bash","prompt":"p","difficulty":"easy","category":"strings","tests":[{"style":"io","stdout":"1\n"}]}' >stale/src/x-1/task.json
printf 'echo 1\n' >stale/src/x-1/reference.sh
printf 'echo 2\n' >stale/src/x-1/mutant-1.sh
run sh stale/build.sh
expect_rc 0 "build.sh builds a task"
expect_jq stale/bash.ndjson '.[0].reference == "echo 1\n" and .[0].mutants == ["echo 2\n"]' "with its reference and mutants"
run sh stale/build.sh -c
expect_rc 0 "build.sh -c: up to date"
printf 'echo 3\n' >stale/src/x-1/mutant-2.sh
run sh stale/build.sh -c
expect_rc 1 "build.sh -c: out of date"
expect_contains "$T/err" "tasks/bash.ndjson: out of date" "build.sh -c names the stale file"

done_testing
