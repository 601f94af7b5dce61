#!/bin/sh
# ab-store ingest: records in, the same records out, one row per id, the
# later stage winning, the indexed columns, calls, tests, text search.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-store.sh"
cd "$T" || exit 1

# The records, all built by one jq (a jq start is 23 ms): rec(TASK;
# CONFIG; SAMPLE; STAGES[; RUN[; ANSWER]]) is a record through STAGES (1
# gen, 2 extract, 3 exec, 4 score); file(NAME) writes it to NAME
# (write_files).
records='
def rec($t; $c; $s; $st; $run; $ans):
	{id: "\($t)/\($c)/\($s)", run: $run,
	 task: {id: $t, suite: "core", language: "python", difficulty: "easy",
	        category: "algorithms", prompt: "add one to \($t)",
	        entry_point: "f",
	        tests: [{style: "call", args: [1], expected: 2}]},
	 config: {name: $c, hash: ("h-" + $c), provider: "cmd",
	          command: ["agent", $c]},
	 sample: $s}
	| if $st >= 1 then .gen = {text: $ans, model: "m1", provider: "cmd",
	    latency_ms: 120.5, ttft_ms: 20, tokens: {in: 100, out: 50},
	    cost_usd: 0.0015, cached: false,
	    calls: [{role: "layer", name: "drafter", cycle: 1, model: "m0",
	             provider: "openai", tokens: {in: 60, out: 30},
	             cost_usd: 0.001, latency_ms: 80, error: null},
	            {role: "main", model: "m1", provider: "openai",
	             tokens: {in: 40, out: 20}, cost_usd: 0.0005,
	             latency_ms: 40.5, error: null}],
	    seed: 42, error: null} else . end
	| if $st >= 2 then .extract = {code: "def f(x):\n    return x + 1\n",
	    language: "python", method: "fence", blocks: 1, error: null}
	  else . end
	| if $st >= 3 then .exec = {verdict: "wrong_answer", passed: 1,
	    total: 2, tests: [
	      {name: "one", verdict: "ok", weight: 1, time_ms: 1.5,
	       expected: "2", actual: "2", error: null},
	      {name: "two", verdict: "wrong_answer", weight: 2, time_ms: 2.5,
	       expected: "3", actual: "4",
	       error: {kind: "wrong_answer", message: "got 4"}}],
	    cpu_ms: 12.5, wall_ms: 30, peak_kb: 9000, error: null}
	  else . end
	| if $st >= 4 then .score = {dimensions: {
	      accuracy: {value: 5, evidence: "1 of 2"},
	      speed: {value: 8, evidence: "fast"},
	      efficiency: {value: 7, evidence: "ok"},
	      cost: {value: 9, evidence: "cheap"},
	      reliability: {value: 6, evidence: "so so"}},
	    total: 67.5, grade: "D", success: true, rubric: "agent",
	    error: null} else . end;
def rec($t; $c; $s; $st; $run):
	rec($t; $c; $s; $st; $run; "Here:\n```python\ndef f(x):\n    return x + 1\n```\ndone");
def rec($t; $c; $s; $st): rec($t; $c; $s; $st; "r1");
def file($name): "\($name)\t\(tojson)";
(rec("t1"; "c1"; 0; 4), rec("t2"; "c1"; 0; 4) | file("full.ndjson")),
(rec("t1"; "c1"; 0; 1) | file("s1.ndjson")),
(rec("t1"; "c1"; 0; 4) | file("s4.ndjson")),
(rec("t1"; "c1"; 0; 4; "r1"; "first run answer") | file("r1.ndjson")),
(rec("t1"; "c1"; 0; 1; "r2"; "second run answer") | file("r2.ndjson")),
(rec("t1"; "c1"; 0; 4; "r2"; "second run answer") | file("r2s.ndjson")),
(rec("t1"; "c1"; 0; 1; "r1"; "first run answer") | file("r1p.ndjson")),
(rec("t1"; "c1"; 0; 1; "r1"; "alpha words here") | file("alpha.ndjson")),
(rec("t1"; "c1"; 0; 1; "r1"; "beta words there") | file("beta.ndjson")),
(rec("t2"; "c1"; 0; 2; "r1"; "unicode é 漢字 then code:\ndef f(x):\n    return x + 1\nend")
 | file("uni.ndjson"), (.extract.code = "print(1)\n" | file("own.ndjson"))),
