#!/bin/sh
# examples/Makefile: one file per stage and configuration; a re-run redoes
# only what changed, a new configuration costs only its own calls.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
command -v make >/dev/null 2>&1 || skip_all "make is not installed"
cd "$T" || exit 1
cp "$TOP/configs/offline/oracle.json" "$TOP/configs/offline/poor.json" .
# SCORE_FLAGS comes from the environment (need_pipeline exports it).
M="make -s -f $TOP/examples/Makefile OUT=$T/exp TASKS=$SUBSET"

run $M -j2 CONFIGS="$T/oracle.json $T/poor.json"
expect_rc 0 "make -j2: the experiment"
for n in oracle poor; do
	for s in gen.ndjson extract.ndjson exec.ndjson score.ndjson stored; do
		check "exp/$n/$s" test -e "exp/$n/$s"
	done
done
check "exp/leaderboard.txt" test -s exp/leaderboard.txt
check "the database" test -s exp/results.db
awk '/oracle|poor/ { print ($0 ~ /oracle/) ? "oracle" : "poor"; exit }' exp/leaderboard.txt >first.txt
expect_text first.txt oracle "the oracle leads"
expect_jq exp/oracle/score.ndjson 'length == 4 and all(.[]; .run == "experiment")' \
    "4 records of run experiment"

run $M -q CONFIGS="$T/oracle.json $T/poor.json"
expect_rc 0 "make -q: up to date after a run"

# A new configuration: only its own chain runs.
# (another timeout: another config hash, so another subject for ab-rank)
sed 's/"name": "oracle"/"name": "oracle2"/; s/"timeout_s": 30/"timeout_s": 31/' oracle.json >oracle2.json
ls -l --time-style=+%s.%N exp/oracle/gen.ndjson exp/poor/gen.ndjson >before.txt
sleep 1
run $M CONFIGS="$T/oracle.json $T/poor.json $T/oracle2.json"
expect_rc 0 "make with a third configuration"
ls -l --time-style=+%s.%N exp/oracle/gen.ndjson exp/poor/gen.ndjson >after.txt
expect_same after.txt before.txt "the other configurations' calls are not made again"
check "the new configuration's chain ran" test -e exp/oracle2/stored
expect_contains exp/leaderboard.txt oracle2 "the leaderboard has the new configuration"

# A changed configuration reruns its own chain only.
sleep 1
touch poor.json
ls -l --time-style=+%s.%N exp/oracle/gen.ndjson >before.txt
run $M CONFIGS="$T/oracle.json $T/poor.json $T/oracle2.json"
expect_rc 0 "make after a configuration changed"
ls -l --time-style=+%s.%N exp/oracle/gen.ndjson >after.txt
expect_same after.txt before.txt "an unchanged configuration is left alone"
check "the changed configuration ran again" test exp/poor/gen.ndjson -nt poor.json

run $M clean CONFIGS="$T/oracle.json $T/poor.json $T/oracle2.json"
expect_rc 0 "make clean"
check "clean removes the outputs" test ! -e exp/oracle/gen.ndjson
done_testing
