#!/bin/sh
# examples/ci.sh: a run compared with the stored baseline; a significant
# regression fails the gate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
cd "$T" || exit 1
# One configuration name, "subject", whose agent changes between runs.
sed 's/"name": "oracle"/"name": "subject"/' "$TOP/configs/offline/oracle.json" >good.json
sed 's/"name": "poor"/"name": "subject"/' "$TOP/configs/offline/poor.json" >bad.json
# Eight tasks: enough for a paired test to call all-pass vs all-fail significant.
grep -E '^\{"id":"(py-|js-|c-gcd|bash-is)' "$TOP/tasks/starter.ndjson" | head -n 8 >tasks.ndjson

RUN=base SCORE_FLAGS=$SCORE_FLAGS run sh "$TOP/examples/ci.sh" good.json tasks.ndjson ci.db
expect_rc 0 "the first run: no baseline, no regression"
RUN=same SCORE_FLAGS=$SCORE_FLAGS run sh "$TOP/examples/ci.sh" good.json tasks.ndjson ci.db
expect_rc 0 "the same subject again: no regression"
expect_contains "$T/err" "ci: same: no significant regression" "says so"
RUN=worse SCORE_FLAGS=$SCORE_FLAGS JUNIT=$T/junit.xml \
    run sh "$TOP/examples/ci.sh" bad.json tasks.ndjson ci.db
expect_rc 1 "a worse subject: the gate fails"
expect_contains "$T/err" "ci: worse: significant regression" "and says why"
check "a JUnit report for the CI system" test -s junit.xml
RUN=explicit SCORE_FLAGS=$SCORE_FLAGS run sh "$TOP/examples/ci.sh" good.json tasks.ndjson ci.db worse
expect_rc 0 "against an explicit baseline (the worse run): no regression"
run sh "$TOP/examples/ci.sh" only-one-argument
expect_rc 2 "ci.sh: a usage error"
done_testing
