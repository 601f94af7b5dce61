#!/bin/sh
# ab-gen: a mixture of agents (ai_configuration): cycles, layer agents in
# parallel, {helper_response}, and every call counted.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
start_server
write_tasks
head -n 2 "$T/tasks.ndjson" >"$T/two.ndjson"

cat >"$T/prices.json" <<'EOT'
{"models": {"main-m": {"in": 1.0, "out": 2.0}, "layer-a": {"in": 0.5, "out": 1.5},
 "anthropic/layer-b": {"in": 3.0, "out": 4.0}}}
EOT
cat >"$T/moa.json" <<EOT
{"name": "moa", "base_url": "$BASE/v1", "api_key_env": "AB_TEST_KEY",
 "backoff_s": 0.01,
 "ai_configuration": {
   "main_model": "main-m", "main_temperature": 0.1, "cycles": 2,
   "system_prompt": "Combine these answers.\n{helper_response}",
   "layer_agents": [
     {"name": "solver", "model": "layer-a", "temperature": 0.0,
      "prompt": "Solve it. Earlier answers:\n{helper_response}"},
     {"name": "critic", "model": "layer-b", "provider": "anthropic",
      "stream": false, "prompt": "Criticise. Earlier:\n{helper_response}"}
   ]}}
EOT
run ab-gen -q --no-cache --pricing "$T/prices.json" -c "$T/moa.json" "$T/two.ndjson"
expect_rc 0 "a two-cycle mixture of two agents"
expect_jq "$T/out" 'length == 2 and all(.[]; .gen.error == null)' "one record per task"
check "five calls per record reached the server" test "$(requests)" -eq 10
expect_jq "$T/out" 'all(.[]; [.gen.calls[] | [.role, .agent, .cycle, .model, .provider]] ==
    [["layer","solver",1,"layer-a","openai"], ["layer","critic",1,"layer-b","anthropic"],
     ["layer","solver",2,"layer-a","openai"], ["layer","critic",2,"layer-b","anthropic"],
     ["main","main",0,"main-m","openai"]])' \
    "calls: each layer agent per cycle, then the main model, in a fixed order"
expect_jq "$T/out" 'all(.[]; .gen.tokens.in == ([.gen.calls[].tokens.in] | add) and .gen.tokens.out == ([.gen.calls[].tokens.out] | add))' \
    "tokens are the sum over the calls"
expect_jq "$T/out" 'all(.[].gen.calls[]; (.cost_usd - (.tokens.in * (if .model == "main-m" then 1.0 elif .model == "layer-a" then 0.5 else 3.0 end) + .tokens.out * (if .model == "main-m" then 2.0 elif .model == "layer-a" then 1.5 else 4.0 end)) / 1000000 | fabs) < 1e-12)' \
    "each call costs its tokens at its model's price"
expect_jq "$T/out" 'all(.[]; (.gen.cost_usd - ([.gen.calls[].cost_usd] | add) | fabs) < 1e-12 and .gen.cost_usd > 0)' \
    "the record costs the sum of its calls"
expect_jq "$T/out" 'all(.[]; .gen.calls[0:2] | all(.text == null) ) and all(.[]; .gen.text | contains("main-m answers") and contains("(helpers 2)"))' \
    "the main model got both layer answers in {helper_response}"
expect_jq "$T/requests.log" '[.[] | select(.model == "layer-a")] | length == 4' \
    "the solver was asked once per cycle and task"
expect_jq "$T/requests.log" '[.[] | select(.model == "main-m") | .params.temperature] == [0.1, 0.1]' \
    "main_temperature is used"
expect_jq "$T/out" 'all(.[]; .gen.latency_ms >= ([.gen.calls[] | select(.role == "main") | .latency_ms] | add) and .gen.ttft_ms != null and .gen.model == "main-m")' \
    "latency covers the chain; model is the main model"

# The same run with -j 1 gives the same records.
jq -c '[.id, .gen.text, .gen.tokens, [.gen.calls[] | [.agent, .cycle, .tokens]]]' "$T/out" >"$T/a"
run ab-gen -q -j 1 --no-cache --pricing "$T/prices.json" -c "$T/moa.json" "$T/two.ndjson"
jq -c '[.id, .gen.text, .gen.tokens, [.gen.calls[] | [.agent, .cycle, .tokens]]]' "$T/out" >"$T/b"
expect_same "$T/b" "$T/a" "the mixture's records do not depend on -j"

# A layer agent that fails fails the record, and says which.
sed 's/"layer-b"/"layer-b+fail500x99"/; s/"stream": false/"stream": false, "retries": 0/' \
    "$T/moa.json" >"$T/moa-bad.json"
run ab-gen -q --no-cache -c "$T/moa-bad.json" "$T/two.ndjson"
expect_rc 1 "a mixture whose critic fails"
expect_jq "$T/out" 'all(.[]; .gen.error.kind == "server" and (.gen.error.message | startswith("layer agent critic (cycle 1): HTTP 500")) and .gen.text == null)' \
    "... fails the record, naming the agent and cycle"
expect_jq "$T/out" 'all(.[]; (.gen.calls | length) == 2)' "... and stops after that cycle"

# The groq-style form: layer_agent_config keyed by name.
cat >"$T/groq.json" <<EOT
{"name": "groq", "base_url": "$BASE/v1", "api_key_env": "AB_TEST_KEY",
 "ai_configuration": {"main_model": "main-m", "cycles": 1,
   "layer_agent_config": {
     "layer_agent_1": {"system_prompt": "Think. {helper_response}", "model_name": "layer-a"},
     "layer_agent_2": {"system_prompt": "Check. {helper_response}", "model_name": "layer-c"}}}}
EOT
run ab-gen -q --no-cache -c "$T/groq.json" "$T/two.ndjson"
expect_rc 0 "layer_agent_config is accepted"
expect_jq "$T/out" 'all(.[]; [.gen.calls[] | .agent] == ["layer_agent_1","layer_agent_2","main"] and .gen.cost_usd == null)' \
    "... with its names; no price, no cost"
done_testing
