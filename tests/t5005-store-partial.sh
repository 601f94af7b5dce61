#!/bin/sh
# A run whose input ended early must not read as complete: ab-gen writes
# "planned" (the attempts of each configuration) when it knows it before
# the first record, ab-store marks the run "partial D/P" while fewer are
# stored, a resumed ingest completes it, and ab-rank says so.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v jq >/dev/null 2>&1 || skip_env "jq is needed to read the records"
AB_TASKS=$TOP/tasks
export AB_TASKS

head -n 3 "$TOP/tasks/python.ndjson" >tasks.ndjson
printf '%s\n' '{"id":"no-language","prompt":"x"}' >>tasks.ndjson
must -s 1 ab-gen -q -n 2 -r p1 -c "$TOP/configs/offline/oracle.json" \
    tasks.ndjson >gen.ndjson 2>/dev/null
expect_jq gen.ndjson 'length == 6 and all(.[]; .planned == 6)' \
    "ab-gen: each record says 6 attempts planned (3 good tasks, 2 samples)"
must -s 1 ab-gen -q -n 2 -r p2 -c "$TOP/configs/offline/oracle.json" \
    <tasks.ndjson >gen-pipe.ndjson 2>/dev/null
expect_jq gen-pipe.ndjson 'length == 6 and all(.[]; has("planned") | not)' \
    "ab-gen: read from a pipe, nothing is claimed"

# Only 4 of the 6 reach the store (a killed upstream).
head -n 4 gen.ndjson >first.ndjson
tail -n 2 gen.ndjson >rest.ndjson
run ab-store -d s.db first.ndjson
expect_rc 0 "ab-store: the first 4 stored"
run ab-store -d s.db ls
expect_contains "$T/out" "partial 4/6" "ab-store ls: the run is partial 4/6"
run ab-rank -d s.db -f ndjson
expect_rc 0 "ab-rank on a partial run"
expect_text "$T/err" "ab-rank: run p1 is partial 4/6 (attempts stored/planned): what it shows is only what was stored" \
    "ab-rank: says the run is partial"
run ab-store -d s.db rest.ndjson
run ab-store -d s.db ls
expect_contains "$T/out" "complete" "ab-store ls: the resumed run is complete"
expect_not_contains "$T/out" "partial" "... and no longer partial"
run ab-rank -d s.db -f ndjson
check "ab-rank: nothing to say of a complete run" test ! -s "$T/err"

# Records without a plan: complete when the ingest ends normally.
run ab-store -d s.db gen-pipe.ndjson
run ab-store -d s.db show p2
expect_contains "$T/out" "complete" "a run without a plan is complete"
done_testing
