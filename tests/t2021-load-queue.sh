#!/bin/sh
# ab-gen --load against servers that queue: open-loop latency counts the
# queue (no coordinated omission), and a ramp finds the breaking point
# where the server was built to break.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-load.sh"

# One slot, 50 ms a request: 20 requests/s at most.  An open loop at 40/s
# for 1.5 s builds a queue of some 30 requests.
load_server q slots=1 prefill_ms=20 token_ms=10 tokens=4
run ab-gen -q --load '{"profile":"open","rate":40,"duration_s":1.5,"seed":7}' \
    -c "$T/q.json" "$T/one.ndjson"
expect_rc 0 "an open loop at twice the capacity"
cp "$T/out" "$T/open.ndjson"
jq -s -r '[.[] | (.end - .start) * 1000] | sort | .[length / 2 | floor]' "$T/q.log" >"$T/service"
run ab-rank load -f ndjson "$T/open.ndjson"
cp "$T/out" "$T/rank.ndjson"
e2e90=$(jq -r 'select(.view == "load") | .e2e_p90_ms' "$T/rank.ndjson")
check "end-to-end p90 ($e2e90 ms) is far above the service time ($(cat "$T/service") ms)" \
    awk -v a="$e2e90" -v s="$(cat "$T/service")" 'BEGIN { exit !(a > 5 * s) }'
expect_jq "$T/rank.ndjson" 'map(select(.view == "load"))[0] | .req_s < 28' \
    "throughput stays at the capacity, not the offered rate"

# The client's own limit (one request in flight) against a server that
# never queues: the wait is the client's, and it is still counted.
load_server fast prefill_ms=20 token_ms=10 tokens=4
run ab-gen -q --load '{"profile":"open","rate":40,"duration_s":1.5,"seed":7,"max_inflight":1}' \
    -c "$T/fast.json" "$T/one.ndjson"
expect_rc 0 "an open loop held to one request in flight"
cp "$T/out" "$T/co.ndjson"
expect_jq "$T/co.ndjson" '[.[] | select(.load.summary | not) | .load] | (map(.e2e_ms) | sort | .[length * 9 / 10 | floor]) > 5 * (map(.service_ms) | sort | .[length / 2 | floor])' \
    "latency from the schedule, not from the send: p90 e2e > 5 x the service time"
expect_jq "$T/co.ndjson" '[.[] | select(.load.summary | not) | .load] | map(.queue_ms) | max > 200' \
    "... and the time spent waiting to be sent is in queue_ms"
expect_jq "$T/co.ndjson" '[.[] | select(.load.summary | not) | .load] | length > 20 and all(.[]; .scheduled_ms <= .sent_ms and .sent_ms <= .written_ms and .written_ms <= .end_ms)' \
    "each request: scheduled <= sent <= written <= end"
expect_jq "$T/co.ndjson" '.[-1].load | .write_lateness_ms.p99 > 200 and .lateness_ms.p99 < 100' \
    "the summary's write lateness counts the client's queue; the scheduler's lateness does not"
# Ground truth for written_ms: the server's arrival times, one request
# at a time, so the k-th written is the k-th to arrive.  The two clocks
# differ by a constant (the run's start): around the median difference,
# written_ms is within 5 ms of the server's arrivals (the median
# deviation; Python reads its clock late on a busy machine), where the
# scheduled times drift by hundreds of ms (the client's queue).
jq -s -c '[.[] | select(.load.summary | not) | .load] | sort_by(.written_ms) | map([.written_ms, .scheduled_ms])' \
    "$T/co.ndjson" >"$T/co.client"
