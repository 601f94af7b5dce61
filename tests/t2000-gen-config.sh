#!/bin/sh
# ab-gen: configurations are checked before any call; hashes; naming.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
start_server
write_tasks

# bad NAME JSON REASON: the configuration is refused, naming file and reason.
bad() {
	printf '%s\n' "$2" >"$T/$1.json"
	run ab-gen -c "$T/$1.json" "$T/tasks.ndjson"
	expect_rc 2 "$1 is refused"
	expect_contains "$T/err" "ab-gen: $T/$1.json: $3" "$1: file and reason"
	check "$1: no record" test ! -s "$T/out"
}
bad no-main '{"ai_configuration":{"cycles":1,"layer_agents":[{"model":"a"}]}}' \
    "ai_configuration: missing main_model"
bad layer-no-model "{\"base_url\":\"$BASE/v1\",\"api_key_env\":\"AB_TEST_KEY\",\"ai_configuration\":{\"main_model\":\"m\",\"layer_agents\":[{\"name\":\"critic\",\"temperature\":0.1}]}}" \
    "layer agent 1 (critic): missing model"
bad key-unset '{"provider":"openai","model":"m","api_key_env":"AB_NO_SUCH_VARIABLE"}' \
    "the key variable AB_NO_SUCH_VARIABLE (api_key_env) is not set"
# A dry run calls nobody: it names the missing key and estimates anyway.
run ab-gen --dry-run -c "$T/key-unset.json" "$T/tasks.ndjson"
expect_rc 0 "a dry run with an unset key variable still estimates"
expect_contains "$T/err" "ab-gen: dry run: key-unset: the key variable AB_NO_SUCH_VARIABLE (api_key_env) is not set" \
    "... naming the configuration and the variable"
expect_contains "$T/err" "ab-gen: dry run: " "... and prints the estimate"
( for v in $(env | sed -n 's/^\([A-Z_]*API_KEY\)=.*/\1/p'); do unset "$v"; done
  ab-gen --dry-run -c "$TOP/configs/" "$TOP/tasks/starter.ndjson" \
      >"$T/out" 2>"$T/err"; echo $? >"$T/rc" )
check "ab-gen --dry-run -c configs/ with no key set exits 0" test "$(cat "$T/rc")" = 0
expect_contains "$T/err" "records," "... with the estimate"
bad unknown-provider '{"provider":"telepathy","model":"m"}' \
    'unknown provider "telepathy"'
bad literal-key '{"provider":"openai","model":"m","api_key":"sk-123"}' \
    "api_key: a secret does not belong in a configuration file"
bad header-key '{"provider":"openai","model":"m","base_url":"http://x","headers":{"Authorization":"Bearer x"}}' \
    "headers.Authorization: a secret does not belong"
bad typo '{"provider":"openai","model":"m","base_url":"http://x","temprature":1}' \
    'unknown member "temprature"'
bad bad-temp '{"provider":"openai","model":"m","base_url":"http://x","temperature":"hot"}' \
    "temperature: expected a number"
bad cmd-empty '{"provider":"cmd","command":[]}' \
    "command: expected a non-empty array of strings"
bad moa-cmd '{"ai_configuration":{"main_model":"m","provider":"cmd","command":["x"],"layer_agents":[{"model":"a"}]}}' \
    "layer agent 1: provider cmd cannot be part of a mixture"
printf '{"provider": "openai",\n "model": }\n' >"$T/syntax.json"
run ab-gen -c "$T/syntax.json" "$T/tasks.ndjson"
expect_rc 2 "a configuration that is not JSON is refused"
expect_contains "$T/err" "ab-gen: $T/syntax.json:2:" "... with its line"
check "no request reached the server" test "$(requests)" -eq 0

# A refused configuration among good ones: still nothing is called.
config good openai m1
run ab-gen -c "$T/good.json" -c "$T/key-unset.json" "$T/tasks.ndjson"
expect_rc 2 "one bad configuration stops the run"
check "... before any call" test "$(requests)" -eq 0

# Names and hashes.
mkdir -p cfgs/baseline cfgs/moa
config a openai m1 '"temperature":0.2'
cp "$T/a.json" cfgs/baseline/single_agent_simple.json
sed 's/"name":"a"/"name":"other name"/' "$T/a.json" >cfgs/moa/renamed.json
printf 'not json' >cfgs/README.md
run ab-gen -q --no-cache -c cfgs "$T/tasks.ndjson"
expect_rc 0 "-c DIR"
expect_jq "$T/out" '[.[].config.name] | unique == ["baseline/single_agent_simple", "moa/renamed"]' \
    "configurations in a directory are named by their relative path"
expect_jq "$T/out" '[.[].id][0:2] == ["add/baseline/single_agent_simple/0", "add/moa/renamed/0"]' \
    "record ids are task/config/sample, in order"
expect_jq "$T/out" '[.[].config.hash] | unique | length == 1' \
    "the name is not part of the hash"
expect_jq "$T/out" 'all(.[]; .config.hash | test("^[0-9a-f]{64}$"))' \
    "the hash is a SHA-256"
expect_jq "$T/out" 'all(.[]; .config.temperature == 0.2 and .config.api_key_env == "AB_TEST_KEY")' \
    "the record carries the configuration"
h1=$(jq -r -s '.[0].config.hash' "$T/out")
config b openai m1 '"temperature":0.3'
run ab-gen -q --no-cache -c "$T/b.json" "$T/tasks.ndjson"
check "a different temperature is a different hash" \
    test "$(jq -r -s '.[0].config.hash' "$T/out")" != "$h1"
config c openai m1 '"temperature":0.2'
run ab-gen -q --no-cache -c "$T/c.json" "$T/tasks.ndjson"
check "the same configuration in another file has the same hash" \
    test "$(jq -r -s '.[0].config.hash' "$T/out")" = "$h1"

run ab-gen -c "$T/a.json" -c "$T/a.json" "$T/tasks.ndjson"
expect_rc 2 "two configurations with one name"
expect_contains "$T/err" "configuration name a is also used by" "... are refused"

# Options.
run ab-gen "$T/tasks.ndjson"
expect_rc 0 "without a configuration, the tasks are checked"
expect_contains "$T/err" "ab-gen: no configuration (-c, -m): checking the tasks only" "... saying so"
check "... and no record is written" test ! -s "$T/out"
printf '{"id":"x"}\n' >"$T/bad-task.ndjson"
run ab-gen "$T/bad-task.ndjson"
expect_rc 1 "... a bad task is reported"
expect_contains "$T/err" "bad-task.ndjson:1: task x: missing prompt or description" "... with its line"
mkdir "$T/empty"
run ab-gen -c "$T/empty" "$T/tasks.ndjson"
expect_rc 2 "a configuration directory without configurations"
run ab-gen -c "$T/a.json" -j 0 "$T/tasks.ndjson"
expect_rc 2 "-j 0 is refused"
run ab-gen -c "$T/a.json" -n x "$T/tasks.ndjson"
expect_rc 2 "-n x is refused"
run ab-gen -c "$T/a.json" -r a/b "$T/tasks.ndjson"
expect_rc 2 "a run id with a slash is refused"
done_testing
