#!/bin/sh
# ab-store ingest: records in, the same records out, one row per id, the
# later stage winning, the indexed columns, calls, tests, text search.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# rec TASK CONFIG SAMPLE STAGES [RUN] [ANSWER]: a record through STAGES
# (1 gen, 2 extract, 3 exec, 4 score).
rec() {
	jq -nc --arg t "$1" --arg c "$2" --argjson s "$3" --argjson st "$4" \
	    --arg run "${5:-r1}" --arg ans "${6:-Here:
\`\`\`python
def f(x):
    return x + 1
\`\`\`
done}" '
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
	    error: null} else . end'
}

q() { sqlite3 -batch -noheader "$DB" "$@"; }
DB=$T/a.db

# Pass-through: what comes out is what went in.
rec t1 c1 0 4 >full.ndjson
rec t2 c1 0 4 >>full.ndjson
run ab-store -d "$DB" full.ndjson
expect_rc 0 "ingest two records"
jq -cS . full.ndjson >want.txt
jq -cS . "$T/out" >got.txt
expect_same got.txt want.txt "records pass on unchanged"
check "two results" test "$(q 'SELECT count(*) FROM results')" = 2
run ab-store -n -d "$DB" full.ndjson
expect_rc 0 "-n"
check "-n writes nothing on stdout" test ! -s "$T/out"
check "the same records twice are still two rows" \
    test "$(q 'SELECT count(*) FROM results')" = 2

# Columns.
q "SELECT id, run_id, task_id, config_hash, config_name, sample, stage,
    language, difficulty, category, model, provider, cached, verdict, passed,
    total, score, grade, success, tokens_in, tokens_out, cost_usd,
    latency_ms, ttft_ms, cpu_ms, wall_ms, peak_kb,
    coalesce(error_kind, 'null') FROM results WHERE id = 't1/c1/0'" >cols.txt
expect_text cols.txt \
    't1/c1/0|r1|t1|h-c1|c1|0|4|python|easy|algorithms|m1|cmd|0|wrong_answer|1|2|67.5|D|1|100|50|0.0015|120.5|20.0|12.5|30.0|9000|null' \
    "indexed columns hold the record's values"
q "SELECT t.idx, t.name, t.verdict, t.weight, t.time_ms,
    coalesce(t.error_kind, '-') FROM tests t JOIN results r USING (rid)
    WHERE r.id = 't1/c1/0' ORDER BY t.idx" >tests.txt
expect_text tests.txt "0|one|ok|1|1.5|-
1|two|wrong_answer|2|2.5|wrong_answer" "one tests row per test result"
q "SELECT c.idx, c.role, coalesce(c.name, '-'), coalesce(c.cycle, '-'),
    c.model, c.provider, c.tokens_in, c.tokens_out, c.cost_usd, c.latency_ms
    FROM calls c JOIN results r USING (rid) WHERE r.id = 't1/c1/0'
    ORDER BY c.idx" >calls.txt
expect_text calls.txt "0|layer|drafter|1|m0|openai|60|30|0.001|80.0
1|main|-|-|m1|openai|40|20|0.0005|40.5" "one calls row per provider call"
check "the seed is the run's" test "$(q "SELECT seed FROM runs")" = 42
check "tasks stored once" test "$(q 'SELECT count(*) FROM tasks')" = 2
check "configs stored once" test "$(q 'SELECT count(*) FROM configs')" = 1
q "SELECT id, suite, language, difficulty, category FROM tasks ORDER BY id" \
    >tasks.txt
expect_text tasks.txt "t1|core|python|easy|algorithms
t2|core|python|easy|algorithms" "tasks have their columns"
check "the task hash is the SHA-256 of its canonical JSON" test \
    "$(q "SELECT hash FROM tasks WHERE id = 't1'")" = \
    "$(head -n 1 full.ndjson | jq -cS .task | tr -d '\n' | sha256sum | cut -c1-64)"

# The records view gives each record back.
q "SELECT record FROM records ORDER BY rid" | jq -cS 'del(.store)' >view.txt
expect_same view.txt want.txt "the records view gives the records back"
q "SELECT record FROM records ORDER BY rid" >view-raw.txt
expect_jq view-raw.txt '.[0].store.run.id == "r1" and (.[1] | has("store") | not)' \
    "the first record of a run carries the run"
check "the extracted code is kept as a slice of the answer" \
    test "$(q "SELECT count(*) FROM bodies WHERE code_off IS NOT NULL AND code_own IS NULL")" = 2

# Stages: a later stage replaces, an earlier one does not.
rm -f "$DB"*
rec t1 c1 0 1 >s1.ndjson
rec t1 c1 0 4 >s4.ndjson
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
jq -cS . "$T/out" >got.txt
jq -cS . s1.ndjson >want.txt
expect_same got.txt want.txt "an earlier stage is still passed on"
check "an earlier stage does not replace a later one" \
    test "$(q "SELECT stage || '|' || score FROM results")" = "4|67.5"
check "still one row" test "$(q 'SELECT count(*) FROM results')" = 1

# Runs: a result is an id within a run.  Record ids do not name the run,
# so another run of the same configuration has the same ids: its results
# are other rows, and its stages replace only its own.
rm -f "$DB"*
rec t1 c1 0 4 r1 "first run answer" >r1.ndjson
rec t1 c1 0 1 r2 "second run answer" >r2.ndjson
must ab-store -n -d "$DB" r1.ndjson r2.ndjson r1.ndjson r2.ndjson
check "two runs with the same id: two rows, each once" \
    test "$(q "SELECT group_concat(run_id || ':' || stage, ' ') FROM (SELECT run_id, stage FROM results WHERE id = 't1/c1/0' ORDER BY run_id)")" = "r1:4 r2:1"
check "... each with its own tests" \
    test "$(q "SELECT group_concat(n, ' ') FROM (SELECT r.run_id, count(t.rid) AS n FROM results r LEFT JOIN tests t USING (rid) GROUP BY r.run_id ORDER BY r.run_id)")" = "2 0"
check "... and calls" \
    test "$(q "SELECT group_concat(n, ' ') FROM (SELECT r.run_id, count(c.rid) AS n FROM results r LEFT JOIN calls c USING (rid) GROUP BY r.run_id ORDER BY r.run_id)")" = "2 2"
rec t1 c1 0 4 r2 "second run answer" >r2s.ndjson
must ab-store -n -d "$DB" r2s.ndjson
check "a later stage replaces that run's row only" \
    test "$(q "SELECT group_concat(run_id || ':' || stage, ' ') FROM (SELECT run_id, stage FROM results ORDER BY run_id)")" = "r1:4 r2:4"
must ab-store -n -d "$DB" r1.ndjson
rec t1 c1 0 1 r1 "first run answer" >p.ndjson
must ab-store -n -d "$DB" <p.ndjson
check "an earlier stage leaves that run's row alone" \
    test "$(q "SELECT group_concat(run_id || ':' || stage, ' ') FROM (SELECT run_id, stage FROM results ORDER BY run_id)")" = "r1:4 r2:4"
check "... and the tests follow" test "$(q 'SELECT count(*) FROM tests')" = 4
check "the full-text index holds both runs' answers" \
    test "$(q "SELECT count(*) FROM fts WHERE fts MATCH 'answer'")" = 2
q "SELECT record FROM records ORDER BY rid" | jq -cS 'del(.store)' | sort >got.txt
cat r1.ndjson r2s.ndjson | jq -cS . | sort >want.txt
expect_same got.txt want.txt "the records view gives each run's record"
run ab-store -d "$DB" search second
expect_text "$T/out" "t1/c1/0	r2	[second] run answer" "search names the run of a hit"

# Replacing keeps the full-text index right.
rm -f "$DB"*
rec t1 c1 0 1 r1 "alpha words here" >p.ndjson
must ab-store -n -d "$DB" <p.ndjson
rec t1 c1 0 1 r1 "beta words there" >p.ndjson
must ab-store -n -d "$DB" <p.ndjson
check "search finds the new answer" \
    test "$(q "SELECT count(*) FROM fts WHERE fts MATCH 'beta'")" = 1
check "search no longer finds the replaced answer" \
    test "$(q "SELECT count(*) FROM fts WHERE fts MATCH 'alpha'")" = 0
check "the full-text index matches its content" \
    q "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)"
rec t2 c1 0 2 r1 "unicode é 漢字 then code:
def f(x):
    return x + 1
end" >uni.ndjson
must ab-store -n -d "$DB" uni.ndjson
q "SELECT record FROM records WHERE id = 't2/c1/0'" | jq -cS 'del(.store)' >got.txt
jq -cS . uni.ndjson >want.txt
expect_same got.txt want.txt "code sliced out of a non-ASCII answer comes back"
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
jq -c '.extract.code = "print(1)\n"' uni.ndjson >own.ndjson
must ab-store -n -d "$DB" own.ndjson
check "code not in the answer is kept on its own" \
    test "$(q "SELECT code_own FROM bodies JOIN results USING (rid) WHERE id = 't2/c1/0'")" = "print(1)"
q "SELECT record FROM records WHERE id = 't2/c1/0'" | jq -cS 'del(.store)' >got.txt
jq -cS . own.ndjson >want.txt
expect_same got.txt want.txt "... and comes back"

# Configurations: the same hash under two names is one subject; secrets
# never reach the database.
rm -f "$DB"*
{
	rec t1 c1 0 1
	rec t1 c1 0 1 | jq -c '.id = "t1/other/0" | .config.name = "other"'
	rec t1 c1 1 1 | jq -c '.config.api_key = "sk-PLANTED-SECRET" |
	    .config.headers = {Authorization: "Bearer sk-PLANTED-SECRET"}'
	rec t1 c1 2 1 | jq -c '.config.metadata = {note: "same subject"}'
} >cfg.ndjson
run ab-store -d "$DB" cfg.ndjson
expect_rc 0 "configurations"
check "one configuration for one hash" \
    test "$(q 'SELECT count(*) FROM configs')" = 1
check "results keep their configuration names" \
    test "$(q "SELECT group_concat(DISTINCT config_name) FROM (SELECT config_name FROM results ORDER BY 1)")" = "c1,other"
must ab-store -d "$DB" export >exp.ndjson
jq -cS 'del(.store) | del(.config.api_key) | del(.config.headers.Authorization)' \
    cfg.ndjson >want.txt
jq -cS 'del(.store)' exp.ndjson >got.txt
expect_same got.txt want.txt "every configuration comes back as it was, without secrets"
must ab-store -d "$DB" vacuum
check "no secret in the database" sh -c "! grep -q PLANTED '$DB'"
check "no secret in the export" sh -c "! grep -q PLANTED exp.ndjson"

# A task that changed keeps both versions.
rm -f "$DB"*
rec t1 c1 0 1 >tv.ndjson
rec t1 c1 1 1 | jq -c '.task.prompt = "a better prompt"' >>tv.ndjson
must ab-store -n -d "$DB" tv.ndjson
check "a changed task: one tasks row" test "$(q 'SELECT count(*) FROM tasks')" = 1
check "... and one earlier or later version" \
    test "$(q 'SELECT count(*) FROM task_versions')" = 1
must ab-store -d "$DB" export >exported.ndjson
jq -cS 'del(.store)' exported.ndjson >got.txt
jq -cS . tv.ndjson >want.txt
expect_same got.txt want.txt "each record keeps its own task version"

# Records that are not attempts.
rm -f "$DB"*
{
	rec t1 c1 0 1
	rec t1 c1 1 1 | jq -c 'del(.run)'
	rec t1 c1 2 1 | jq -c 'del(.task)'
	rec t1 c1 3 1 | jq -c '.task = {language: "python"}'
	rec t1 c1 4 1 | jq -c 'del(.config.hash)'
	rec t1 c1 5 1 | jq -c '.sample = "five"'
	rec t1 c1 6 1 | jq -c 'del(.id)'
	rec t1 c1 7 1 | jq -c '.sample = -1'
	rec t1 c1 8 1
} >inv.ndjson
run ab-store -d "$DB" inv.ndjson
expect_rc 1 "records that are not attempts"
check "the valid ones pass on" test "$(wc -l <"$T/out")" -eq 2
check "the valid ones are stored" test "$(q 'SELECT count(*) FROM results')" = 2
expect_contains "$T/err" "ab-store: inv.ndjson:2: record t1/c1/1: missing string member run" "no run"
expect_contains "$T/err" "ab-store: inv.ndjson:3: record t1/c1/2: missing object member task" "no task"
expect_contains "$T/err" "inv.ndjson:4: record t1/c1/3: missing string member task.id" "no task id"
expect_contains "$T/err" "inv.ndjson:5: record t1/c1/4: missing string member config.hash" "no config hash"
expect_contains "$T/err" "inv.ndjson:6: record t1/c1/5: member sample is not a non-negative integer" "bad sample"
expect_contains "$T/err" "inv.ndjson:7: record has no string member id" "no id"
expect_contains "$T/err" "inv.ndjson:8: record t1/c1/7: member sample" "negative sample"
check "a run with rejected records is partial" \
    test "$(q 'SELECT status FROM runs')" = partial
run ab-store -b -d "$DB" inv.ndjson
expect_rc 1 "-b"
check "-b stops at the first bad record" test "$(wc -l <"$T/out")" -eq 1

# Where the database is.
mkdir -p wd && cd wd || exit 1
rec t1 c1 0 1 >r.ndjson
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
rec t1 c1 0 4 >p.ndjson
must ab-store -n -d "$DB" <p.ndjson
check "the run is complete" test "$(q 'SELECT status FROM runs')" = complete
check "started and finished are ISO 8601 UTC" test "$(q "SELECT count(*) FROM runs WHERE started GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' AND finished >= started")" = 1
check "host and os are kept" test "$(q "SELECT host = '$(uname -n)' AND os LIKE 'Linux %' FROM runs")" = 1
check "the ab version is kept" test "$(q 'SELECT ab_version FROM runs')" = "$(ab-store -V | cut -d' ' -f2)"
check "the command line is kept" test "$(q "SELECT command LIKE '%ab-store -n -d $DB%' FROM runs")" = 1
if command -v python3 >/dev/null; then
	check "the python toolchain is detected" test "$(q "SELECT toolchain ->> '\$.python3' FROM runs")" = "$(python3 --version)"
fi
git init -q repo && (cd repo && git -c user.email=a@b -c user.name=a commit -q --allow-empty -m x)
rec t1 c1 1 4 r-git >p.ndjson
cd repo && must ab-store -n -d "$DB" <../p.ndjson; cd "$T" || exit 1
check "the git commit of the working directory is kept" \
    test "$(q "SELECT git_commit FROM runs WHERE id = 'r-git'")" = "$(git -C repo rev-parse HEAD)"
check "none outside a repository" test "$(q "SELECT coalesce(git_commit, 'none') FROM runs WHERE id = 'r1'")" = none

done_testing
