#!/bin/sh
# ab-store schema: documented in full in ab-store(1), upgraded by
# migrations keyed on user_version, the analysis views right.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-store.sh"
cd "$T" || exit 1
MAN=$TOP/share/man/man1/ab-store.1
DB=$T/s.db

check "Debian's sqlite3 has FTS5" \
    sqlite3 :memory: "CREATE VIRTUAL TABLE x USING fts5(a)"

printf '%s\n' '{"id":"t1/c/0","run":"r1","task":{"id":"t1","language":"python"},"config":{"name":"c","hash":"h"},"sample":0,"gen":{"text":"say hello","error":null}}' >one.ndjson
must ab-store -n -d "$DB" one.ndjson
check "the schema version is 6" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 6
check "the journal is WAL" test "$(sqlite3 "$DB" 'PRAGMA journal_mode')" = wal

# Every table, view, index and column is in the man page: each name is
# a word of it (as grep -w finds one: not inside a longer word), looked
# for by one awk in the names of one sqlite3 (the object, then each of its
# columns).
sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type IN ('table', 'view',
    'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%'" >objects.txt
sqlite3 -separator ' ' "$DB" "SELECT m.name, p.name FROM sqlite_master m
    LEFT JOIN pragma_table_info(m.name) p WHERE m.type IN ('table', 'view',
    'index') AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'fts_%'
    ORDER BY m.rowid, p.cid" >names.txt
missing=$(awk '
function word(w,   s, i, b, a) {
	s = man
	while ((i = index(s, w)) > 0) {
		b = substr(s, i - 1, 1)
		a = substr(s, i + length(w), 1)
		if (b !~ /[A-Za-z0-9_]/ && a !~ /[A-Za-z0-9_]/)
			return 1
		s = substr(s, i + 1)
	}
	return 0
}
NR == FNR { man = man "\n" $0; next }
$1 != last { last = $1; if (!word($1)) printf " %s", $1 }
NF > 1 && !word($2) { printf " %s.%s", $1, $2 }' "$MAN" names.txt)
check "the man page documents every table, view, index and column${missing:+ (missing:$missing)}" \
    test -z "$missing"
check "... which are many" test "$(wc -l <objects.txt)" -ge 17

# The synopsis of -h is the man page's.
if command -v groff >/dev/null; then
	groff -mdoc -Tascii -P-c -P-b -P-u "$MAN" 2>/dev/null |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
	    tr -s ' \n' '  ' | sed 's/^ //; s/ $//' >man.txt
	ab-store -h >h.out
	# The usage lines only: the help text follows them.
	awk '/^usage:/ { u = 1; print; next } u && /^[ \t]/ { print; next }
	    { u = 0 }' h.out | sed 's/^usage://' | tr -s ' \n' '  ' |
	    sed 's/^ //; s/ $//' >help.txt
	expect_same help.txt man.txt "-h matches the man page SYNOPSIS"
else
	skip "no groff"
fi

# to_v3 DB: make a database of this ab-store what version 3 was: results
# unique on the record id, without kind, calls and tests keyed on it,
# result_text without run_id.  The other views were the same in version 3
# but for the condition on kind (version 6).
to_v3() {
	sqlite3 "$1" "SELECT sql || ';' FROM sqlite_master WHERE type = 'view'
	    AND name <> 'result_text' ORDER BY rowid" |
	    sed "s/ WHERE \(r\.\)\{0,1\}kind = 'attempt'//" >views.sql
	sqlite3 "$1" "DROP VIEW records; DROP VIEW record_parts;
	    DROP VIEW result_text; DROP VIEW config_performance;
	    DROP VIEW run_config_performance; DROP VIEW run_scores;
	    DROP VIEW execution_scores; DROP VIEW verdicts;
	    CREATE TABLE r3 (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
	      run_id TEXT NOT NULL, task_id TEXT NOT NULL,
	      task_hash TEXT NOT NULL, config_hash TEXT NOT NULL,
	      config_name TEXT NOT NULL, sample INTEGER NOT NULL,
	      stage INTEGER NOT NULL, language TEXT, difficulty TEXT,
	      category TEXT, model TEXT, provider TEXT, cached INTEGER,
	      verdict TEXT, passed INTEGER, total INTEGER, score REAL,
	      grade TEXT, success INTEGER, tokens_in INTEGER,
	      tokens_out INTEGER, cost_usd REAL, latency_ms REAL,
	      ttft_ms REAL, cpu_ms REAL, wall_ms REAL, peak_kb INTEGER,
	      error_stage TEXT, error_kind TEXT);
	    INSERT INTO r3 SELECT rid, id, run_id, task_id, task_hash,
	      config_hash, config_name, sample, stage, language, difficulty,
	      category, model, provider, cached, verdict, passed, total, score,
	      grade, success, tokens_in, tokens_out, cost_usd, latency_ms,
	      ttft_ms, cpu_ms, wall_ms, peak_kb, error_stage, error_kind
	      FROM results;
	    CREATE TABLE c3 (result_id TEXT NOT NULL, idx INTEGER NOT NULL,
	      role TEXT, name TEXT, cycle INTEGER, model TEXT, provider TEXT,
	      tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL,
	      latency_ms REAL, ttft_ms REAL, error_kind TEXT,
	      PRIMARY KEY (result_id, idx)) WITHOUT ROWID;
	    INSERT INTO c3 SELECT r.id, c.idx, c.role, c.name, c.cycle, c.model,
	      c.provider, c.tokens_in, c.tokens_out, c.cost_usd, c.latency_ms,
	      c.ttft_ms, c.error_kind FROM calls c JOIN results r USING (rid);
	    CREATE TABLE t3 (result_id TEXT NOT NULL, idx INTEGER NOT NULL,
	      name TEXT, verdict TEXT, weight NUMERIC, time_ms REAL,
	      error_kind TEXT, PRIMARY KEY (result_id, idx)) WITHOUT ROWID;
	    INSERT INTO t3 SELECT r.id, t.idx, t.name, t.verdict, t.weight,
	      t.time_ms, t.error_kind FROM tests t JOIN results r USING (rid);
	    DROP TABLE results; DROP TABLE calls; DROP TABLE tests;
	    ALTER TABLE r3 RENAME TO results; ALTER TABLE c3 RENAME TO calls;
	    ALTER TABLE t3 RENAME TO tests;
	    CREATE INDEX results_run ON results(run_id);
	    CREATE INDEX results_config ON results(config_hash);
	    CREATE INDEX results_task ON results(task_id);
	    CREATE TRIGGER results_delete_rows AFTER DELETE ON results BEGIN
	      DELETE FROM bodies WHERE rid = old.rid;
	      DELETE FROM tests WHERE result_id = old.id;
	      DELETE FROM calls WHERE result_id = old.id;
	    END;
	    CREATE VIEW result_text(rid, id, answer, code, prose) AS
	      SELECT b.rid, r.id, b.answer, CASE WHEN b.code_off IS NOT NULL
	        THEN substr(b.answer, b.code_off, b.code_len) ELSE b.code_own END,
	        CASE WHEN b.code_off IS NOT NULL
	        THEN substr(b.answer, 1, b.code_off - 1) ||
	          substr(b.answer, b.code_off + b.code_len) ELSE b.answer END
	      FROM bodies b JOIN results r ON r.rid = b.rid;
	    $(cat views.sql)
	    PRAGMA user_version = 3"
}

# Migrations: a version 3 database (results unique on the record id) is
# upgraded to 4 (unique on the run and the id), losing nothing; then it
# keeps two runs with the same ids.
if command -v python3 >/dev/null; then
	GEN_TASKS=6
	export GEN_TASKS
	gen_records a.ndjson 24 3 run-a
	gen_records b.ndjson 24 4 run-b 5
	rm -f v3.db* fresh.db*
	must ab-store -n -d v3.db a.ndjson b.ndjson
	to_v3 v3.db
	check "a version 3 database" test "$(sqlite3 v3.db 'PRAGMA user_version')" = 3
	check "... holding calls and tests" \
	    test "$(sqlite3 v3.db "SELECT (SELECT count(*) FROM calls) > 0 AND (SELECT count(*) FROM tests) > 0")" = 1
	sqlite3 v3.db "SELECT record FROM records ORDER BY rid" >v3.ndjson
	run ab-store -d v3.db stats
	expect_rc 0 "a version 3 database opens"
	expect_contains "$T/out" "schema         6" "... and is upgraded to 6"
	must ab-store -d v3.db export >up.ndjson
	expect_same up.ndjson v3.ndjson "... every record as it was"
	must ab-store -d fresh.db import up.ndjson
	# everything but the text of the schema, in which the upgrade's
	# rebuilt tables are quoted
	# The dump's queries, each after its text, run by one sqlite3 from
	# its standard input: one that fails leaves its error on stderr and
	# the others still run.
	for q in "SELECT type, name, tbl_name FROM sqlite_master ORDER BY name" \
	    "SELECT * FROM pragma_table_info('results')" \
	    "SELECT * FROM pragma_index_list('results') ORDER BY name" \
	    "SELECT * FROM pragma_table_info('calls')" \
	    "SELECT * FROM pragma_table_info('tests')" \
	    "SELECT * FROM results ORDER BY rid" \
	    "SELECT * FROM bodies ORDER BY rid" \
	    "SELECT * FROM calls ORDER BY rid, idx" \
	    "SELECT * FROM tests ORDER BY rid, idx" \
	    "SELECT * FROM runs ORDER BY id" \
	    "SELECT rowid FROM fts WHERE fts MATCH 'return OR prose:solution' ORDER BY rowid" \
	    "SELECT * FROM result_text ORDER BY rid"; do
		printf '.print "%s"\n%s;\n' "$q" "$q"
	done >dump.sql
	printf '.mode quote\n' | cat - dump.sql >dump-quote.sql
	sqlite3 -batch v3.db <dump-quote.sql >up.dump
	sqlite3 -batch fresh.db <dump-quote.sql >fresh.dump
	expect_same up.dump fresh.dump "... the same database as one made now"
	# integrity_check's "ok", and no failure of the full-text index's
	# check (sqlite3 stops at a statement that fails, exit status 1)
	check "... consistently" sh -c 'o=$(sqlite3 v3.db "PRAGMA integrity_check" \
	    "INSERT INTO fts(fts, rank) VALUES ('"'integrity-check'"', 1)") &&
	    [ "$o" = ok ]'
	check "... the dumps are not empty" test "$(wc -l <up.dump)" -gt 200
	jq -c '.run = "run-c"' a.ndjson >c.ndjson
	must ab-store -n -d v3.db c.ndjson
	check "the upgraded database keeps a second run of the same ids" \
	    test "$(sqlite3 v3.db "SELECT group_concat(run_id || ':' || n, ' ') FROM (SELECT run_id, count(*) AS n FROM results GROUP BY run_id ORDER BY run_id)")" = "run-a:24 run-b:24 run-c:24"
else
	skip "no python3"
fi

# Migrations: a version 1 database (no full-text index, no views) is
# upgraded, its index built from what is stored.
to_v3 "$DB"
sqlite3 "$DB" "DROP VIEW records; DROP VIEW record_parts;
    DROP VIEW config_performance; DROP VIEW run_config_performance;
    DROP VIEW run_scores; DROP VIEW execution_scores; DROP VIEW verdicts;
    DROP TRIGGER bodies_fts_insert; DROP TRIGGER bodies_fts_delete;
    DROP TRIGGER bodies_fts_update; DROP TABLE fts; DROP VIEW result_text;
    PRAGMA user_version = 1"
run ab-store -d "$DB" stats
expect_rc 0 "a version 1 database opens"
expect_contains "$T/out" "schema         6" "... and is upgraded to 6"
run ab-store -d "$DB" search hello
expect_contains "$T/out" "t1/c/0" "... with its text indexed"
check "... consistently" sqlite3 "$DB" "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)"
sqlite3 "$DB" "PRAGMA user_version = 99"
run ab-store -d "$DB" one.ndjson
expect_rc 2 "a database from a newer ab-store"
expect_contains "$T/err" "ab-store: $DB: database schema version 99 is newer than this ab-store's (6)" \
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
# mk(id; config; score; success; verdict; latency; accuracy), in one jq
must jq -nc '
def mk($id; $c; $s; $ok; $v; $lat; $acc):
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
	         total: $s, grade: "B", success: $ok, error: null}};
mk("a/x/0"; "x"; 90; true; "ok"; 100; 9),
mk("b/x/0"; "x"; 50; false; "wrong_answer"; 300; 3),
mk("c/x/0"; "x"; 70; true; "ok"; 200; 6),
mk("a/y/0"; "y"; 40; false; "runtime_error"; 1000; 2)' >v.ndjson
must ab-store -n -d "$DB" v.ndjson
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
