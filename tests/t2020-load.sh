#!/bin/sh
# ab-gen --load and ab-rank load against tests/load-server.py: measured
# latencies match the server's own record of what it did, warm-ups are
# marked and left out, the records go through ab-store, bad profiles are
# refused.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-load.sh"

# A server that never queues: 30 ms to the first token, then 6 tokens
# 10 ms apart; its first two requests are cold (200 ms more).
load_server s prefill_ms=30 token_ms=10 tokens=6 cold=2 cold_ms=200
run ab-gen -q --load '{"profile":"closed","users":2,"requests":30,"warmup":2}' \
    -c "$T/s.json" "$T/one.ndjson"
expect_rc 0 "a closed loop of 2 users"
cp "$T/out" "$T/closed.ndjson"
expect_jq "$T/closed.ndjson" 'length == 33' "30 requests, 2 warm-ups, 1 summary"
expect_jq "$T/closed.ndjson" '[.[] | select(.load.warmup)] | length == 2 and all(.[]; .load.phase == "warmup")' \
    "the warm-ups are marked"
expect_jq "$T/closed.ndjson" '[.[] | select(.load.warmup)] | all(.[]; .load.ttft_ms > 200)' \
    "... and they took the cold starts"
expect_jq "$T/closed.ndjson" '[.[] | select(.load.summary | not)] | all(.[]; .load.status == "ok" and .load.tokens.out == 6 and .load.itl.n == 5 and (.load.itl_ms | length) == 5)' \
    "every request: 6 tokens out, 5 gaps between them"
expect_jq "$T/closed.ndjson" '.[-1] | .id == "load-summary/s/0" and .load.summary and .load.requests == 30 and .load.warmups == 2 and .load.stopped == null' \
    "the summary record comes last"
check "the server saw every request" test "$(wc -l <"$T/s.log")" -eq 32

# Ground truth: the server's own times, warm-ups left out (the first two
# requests it served).
# (one jq: the three medians, a line each)
jq -s -r '([.[2:][] | (.first - .arrive) * 1000] | sort | .[length / 2 | floor]),
    ([.[2:][] | (.end - .first) * 1000 / 5] | sort | .[length / 2 | floor]),
    ([.[2:][] | (.end - .arrive) * 1000] | sort | .[length / 2 | floor])' \
    "$T/s.log" >"$T/gt"
{ read -r gt_ttft; read -r gt_tpot; read -r gt_e2e; } <"$T/gt"
run ab-rank load -f ndjson "$T/closed.ndjson"
expect_rc 0 "ab-rank load"
cp "$T/out" "$T/rank.ndjson"
# The load view's values, from one jq: a line of each load record's
# requests and p50s; each v_* holds a field of every such record, a line
# each, as jq -r of that field alone would print them.
jq -r 'select(.view == "load") |
    [.requests, .ttft_p50_ms, .tpot_p50_ms, .e2e_p50_ms, .itl_p50_ms] |
    map(tostring) | join("|")' \
    "$T/rank.ndjson" >"$T/v"
: >"$T/n"
v_ttft='' v_tpot='' v_e2e='' v_itl='' nl='
'
while IFS='|' read -r r a b c d; do
	printf '%s\n' "$r" >>"$T/n"
	v_ttft=$v_ttft${v_ttft:+$nl}$a v_tpot=$v_tpot${v_tpot:+$nl}$b
	v_e2e=$v_e2e${v_e2e:+$nl}$c v_itl=$v_itl${v_itl:+$nl}$d
done <"$T/v"
expect_text "$T/n" 30 "ab-rank counts the 30 measured requests, not the warm-ups"
# Tolerance: 5 ms plus 15 %: the client's clock sees the loopback and
# the parsing the server does not, on a machine shared with other work.
within "$v_ttft" "$gt_ttft" "$(awk -v g="$gt_ttft" 'BEGIN { print 5 + 0.15 * g }')" \
    "TTFT p50 matches the server's"
within "$v_tpot" "$gt_tpot" "$(awk -v g="$gt_tpot" 'BEGIN { print 2 + 0.15 * g }')" \
    "TPOT p50 matches the server's"
within "$v_e2e" "$gt_e2e" "$(awk -v g="$gt_e2e" 'BEGIN { print 5 + 0.15 * g }')" \
    "end-to-end p50 matches the server's"
within "$v_itl" 10 4 "ITL p50 is the server's 10 ms a token"
expect_jq "$T/rank.ndjson" 'map(select(.view == "load"))[0] | .ttft_p99_ms < 150' \
    "TTFT p99 leaves the cold warm-ups (230 ms) out"
expect_jq "$T/rank.ndjson" 'map(select(.view == "load"))[0] | .req_s > 10 and .tok_s > 60 and .errors == 0 and .goodput_pct == 100' \
    "throughput, tokens per second and goodput without a target"

# Without warm-ups the cold starts are measured (the server is new).
load_server cold prefill_ms=30 token_ms=10 tokens=6 cold=2 cold_ms=200
run ab-gen -q --load '{"profile":"closed","users":2,"requests":30}' \
    -c "$T/cold.json" "$T/one.ndjson"
cp "$T/out" "$T/cold.ndjson"
run ab-rank load -f ndjson "$T/cold.ndjson"
cp "$T/out" "$T/cold-rank.ndjson"
expect_jq "$T/cold-rank.ndjson" 'map(select(.view == "load"))[0] | .["ttft_p99_ms"] > 150' \
    "without warm-ups the cold starts show in TTFT p99"

