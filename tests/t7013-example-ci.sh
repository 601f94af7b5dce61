#!/bin/sh
# examples/ci.sh: a run stored in an ab-store database and compared with
# the baseline run stored there; a significant regression fails the gate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
cd "$T" || exit 1
# One configuration (one config.hash) whose agent changes between runs, as
# a model behind an unchanged name would: the agent reads its mode here.
cat >agent <<EOS
#!/bin/sh
exec "\$AB_SHARE/agents/\$(cat "$T/mode")" "\$@"
EOS
chmod +x agent
printf '{"name": "subject", "provider": "cmd", "command": ["%s/agent", "{task_id}"]}\n' "$T" >subject.json
# The offline agents' speed is not the point: only correctness and score.
RANK_FLAGS="--cost-thresholds 1000,2000,5000"
export RANK_FLAGS
# Eight tasks: enough for the paired tests to call a collapse significant.
grep -E '^\{"id":"(py-|js-|c-gcd|bash-is)' "$TOP/tasks/starter.ndjson" | head -n 8 >tasks.ndjson

DB=$T/ci.db
echo oracle >mode
RUN=base run sh "$TOP/examples/ci.sh" subject.json tasks.ndjson "$DB"
expect_rc 0 "the first run: no baseline yet"
expect_contains "$T/err" "this run is the baseline now" "it becomes the baseline"
check "the run is stored in the database" \
    sh -c 'ab-store -d "$1" show base >/dev/null' - "$DB"
check "... noted as the baseline" test "$(ab-store -d "$DB" note base)" = "ci baseline"

RUN=same run sh "$TOP/examples/ci.sh" subject.json tasks.ndjson "$DB"
expect_rc 0 "the same subject again: no regression"
expect_contains "$T/err" "ci: same: no significant regression against base" "says so"

echo poor >mode
RUN=worse JUNIT=$T/junit.xml run sh "$TOP/examples/ci.sh" subject.json tasks.ndjson "$DB"
expect_rc 1 "a worse subject: the gate fails"
expect_contains "$T/err" "ci: worse: significant regression against base" "and says why"
expect_contains "$T/out" "subject" "the regression report names the configuration"
check "a JUnit report for the CI system" test -s junit.xml
check "a failed gate leaves the baseline alone" \
    test "$(ab-store -d "$DB" note base)/$(ab-store -d "$DB" note worse)" = "ci baseline/"
check "every run is kept in the database, with the same record ids" \
    test "$(sqlite3 "$DB" "SELECT count(DISTINCT run_id) || ' ' || count(DISTINCT id) || ' ' || count(*) FROM results")" = "3 8 24"

echo oracle >mode
RUN=again PROMOTE=1 run sh "$TOP/examples/ci.sh" subject.json tasks.ndjson "$DB"
expect_rc 0 "fixed again"
check "PROMOTE=1 makes it the baseline" \
    test "$(ab-store -d "$DB" note again)" = "ci baseline"
check "... and says until when the former one was" \
    test "$(ab-store -d "$DB" note base)" = "ci baseline until again"

echo poor >mode
RUN=later run sh "$TOP/examples/ci.sh" subject.json tasks.ndjson "$DB"
expect_rc 1 "the next run is compared with the new baseline"
expect_contains "$T/err" "ci: later: significant regression against again" "... and says so"

run sh "$TOP/examples/ci.sh" only-one-argument
expect_rc 2 "ci.sh: a usage error"
done_testing
