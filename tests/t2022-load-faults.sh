#!/bin/sh
# ab-gen --load when the endpoint fails: a storm of 429s and a bad key stop
# the run early and say why, as a spent budget does; a pause shows in the
# gaps between tokens; a spike's damage and the recovery after it are
# measured.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-load.sh"

# Every request answered 429: the run would last 20 s; it stops once 10
# of the last 10 requests failed.
load_server storm status=429
t0=$(date +%s)
run ab-gen -q --load '{"profile":"open","rate":50,"duration_s":20,"error_window":10}' \
    -c "$T/storm.json" "$T/one.ndjson"
t1=$(date +%s)
expect_rc 1 "a storm of 429s"
cp "$T/out" "$T/storm.ndjson"
expect_contains "$T/err" "ab-gen: load: storm: stopped early (error_rate): 10 of the last 10 requests failed" \
    "... stops the run early and says why"
check "... within seconds ($((t1 - t0)) s of 20)" test $((t1 - t0)) -lt 10
expect_jq "$T/storm.ndjson" '.[-1].load.stopped.reason == "error_rate"' "the summary record has the reason"
expect_jq "$T/storm.ndjson" '[.[] | select(.load.summary | not)] | length >= 10 and length < 40 and all(.[]; .load.status == "error" and (.load.error.kind == "rate_limit" or .load.error.kind == "aborted"))' \
    "every request is recorded with its error kind, none retried"
check "the server saw no retry" test "$(wc -l <"$T/storm.log")" -lt 40
run ab-rank load -f ndjson "$T/storm.ndjson"
cp "$T/out" "$T/storm-rank.ndjson"
expect_jq "$T/storm-rank.ndjson" 'map(select(.view == "load_runs"))[0] | .stopped | startswith("error_rate: ")' \
    "ab-rank load shows the stop"
expect_jq "$T/storm-rank.ndjson" 'map(select(.view == "load_errors" and .kind == "rate_limit"))[0] | .rate > 50' \
    "... and the rate limits"

# A bad key stops at once, even during the warm-up.
load_server auth status=401
run ab-gen -q --load '{"profile":"closed","users":1,"requests":50,"warmup":3}' \
    -c "$T/auth.json" "$T/one.ndjson"
expect_rc 1 "a 401"
cp "$T/out" "$T/auth.ndjson"
expect_contains "$T/err" "stopped early (auth)" "... stops the run: auth"
expect_jq "$T/auth.ndjson" 'length == 2 and .[-1].load.requests == 0 and .[-1].load.stopped.reason == "auth"' \
    "one request, then the summary"

# A pause of 400 ms, 0.6 s into an open loop: the gap shows.
load_server pause pause_at=0.6 pause_ms=400 prefill_ms=10 token_ms=10 tokens=8
run ab-gen -q --load '{"profile":"open","rate":20,"duration_s":1.5,"seed":2}' \
    -c "$T/pause.json" "$T/one.ndjson"
expect_rc 0 "an open loop through a pause"
cp "$T/out" "$T/pause.ndjson"
expect_jq "$T/pause.ndjson" '[.[] | select(.load.summary | not) | .load.itl.max_ms] | max > 300 and max < 600' \
    "a gap between tokens of about 400 ms"
run ab-rank load -f ndjson "$T/pause.ndjson"
cp "$T/out" "$T/pause-rank.ndjson"
expect_jq "$T/pause-rank.ndjson" 'map(select(.view == "load"))[0] | .e2e_p99_ms > 300 and .itl_p50_ms < 50' \
    "the tail shows it, the median does not"

# A spike: base 10/s, 0.6 s at 120/s, then 10/s again, on a server of
# two slots of 50 ms (40/s): the spike queues, then the queue drains.
load_server spike slots=2 prefill_ms=20 token_ms=10 tokens=4
run ab-gen -q --load '{"profile":"spike","rate":10,"spike_rate":120,"base_s":1,"spike_s":0.6,"after_s":3,"seed":4}' \
    -c "$T/spike.json" "$T/one.ndjson"
