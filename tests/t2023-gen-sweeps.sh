#!/bin/sh
# ab-gen -m PROVIDER:MODEL and --set grids, against the fake server: a
# model named on the command line is the configuration a file would give
# (same hash), a grid gives one configuration per combination, each with
# its own hash, and its parameters reach the server; bad input exits 2
# with the option and the reason.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
SERVER_LIFETIME=60
start_server
write_tasks
head -n 1 "$T/tasks.ndjson" >"$T/one.ndjson"
unset OPENAI_BASE_URL OPENAI_API_KEY ANTHROPIC_BASE_URL OLLAMA_HOST

# -m alone runs, named PROVIDER:MODEL.
run ab-gen -q --no-cache -m openai:m-cli --base-url "$BASE/v1" \
    --key-env AB_TEST_KEY "$T/tasks.ndjson"
expect_rc 0 "-m alone runs"
cp "$T/out" "$T/cli.ndjson"
expect_jq "$T/cli.ndjson" 'length == 3 and all(.[]; .gen.error == null and .config.name == "openai:m-cli" and .gen.model == "m-cli" and .gen.provider == "openai")' \
    "... one record per task, named openai:m-cli"
expect_jq "$T/cli.ndjson" '[.[].id] == ["add/openai:m-cli/0", "hello/openai:m-cli/0", "neg/openai:m-cli/0"]' \
    "... with the name in the ids"
expect_jq "$T/requests.log" 'map(select(.model == "m-cli")) | length == 3 and all(.[]; .has_key and .path == "/v1/chat/completions")' \
    "... the server got the calls, with the key of --key-env"

# Its hash is that of the equivalent configuration file.
printf '{"provider":"openai","model":"m-cli","base_url":"%s/v1","api_key_env":"AB_TEST_KEY"}\n' \
    "$BASE" >"$T/file.json"
run ab-gen -q --no-cache -c "$T/file.json" "$T/one.ndjson"
expect_rc 0 "the same configuration from a file"
jq -r .config.hash "$T/out" >"$T/file.hash"
jq -r .config.hash "$T/cli.ndjson" | sort -u >"$T/cli.hash"
check "a hash was recorded" test -s "$T/file.hash"
expect_same "$T/cli.hash" "$T/file.hash" "-m's hash equals the file's"
# ... and the base URL from the environment gives the same.
OPENAI_BASE_URL=$BASE/v1 run ab-gen -q --no-cache -m openai:m-cli \
    --key-env AB_TEST_KEY "$T/one.ndjson"
expect_rc 0 "-m with OPENAI_BASE_URL"
jq -r .config.hash "$T/out" >"$T/env.hash"
expect_same "$T/env.hash" "$T/file.hash" "... the same hash"
# A local server from OPENAI_BASE_URL gets no key unless OPENAI_API_KEY
# is set.
OPENAI_BASE_URL=$BASE/v1 run ab-gen -q --no-cache -m openai:m-nokey \
    "$T/one.ndjson"
expect_rc 0 "-m openai with OPENAI_BASE_URL and no key"
expect_jq "$T/out" '.[0].gen.error == null and (.[0].config | has("api_key_env") | not)' \
    "... has no key variable"
OPENAI_BASE_URL=$BASE/v1 OPENAI_API_KEY=sk-ab-env-0123456789 run ab-gen -q \
    --no-cache -m openai:m-envkey "$T/one.ndjson"
expect_rc 0 "-m openai with OPENAI_BASE_URL and OPENAI_API_KEY"
expect_jq "$T/out" '.[0].gen.error == null and .[0].config.api_key_env == "OPENAI_API_KEY"' \
    "... names OPENAI_API_KEY"
expect_jq "$T/requests.log" '(map(select(.model == "m-nokey")) | length == 1 and (.[0].has_key | not)) and (map(select(.model == "m-envkey")) | length == 1 and .[0].has_key)' \
    "... and only then sends a key"
expect_not_contains "$T/out" "sk-ab-env-0123456789" "... which is in no record"

# ollama from OLLAMA_HOST (host:port, as ollama takes it), keyless.
OLLAMA_HOST=127.0.0.1:$PORT run ab-gen -q --no-cache -m ollama:m-oll:7b \
    --name local "$T/one.ndjson"
expect_rc 0 "-m ollama with OLLAMA_HOST and --name"
expect_jq "$T/out" 'length == 1 and .[0].config.name == "local" and .[0].gen.error == null and .[0].gen.model == "m-oll:7b"' \
    "... named by --name, the model keeps its colon"
expect_jq "$T/requests.log" 'map(select(.model == "m-oll:7b")) | length == 1 and .[0].kind == "ollama" and (.[0].has_key | not)' \
    "... reached the Ollama API without a key"

