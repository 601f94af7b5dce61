#!/bin/sh
# ab-rank against a database written by the real ab-store: every view reads
# the same from the database as from the records, and ab-store's output
# feeds ab-rank in a pipe.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# The inputs, in one python (a python start costs a dozen ab-rank runs).
$PY "$TOP/tests/rank/batch.py" <<'EOF'
g.ndjson gen.py --configs 3 --tasks 14 --samples 3 --runs 3 --moa --regress
same.raw gen.py --configs 1 --tasks 14 --samples 3 --runs 2 --moa --regress
EOF
run ab-store -n -d s.db g.ndjson
expect_rc 0 "ab-store writes the database"
# With --pool the database counts every run, as records read together do;
# without, each configuration's latest run (run-2 here), as its records
# alone do.
jq -c 'select(.run == "run-2")' g.ndjson >latest.ndjson
# nostart FILE: FILE with the start time of each run as records give it
# (null: only the database knows when a run started).
nostart() { sed 's/"started":"[^"]*"/"started":null/g' "$1"; }
# same_rows FILE EXPECTED DESC: as expect_same, and EXPECTED has rows
# (two empty outputs agree on nothing).
same_rows() {
	if [ -s "$2" ]; then expect_same "$@"
	else not_ok "$3"; diag "no rows in $2"; fi
}
for v in leaderboard breakdown compare cost errors trends; do
	must ab-rank -f ndjson -k 1,3 $v g.ndjson >file.out
	run ab-rank -f ndjson -k 1,3 -d s.db --pool $v
	expect_rc 0 "-d --pool $v from ab-store"
	nostart "$T/out" >db.out
	same_rows db.out file.out "$v: the database gives what the records give"
	[ "$v" = trends ] && continue
	must ab-rank -f ndjson -k 1,3 $v latest.ndjson >file.out
	run ab-rank -f ndjson -k 1,3 -d s.db $v
	expect_rc 0 "-d $v from ab-store"
	same_rows "$T/out" file.out "... without --pool, the latest run's records"
done
run ab-rank -f ndjson -d s.db trends
expect_jq "$T/out" 'map(select(.view == "trends")) | length == 9' \
    "trends reads every run (3 configurations x 3 runs) without --pool"
run ab-rank -f ndjson -d s.db regress
expect_rc 3 "regress from ab-store's database finds the regression"
run ab-rank -d s.db -o s.html
expect_rc 0 "the HTML report from ab-store's records view"
expect_contains s.html '<details><summary>' "... with code"
expect_contains s.html '<polygon class="mark"' "... and the radar"

# Two runs of one configuration with the same record ids (ids name the
# task, configuration and sample, not the run) in one database: each run
# keeps its results and calls, and regress takes the earlier run as the
# baseline of the later one.
jq -c '.id |= sub("@.*$"; "")' same.raw >same.ndjson
check "the two runs share their record ids" \
    test "$(jq -r .id same.ndjson | sort | uniq -d | wc -l)" -eq 42
run ab-store -n -d same.db same.ndjson
expect_rc 0 "ab-store keeps both runs"
check "... every result" test "$(sqlite3 same.db 'SELECT count(*) FROM results')" = 84
# (Not compare: it has nothing to compare in one configuration.)
for v in leaderboard breakdown cost errors trends; do
	must ab-rank -f ndjson -k 1,3 $v same.ndjson >file.out
	run ab-rank -f ndjson -k 1,3 -d same.db --pool $v
	expect_rc 0 "-d $v, two runs with the same ids"
	nostart "$T/out" >db.out
	same_rows db.out file.out "... $v: the database gives what the records give"
done
run ab-rank -f ndjson -d same.db regress
expect_rc 3 "regress finds the later run significantly worse"
expect_jq "$T/out" 'any(.[]; .view == "health" and .config == "cfg-0" and .run == "run-1" and .baseline == "run-0" and .health == "critical")' \
    "... against the earlier run as baseline"
must -s 3 ab-rank -f ndjson regress same.ndjson >file.out
expect_same "$T/out" file.out "... as from the records"

# In a pipe: ab-store passes the records on to ab-rank.
rm -f p.db*
{ ab-store -d p.db g.ndjson 2>store.err; echo $? >store.rc; } |
    { ab-rank -f ndjson >pipe.out; echo $? >rank.rc; }
check "ab-store in the pipe exits 0" test "$(cat store.rc)" = 0
check "ab-rank in the pipe exits 0" test "$(cat rank.rc)" = 0
must ab-rank -f ndjson g.ndjson >file.out
expect_same pipe.out file.out "ab-store | ab-rank gives the same leaderboard"
done_testing
