#!/bin/sh
# examples/parallel.sh: chunks of tasks across cores and across hosts
# (here the host ":", this machine), merged into one database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
command -v parallel >/dev/null 2>&1 || skip_all "GNU parallel is not installed"
cd "$T" || exit 1
export HOME=$T
cat "$SUBSET" "$SUBSET" | sed -n '1,4p' >tasks.ndjson
# One chunk per task: four jobs, two at a time.
CHUNK=1 RUN=cores STAGE_FLAGS_SCORE=$SCORE_FLAGS \
    run sh "$TOP/examples/parallel.sh" cores "$TOP/configs/offline/oracle.json" tasks.ndjson "$T/db" 2
expect_rc 0 "parallel.sh cores"
run ab-store -d "$T/db" export cores
expect_rc 0 "the run is in the database"
cp "$T/out" cores.ndjson
expect_jq cores.ndjson 'length == 4 and ([.[].id] | unique | length) == 4' \
    "every task once, from four jobs"
expect_jq cores.ndjson 'all(.[]; .exec.verdict == "ok" or .exec.verdict == "internal_error")' \
    "the oracle passes"

CHUNK=2 RUN=hosts STAGE_FLAGS_SCORE=$SCORE_FLAGS \
    run sh "$TOP/examples/parallel.sh" hosts : "$TOP/configs/offline/poor.json" tasks.ndjson "$T/db"
expect_rc 0 "parallel.sh hosts with --sshlogin : (this machine)"
run ab-store -d "$T/db" export hosts
cp "$T/out" hosts.ndjson
expect_jq hosts.ndjson 'length == 4 and all(.[]; .config.name == "poor")' \
    "the hosts run is merged into the same database"
run ab-rank -d "$T/db" -f table leaderboard
expect_rc 0 "one leaderboard over both runs"
expect_contains "$T/out" oracle "with the oracle"
expect_contains "$T/out" poor "and the poor agent"
run sh "$TOP/examples/parallel.sh" sideways
expect_rc 2 "parallel.sh: a usage error"
done_testing