jq -s -c 'sort_by(.arrive) | map(.arrive * 1000)' "$T/fast.log" >"$T/co.server"
mad() {
	jq -n --slurpfile c "$T/co.client" --slurpfile s "$T/co.server" --argjson i "$1" \
	    'def median: sort | .[length / 2 | floor];
	    $c[0] as $c | $s[0] as $s | [range(0; $c | length) | $s[.] - $c[.][$i]] |
	    median as $m | map(. - $m | fabs) | median'
}
mad 0 >"$T/co.dw"
mad 1 >"$T/co.ds"
check "written_ms follows the server's arrivals (median deviation $(cat "$T/co.dw") ms), scheduled_ms does not ($(cat "$T/co.ds") ms)" \
    awk -v w="$(cat "$T/co.dw")" -v s="$(cat "$T/co.ds")" 'BEGIN { exit !(w < 5 && s > 100) }'

# A closed loop of one user on the same queueing server looks fast: the
# open loop above is what tells the truth.
run ab-gen -q --load '{"profile":"closed","users":1,"requests":10}' -c "$T/q.json" "$T/one.ndjson"
cp "$T/out" "$T/closed.ndjson"
expect_jq "$T/closed.ndjson" '[.[] | select(.load.summary | not) | .load.e2e_ms] | sort | .[5] < 200' \
    "one user alone sees the bare service time"

# A ramp: two slots, 50 ms a request, so 40 requests/s at most.  Levels
# 10, 25, 62.5: it breaks at 62.5 and the last good level is 25.
load_server r slots=2 prefill_ms=20 token_ms=10 tokens=4
run ab-gen -q --load '{"profile":"ramp","rate":10,"factor":2.5,"duration_s":1.5,"max_rate":200,"seed":3}' \
    -c "$T/r.json" "$T/one.ndjson"
expect_rc 0 "a ramp that stops at saturation"
cp "$T/out" "$T/ramp.ndjson"
expect_jq "$T/ramp.ndjson" '.[-1].load | .breaking_point.level == 62.5 and .breaking_point.last_good == 25 and .stopped == null' \
    "the breaking point is 62.5 requests/s, the last good level 25"
expect_jq "$T/ramp.ndjson" '[.[] | select(.load.summary | not) | .load.level] | unique == [10, 25, 62.5]' \
    "... and no level past it was run"
run ab-rank load -f ndjson "$T/ramp.ndjson"
cp "$T/out" "$T/ramp-rank.ndjson"
expect_jq "$T/ramp-rank.ndjson" 'map(select(.view == "load_runs"))[0] | .breaking_level == 62.5 and .last_good_level == 25' \
    "ab-rank load reports it"

# Errors past a rate: the server answers 429 beyond 30 requests a second;
# a ramp of 10, 20, 40 breaks at 40 on its error rate.
load_server e max_rps=30 prefill_ms=5 token_ms=2 tokens=3
run ab-gen -q --load '{"profile":"ramp","rate":10,"factor":2,"duration_s":1,"seed":5}' \
    -c "$T/e.json" "$T/one.ndjson"
expect_rc 0 "a ramp against a server with a rate limit"
cp "$T/out" "$T/ramp2.ndjson"
expect_jq "$T/ramp2.ndjson" '.[-1].load.breaking_point | .level == 40 and (.why | startswith("error rate"))' \
    "it breaks at 40 requests/s on errors"
run ab-rank load -f ndjson "$T/ramp2.ndjson"
cp "$T/out" "$T/ramp2-rank.ndjson"
expect_jq "$T/ramp2-rank.ndjson" 'map(select(.view == "load_errors")) | length > 0 and all(.[]; .kind == "rate_limit")' \
    "the errors are rate limits"

# A sweep over concurrencies.
run ab-gen -q --load '{"profile":"sweep","users":[1,2],"requests":6}' -c "$T/fast.json" "$T/one.ndjson"
expect_rc 0 "a sweep over users"
cp "$T/out" "$T/sweep.ndjson"
expect_jq "$T/sweep.ndjson" '[.[] | select(.load.summary | not) | .load | [.level, .unit]] | unique == [[1, "users"], [2, "users"]]' \
    "two levels, in users"
expect_jq "$T/sweep.ndjson" '[.[] | select(.load.summary | not)] | length == 12' \
    "six requests each"

done_testing