# anthropic from ANTHROPIC_BASE_URL, the host as its SDKs take it.
ANTHROPIC_BASE_URL=$BASE run ab-gen -q --no-cache -m anthropic:m-ant \
    --key-env AB_TEST_KEY "$T/one.ndjson"
expect_rc 0 "-m anthropic with ANTHROPIC_BASE_URL"
expect_jq "$T/requests.log" 'map(select(.model == "m-ant")) | length == 1 and .[0].kind == "anthropic" and .[0].path == "/v1/messages" and .[0].key_header == "x-api-key"' \
    "... reached the Messages API with the key"
# Load mode takes -m and --set too.
run ab-gen -q -m openai:m-load --base-url "$BASE/v1" --key-env AB_TEST_KEY \
    --set max_tokens=10,20 \
    --load '{"profile":"closed","users":1,"requests":2}' "$T/one.ndjson"
expect_rc 0 "--load with -m and --set"
expect_jq "$T/out" '[.[] | select(.task.id == "load-summary") | .config.name] == ["openai:m-load[max_tokens=10]", "openai:m-load[max_tokens=20]"]' \
    "... one load run per configuration"
expect_jq "$T/requests.log" '[.[] | select(.model == "m-load") | .params.max_tokens] | sort == [10, 10, 20, 20]' \
    "... each with its parameters"

# A 2 x 2 grid: four configurations, four hashes, the right parameters.
run ab-gen -q --no-cache -m openai:m-grid --base-url "$BASE/v1" \
    --key-env AB_TEST_KEY --set temperature=0,0.7 \
    --set max_tokens=512,2048 "$T/one.ndjson"
expect_rc 0 "a 2 x 2 grid runs"
cp "$T/out" "$T/grid.ndjson"
expect_jq "$T/grid.ndjson" '[.[].config.name] == ["openai:m-grid[temperature=0,max_tokens=512]", "openai:m-grid[temperature=0,max_tokens=2048]", "openai:m-grid[temperature=0.7,max_tokens=512]", "openai:m-grid[temperature=0.7,max_tokens=2048]"]' \
    "four configurations, named by their values, in order"
expect_jq "$T/grid.ndjson" '[.[].config.hash] | unique | length == 4 and all(.[]; length == 64)' \
    "... with four distinct hashes"
expect_jq "$T/grid.ndjson" 'all(.[]; .gen.error == null) and [.[].config | [.temperature, .max_tokens]] == [[0, 512], [0, 2048], [0.7, 512], [0.7, 2048]]' \
    "... whose records hold their parameters"
expect_jq "$T/requests.log" '[.[] | select(.model == "m-grid") | .params | [.temperature, .max_tokens]] | sort == [[0, 512], [0, 2048], [0.7, 512], [0.7, 2048]]' \
    "... and the server got each combination once"
# A grid point's hash is that of a file with those values.
printf '{"provider":"openai","model":"m-grid","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","temperature":0.7,"max_tokens":512}\n' \
    "$BASE" >"$T/point.json"
run ab-gen -q --no-cache --dry-run -c "$T/point.json" "$T/one.ndjson"
expect_rc 0 "a dry run of the file of one grid point"
cp "$T/err" "$T/point.err"
jq -r '.[2].config.hash[0:12]' -s "$T/grid.ndjson" >"$T/h"
expect_contains "$T/point.err" "(hash $(cat "$T/h")):" \
    "... shows the grid point's hash"

# --set applies to files too; values that are not JSON are strings.
printf '{"name":"f","provider":"openai","model":"m-file","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","temperature":0.2}\n' \
    "$BASE" >"$T/f.json"
run ab-gen -q --no-cache -c "$T/f.json" --set 'stop=END,["a,b"]' \
    "$T/one.ndjson"
expect_rc 0 "--set on a file, a string and an array"
expect_jq "$T/out" '[.[].config.name] == ["f[stop=END]", "f[stop=[\"a,b\"]]"] and [.[].config.stop] == ["END", ["a,b"]] and (map(.config.hash) | unique | length == 2)' \
    "... two configurations"
expect_jq "$T/requests.log" '[.[] | select(.model == "m-file") | .params.stop] | sort == [["END"], ["a,b"]]' \
    "... whose stop sequences reach the server"

# The dry run lists the expanded configurations and calls nobody.
n0=$(requests)
run ab-gen --dry-run -m openai:m-dry --base-url "$BASE/v1" \
    --set temperature=0,0.7 --set max_tokens=512,2048 "$T/tasks.ndjson"
expect_rc 0 "a dry run of a grid"
grep 'dry run: configuration ' "$T/err" >"$T/listed" || :
check "... writes no record" test ! -s "$T/out"
check "... calls nobody" test "$(requests)" = "$n0"
check "... lists four configurations" test "$(wc -l <"$T/listed")" = 4
expect_contains "$T/listed" 'configuration openai:m-dry[temperature=0.7,max_tokens=2048] (hash ' \
    "... by name and hash"