([rec("t1"; "c1"; 0; 1),
  (rec("t1"; "c1"; 0; 1) | .id = "t1/other/0" | .config.name = "other"),
  (rec("t1"; "c1"; 1; 1) | .config.api_key = "sk-PLANTED-SECRET" |
   .config.headers = {Authorization: "Bearer sk-PLANTED-SECRET"}),
  (rec("t1"; "c1"; 2; 1) | .config.metadata = {note: "same subject"})]
 | (.[] | file("cfg.ndjson")),
   (.[] | del(.config.api_key) | del(.config.headers.Authorization)
    | file("cfg-want.ndjson"))),
(rec("t1"; "c1"; 0; 1), (rec("t1"; "c1"; 1; 1) | .task.prompt = "a better prompt")
 | file("tv.ndjson")),
(rec("t1"; "c1"; 0; 1),
 (rec("t1"; "c1"; 1; 1) | del(.run)),
 (rec("t1"; "c1"; 2; 1) | del(.task)),
 (rec("t1"; "c1"; 3; 1) | .task = {language: "python"}),
 (rec("t1"; "c1"; 4; 1) | del(.config.hash)),
 (rec("t1"; "c1"; 5; 1) | .sample = "five"),
 (rec("t1"; "c1"; 6; 1) | del(.id)),
 (rec("t1"; "c1"; 7; 1) | .sample = -1),
 rec("t1"; "c1"; 8; 1)
 | file("inv.ndjson")),
(rec("t1"; "c1"; 0; 1) | file("wd/r.ndjson")),
(rec("t1"; "c1"; 0; 4) | file("env.ndjson")),
(rec("t1"; "c1"; 1; 4; "r-git") | file("git.ndjson"))
'
mkdir wd
must jq -nr "$records" >records.txt
write_files records.txt

q() { sqlite3 -batch -noheader "$DB" "$@"; }
DB=$T/a.db

# Pass-through: what comes out is what went in.
run ab-store -d "$DB" full.ndjson
expect_rc 0 "ingest two records"
expect_records -f . "$T/out" full.ndjson "records pass on unchanged"
check "two results" test "$(q 'SELECT count(*) FROM results')" = 2
run ab-store -n -d "$DB" full.ndjson
expect_rc 0 "-n"
check "-n writes nothing on stdout" test ! -s "$T/out"
check "the same records twice are still two rows" \
    test "$(q 'SELECT count(*) FROM results')" = 2

# Columns.  One sqlite3 for the queries on this state of the database,
# each into its file (a query that fails stops it: the files after it are
# missing and their checks fail).
q ".output cols.txt" "SELECT id, run_id, task_id, config_hash, config_name, sample, stage,
    language, difficulty, category, model, provider, cached, verdict, passed,
    total, score, grade, success, tokens_in, tokens_out, cost_usd,
    latency_ms, ttft_ms, cpu_ms, wall_ms, peak_kb,
    coalesce(error_kind, 'null') FROM results WHERE id = 't1/c1/0'" \
    ".output tests.txt" "SELECT t.idx, t.name, t.verdict, t.weight, t.time_ms,
    coalesce(t.error_kind, '-') FROM tests t JOIN results r USING (rid)
    WHERE r.id = 't1/c1/0' ORDER BY t.idx" \
    ".output calls.txt" "SELECT c.idx, c.role, coalesce(c.name, '-'), coalesce(c.cycle, '-'),
    c.model, c.provider, c.tokens_in, c.tokens_out, c.cost_usd, c.latency_ms
    FROM calls c JOIN results r USING (rid) WHERE r.id = 't1/c1/0'
    ORDER BY c.idx" \
    ".output seed.txt" "SELECT seed FROM runs" \
    ".output ntasks.txt" "SELECT count(*) FROM tasks" \
    ".output nconfigs.txt" "SELECT count(*) FROM configs" \
    ".output tasks.txt" "SELECT id, suite, language, difficulty, category FROM tasks ORDER BY id" \
    ".output hash.txt" "SELECT hash FROM tasks WHERE id = 't1'" \
    ".output view.txt" "SELECT record FROM records ORDER BY rid" \
    ".output sliced.txt" "SELECT count(*) FROM bodies WHERE code_off IS NOT NULL AND code_own IS NULL"
