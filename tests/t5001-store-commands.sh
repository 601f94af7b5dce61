#!/bin/sh
# ab-store commands: export and import give the same database; ls, show,
# stats, search, restore, note, rm, vacuum; usage errors.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-store.sh"
cd "$T" || exit 1
command -v python3 >/dev/null || skip_all "no python3"
GEN_TASKS=20
export GEN_TASKS

# dump DB: everything a database holds, in a stable order, for comparing
# two databases.  rid is the results table's own row number (gaps left by
# replaced or deleted results are not kept by an export), so its order is
# compared, not its values.  The columns are read from the first
# database dumped (the others' schema is in their dump too).
dump() {
	[ -n "${cols:-}" ] || cols=$(sqlite3 "$1" "SELECT group_concat(name, ', ') FROM
	    pragma_table_info('results') WHERE name <> 'rid'")
	sqlite3 -batch "$1" ".mode quote" \
	    "SELECT 'version', * FROM pragma_user_version" \
	    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name" \
	    "SELECT * FROM runs ORDER BY id" \
	    "SELECT * FROM configs ORDER BY hash" \
	    "SELECT * FROM tasks ORDER BY id" \
	    "SELECT * FROM task_versions ORDER BY hash" \
	    "SELECT $cols FROM results ORDER BY rid" \
	    "SELECT b.packed, b.answer, b.code_off, b.code_len, b.code_own, b.rest
	     FROM bodies b JOIN results r USING (rid) ORDER BY rid" \
	    "SELECT r.id, r.run_id, t.idx, t.name, t.verdict, t.weight, t.time_ms,
	     t.error_kind FROM tests t JOIN results r USING (rid)
	     ORDER BY r.rid, t.idx" \
	    "SELECT r.id, r.run_id, c.idx, c.role, c.name, c.cycle, c.model,
	     c.provider, c.tokens_in, c.tokens_out, c.cost_usd, c.latency_ms,
	     c.ttft_ms, c.error_kind FROM calls c JOIN results r USING (rid)
	     ORDER BY r.rid, c.idx" \
	    "SELECT count(*) FROM tests WHERE rid NOT IN (SELECT rid FROM results)" \
	    "SELECT count(*) FROM calls WHERE rid NOT IN (SELECT rid FROM results)" \
	    "SELECT r.id, r.run_id, f.rank FROM fts f JOIN results r ON r.rid = f.rowid
	     WHERE fts MATCH 'return OR cache OR code:grid OR prose:solution'
	     ORDER BY r.id, r.run_id" \
	    "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)" \
	    "PRAGMA integrity_check"
}

gen_records a.ndjson 240 7 run-a
gen_records b-gen.ndjson 60 8 run-b 10
# The other records, and what the checks expect of them, from one jq
# (write_files).
must jq -nr --slurpfile a a.ndjson --slurpfile bgen b-gen.ndjson '
def file($name): "\($name)\t\(tojson)";
def value($name): "\($name)\t\(.)";
[$bgen[] | if .sample == 10 and (.task.id | endswith("1"))
    then .task.prompt = "changed" else . end] as $b |
# gen-only records, failures, a second name for a configuration
[($a[:5][] | .run = "run-c" | del(.extract, .exec, .score) |
    .gen.error = {kind: "http", message: "500"} | .gen.text = null |
    .sample = 20 | .id = "\(.task.id)/\(.config.name)/20"),
 ($a[:3][] | .run = "run-c" | .config.name = "alias" |
    .id = (.task.id + "/alias/0")),
# the same id in a later run: another result (ids do not name the run)
 ($a[6] | .run = "run-c" | .gen.text = "another answer")] as $c |
