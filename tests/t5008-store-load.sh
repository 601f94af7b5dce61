#!/bin/sh
# A benchmark run and a load run (ab-gen --load) in one database: ab-store
# marks each result an attempt or a load record (results.kind, schema 6),
# the benchmark views count the attempts alone and the load view the load
# records alone, from the database as from files, each as over its run
# stored alone; a database of schema 5 (tests/data/store-v5-load.sql, by
# the ab-store before) is upgraded with its rows classified, and ab-rank
# reading it before the upgrade leaves the load records out too.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-load.sh"
cd "$T" || exit 1

# The load run: 2 warm-ups, 12 requests, the summary.
load_server ld prefill_ms=5 token_ms=2 tokens=3
must ab-gen -q -r load-1 --load '{"profile":"closed","users":2,"requests":12,"warmup":2}' \
    -c ld.json one.ndjson >load.ndjson
check "a load run of 15 records" test "$(wc -l <load.ndjson)" -eq 15
stop_load_servers
# The benchmark run: real agent trials (see t6007).
cp "$TOP/tests/rank/trials.ndjson" bench.ndjson

must ab-store -n -d both.db bench.ndjson load.ndjson
must ab-store -n -d bench.db bench.ndjson
must ab-store -n -d load.db load.ndjson
sqlite3 both.db "SELECT kind, count(*) FROM results GROUP BY kind ORDER BY kind" >kinds
printf 'attempt|16\nload|15\n' >kinds.want
expect_same kinds kinds.want "ab-store marks 16 attempts and 15 load records"
check "... in a database of schema 6" test "$(sqlite3 both.db 'PRAGMA user_version')" = 6
sqlite3 both.db "SELECT count(*) FROM results WHERE kind = 'load'
    AND rid IN (SELECT rid FROM bodies WHERE rest ->> '$.load.summary')" >n
expect_text n 1 "... the summary among them"
sqlite3 both.db "SELECT attempts FROM config_performance ORDER BY config_name" >perf
sqlite3 bench.db "SELECT attempts FROM config_performance ORDER BY config_name" >perf.want
expect_same perf perf.want "config_performance counts the attempts alone"
must ab-store -d both.db export >both.out
check "the export keeps every record" test "$(wc -l <both.out)" -eq 31

# The start time of a run is when it was stored: leave it out.
norm() { sed 's/"20[0-9][0-9]-[0-9-]*T[0-9:]*Z"/"T"/g; s/>20[0-9][0-9]-[0-9-]*T[0-9:]*Z</>T</g' "$1"; }
view() { # NAME DB-OR-FILES...: a view's output, normalised, into NAME
	_v=$1; shift
	run ab-rank -f ndjson "$@"
	norm "$T/out" >"$_v"
}
for v in leaderboard trials consistency trends; do
	view "$v.both" -d both.db "$v"
	view "$v.bench" -d bench.db "$v"
	check "$v: not empty" test -s "$v.bench"
	expect_same "$v.both" "$v.bench" "$v from the database: the benchmark run's alone"
	view "$v.files" "$v" bench.ndjson load.ndjson
	view "$v.fbench" "$v" bench.ndjson
	expect_same "$v.files" "$v.fbench" "$v from files: the benchmark run's alone"
done
expect_jq leaderboard.both 'map(select(.config == "ld")) | length == 0' \
    "the load run's configuration is not on the leaderboard"
expect_jq leaderboard.both 'map(.config) | length == 4' "... the four benchmark ones are"
run ab-rank -d both.db -o both.html report
norm both.html >both.norm
run ab-rank -d bench.db -o bench.html report
norm bench.html >bench.norm
check "the HTML report is made" test -s bench.norm
expect_same both.norm bench.norm "the HTML report: the benchmark run's alone"
run ab-rank -d both.db -f ndjson attempts
jq -r .id "$T/out" | sort >ids
jq -r .id bench.ndjson | sort >ids.want
expect_same ids ids.want "the attempts view lists the attempts alone"

# The load view: the load run's alone.
view load.both -d both.db load
view load.alone -d load.db load
view load.files load load.ndjson bench.ndjson
view load.fload load load.ndjson
expect_jq load.alone 'map(select(.view == "load"))[0] | .requests == 12' \
    "load: 12 requests"
expect_same load.both load.alone "load from the database: the load run's alone"
expect_same load.files load.fload "load from files: the load run's alone"
expect_same load.both load.files "... the same from the database and files"
run ab-rank -d both.db load -r trials-1
expect_rc 1 "load with a benchmark run named: no load record"
run ab-rank -d both.db load -r no-such-run
expect_rc 2 "load with a run that is not there"
expect_contains "$T/err" "no-such-run: no such run" "... says so"

# The server's list of runs counts each kind.
# (lib/report/serve.c runs_list: attempts and load_records)
sqlite3 both.db "SELECT run_id, kind, count(*) FROM results GROUP BY 1, 2 ORDER BY 1, 2" >rk
printf 'load-1|load|15\ntrials-1|attempt|16\n' >rk.want
expect_same rk rk.want "each run holds one kind"

# ---- a database of schema 5 ----
sqlite3 v5.db ".read $TOP/tests/data/store-v5-load.sql"
check "the fixture is a schema 5 database" test "$(sqlite3 v5.db 'PRAGMA user_version')" = 5
check "... without results.kind" sh -c '! sqlite3 v5.db "SELECT kind FROM results" 2>/dev/null'
sqlite3 v5.db "SELECT record FROM records WHERE run_id = 'bench-1' ORDER BY rid" >v5-bench.ndjson
sqlite3 v5.db "SELECT record FROM records WHERE run_id = 'load-1' ORDER BY rid" >v5-load.ndjson
check "... with 4 benchmark and 6 load records" \
    test "$(wc -l <v5-bench.ndjson) $(wc -l <v5-load.ndjson)" = "4 6"
# ab-rank reads without upgrading: the load records are still told apart.
view lb5.old -d v5.db leaderboard
view lb5.files leaderboard v5-bench.ndjson
check "ab-rank on schema 5: a leaderboard" test -s lb5.old
expect_same lb5.old lb5.files "... of the benchmark run alone"
view ld5.old -d v5.db load
view ld5.files load v5-load.ndjson
expect_jq ld5.old 'map(select(.view == "load"))[0] | .requests == 4' \
    "... and the load view of the load run alone"
expect_same ld5.old ld5.files "... as from its records"
check "... leaving the database at schema 5" test "$(sqlite3 v5.db 'PRAGMA user_version')" = 5
# ab-store upgrades it.
must ab-store -d v5.db ls >/dev/null
check "ab-store upgrades it to schema 6" test "$(sqlite3 v5.db 'PRAGMA user_version')" = 6
sqlite3 v5.db "SELECT run_id, kind, count(*) FROM results GROUP BY 1, 2 ORDER BY 1, 2" >k5
printf 'bench-1|attempt|4\nload-1|load|6\n' >k5.want
expect_same k5 k5.want "... classifying every row by its record"
sqlite3 v5.db "SELECT sum(attempts) FROM config_performance" >n
expect_text n 4 "... and the analysis views count the attempts"
view lb5.new -d v5.db leaderboard
expect_same lb5.new lb5.files "the leaderboard after the upgrade: the benchmark run alone"
view ld5.new -d v5.db load
expect_same ld5.new ld5.files "the load view after the upgrade: the load run alone"
must ab-store -d v5.db export >v5.out
sqlite3 v5.db "SELECT record FROM records ORDER BY rid" >v5.recs
cat v5-bench.ndjson v5-load.ndjson >v5.want
expect_same v5.recs v5.want "the upgrade changes no record"

done_testing
