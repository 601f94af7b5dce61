#!/bin/sh
# examples/demo.sh (make demo): the six stages offline, the oracle first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
cd "$T" || exit 1

AB_DEMO_TASKS=$SUBSET AB_DEMO_DIR=$T/demo AB_SCORE_FLAGS=$SCORE_FLAGS \
    run sh "$TOP/examples/demo.sh"
expect_rc 0 "demo.sh"
expect_contains "$T/out" "oracle" "the leaderboard names the oracle"
expect_contains "$T/out" "poor" "and the poor agent"
awk '/oracle|poor/ { print ($0 ~ /oracle/) ? "oracle" : "poor"; exit }' "$T/out" >first.txt
expect_text first.txt oracle "the oracle comes first"
expect_contains "$T/err" "ab demo: 4 tasks" "demo.sh says what it runs"
check "demo.sh keeps its records in AB_DEMO_DIR" test -s demo/records.ndjson
expect_jq demo/records.ndjson 'length == 8 and all(.[]; .score != null and .exec != null and .extract != null)' \
    "8 records (4 tasks x 2 subjects) through every stage"
expect_jq demo/records.ndjson '[.[] | select(.config.name == "oracle") | .exec.verdict] | length == 4 and all(. == "ok" or . == "internal_error")' \
    "the oracle passes"
expect_jq demo/records.ndjson '[.[] | select(.config.name == "poor") | .exec.verdict // .extract.error.kind] | length == 4 and all(. != "ok")' \
    "the poor agent fails"
# Without AB_DEMO_DIR nothing is left behind.
before=$(ls "${TMPDIR:-/tmp}" | grep -c '^ab-demo\.' || true)
AB_DEMO_TASKS=$SUBSET AB_SCORE_FLAGS=$SCORE_FLAGS run sh "$TOP/examples/demo.sh"
after=$(ls "${TMPDIR:-/tmp}" | grep -c '^ab-demo\.' || true)
expect_rc 0 "demo.sh in a temporary directory"
check "the temporary directory is removed" test "$before" = "$after"
done_testing