expect_rc 0 "a spike"
cp "$T/out" "$T/spike.ndjson"
expect_jq "$T/spike.ndjson" '[.[] | select(.load.summary | not) | .load.phase] | unique == ["base", "recovery", "spike"]' \
    "three phases"
run ab-rank load -f ndjson "$T/spike.ndjson"
cp "$T/out" "$T/spike-rank.ndjson"
expect_jq "$T/spike-rank.ndjson" 'map(select(.view == "load_spike"))[0] | .spike_e2e_p99_ms > 3 * .base_e2e_p90_ms' \
    "the spike's tail is well above the base"
expect_jq "$T/spike-rank.ndjson" 'map(select(.view == "load_spike"))[0] | .recovered == true and .recovery_ms > 100 and .recovery_ms < 3000' \
    "it recovers, and the time it took is measured"

# A budget: each request costs (10 in + 8 out) x 1000 USD per million
# tokens = 0.018 USD; a budget of 0.1 USD is spent after the 6th (0.108),
# and a closed loop of one user then sends no 7th, out of 50.
load_server budget tokens=8 prefill_ms=1 token_ms=1
jq -c '. + {pricing: {in: 1000, out: 1000}}' "$T/budget.json" >"$T/priced.json"
run ab-gen -q --budget 0.1 --load '{"profile":"closed","users":1,"requests":50}' \
    -c "$T/priced.json" "$T/one.ndjson"
expect_rc 1 "--budget in a load run"
cp "$T/out" "$T/budget.ndjson"
expect_contains "$T/err" "ab-gen: load: budget: stopped early (budget): spent 0.1080 USD of 0.1" \
    "... stops the run at its budget and says why"
expect_jq "$T/budget.ndjson" 'length == 7 and .[-1].load.requests == 6 and .[-1].load.stopped.reason == "budget" and ([.[:-1][] | .load.status] | unique == ["ok"])' \
    "six requests, then the summary with the reason"
check "the server saw six requests" test "$(wc -l <"$T/budget.log")" -eq 6
# The profile's own budget_usd, the same way; --budget would override it.
run ab-gen -q --load '{"profile":"closed","users":1,"requests":50,"budget_usd":0.05}' \
    -c "$T/priced.json" "$T/one.ndjson"
expect_rc 1 "budget_usd in the profile"
expect_contains "$T/err" "stopped early (budget): spent 0.0540 USD of 0.05" \
    "... stops after the third request"
cp "$T/out" "$T/budget2.ndjson"
expect_jq "$T/budget2.ndjson" '.[-1].load.requests == 3 and .[-1].load.stopped.message == "spent 0.0540 USD of 0.05"' \
    "... and the summary says so"

# The HTML page: the spike's timeline, latency and throughput against load
# (from the ramp of t2021's kind, here a short sweep), and the tables.
run ab-gen -q --load '{"profile":"sweep","rates":[5,10],"duration_s":0.5}' -c "$T/spike.json" "$T/one.ndjson"
cat "$T/spike.ndjson" "$T/out" >"$T/both.ndjson"
run ab-rank load -f html "$T/both.ndjson"
expect_rc 0 "ab-rank load -f html"
cp "$T/out" "$T/load.html"
python3 -c '
import re, sys
from html.parser import HTMLParser
s = open(sys.argv[1], encoding="utf-8").read()
HTMLParser().feed(s)
for m in re.finditer(r"<svg class=\"chart\" id=\"([^\"]+)\".*?</svg>", s, re.S):
    print(m.group(1), len(re.findall(r"class=\"mark\"", m.group(0))))
' "$T/load.html" >"$T/charts"
awk '$2 > 0 { print $1 }' "$T/charts" | sort >"$T/marked"
printf '%s\n' load-lat-1 load-spike-0 load-thr-1 >"$T/want"
expect_same "$T/marked" "$T/want" "three charts with marks: the spike's timeline, latency and throughput against load"
expect_contains "$T/load.html" "Load: resilience after a spike" "... and the tables"

done_testing