expect_text cols.txt \
    't1/c1/0|r1|t1|h-c1|c1|0|4|python|easy|algorithms|m1|cmd|0|wrong_answer|1|2|67.5|D|1|100|50|0.0015|120.5|20.0|12.5|30.0|9000|null' \
    "indexed columns hold the record's values"
expect_text tests.txt "0|one|ok|1|1.5|-
1|two|wrong_answer|2|2.5|wrong_answer" "one tests row per test result"
expect_text calls.txt "0|layer|drafter|1|m0|openai|60|30|0.001|80.0
1|main|-|-|m1|openai|40|20|0.0005|40.5" "one calls row per provider call"
expect_text seed.txt 42 "the seed is the run's"
expect_text ntasks.txt 2 "tasks stored once"
expect_text nconfigs.txt 1 "configs stored once"
expect_text tasks.txt "t1|core|python|easy|algorithms
t2|core|python|easy|algorithms" "tasks have their columns"
head -n 1 full.ndjson | jq -cS .task | tr -d '\n' | sha256sum | cut -c1-64 >hash-want.txt
expect_same hash.txt hash-want.txt "the task hash is the SHA-256 of its canonical JSON"

# The records view gives each record back.
expect_records view.txt full.ndjson "the records view gives the records back"
expect_jq view.txt '.[0].store.run.id == "r1" and (.[1] | has("store") | not)' \
    "the first record of a run carries the run"
expect_text sliced.txt 2 "the extracted code is kept as a slice of the answer"

# Stages: a later stage replaces, an earlier one does not.
rm -f "$DB"*
must ab-store -n -d "$DB" s1.ndjson
check "gen only: stage 1, no score" \
    test "$(q "SELECT stage || '|' || coalesce(score, 'null') || '|' || coalesce(verdict, 'null') FROM results")" = "1|null|null"
check "gen only: no tests" test "$(q 'SELECT count(*) FROM tests')" = 0
must ab-store -n -d "$DB" s4.ndjson
check "scored: stage 4 replaces stage 1" \
    test "$(q "SELECT stage || '|' || score FROM results")" = "4|67.5"
check "scored: tests added" test "$(q 'SELECT count(*) FROM tests')" = 2
run ab-store -d "$DB" s1.ndjson
expect_rc 0 "an earlier stage again"
expect_records -f . "$T/out" s1.ndjson "an earlier stage is still passed on"
check "an earlier stage does not replace a later one" \
    test "$(q "SELECT stage || '|' || score FROM results")" = "4|67.5"
check "still one row" test "$(q 'SELECT count(*) FROM results')" = 1

# Runs: a result is an id within a run.  Record ids do not name the run,
# so another run of the same configuration has the same ids: its results
# are other rows, and its stages replace only its own.
rm -f "$DB"*
must ab-store -n -d "$DB" r1.ndjson r2.ndjson r1.ndjson r2.ndjson
q ".output stages.txt" "SELECT group_concat(run_id || ':' || stage, ' ') FROM (SELECT run_id, stage FROM results WHERE id = 't1/c1/0' ORDER BY run_id)" \
    ".output ntests.txt" "SELECT group_concat(n, ' ') FROM (SELECT r.run_id, count(t.rid) AS n FROM results r LEFT JOIN tests t USING (rid) GROUP BY r.run_id ORDER BY r.run_id)" \
    ".output ncalls.txt" "SELECT group_concat(n, ' ') FROM (SELECT r.run_id, count(c.rid) AS n FROM results r LEFT JOIN calls c USING (rid) GROUP BY r.run_id ORDER BY r.run_id)"
expect_text stages.txt "r1:4 r2:1" "two runs with the same id: two rows, each once"
expect_text ntests.txt "2 0" "... each with its own tests"
expect_text ncalls.txt "2 2" "... and calls"
must ab-store -n -d "$DB" r2s.ndjson
check "a later stage replaces that run's row only" \
    test "$(q "SELECT group_concat(run_id || ':' || stage, ' ') FROM (SELECT run_id, stage FROM results ORDER BY run_id)")" = "r1:4 r2:4"
