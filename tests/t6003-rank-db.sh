#!/bin/sh
# ab-rank -d: an ab-store database (the contract's schema, built here with
# the sqlite3 CLI) gives the same analyses as the records it holds.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 CLI not installed"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
GEN="$TOP/tests/rank/gen.py"

$PY "$GEN" --configs 3 --tasks 14 --samples 3 --runs 3 --moa --regress \
    >g.ndjson
$PY "$TOP/tests/rank/todb.py" <g.ndjson | sqlite3 g.db >/dev/null
check "the test database was built" test -s g.db

for v in leaderboard breakdown compare cost errors trends; do
	must ab-rank -f ndjson -k 1,3 $v g.ndjson >file.out 2>file.err
	# Every run, as the records read together (see t6005 for the latest)
	run_to db.$v "$T/err" ab-rank -f ndjson -k 1,3 -d g.db --pool $v
	expect_rc 0 "-d $v"
	# Only the database knows when a run started (the records say
	# null); all else is the same bytes.
	sed 's/"started":"[^"]*"/"started":null/g' db.$v >db.out
	if [ -s file.out ]; then
		expect_same db.out file.out "-d $v: the same as from the records"
	else
		not_ok "-d $v: the same as from the records (no rows)"
	fi
done
expect_jq db.trends 'all(.started | test("^2026-01-0[123]T"))' \
    "trends carry the start time of each run"
must -s 3 ab-rank -f ndjson regress g.ndjson >file.out
run ab-rank -f ndjson -d g.db regress
expect_rc 3 "-d regress: exit 3 on the planted regression"
expect_same "$T/out" file.out "-d regress: the same as from the records"

# Filters.
run ab-rank -f ndjson -d g.db -c cfg-1 -r run-0
expect_jq "$T/out" 'length == 1 and .[0].config == "cfg-1" and
    .[0].attempts + .[0].excluded == 42' "-c and -r filter the database"

# The HTML report reads the records view (dimensions, code).
run ab-rank -d g.db -o g.html
expect_rc 0 "-d with an HTML report"
expect_contains g.html "<polygon class=\"mark\"" "the radar has polygons"
expect_contains g.html "<details><summary>" "code is viewable"

# A database with extra columns and tables, and one lacking optional ones.
sqlite3 g.db "ALTER TABLE results ADD COLUMN extra TEXT;
    CREATE TABLE other(x)" >/dev/null
run ab-rank -f ndjson -d g.db --pool -k 1,3
must ab-rank -f ndjson -k 1,3 g.ndjson >file.out
expect_same "$T/out" file.out "extra columns and tables are ignored"
sqlite3 min.db "CREATE TABLE results(id TEXT PRIMARY KEY, run_id TEXT,
    task_id TEXT, config_hash TEXT, verdict TEXT);
    INSERT INTO results VALUES('t/c/0','r','t','c','ok');
    INSERT INTO results VALUES('t/c/1','r','t','c','wrong_answer');"
run ab-rank -f ndjson -d min.db
expect_rc 0 "a minimal results table"
expect_jq "$T/out" '.[0].config == "c" and .[0].pass_rate == 0.5' \
    "... is read"

# Errors: a missing file, a file that is not SQLite, a foreign database.
run ab-rank -d nope.db
expect_rc 2 "a missing database"
expect_contains "$T/err" "ab-rank: nope.db: unable to open database file" \
    "... is named"
check "... and not created" test ! -e nope.db
echo 'not a database' >text.db
run ab-rank -d text.db
expect_rc 2 "a file that is not a database"
expect_contains "$T/err" "ab-rank: text.db: file is not a database" "... said"
sqlite3 foreign.db "CREATE TABLE x(y)"
run ab-rank -d foreign.db
expect_rc 2 "a database without results"
expect_contains "$T/err" "not an ab-store database" "... said"

# A large table is scanned by two threads: the same result as one.  The
# table is made once, kept in tests/out/t6003/ under the hash of what
# makes it (this file and todb.py).
C=$TOP/tests/out/t6003
BIG=$C/$(cat "$TOP/tests/${0##*/}" "$TOP/tests/rank/todb.py" | sha256sum | cut -c1-16).db
if [ ! -s "$BIG" ]; then
	rm -rf "$C"
	mkdir -p "$C"
	$PY "$TOP/tests/rank/todb.py" --schema-only | sqlite3 "$BIG.$$" >/dev/null
	sqlite3 "$BIG.$$" "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1
    FROM n WHERE i < 249999)
    INSERT INTO results(id, run_id, task_id, config_hash, config_name,
    sample, verdict, score, cost_usd, latency_ms, error_kind)
    SELECT 't' || (i / 50 % 500) || '/c' || (i / 25000) || '/' || (i % 50),
    'r' || (i / 125000), 't' || (i / 50 % 500), 'c' || (i / 25000),
    'c' || (i / 25000), i % 50,
    CASE WHEN (i * 2654435761) % 100 < 70 - 5 * (i / 25000) THEN 'ok'
    ELSE 'wrong_answer' END, (i * 7919) % 100, i % 13 * 1e-4,
    1000 + i % 997, CASE WHEN i % 101 = 0 THEN 'gen:http' END FROM n" &&
	    mv -f "$BIG.$$" "$BIG"
fi
# Every view but power and load (all) reads what the scan gathered; a
# bootstrap of 200 resamples (not 2000) still depends on the order of the
# tasks, which the merge must keep, and leaves the time to the scan.
must ab-rank -j 1 --bootstrap 200 -f ndjson -d "$BIG" all >one.out
run ab-rank -j 2 --bootstrap 200 -f ndjson -d "$BIG" all
expect_same "$T/out" one.out "-d all: two scanning threads agree with one"
expect_jq one.out '[.[] | select(.view == "leaderboard") |
    .attempts + .excluded] | add == 250000' "... over all 250000 rows"
expect_jq one.out '[.[] | .view] | unique | contains(["leaderboard",
    "breakdown", "compare", "verdicts", "cost", "errors", "trends",
    "consistency"])' "... in every view"

# Empty database: no rows, no error.
$PY "$TOP/tests/rank/todb.py" --schema-only | sqlite3 empty.db >/dev/null
run ab-rank -f ndjson -d empty.db
expect_rc 0 "an empty database"
check "... no rows" test ! -s "$T/out"
done_testing