# Goodput under a target: nothing meets 1 ms, everything meets 10 s.
run ab-rank load --slo ttft=1 -f ndjson "$T/closed.ndjson"
cp "$T/out" "$T/slo1.ndjson"
expect_jq "$T/slo1.ndjson" 'map(select(.view == "load"))[0] | .goodput_pct == 0 and .goodput_req_s == 0' \
    "--slo ttft=1: no goodput"
run ab-rank load --slo ttft=10000,tpot=1000,e2e=10000 -f ndjson "$T/closed.ndjson"
cp "$T/out" "$T/slo2.ndjson"
expect_jq "$T/slo2.ndjson" 'map(select(.view == "load"))[0] | .goodput_pct == 100' \
    "--slo ttft=10000,tpot=1000,e2e=10000: all of it"
run ab-rank load --slo ttft=fast "$T/closed.ndjson"
expect_rc 2 "--slo with a bad number"
expect_contains "$T/err" "ab-rank: --slo: ttft" "... says which"

# CSV and the table.
run ab-rank load -f csv "$T/closed.ndjson"
expect_rc 0 "ab-rank load -f csv"
head -n 1 "$T/out" | tr ',' '\n' >"$T/cols"
for c in ttft_p99.9_ms tpot_p95_ms itl_p90_ms e2e_p99_ms req_s tok_s goodput_req_s; do
	expect_contains "$T/cols" "$c" "CSV has $c"
done
run ab-rank load -f table "$T/closed.ndjson"
expect_contains "$T/out" "Load: runs, stops and breaking points" "the table names its parts"

# ab-store keeps load records; ab-rank reads them back from the database.
run ab-store -d "$T/db.sqlite" "$T/closed.ndjson"
expect_rc 0 "ab-store ingests load records"
check "... and passes them on" test "$(wc -l <"$T/out")" -eq 33
run ab-rank -d "$T/db.sqlite" load -f ndjson
cp "$T/out" "$T/db-rank.ndjson"
expect_jq "$T/db-rank.ndjson" 'map(select(.view == "load"))[0] | .requests == 30' \
    "ab-rank -d DB load: the same 30 requests"
expect_jq "$T/db-rank.ndjson" 'map(select(.view == "load_runs"))[0] | .warmups == 2' \
    "... and the summary"
run ab-rank load "$T/one.ndjson"
expect_rc 1 "ab-rank load on records that are not load records"
expect_contains "$T/err" "no record of ab-gen --load" "... says so"

# Synthetic prompts of a given size: no task needed, max_tokens sent.
run ab-gen -q --load '{"profile":"open","rate":40,"duration_s":0.5,"prompt":{"input_tokens":200,"output_tokens":3}}' \
    -c "$T/s.json"
expect_rc 0 "synthetic prompts"
cp "$T/out" "$T/syn.ndjson"
expect_jq "$T/syn.ndjson" '[.[] | select(.load.summary | not)] | length > 5 and all(.[]; .task.id == "synthetic" and .task.input_tokens == 200 and .load.tokens.out == 3 and .load.from == "schedule")' \
    "... of 200 tokens in, 3 out, open loop from the schedule"
expect_jq "$T/syn.ndjson" '.[-1].load | (.lateness_ms.p50 | type) == "number" and (.write_lateness_ms.p99 | type) == "number" and .write_lateness_ms.p50 >= .lateness_ms.p50' \
    "the summary: the scheduler's lateness and the later write lateness"

# spin_us: the same loop, the last 300 us to each arrival spun.
run ab-gen -q --load '{"profile":"open","rate":40,"duration_s":0.5,"spin_us":300,"prompt":{"input_tokens":20,"output_tokens":3}}' \
    -c "$T/s.json"
expect_rc 0 "an open loop with spin_us"
cp "$T/out" "$T/spin.ndjson"
expect_jq "$T/spin.ndjson" '[.[] | select(.load.summary | not)] | length > 5 and all(.[]; .load.status == "ok" and .load.lateness_ms >= 0)' \
    "... sends every request, none early"
run ab-gen --load '{"profile":"open","rate":5,"spin_us":5000}' -c "$T/s.json" "$T/one.ndjson"
expect_rc 2 "spin_us past 1000"
expect_contains "$T/err" "spin_us: expected a number from 0 to 1000" "... named"

# Refusals.
run ab-gen --load '{"profile":"open","rate":5,"bogus":1}' -c "$T/s.json" "$T/one.ndjson"
expect_rc 2 "an unknown profile member"
expect_contains "$T/err" "ab-gen: --load: (argument): unknown member bogus" "... named"
run ab-gen --load '{"profile":"warp"}' -c "$T/s.json" "$T/one.ndjson"
expect_rc 2 "an unknown profile"
printf '{"profile":"sweep","rates":[]}\n' >"$T/p.json"
run ab-gen --load "$T/p.json" -c "$T/s.json" "$T/one.ndjson"
expect_rc 2 "a sweep without levels"
expect_contains "$T/err" "p.json: sweep: needs rates or users" "... from a file, named"
printf '{"name":"c","provider":"cmd","command":["cat"]}\n' >"$T/cmd.json"
run ab-gen --load '{"profile":"open","rate":5,"duration_s":0.1}' -c "$T/cmd.json" "$T/one.ndjson"
expect_rc 2 "an agent program is not a load target"
expect_contains "$T/err" "load mode drives a single model endpoint" "... says why"
run ab-gen --load '{"profile":"open","rate":5}'
expect_rc 2 "no configuration"

done_testing