must ab-store -n -d "$DB" r1.ndjson
must ab-store -n -d "$DB" <r1p.ndjson
q ".output stages.txt" "SELECT group_concat(run_id || ':' || stage, ' ') FROM (SELECT run_id, stage FROM results ORDER BY run_id)" \
    ".output ntests.txt" "SELECT count(*) FROM tests" \
    ".output nhits.txt" "SELECT count(*) FROM fts WHERE fts MATCH 'answer'" \
    ".output view.txt" "SELECT record FROM records ORDER BY rid"
expect_text stages.txt "r1:4 r2:4" "an earlier stage leaves that run's row alone"
expect_text ntests.txt 4 "... and the tests follow"
expect_text nhits.txt 2 "the full-text index holds both runs' answers"
cat r1.ndjson r2s.ndjson >want.ndjson
expect_records -s view.txt want.ndjson "the records view gives each run's record"
run ab-store -d "$DB" search second
expect_text "$T/out" "t1/c1/0	r2	[second] run answer" "search names the run of a hit"

# Replacing keeps the full-text index right.
rm -f "$DB"*
must ab-store -n -d "$DB" <alpha.ndjson
must ab-store -n -d "$DB" <beta.ndjson
q ".output nbeta.txt" "SELECT count(*) FROM fts WHERE fts MATCH 'beta'" \
    ".output nalpha.txt" "SELECT count(*) FROM fts WHERE fts MATCH 'alpha'"
expect_text nbeta.txt 1 "search finds the new answer"
expect_text nalpha.txt 0 "search no longer finds the replaced answer"
check "the full-text index matches its content" \
    q "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)"
must ab-store -n -d "$DB" uni.ndjson
q "SELECT record FROM records WHERE id = 't2/c1/0'" >got.txt
expect_records got.txt uni.ndjson "code sliced out of a non-ASCII answer comes back"
run ab-store -d "$DB" search 'return'
expect_rc 0 "search"
expect_contains "$T/out" "t2/c1/0" "search finds code"
run ab-store -d "$DB" search 'code:beta'
expect_rc 0 "search in a column"
check "no code holds beta" test ! -s "$T/out"
run ab-store -d "$DB" search 'AND AND'
expect_rc 2 "a bad search query"
expect_contains "$T/err" "ab-store: search: " "a bad query is reported"

# The code is not in the answer: kept on its own.
must ab-store -n -d "$DB" own.ndjson
q ".output own.txt" "SELECT code_own FROM bodies JOIN results USING (rid) WHERE id = 't2/c1/0'" \
    ".output got.txt" "SELECT record FROM records WHERE id = 't2/c1/0'"
expect_text own.txt "print(1)
" "code not in the answer is kept on its own"
expect_records got.txt own.ndjson "... and comes back"

# Configurations: the same hash under two names is one subject; secrets
# never reach the database.
rm -f "$DB"*
run ab-store -d "$DB" cfg.ndjson
expect_rc 0 "configurations"
q ".output nconfigs.txt" "SELECT count(*) FROM configs" \
    ".output names.txt" "SELECT group_concat(DISTINCT config_name) FROM (SELECT config_name FROM results ORDER BY 1)"
expect_text nconfigs.txt 1 "one configuration for one hash"
expect_text names.txt "c1,other" "results keep their configuration names"
must ab-store -d "$DB" export >exp.ndjson
expect_records exp.ndjson cfg-want.ndjson \
    "every configuration comes back as it was, without secrets"
must ab-store -d "$DB" vacuum
check "no secret in the database" sh -c "! grep -q PLANTED '$DB'"
check "no secret in the export" sh -c "! grep -q PLANTED exp.ndjson"

# A task that changed keeps both versions.
rm -f "$DB"*
must ab-store -n -d "$DB" tv.ndjson
q ".output ntasks.txt" 'SELECT count(*) FROM tasks' \
    ".output nversions.txt" 'SELECT count(*) FROM task_versions'
expect_text ntasks.txt 1 "a changed task: one tasks row"
expect_text nversions.txt 1 "... and one earlier or later version"
must ab-store -d "$DB" export >exported.ndjson
expect_records exported.ndjson tv.ndjson "each record keeps its own task version"

