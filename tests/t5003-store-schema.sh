#!/bin/sh
# ab-store schema: documented in full in ab-store(1), upgraded by
# migrations keyed on user_version, the analysis views right.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
MAN=$TOP/share/man/man1/ab-store.1
DB=$T/s.db

check "Debian's sqlite3 has FTS5" \
    sqlite3 :memory: "CREATE VIRTUAL TABLE x USING fts5(a)"

printf '%s\n' '{"id":"t1/c/0","run":"r1","task":{"id":"t1","language":"python"},"config":{"name":"c","hash":"h"},"sample":0,"gen":{"text":"say hello","error":null}}' >one.ndjson
ab-store -n -d "$DB" one.ndjson
check "the schema version is 3" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 3
check "the journal is WAL" test "$(sqlite3 "$DB" 'PRAGMA journal_mode')" = wal

# Every table, view, index and column is in the man page.
sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type IN ('table', 'view',
    'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%'" >objects.txt
missing=
while read -r o; do
	grep -qw -- "$o" "$MAN" || missing="$missing $o"
	for c in $(sqlite3 "$DB" "SELECT name FROM pragma_table_info('$o')"); do
		grep -qw -- "$c" "$MAN" || missing="$missing $o.$c"
	done
done <objects.txt
check "the man page documents every table, view, index and column${missing:+ (missing:$missing)}" \
    test -z "$missing"
check "... which are many" test "$(wc -l <objects.txt)" -ge 17

# The synopsis of -h is the man page's.
if command -v groff >/dev/null; then
	groff -mdoc -Tascii -P-c -P-b -P-u "$MAN" 2>/dev/null |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
	    tr -s ' \n' '  ' | sed 's/^ //; s/ $//' >man.txt
	ab-store -h | sed 's/^usage://' | tr -s ' \n' '  ' |
	    sed 's/^ //; s/ $//' >help.txt
	expect_same help.txt man.txt "-h matches the man page SYNOPSIS"
else
	skip "no groff"
fi

# Migrations: a version 1 database (no full-text index, no views) is
# upgraded, its index built from what is stored.
sqlite3 "$DB" "DROP VIEW records; DROP VIEW record_parts;
    DROP VIEW config_performance; DROP VIEW run_config_performance;
    DROP VIEW run_scores; DROP VIEW execution_scores; DROP VIEW verdicts;
    DROP TRIGGER bodies_fts_insert; DROP TRIGGER bodies_fts_delete;
    DROP TRIGGER bodies_fts_update; DROP TABLE fts; DROP VIEW result_text;
    PRAGMA user_version = 1"
run ab-store -d "$DB" stats
expect_rc 0 "a version 1 database opens"
expect_contains "$T/out" "schema         3" "... and is upgraded to 3"
run ab-store -d "$DB" search hello
expect_contains "$T/out" "t1/c/0" "... with its text indexed"
check "... consistently" sqlite3 "$DB" "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)"
sqlite3 "$DB" "PRAGMA user_version = 99"
run ab-store -d "$DB" one.ndjson
expect_rc 2 "a database from a newer ab-store"
expect_contains "$T/err" "ab-store: $DB: database schema version 99 is newer than this ab-store's (3)" \
    "... is refused"
check "... and left alone" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 99

# Two processes creating the same new database at once.
rm -f "$DB"*
ab-store -n -d "$DB" one.ndjson & p1=$!
ab-store -n -d "$DB" one.ndjson & p2=$!
r1=0; r2=0
wait $p1 || r1=$?
wait $p2 || r2=$?
check "two processes create one database" test "$r1$r2" = 00
check "... once" test "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'results'")" = 1

# The views answer the testers' questions.
rm -f "$DB"*
mk() { # id config score success verdict latency accuracy
	jq -nc --arg id "$1" --arg c "$2" --argjson s "$3" --argjson ok "$4" \
	    --arg v "$5" --argjson lat "$6" --argjson acc "$7" '
	{id: $id, run: "r1", task: {id: ($id | split("/")[0]),
	 language: "python", difficulty: "easy", category: "strings"},
	 config: {name: $c, hash: ("h" + $c)}, sample: 0,
	 gen: {text: "x", latency_ms: $lat, tokens: {in: 10, out: 5},
	       cost_usd: 0.5, error: null},
	 extract: {code: "x", error: null},
	 exec: {verdict: $v, passed: 1, total: 1, tests: [], error: null},
	 score: {dimensions: {accuracy: {value: $acc}, speed: {value: 5},
	         efficiency: {value: 6}, cost: {value: 7},
	         reliability: {value: 8}},
	         total: $s, grade: "B", success: $ok, error: null}}'
}
{
	mk a/x/0 x 90 true ok 100 9
	mk b/x/0 x 50 false wrong_answer 300 3
	mk c/x/0 x 70 true ok 200 6
	mk a/y/0 y 40 false runtime_error 1000 2
} >v.ndjson
ab-store -n -d "$DB" v.ndjson
sqlite3 "$DB" "SELECT config_name, attempts, tasks, avg_score, best_score,
    worst_score, round(success_rate, 4), round(pass_rate, 4), avg_gen_ms,
    cost_usd, errors FROM config_performance ORDER BY config_name" >perf.txt
expect_text perf.txt "x|3|3|70.0|90.0|50.0|0.6667|0.6667|200.0|1.5|0
y|1|1|40.0|40.0|40.0|0.0|0.0|1000.0|0.5|0" "config_performance"
sqlite3 "$DB" "SELECT id, accuracy, speed, efficiency, cost, reliability
    FROM execution_scores ORDER BY id" >exec.txt
expect_text exec.txt "a/x/0|9|5|6|7|8
a/y/0|2|5|6|7|8
b/x/0|3|5|6|7|8
c/x/0|6|5|6|7|8" "execution_scores"
sqlite3 "$DB" "SELECT run_id, config_name, attempts, accuracy, reliability
    FROM run_scores ORDER BY config_name" >rs.txt
expect_text rs.txt "r1|x|3|6.0|8.0
r1|y|1|2.0|8.0" "run_scores"
sqlite3 "$DB" "SELECT config_name, verdict, n FROM verdicts
    ORDER BY config_name, verdict" >vd.txt
expect_text vd.txt "x|ok|2
x|wrong_answer|1
y|runtime_error|1" "verdicts"

done_testing
