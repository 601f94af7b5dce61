#!/bin/sh
# The configuration hash names what is benchmarked, not how it is reached
# or paid for; ab-store upgrades hashes of the older formula (schema 4)
# in a database written by the previous ab-store.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
FIX=$TOP/tests/data/store-v4.sql

# One subject with and without a price, retries and a description.
printf '%s\n' '{"id":"add","language":"python","prompt":"Write add(a, b).","entry_point":"add","tests":[{"style":"assert","code":"assert add(1, 2) == 3"}]}' >tasks.ndjson
printf '%s\n' '{"name": "sub", "command": ["cat", "answer.md"], "timeout_s": 30}' >a.json
printf '%s\n' '{"name": "sub", "description": "now with a price", "command": ["cat", "answer.md"], "timeout_s": 30, "retries": 2, "pricing": {"in": 1, "out": 2}}' >b.json
hash_of() { # CONFIG-FILE [ab-gen options]: the hash of a dry run
	_f=$1; shift
	must ab-gen --dry-run -c "$_f" "$@" tasks.ndjson 2>dry.err
	sed -n 's/.*(hash \([0-9a-f]*\)).*/\1/p' dry.err
}
ha=$(hash_of a.json); hb=$(hash_of b.json)
check "a hash" test "${#ha}" = 12
check "prices, retries and a description leave the hash alone" test "$ha" = "$hb"
# the hash in records is the full one; the dry run shows 12 digits
printf '```python\ndef add(a, b):\n    return a + b\n```\n' >answer.md
must ab-gen -q -c a.json tasks.ndjson >ga.ndjson
full=$(jq -r .config.hash ga.ndjson)
check "... in records too" test "${full%"${full#????????????}"}" = "$ha"

# What does change it.
printf '%s\n' '{"name": "sub", "command": ["cat", "answer.md"], "timeout_s": 60}' >c.json
check "a cmd program's timeout is part of it (it bounds the subject)" \
    test "$(hash_of c.json)" != "$ha"
mk() { # NAME JSON: an openai configuration
	printf '%s\n' "$2" >"$1"
}
mk o1.json '{"name": "o", "model": "m", "base_url": "http://127.0.0.1:9/v1", "temperature": 0}'
mk o2.json '{"name": "o", "model": "m", "base_url": "http://127.0.0.1:9/v1", "temperature": 0, "api_key_env": "AB_T_KEY", "api_key_header": "api-key", "stream": false, "stream_usage": false, "timeout_s": 5, "retries": 1, "backoff_s": 2, "max_wait_s": 9, "rpm": 60, "tpm": 1000, "pricing": {"in": 3, "out": 4}, "metadata": {"who": "me"}}'
mk o3.json '{"name": "o", "model": "m", "base_url": "http://127.0.0.1:9/v1", "temperature": 0.5}'
mk o4.json '{"name": "o", "model": "m", "base_url": "http://127.0.0.1:8/v1", "temperature": 0}'
export AB_T_KEY=k
h1=$(hash_of o1.json)
check "an API's operational members leave the hash alone" \
    test "$h1" = "$(hash_of o2.json)"
check "a parameter changes it" test "$h1" != "$(hash_of o3.json)"
check "the server (base_url) changes it" test "$h1" != "$(hash_of o4.json)"
mk m1.json '{"name": "moa", "base_url": "http://127.0.0.1:9/v1", "ai_configuration": {"main_model": "m", "cycles": 1, "layer_agents": [{"name": "a", "model": "x", "prompt": "p"}]}}'
mk m2.json '{"name": "moa", "base_url": "http://127.0.0.1:9/v1", "retries": 3, "ai_configuration": {"main_model": "m", "cycles": 1, "pricing": {"in": 1, "out": 1}, "layer_agents": [{"name": "a", "model": "x", "prompt": "p", "pricing": {"in": 1, "out": 1}, "rpm": 5, "timeout_s": 3}]}}'
mk m3.json '{"name": "moa", "base_url": "http://127.0.0.1:9/v1", "ai_configuration": {"main_model": "m", "cycles": 2, "layer_agents": [{"name": "a", "model": "x", "prompt": "p"}]}}'
hm=$(hash_of m1.json)
check "a mixture: prices and retries of the main model and each layer agent leave it alone" \
    test "$hm" = "$(hash_of m2.json)"
check "... its cycles change it" test "$hm" != "$(hash_of m3.json)"
run ab-gen --dry-run -c a.json --set retries=1,2 tasks.ndjson
expect_rc 2 "--set retries=1,2"
expect_contains "$T/err" "have the same hash" "... says why"

# The fixture: a database written by ab-store of schema 4 (main at
# 4651cf5).  Run r1: "sub" without a price (one task passes of two; its
# second record carries metadata, so its body keeps its own
# configuration) and a record "imported" whose hash no ab-gen made; run
# r2: "sub" with a price, retries and a description (both pass).
check "the fixture" sqlite3 v4.db ".read $FIX"
check "... is a version 4 database" test "$(sqlite3 v4.db 'PRAGMA user_version')" = 4
check "... in which sub has two hashes" \
    test "$(sqlite3 v4.db "SELECT count(DISTINCT config_hash) FROM results WHERE config_name = 'sub'")" = 2
sqlite3 v4.db "SELECT record FROM records ORDER BY rid" >v4.ndjson
run ab-store -d v4.db stats
expect_rc 0 "ab-store opens it"
expect_contains "$T/out" "schema         6" "... and upgrades it to 6"
check "sub has one hash in results" \
    test "$(sqlite3 v4.db "SELECT group_concat(DISTINCT config_hash) FROM results WHERE config_name = 'sub'")" = "$full"
check "... and one row in configs" \
    test "$(sqlite3 v4.db "SELECT count(*) FROM configs WHERE name = 'sub'")" = 1
check "... whose JSON carries the new hash" \
    test "$(sqlite3 v4.db "SELECT json ->> '$.hash' FROM configs WHERE name = 'sub'")" = "$full"
check "a hash no ab-gen made is left alone" \
    test "$(sqlite3 v4.db "SELECT group_concat(config_hash) FROM results WHERE config_name = 'imported'")" = imported-1
must ab-store -d v4.db export >up.ndjson
jq -c 'del(.config.hash)' v4.ndjson >want.ndjson
jq -c 'del(.config.hash)' up.ndjson >got.ndjson
expect_same got.ndjson want.ndjson "every record as it was but for its hash (r2's price, retries and description kept)"
expect_jq up.ndjson "map(select(.config.name == \"sub\") | .config.hash == \"$full\") | all" \
    "... which is the new one in every record of sub"
sqlite3 v4.db "SELECT r.config_hash = json_extract(x.record, '$.config.hash')
    FROM results r JOIN records x ON x.rid = r.rid" | sort -u >agree.txt
expect_text agree.txt 1 "each result's hash column is its record's"
check "the full-text index is still right" \
    sqlite3 v4.db "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)"
check "the database is consistent" test "$(sqlite3 v4.db 'PRAGMA integrity_check')" = ok
# The leaderboard: sub's latest run (r2, all passed) by default, not its
# two runs pooled (r1 passed one task of two): 1.0, not 0.75.
run ab-rank -f ndjson -d v4.db
expect_rc 0 "ab-rank -d"
expect_jq "$T/out" 'map(select(.config == "sub")) | length == 1 and .[0].pass_rate == 1 and .[0].run == "r2" and .[0].runs == 1 and .[0].attempts == 2' \
    "the leaderboard counts sub's latest run: pass rate 1.0, run r2"
expect_jq "$T/out" 'map(select(.config == "imported")) | .[0].run == "r1"' \
    "... and each configuration's own latest run (imported: r1)"
run ab-rank -f table -d v4.db
expect_contains "$T/out" "Leaderboard of each configuration's latest run (r1, r2; 2 attempts of older runs left out: --pool counts them)" \
    "the table's title says which runs were counted"
run ab-rank -f ndjson -d v4.db --pool
expect_jq "$T/out" 'map(select(.config == "sub")) | length == 1 and .[0].pass_rate == 0.75 and .[0].run == null and .[0].runs == 2 and .[0].attempts == 4' \
    "--pool counts both: 0.75"
run ab-rank -f ndjson -d v4.db -r r1 -r r2
expect_jq "$T/out" 'map(select(.config == "sub")) | .[0].pass_rate == 0.75' \
    "... as does naming both runs"
run ab-rank -f ndjson -d v4.db trends
expect_jq "$T/out" 'map(select(.config == "sub")) | length == 2' \
    "trends reads both runs without --pool"

# New records of the subject, with or without its price, join its history.
must ab-store -d v4.db ga.ndjson >/dev/null
check "a new run of sub adds to the same hash" \
    test "$(sqlite3 v4.db "SELECT count(DISTINCT config_hash) FROM results WHERE config_name = 'sub'")" = 1
run ab-store -d v4.db stats
expect_contains "$T/out" "schema         6" "opening it again changes nothing"

done_testing
