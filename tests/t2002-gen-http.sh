#!/bin/sh
# ab-gen: the three HTTP APIs, streamed and not, against a fake server with
# faults: one record per attempt whatever happens, retries, Retry-After.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
start_server
write_tasks

# Streamed and whole answers agree, for each API.
for p in openai anthropic ollama; do
	config "$p-s" "$p" "same-$p" '"stream":true,"temperature":0.5,"max_tokens":100,"seed":7,"stop":["END"]'
	config "$p-w" "$p" "same-$p" '"stream":false,"temperature":0.5,"max_tokens":100,"seed":7,"stop":["END"]'
	run ab-gen -q --no-cache -c "$T/$p-s.json" -c "$T/$p-w.json" "$T/tasks.ndjson"
	expect_rc 0 "$p: streamed and whole"
	expect_jq "$T/out" 'length == 6 and all(.[]; .gen.error == null and (.gen.text | contains("def solve")))' \
	    "$p: every record has an answer"
	expect_jq "$T/out" '[.[0,2,4].gen.text] == [.[1,3,5].gen.text]' \
	    "$p: streamed text equals whole text"
	expect_jq "$T/out" '[.[0,2,4].gen.tokens] == [.[1,3,5].gen.tokens] and all(.[]; .gen.tokens.in > 0 and .gen.tokens.out > 0 and .gen.estimated == false)' \
	    "$p: token counts from the API, the same both ways"
	expect_jq "$T/out" 'all(.[0,2,4]; .gen.ttft_ms > 0 and .gen.ttft_ms <= .gen.latency_ms) and all(.[1,3,5]; .gen.ttft_ms == null and .gen.latency_ms > 0)' \
	    "$p: time to first token when streamed"
	expect_jq "$T/out" "all(.[]; .gen.provider == \"$p\" and .gen.model == \"same-$p\" and .gen.cached == false)" \
	    "$p: provider and model"
done
expect_jq "$T/requests.log" 'map(select(.kind == "openai" and .stream)) | length == 3 and all(.params | .temperature == 0.5 and .max_tokens == 100 and .seed == 7 and .stop == ["END"] and .stream_options.include_usage)' \
    "openai: parameters are sent"
expect_jq "$T/requests.log" 'map(select(.kind == "anthropic")) | length == 6 and all(.params | .temperature == 0.5 and .max_tokens == 100 and .stop_sequences == ["END"] and (has("seed") | not))' \
    "anthropic: parameters are sent in its names"
expect_jq "$T/requests.log" 'map(select(.kind == "ollama")) | length == 6 and all(.params.options | .temperature == 0.5 and .num_predict == 100 and .seed == 7)' \
    "ollama: parameters go in options"
expect_jq "$T/requests.log" 'all(.[]; .has_key)' "the key is sent"
config extra ollama m-extra '"stream":false,"temperature":0.1,"extra_body":{"keep_alive":"5m","options":{"num_ctx":8192}}'
run ab-gen -q --no-cache -c "$T/extra.json" "$T/tasks.ndjson"
expect_jq "$T/requests.log" 'map(select(.model == "m-extra")) | length == 3 and all(.params | .keep_alive == "5m" and .options == {"temperature": 0.1, "num_ctx": 8192})' \
    "extra_body is merged into the request"

# Azure style: the key in api-key, a query string after the path.
printf '{"name":"azure","model":"m-azure","base_url":"%s/openai/deployments/d?api-version=2024-06-01","api_key_env":"AB_TEST_KEY","api_key_header":"api-key"}\n' \
    "$BASE" >"$T/azure.json"
run ab-gen -q --no-cache -c "$T/azure.json" "$T/tasks.ndjson"
expect_jq "$T/out" 'all(.[]; .gen.error == null)' "an Azure-style endpoint"
expect_jq "$T/requests.log" 'map(select(.model == "m-azure")) | length == 3 and all(.path == "/openai/deployments/d/chat/completions?api-version=2024-06-01" and .key_header == "api-key")' \
    "... gets the path before the query and the key in api_key_header"
expect_jq "$T/requests.log" 'map(select(.kind == "anthropic")) | length == 6 and all(.key_header == "x-api-key")' \
    "anthropic gets the key in x-api-key"
expect_jq "$T/requests.log" 'map(select(.kind == "openai" and .model != "m-azure")) | length == 6 and all(.key_header == "Authorization")' \
    "openai gets it as a bearer token"

# Faults: every attempt still gives exactly one record, in order.
cfgs=
for p in openai anthropic ollama; do
	for f in fail429x1ra0 fail500x2 dropx1 truncx2 nonjsonx1; do
		for s in true false; do
			config "$p-$f-$s" "$p" "m-$p-$s+$f" "\"stream\":$s"
			cfgs="$cfgs -c $T/$p-$f-$s.json"
		done
	done
done
# shellcheck disable=SC2086
run ab-gen -q --no-cache -j 16 -n 2 $cfgs "$T/tasks.ndjson"
expect_rc 0 "faults that pass: every record succeeds"
expect_jq "$T/out" 'length == 180' "one record per task x configuration x sample"
expect_jq "$T/out" 'all(.[]; .gen.error == null and (.gen.text | contains("def solve")))' \
    "... each with its answer"