expect_contains "$T/listed" '{"max_tokens":2048,"temperature":0.7} at '"$BASE"'/v1/chat/completions' \
    "... with their parameters and URL"
expect_contains "$T/err" "12 records" "... and counts 3 tasks x 4 configurations"

# Bad input: exit 2, the option and the reason, before any call.
n0=$(requests)
bad() {
	_want=$1; shift
	run ab-gen -q --no-cache "$@" "$T/one.ndjson"
	expect_rc 2 "refused: $*"
	expect_contains "$T/err" "$_want" "... says: $_want"
	check "... writes nothing" test ! -s "$T/out"
}
bad 'ab-gen: -m gpt-4o: expected PROVIDER:MODEL' -m gpt-4o
bad 'ab-gen: -m acme:x: unknown provider "acme" (expected openai, anthropic or ollama)' -m acme:x
bad 'ab-gen: -m cmd:x: provider cmd needs a configuration file (-c)' -m cmd:x
bad 'ab-gen: -m openai:: missing model' -m openai:
bad 'ab-gen: --set temperature=: temperature: an empty value' \
    -m openai:x --base-url "$BASE/v1" --set temperature=
bad 'ab-gen: --set temperature=0,,1: temperature: an empty value' \
    -m openai:x --base-url "$BASE/v1" --set temperature=0,,1
bad 'ab-gen: --set tempreature=0,1: -m openai:x: unknown member "tempreature"' \
    -m openai:x --base-url "$BASE/v1" --set tempreature=0,1
bad "ab-gen: --set tempreature=0: $T/f.json: unknown member \"tempreature\"" \
    -c "$T/f.json" --set tempreature=0
bad 'ab-gen: --set temperature=0,3: -m openai:x: temperature: expected a number from 0 to 2' \
    -m openai:x --base-url "$BASE/v1" --set temperature=0,3
bad 'ab-gen: --set temperature=0,0.0: temperature: the value 0.0 is given twice' \
    -m openai:x --base-url "$BASE/v1" --set temperature=0,0.0
bad 'ab-gen: --set temperature=1: temperature is set twice' \
    -m openai:x --base-url "$BASE/v1" --set temperature=0 --set temperature=1
bad 'ab-gen: --set metadata.notes=a,b: metadata cannot be swept' \
    -m openai:x --base-url "$BASE/v1" --set metadata.notes=a,b
bad 'ab-gen: --set max_tokens=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17: the grid would have 272 configurations per configuration; at most 256' \
    -m openai:x --base-url "$BASE/v1" \
    --set temperature=0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1,1.1,1.2,1.3,1.4,1.5 \
    --set max_tokens=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
bad 'ab-gen: --set extra_body.options.num_ctx=1: -m openai:x: extra_body.options.num_ctx: there is no object or array extra_body' \
    -m openai:x --base-url "$BASE/v1" --set extra_body.options.num_ctx=1
bad 'ab-gen: --set needs a configuration (-c or -m)' --set temperature=0
bad 'ab-gen: --key-env applies to -m, and there is none' -c "$T/f.json" --key-env K
bad 'ab-gen: --name names one -m configuration; there are 2' \
    -m openai:a -m openai:b --name x
bad 'ab-gen: -m openai:x: the key variable AB_UNSET_KEY (api_key_env) is not set' \
    -m openai:x --base-url "$BASE/v1" --key-env AB_UNSET_KEY
bad 'ab-gen: -m openai:x: configuration name openai:x is also used by -m openai:x' \
    -m openai:x -m openai:x --base-url "$BASE/v1"
check "refusals call nobody" test "$(requests)" = "$n0"

# A mixture: a plain key every agent overrides is refused; a dotted key
# reaches the main model.
cat >"$T/moa.json" <<EOT
{"name":"moa","provider":"openai","base_url":"$BASE/v1","api_key_env":"AB_TEST_KEY",
 "ai_configuration":{"main_model":"m-main","main_temperature":0.1,"cycles":1,
  "layer_agents":[{"name":"a","model":"m-layer","temperature":0.3}]}}
EOT
bad "ab-gen: --set temperature=0.5: $T/moa.json: temperature: every agent of this mixture sets its own" \
    -c "$T/moa.json" --set temperature=0.5
run ab-gen -q --no-cache -c "$T/moa.json" \
    --set ai_configuration.main_temperature=0.4,0.6 "$T/one.ndjson"
expect_rc 0 "a mixture swept by a dotted key"
expect_jq "$T/requests.log" '[.[] | select(.model == "m-main") | .params.temperature] | sort == [0.4, 0.6]' \
    "... whose main model got each temperature"
expect_jq "$T/requests.log" '[.[] | select(.model == "m-layer") | .params.temperature] | unique == [0.3]' \
    "... and the layer agent kept its own"
stop_server
done_testing
