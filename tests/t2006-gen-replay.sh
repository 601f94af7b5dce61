#!/bin/sh
# ab-gen: replaying answers from earlier records (a file or an ab-store
# database) without calling anyone.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
start_server
write_tasks

config c openai m
run ab-gen -q -r old -n 2 --no-cache -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "an earlier run"
cp "$T/out" "$T/old.ndjson"
before=$(requests)

run ab-gen -q -r new -n 2 --replay "$T/old.ndjson" -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "--replay FILE"
check "... calls nobody" test "$(requests)" -eq "$before"
jq -c '[.id, (.gen | del(.replay))]' "$T/old.ndjson" >"$T/a"
jq -c '[.id, (.gen | del(.replay))]' "$T/out" >"$T/b"
expect_same "$T/b" "$T/a" "... and gives the earlier answers"
expect_jq "$T/out" "all(.[]; .run == \"new\" and .gen.replay.source == \"$T/old.ndjson\" and .gen.replay.id == .id)" \
    "... saying where they came from"

printf '{"name":"again","provider":"replay","source":"%s","replay_config":"c"}\n' \
    "$T/old.ndjson" >"$T/r.json"
run ab-gen -q -c "$T/r.json" "$T/tasks.ndjson"
expect_rc 0 "a replay configuration"
expect_jq "$T/out" '[.[].id] == ["add/again/0","hello/again/0","neg/again/0"] and all(.[]; .gen.text | contains("def solve"))' \
    "... takes the answers of the configuration it names"

# From an ab-store database: SELECT record FROM records WHERE id = ?.
python3 - "$T/old.ndjson" "$T/store.db" <<'EOT'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE results (id TEXT PRIMARY KEY, run_id TEXT, json TEXT)")
db.execute("CREATE VIEW records AS SELECT id, run_id, json AS record FROM results")
for line in open(sys.argv[1]):
    r = json.loads(line)
    db.execute("INSERT INTO results VALUES (?, ?, ?)", (r["id"], r["run"], line))
db.commit()
EOT
run ab-gen -q -n 2 --replay "$T/store.db" -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "--replay DATABASE"
check "... calls nobody" test "$(requests)" -eq "$before"
jq -c '[.id, (.gen | del(.replay))]' "$T/out" >"$T/b"
expect_same "$T/b" "$T/a" "... and gives the same answers"

# Record ids do not name the run: with several runs holding an id, the
# latest run's record (by runs.started, then as stored), or the chosen run's.
jq -c '.run = "newer" | .gen.text = "NEWER " + .gen.text' "$T/old.ndjson" >"$T/newer.ndjson"
must ab-store -n -d "$T/runs.db" "$T/old.ndjson" "$T/newer.ndjson"
check "two runs with the same ids in one database" \
    test "$(sqlite3 "$T/runs.db" "SELECT count(DISTINCT id) || '/' || count(*) FROM results")" = 6/12
run ab-gen -q -n 2 --replay "$T/runs.db" -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "--replay DATABASE with two runs"
expect_jq "$T/out" 'length == 6 and all(.[]; .gen.text | startswith("NEWER "))' \
    "... takes the later run's answers"
run ab-gen -q -n 2 --replay "$T/runs.db" --replay-run old -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "--replay-run"
jq -c '[.id, (.gen | del(.replay))]' "$T/out" >"$T/b"
expect_same "$T/b" "$T/a" "... takes the chosen run's"
sqlite3 "$T/runs.db" "UPDATE runs SET started = '2099-01-01T00:00:00Z' WHERE id = 'old'"
run ab-gen -q -n 2 --replay "$T/runs.db" -c "$T/c.json" "$T/tasks.ndjson"
jq -c '[.id, (.gen | del(.replay))]' "$T/out" >"$T/b"
expect_same "$T/b" "$T/a" "the latest run is the one started last"
run ab-gen -q --replay "$T/runs.db" --replay-run nope -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 2 "--replay-run of a run the database lacks"
expect_contains "$T/err" "ab-gen: $T/runs.db: no records of run nope" "... is refused"
cat "$T/old.ndjson" "$T/newer.ndjson" >"$T/both.ndjson"
run ab-gen -q -n 2 --replay "$T/both.ndjson" -c "$T/c.json" "$T/tasks.ndjson"
expect_jq "$T/out" 'length == 6 and all(.[]; .gen.text | startswith("NEWER "))' \
    "--replay FILE: the last record of an id"
run ab-gen -q -n 2 --replay "$T/both.ndjson" --replay-run old -c "$T/c.json" "$T/tasks.ndjson"
jq -c '[.id, (.gen | del(.replay))]' "$T/out" >"$T/b"
expect_same "$T/b" "$T/a" "... or the chosen run's"
run ab-gen -q --replay-run old -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 2 "--replay-run without a replay"
expect_contains "$T/err" "--replay-run needs --replay" "... is a usage error"

python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('CREATE TABLE x (a)')" "$T/other.db"
run ab-gen -q --replay "$T/other.db" -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 2 "a database without records"
expect_contains "$T/err" "$T/other.db: cannot read records (no such table: records): not an ab-store database?" \
    "... is refused clearly"

run ab-gen -q -n 3 --replay "$T/old.ndjson" -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 1 "a sample the earlier run does not have"
expect_jq "$T/out" 'length == 9 and ([.[] | select(.gen.error.kind == "replay_missing")] | length) == 3' \
    "... is a replay_missing error, the rest replayed"
done_testing