expect_jq "$T/out" '[.[].gen.calls[0].attempts] | max > 1' "... after retries"
cp "$T/out" "$T/j16"
# shellcheck disable=SC2086
run ab-gen -q --no-cache -j 1 -n 2 $cfgs "$T/tasks.ndjson"
# (both runs' records in one file, judged by the one jq of expect_jq)
echo '"-- -j 1 --"' | cat "$T/j16" - "$T/out" >"$T/j16-j1"
expect_jq "$T/j16-j1" 'index("-- -j 1 --") as $i |
    (.[:$i] | map({id, text: .gen.text, tokens: .gen.tokens})) ==
    (.[$i + 1:] | map({id, text: .gen.text, tokens: .gen.tokens}))' \
    "the output does not depend on -j"
ids_expected=$(for t in add hello neg; do for c in $cfgs; do
	case $c in -c) continue ;; esac
	n=${c##*/}; n=${n%.json}; printf ',"%s","%s"' "$t/$n/0" "$t/$n/1"; done; done)
expect_jq "$T/j16" "[.[].id] == [${ids_expected#,}]" \
    "records come in task, configuration, sample order"

# Retry-After is honoured, instead of the (long) backoff.
head -n 1 "$T/tasks.ndjson" >"$T/one.ndjson"
config ra openai "m-ra+fail429x1ra1" '"backoff_s":30'
t0=$(date +%s.%N)
run ab-gen -q --no-cache -c "$T/ra.json" "$T/one.ndjson"
t1=$(date +%s.%N)
expect_rc 0 "a 429 with Retry-After: 1"
expect_jq "$T/out" '.[0].gen.calls[0] | .attempts == 2 and .wait_ms == 1000' \
    "... waits what the server asked"
el=$(awk "BEGIN { print $t1 - $t0 }")
check "... not less ($el s)" awk "BEGIN { exit !($el >= 1) }"
check "... nor the backoff" awk "BEGIN { exit !($el < 5) }"
gap=$(jq -s '.[-1].t - .[-2].t' "$T/requests.log")
check "the server saw the retry a second later ($gap s)" \
    awk "BEGIN { exit !($gap >= 0.99) }"

# Giving up: retries exhausted, the wait cap, a quota, a timeout.
config always openai "m-always+fail500x99" '"retries":2'
run ab-gen -q --no-cache -c "$T/always.json" "$T/one.ndjson"
expect_rc 1 "a server that keeps failing"
expect_jq "$T/out" '.[0].gen | .error.kind == "server" and .calls[0].attempts == 3 and (.error.message | test("HTTP 500: internal error \\(after 3 attempts\\)")) and .text == null' \
    "... is an error after the retries"
config cap openai "m-cap+fail429x9ra30" '"max_wait_s":2'
t0=$(date +%s)
run ab-gen -q --no-cache -c "$T/cap.json" "$T/one.ndjson"
t1=$(date +%s)
expect_jq "$T/out" '.[0].gen | .error.kind == "rate_limit" and .calls[0].attempts == 1' \
    "a Retry-After beyond the wait cap fails at once"
check "... without waiting" test $((t1 - t0)) -le 2
config quota anthropic "m-quota+quota"
run ab-gen -q --no-cache -c "$T/quota.json" "$T/one.ndjson"
expect_jq "$T/out" '.[0].gen | .error.kind == "quota" and .calls[0].attempts == 1' \
    "an exhausted quota fails fast"
config slow openai "m-slow+slow3000" '"timeout_s":0.3,"retries":1'
t0=$(date +%s)
run ab-gen -q --no-cache -c "$T/slow.json" "$T/one.ndjson"
t1=$(date +%s)
expect_jq "$T/out" '.[0].gen | .error.kind == "timeout" and .calls[0].attempts == 2' \
    "a slow answer times out, and is retried"
check "... on time" test $((t1 - t0)) -le 2
config hdr openai "m-hdr" '"headers":{"X-Fault":"fail500x1"}'
run ab-gen -q --no-cache -c "$T/hdr.json" "$T/one.ndjson"
expect_jq "$T/out" '.[0].gen | .error == null and .calls[0].attempts == 2' \
    "extra headers are sent"
config nousage ollama "m-nousage+nousage"
run ab-gen -q --no-cache -c "$T/nousage.json" "$T/one.ndjson"
expect_jq "$T/out" '.[0].gen | .estimated == true and .tokens.in > 0 and .tokens.out > 0 and .calls[0].estimated' \
    "tokens are estimated, and flagged, when the API has none"
printf '{"name":"nowhere","provider":"openai","model":"m","base_url":"http://127.0.0.1:1/v1","retries":1,"backoff_s":0.01}\n' >"$T/nowhere.json"
run ab-gen -q --no-cache -c "$T/nowhere.json" "$T/tasks.ndjson"
expect_rc 1 "no server at all"
expect_jq "$T/out" 'length == 3 and all(.[]; .gen.error.kind == "network")' \
    "... still one record per task, with a network error"

# The planted key appears nowhere: records, messages, cache.
config echokey openai "m-echo+echokey"
run ab-gen -q -c "$T/echokey.json" -c "$T/openai-s.json" "$T/tasks.ndjson"
expect_jq "$T/out" '.[0].gen.error.kind == "auth" and (.[0].gen.error.message | contains("[redacted]"))' \
    "a server that repeats the key back"
cat "$T/out" "$T/err" >"$T/all-output"
expect_not_contains "$T/all-output" "$AB_TEST_KEY" "the key is in no record or message"
check "the key is in no cache entry" test -z "$(grep -rl -- "$AB_TEST_KEY" "$XDG_CACHE_HOME")"
check "... which holds the answers" \
    test "$(sqlite3 "$XDG_CACHE_HOME/ab/gen.sqlite" 'SELECT count(*) FROM answers')" -ge 3
done_testing
