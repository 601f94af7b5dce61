#!/bin/sh
# Every configuration in configs/ is well formed, documented, keeps its
# keys out of the file, and is accepted by ab-gen (--dry-run: no calls).
. "$(dirname "$0")/lib.sh"
C=$TOP/configs

for d in baseline specialized experimental competition_winners providers offline; do
	check "configs/$d/ has configurations" test -n "$(ls "$C/$d"/*.json 2>/dev/null)"
done
for f in baseline/single_agent_basic baseline/single_agent_advanced \
    baseline/multi_cycle_basic specialized/bug_focused \
    specialized/edge_case_master specialized/performance_optimizer \
    experimental/high_temperature_creative \
    experimental/low_temperature_precise experimental/mixed_model_ensemble \
    competition_winners/top_scorer competition_winners/most_consistent \
    competition_winners/fastest_solver offline/oracle offline/poor; do
	check "configs/$f.json exists" test -f "$C/$f.json"
done

# (expect_jq: all judged in one jq; every value in the file must pass)
for f in "$C"/*/*.json; do
	n=${f#"$C"/}
	expect_jq "$f" 'all(.[]; type == "object"
	    and (.metadata.author | type == "string" and length > 0)
	    and (.metadata.notes | type == "string" and length > 0))' \
	    "$n: an object with metadata (author, notes)"
	expect_jq "$f" 'all(.[]; [paths(type != "object" and type != "array")
	    | map(strings) | .[] | ascii_downcase
	    | select(. == "api_key" or . == "key" or . == "token" or . == "password"
	        or . == "secret" or . == "authorization" or . == "x-api-key")] | length == 0)' \
	    "$n: no key in the file"
done

# The four groups use the mixture-of-agents form, on Cerebras.
for f in "$C"/baseline/*.json "$C"/specialized/*.json "$C"/experimental/*.json \
    "$C"/competition_winners/*.json; do
	n=${f#"$C"/}
	expect_jq "$f" 'all(.[]; (.ai_configuration.main_model | type == "string")
	    and (.ai_configuration.layer_agents | length > 0)
	    and all(.ai_configuration.layer_agents[]; .name and .model and .prompt)
	    and .base_url == "https://api.cerebras.ai/v1" and .api_key_env == "CEREBRAS_API_KEY")' \
	    "$n: ai_configuration for Cerebras"
done
models=$(jq -r '.ai_configuration | .main_model, .layer_agents[].model' \
    "$C"/baseline/*.json "$C"/specialized/*.json "$C"/experimental/*.json \
    "$C"/competition_winners/*.json | sort -u | tr '\n' ' ')
check "the Cerebras models used: $models" test "$models" = \
    "llama-3.3-70b llama-4-scout-17b-16e-instruct llama3.1-8b qwen-3-32b "
providers=$(jq -r .provider "$C"/providers/*.json | sort -u | tr '\n' ' ')
check "one example per provider: $providers" test "$providers" = "anthropic cmd ollama openai "

# ab-gen is the judge of what a configuration may hold.
cd "$T" || exit 1
export CEREBRAS_API_KEY=not-a-real-key OPENAI_API_KEY=not-a-real-key \
    ANTHROPIC_API_KEY=not-a-real-key
# Every shipped configuration passes ab-gen's checks (a dry run).
for f in "$C"/*/*.json; do
	run ab-gen --dry-run -c "$f" "$TOP/tasks/starter.ndjson"
	expect_rc 0 "ab-gen accepts ${f#"$C"/}"
done
run ab-gen --dry-run -c "$C" "$TOP/tasks/starter.ndjson"
expect_rc 0 "ab-gen accepts the whole configs/ directory"
expect_contains "$T/err" "dry run: 240 records" "20 configurations x 12 starter tasks"
check "a dry run writes no record" test ! -s "$T/out"
printf '{"name": "bad", "provider": "openai", "model": "m", "api_key": "sk-x"}\n' >bad.json
run ab-gen --dry-run -c bad.json "$TOP/tasks/starter.ndjson"
expect_rc 2 "ab-gen refuses a configuration holding a key"
expect_contains "$T/err" "api_key: a secret does not belong in a configuration file" "... and says why"
done_testing