($b[] | file("b.ndjson")),
($c[] | file("c.ndjson")),
($a[6].id | value("id7.txt")),
($a[6].exec.tests | length | value("ntests7.txt")),
($a + $b + $c | map(.exec.tests // [] | length) | add | value("ntests.txt")),
# what restore writes: the configuration given, without its hash
(["gpt-small", "claude", "local", "moa/two-cycles"] | to_entries[] |
    .key as $i | .value as $n |
    first($a[] | select(.config.name == $n)) | .config | del(.hash) |
    file("cfg-want-\($i).json")),
($a[0] | .config.name = "../evil" | .run = "run-evil" | file("evil.ndjson")),
($a[] | .run = "run-z" | .gen.text = "again: " + (.gen.text // "") |
    file("z.ndjson"))' >fixtures.txt
write_files fixtures.txt
read -r id7 <id7.txt
read -r ntests7 <ntests7.txt
read -r ntests <ntests.txt

DB=$T/one.db
run ab-store -n -d "$DB" a.ndjson b.ndjson c.ndjson
expect_rc 0 "ingest three runs"
must ab-store -d "$DB" note run-b "baseline; temperature 0.2"
run ab-store -d "$DB" export
expect_rc 0 "export"
cp "$T/out" all.ndjson
check "export writes every record" test "$(wc -l <all.ndjson)" -eq 309
check "an id seen again in another run is another result" \
    test "$(sqlite3 "$DB" "SELECT group_concat(run_id, ' ') FROM (SELECT run_id FROM results WHERE id = '$id7' ORDER BY run_id)")" = "run-a run-c"
run ab-store -d two.db import all.ndjson
expect_rc 0 "import"
check "import writes nothing on stdout" test ! -s "$T/out"
dump "$DB" >one.dump
dump two.db >two.dump
expect_same two.dump one.dump "export then import gives the same database"
check "... and the dump is not empty" test "$(grep -c . one.dump)" -gt 900
must ab-store -d two.db export >again.ndjson
expect_same again.ndjson all.ndjson "the second export is the first, byte for byte"
run_in all.ndjson ab-store -d three.db
expect_rc 0 "the export through a pipeline"
expect_records -f . "$T/out" all.ndjson "... passes on unchanged"
dump three.db >three.dump
expect_same three.dump one.dump "... and gives the same database"
cat a.ndjson b.ndjson c.ndjson >abc.ndjson
expect_records -s all.ndjson abc.ndjson "the export holds the records that went in"

# One run.
run ab-store -d "$DB" export run-b
expect_rc 0 "export one run"
expect_jq "$T/out" '[.[].run] | unique == ["run-b"]' "... only its records"
check "... all of them" test "$(wc -l <"$T/out")" -eq 60
cp "$T/out" b-out.ndjson
must ab-store -d b.db import b-out.ndjson
check "an imported run keeps its notes" \
    test "$(ab-store -d b.db note run-b)" = "baseline; temperature 0.2"
check "... and its environment" test \
    "$(sqlite3 b.db 'SELECT started, finished, host, toolchain FROM runs')" = \
    "$(sqlite3 "$DB" "SELECT started, finished, host, toolchain FROM runs WHERE id = 'run-b'")"
run ab-store -d "$DB" export no-such-run
expect_rc 2 "export of an unknown run"
expect_contains "$T/err" "ab-store: no-such-run: no such run" "... is reported"

# ls, show, stats.
run ab-store -d "$DB" ls
expect_rc 0 "ls"
check "ls: a header and three runs" test "$(wc -l <"$T/out")" -eq 4
expect_contains "$T/out" "baseline; temperature 0.2" "ls shows notes"
head -n 1 "$T/out" >head.txt
expect_text head.txt "RUN                       STARTED               FINISHED              STATUS            RESULTS  CONFIGS  SCORE  NOTES" "ls header"
grep '^run-a ' "$T/out" | awk '{print $4, $5, $6}' >row.txt
expect_text row.txt "complete 240 4" "ls: status, results, configurations"
run ab-store -d "$DB" show run-a
expect_rc 0 "show"
for k in run started finished status seed command host os cwd toolchain \
    ab_version git_commit notes summary; do
	expect_contains "$T/out" "$k " "show: $k"
done
expect_contains "$T/out" "results 240, tasks 20" "show: the summary"
for c in gpt-small claude local moa/two-cycles; do
	expect_contains "$T/out" "$c " "show: configuration $c"
done
run ab-store -d "$DB" show nope
expect_rc 2 "show of an unknown run"
run ab-store -d "$DB" stats
expect_rc 0 "stats"
for kv in "runs           3" "configs        4" "results        309" \
    "task_versions  " "tests          $ntests" "schema         6" "oldest         run-" \
    "newest         run-" "size_bytes     "; do
	expect_contains "$T/out" "$kv" "stats: $kv"
done

# search
run ab-store -d "$DB" -l 3 search 'cache'
expect_rc 0 "search"
check "search -l limits the hits" test "$(wc -l <"$T/out")" -eq 3
expect_contains "$T/out" "[cache]" "search shows where it matched"

# restore
run ab-store -d "$DB" restore run-a -o cfg
expect_rc 0 "restore"
check "restore names the files it wrote" test "$(wc -l <"$T/out")" -eq 4
i=0
for c in gpt-small claude local moa/two-cycles; do
	expect_records -f 'del(.hash)' "cfg/$c.json" "cfg-want-$i.json" \
	    "restore: $c.json is the configuration given"
	expect_not_contains "cfg/$c.json" '"hash"' "restore: $c.json has no hash"
	i=$((i + 1))
done
run ab-store -d "$DB" restore run-c -o cfg-c
check "restore: a second name of a configuration gets its own file" \
    test -f cfg-c/alias.json
must ab-store -n -d "$DB" evil.ndjson
run ab-store -d "$DB" restore run-evil -o cfg-e
expect_rc 2 "restore refuses a name leaving the directory"
check "... and writes nothing outside" test ! -e evil.json
run ab-store -d "$DB" restore run-a
expect_rc 2 "restore without -o"
expect_contains "$T/err" "restore needs -o dir" "... says so"

# notes
must ab-store -d "$DB" note run-a "first line"
check "note sets the notes" test "$(ab-store -d "$DB" note run-a)" = "first line"
must ab-store -d "$DB" note run-a ""
run ab-store -d "$DB" note run-a
check "an empty note clears them" test ! -s "$T/out"
run ab-store -d "$DB" note nope text
expect_rc 2 "a note on an unknown run"

# rm
before=$(sqlite3 "$DB" "SELECT count(*) FROM results WHERE run_id <> 'run-b'")
run ab-store -d "$DB" rm run-b
expect_rc 0 "rm"
expect_contains "$T/err" "removed run run-b (60 results)" "rm says what it removed"
check "rm: the run is gone" test "$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE id = 'run-b'")" = 0
check "rm: its results are gone" test "$(sqlite3 "$DB" "SELECT count(*) FROM results WHERE run_id = 'run-b'")" = 0
check "rm: the other runs stay" test "$(sqlite3 "$DB" "SELECT count(*) FROM results")" = "$before"
check "rm: no orphan tests" test "$(sqlite3 "$DB" "SELECT count(*) FROM tests WHERE rid NOT IN (SELECT rid FROM results)")" = 0
check "rm: no orphan calls" test "$(sqlite3 "$DB" "SELECT count(*) FROM calls WHERE rid NOT IN (SELECT rid FROM results)")" = 0
check "rm: no task version only it used" test "$(sqlite3 "$DB" "SELECT count(*) FROM task_versions")" = 0
check "rm: the full-text index follows" sqlite3 "$DB" "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)"
must ab-store -d "$DB" rm run-evil 2>/dev/null
must ab-store -d "$DB" export >left.ndjson
rm -f four.db
must ab-store -d four.db import left.ndjson
dump "$DB" >one.dump
dump four.db >four.dump
# after deletions rid has gaps; the dump compares rid order only
expect_same four.dump one.dump "after rm, export and import still give the same database"
run ab-store -d "$DB" rm run-b
expect_rc 2 "rm of an unknown run"
# rm of a run that shares a record id with another run
must ab-store -d rmc.db import a.ndjson c.ndjson
run ab-store -d rmc.db rm run-c
expect_rc 0 "rm of a run sharing an id with another"
check "... leaves the other run's result of that id" \
    test "$(sqlite3 rmc.db "SELECT group_concat(run_id) FROM results WHERE id = '$id7'")" = run-a
check "... with its tests" \
    test "$(sqlite3 rmc.db "SELECT count(*) FROM tests JOIN results USING (rid) WHERE id = '$id7'")" = \
    "$ntests7"
must ab-store -d rmc.db export >exported.ndjson
expect_records exported.ndjson a.ndjson "... and every record of the other run"

# Whole runs with the same record ids: export and import keep each.
must ab-store -d same1.db import a.ndjson z.ndjson
check "two runs with the same ids" \
    test "$(sqlite3 same1.db "SELECT count(DISTINCT id) || ' ' || count(*) FROM results")" = "240 480"
must ab-store -d same1.db export >same.ndjson
must ab-store -d same2.db import same.ndjson
dump same1.db >same1.dump
dump same2.db >same2.dump
expect_same same2.dump same1.dump "... export then import gives the same database"
must ab-store -d same2.db export >same-again.ndjson
expect_same same-again.ndjson same.ndjson "... and the same export"
must ab-store -d same2.db export run-z >exported.ndjson
expect_records exported.ndjson z.ndjson "... each run its own records"

# vacuum
run ab-store -d "$DB" vacuum
expect_rc 0 "vacuum"
dump "$DB" >vac.dump
expect_same vac.dump one.dump "vacuum changes no data"
check "vacuum leaves no WAL behind" test ! -s "$DB-wal"

# Usage.
for args in "show" "note" "rm" "export a b" "import" "ls x" "stats x" \
    "vacuum x" "search" "restore"; do
	# shellcheck disable=SC2086
	run ab-store -d "$DB" $args
	expect_rc 2 "ab-store $args: usage error"
done
run ab-store -d "$DB" -o x a.ndjson
expect_rc 2 "-o outside restore"
run ab-store --batch 0 a.ndjson
expect_rc 2 "--batch 0"
expect_contains "$T/err" "--batch: " "--batch is checked"

done_testing