# Records that are not attempts.
rm -f "$DB"*
run ab-store -d "$DB" inv.ndjson
expect_rc 1 "records that are not attempts"
check "the valid ones pass on" test "$(wc -l <"$T/out")" -eq 2
q ".output nresults.txt" 'SELECT count(*) FROM results' \
    ".output status.txt" 'SELECT status FROM runs'
expect_text nresults.txt 2 "the valid ones are stored"
expect_contains "$T/err" "ab-store: inv.ndjson:2: record t1/c1/1: missing string member run" "no run"
expect_contains "$T/err" "ab-store: inv.ndjson:3: record t1/c1/2: missing object member task" "no task"
expect_contains "$T/err" "inv.ndjson:4: record t1/c1/3: missing string member task.id" "no task id"
expect_contains "$T/err" "inv.ndjson:5: record t1/c1/4: missing string member config.hash" "no config hash"
expect_contains "$T/err" "inv.ndjson:6: record t1/c1/5: member sample is not a non-negative integer" "bad sample"
expect_contains "$T/err" "inv.ndjson:7: record has no string member id" "no id"
expect_contains "$T/err" "inv.ndjson:8: record t1/c1/7: member sample" "negative sample"
expect_text status.txt partial "a run with rejected records is partial"
run ab-store -b -d "$DB" inv.ndjson
expect_rc 1 "-b"
check "-b stops at the first bad record" test "$(wc -l <"$T/out")" -eq 1

# Where the database is.
cd wd || exit 1
run ab-store -n r.ndjson
check "default database ./ab.db" test -s ab.db
AB_DB=$T/wd/env.db run ab-store -n r.ndjson
check "AB_DB names the database" test -s env.db
run ab-store -n -d "$T/no/such/dir/x.db" r.ndjson
expect_rc 2 "a database that cannot be created"
expect_contains "$T/err" "ab-store: $T/no/such/dir/x.db: " "... is reported"
printf 'not a database at all, just text\n%4096s\n' x >bad.db
run ab-store -n -d bad.db r.ndjson
expect_rc 2 "a file that is not a database"
expect_contains "$T/err" "ab-store: bad.db: " "... is reported"
run ab-store -d nonexistent.db ls
expect_rc 2 "a command on a missing database"
check "... does not create it" test ! -e nonexistent.db
cd "$T" || exit 1

# Run environment.
rm -f "$DB"*
must ab-store -n -d "$DB" <env.ndjson
q ".output status.txt" "SELECT status FROM runs" \
    ".output times.txt" "SELECT count(*) FROM runs WHERE started GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' AND finished >= started" \
    ".output hostos.txt" "SELECT host = '$(uname -n)' AND os LIKE 'Linux %' FROM runs" \
    ".output version.txt" "SELECT ab_version FROM runs" \
    ".output command.txt" "SELECT command LIKE '%ab-store -n -d $DB%' FROM runs" \
    ".output python.txt" "SELECT toolchain ->> '\$.python3' FROM runs"
expect_text status.txt complete "the run is complete"
expect_text times.txt 1 "started and finished are ISO 8601 UTC"
expect_text hostos.txt 1 "host and os are kept"
ab-store -V | cut -d' ' -f2 >version-want.txt
expect_same version.txt version-want.txt "the ab version is kept"
expect_text command.txt 1 "the command line is kept"
if command -v python3 >/dev/null; then
	python3 --version >python-want.txt
	expect_same python.txt python-want.txt "the python toolchain is detected"
fi
git init -q repo && (cd repo && git -c user.email=a@b -c user.name=a commit -q --allow-empty -m x)
cd repo && must ab-store -n -d "$DB" <../git.ndjson; cd "$T" || exit 1
q ".output commit.txt" "SELECT git_commit FROM runs WHERE id = 'r-git'" \
    ".output none.txt" "SELECT coalesce(git_commit, 'none') FROM runs WHERE id = 'r1'"
git -C repo rev-parse HEAD >commit-want.txt
expect_same commit.txt commit-want.txt "the git commit of the working directory is kept"
expect_text none.txt none "none outside a repository"

done_testing
