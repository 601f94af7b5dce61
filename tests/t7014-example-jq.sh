#!/bin/sh
# examples/jq/*.jq: debugging a stage from its records.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
cd "$T" || exit 1
J=$TOP/examples/jq
# shellcheck disable=SC2086
must ab-gen -c "$TOP/configs/offline/oracle.json" -c "$TOP/configs/offline/poor.json" "$SUBSET" >gen.ndjson
must ab-extract gen.ndjson >extract.ndjson
must ab-exec extract.ndjson >records.ndjson
check "records for the recipes" test "$(wc -l <records.ndjson)" -eq 8

run jq -r -f "$J/failing.jq" records.ndjson
expect_rc 0 "failing.jq"
cut -f1 "$T/out" | sort >listed.txt
jq -r 'select(.exec.verdict != "ok") | .id' records.ndjson | sort >expected.txt
expect_same listed.txt expected.txt "failing.jq lists exactly the attempts that did not pass"
check "... every poor attempt among them" test "$(grep -c '/poor/' listed.txt)" -eq 4
expect_contains "$T/out" "py-two-sum/poor/0	" "one tab-separated line per attempt"

run jq -r -f "$J/code.jq" records.ndjson
expect_rc 0 "code.jq"
expect_contains "$T/out" "=== c-gcd-lcm/poor/0" "code.jq: a failing attempt"
expect_contains "$T/out" "--- code (" "code.jq: with its code"
run jq -r --arg id py-two-sum/oracle/0 -f "$J/code.jq" records.ndjson
expect_contains "$T/out" "def two_sum" "code.jq --arg id: one attempt's code"

run jq -s -r --argjson n 3 -f "$J/slowest.jq" records.ndjson
expect_rc 0 "slowest.jq"
expect_contains "$T/out" "ms	id	what" "slowest.jq: a header"
check "slowest.jq: 3 calls and 3 tests" test "$(wc -l <"$T/out")" -eq 7
expect_contains "$T/out" "call" "slowest.jq: the slowest calls"
expect_contains "$T/out" "test" "slowest.jq: the slowest tests"

run jq -s -r -f "$J/summary.jq" records.ndjson
expect_rc 0 "summary.jq"
expect_contains "$T/out" "oracle: 4 attempts" "summary.jq: per configuration"
done_testing
