#!/bin/sh
# ab-gen: the relay of agent trials goes through ab-gen's own engine: its
# calls are cached as other calls are (a stream replays as a stream, each
# sample and each repeated request apart, --no-cache and --refresh
# honoured, the trial's budgets counting cached calls, the run's ledger
# not), and a configuration's rate limit holds across the concurrent
# trials of the process.  A TMPDIR closed to others still serves.  The
# calls and the transcript's steps make one timeline.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-agent.sh"

# Long enough for a slow machine (a sanitizer build): a minute or more.
SERVER_LIFETIME=900
agent_server <<EOT
{"scripts": [
 {"match": "MARK-FIX", "turns": [$FIX_TURN]},
 {"match": "MARK-LOOP", "turns": [{"text": "Thinking more."}]},
 {"match": "MARK-TWO", "turns": [{"text": "Looking first."}, $FIX_TURN]}
]}
EOT

# chat_requests MARKER: how many chat requests the upstream saw for the
# task whose prompt starts with MARKER.
chat_requests() {
	jq -s --arg m "$1: " '[.[] | select((.path | test("chat")) and (.first_user | startswith($m)))] | length' \
	    "$T/requests.log"
}

ws_task fix MARK-FIX >"$T/fix.ndjson"
agent_config scripted scripted
run ab-gen -q -c "$T/scripted.json" "$T/fix.ndjson"
expect_rc 0 "a trial"
cp "$T/out" "$T/fix1"
expect_jq "$T/fix1" '.[0].gen.calls[0].cached == false and .[0].gen.cached == false' "the first call is made"
chat_requests MARK-FIX >"$T/n"
expect_text "$T/n" 1 "the upstream saw it"

run ab-gen -q -c "$T/scripted.json" "$T/fix.ndjson"
expect_rc 0 "the same trial again"
cp "$T/out" "$T/fix2"
chat_requests MARK-FIX >"$T/n"
expect_text "$T/n" 1 "answered from the cache: the upstream saw nothing more"
expect_jq "$T/fix2" '.[0].gen.calls | length == 1 and .[0].cached == true and .[0].status == 200 and .[0].attempts == 0' "the call says cached"
expect_jq "$T/fix2" '.[0].gen.cached == true and .[0].gen.trial.outcome == "exited"' "the attempt says cached; the agent finished"
jq -c '.gen | [.patch, .tokens, .cost_usd, .calls[0].tokens, .calls[0].reply]' "$T/fix1" >"$T/a"
jq -c '.gen | [.patch, .tokens, .cost_usd, .calls[0].tokens, .calls[0].reply]' "$T/fix2" >"$T/b"
expect_same "$T/a" "$T/b" "the same patch, tokens, cost and reply"
expect_jq "$T/fix2" '.[0].gen.calls[0].t_ms >= 0' "the call says when it came (t_ms)"

# A streaming agent: the reply is kept as the event stream it was and
# replayed as one; the agent reads it as it read the live one.
streaming_agent
agent_config streaming "$T/streaming.agent.json"
ws_task sfix MARK-FIX-STREAM >"$T/sfix.ndjson"
run ab-gen -q -c "$T/streaming.json" "$T/sfix.ndjson"
cp "$T/out" "$T/s1"
run ab-gen -q -c "$T/streaming.json" "$T/sfix.ndjson"
expect_rc 0 "a streaming trial again"
cp "$T/out" "$T/s2"
chat_requests MARK-FIX-STREAM >"$T/n"
expect_text "$T/n" 1 "the stream was asked for once"
expect_jq "$T/s1" '.[0].gen.calls[0] | .stream == true and .cached == false and (.reply | test("(^|\n)data: \\{"))' "live: an event stream"
expect_jq "$T/s2" '.[0].gen.calls[0] | .stream == true and .cached == true and .tokens.in > 0 and .tokens.out > 0' "replayed: from the cache, with its usage"
expect_jq "$T/s2" '.[0].gen.trial.outcome == "exited" and (.[0].gen.patch | test("[+]    return a [+] b"))' "the agent read the replayed stream and applied it"
jq -c '.gen | [.patch, .calls[0].reply, .calls[0].reply_bytes]' "$T/s1" >"$T/a"
jq -c '.gen | [.patch, .calls[0].reply, .calls[0].reply_bytes]' "$T/s2" >"$T/b"
expect_same "$T/a" "$T/b" "the stream replayed byte for byte"

# Each sample is its own attempt: sample 0 comes from the cache, sample 1
# is asked.
run ab-gen -q -n 2 -c "$T/scripted.json" "$T/fix.ndjson"
cp "$T/out" "$T/n2"
chat_requests MARK-FIX >"$T/n"
expect_text "$T/n" 2 "-n 2: one new call, for the new sample"
expect_jq "$T/n2" '(.[] | select(.id == "fix/scripted/0") | .gen.calls[0].cached == true) and (.[] | select(.id == "fix/scripted/1") | .gen.calls[0].cached == false)' "sample 0 cached, sample 1 made"

# --no-cache asks again; --refresh asks again and keeps the new answer.
run ab-gen -q --no-cache -c "$T/scripted.json" "$T/fix.ndjson"
cp "$T/out" "$T/nc"
chat_requests MARK-FIX >"$T/n"
expect_text "$T/n" 3 "--no-cache: asked again"
expect_jq "$T/nc" '.[0].gen.calls[0].cached == false' "--no-cache: not cached"
run ab-gen -q --refresh -c "$T/scripted.json" "$T/fix.ndjson"
cp "$T/out" "$T/rf"
chat_requests MARK-FIX >"$T/n"
expect_text "$T/n" 4 "--refresh: asked again"
expect_jq "$T/rf" '.[0].gen.calls[0].cached == false and .[0].gen.trial.outcome == "exited"' "--refresh: not cached"

# The trial's own budget counts cached calls: the same trial meets the
# same limit whether its calls are made or replayed.
ws_task loop MARK-LOOP '{"agent_limits": {"wall_ms": 60000, "calls": 1}}' >"$T/loop.ndjson"
run ab-gen -q -c "$T/scripted.json" "$T/loop.ndjson"
run ab-gen -q -c "$T/scripted.json" "$T/loop.ndjson"
expect_rc 1 "a trial past its budget, from the cache"
cp "$T/out" "$T/loop2"
expect_jq "$T/loop2" '.[0].gen.trial.outcome == "budget" and ([.[0].gen.calls[] | select(.role == "agent")] | length == 1 and .[0].cached == true)' "one call, cached; the second refused"
chat_requests MARK-LOOP >"$T/n"
expect_text "$T/n" 1 "the upstream saw one call for both runs"

# The run's budget (--budget, money spent) is not charged for cached
# calls: the second run gets one call further before it is spent.
ws_task rloop MARK-LOOP-RUN '{"agent_limits": {"wall_ms": 60000}}' >"$T/rloop.ndjson"
agent_config priced scripted '"pricing":{"in":1,"out":1}'
run ab-gen -q -r runA --budget 0.000001 -c "$T/priced.json" "$T/rloop.ndjson"
cp "$T/out" "$T/ra"
run ab-gen -q -r runB --budget 0.000001 -c "$T/priced.json" "$T/rloop.ndjson"
cp "$T/out" "$T/rb"
expect_jq "$T/ra" '.[0].gen.error.scope == "run" and ([.[0].gen.calls[] | select(.role == "agent")] | length == 1)' "run A: one call, then the run's budget is spent"
expect_jq "$T/rb" '.[0].gen.error.scope == "run" and ([.[0].gen.calls[] | select(.role == "agent") | .cached] == [true, false])' "run B: the cached call, then one made"
expect_jq "$T/rb" '.[0].gen.calls[0].cost_usd > 0 and .[0].gen.cost_usd == ([.[0].gen.calls[].cost_usd] | add)' "a cached call still says what it costs"
jq -s '.[0].gen.calls[0].cost_usd' "$T/ra" >"$T/a"
jq -s '.[0].gen.calls[1].cost_usd' "$T/rb" >"$T/b"
jq -n --slurpfile a "$T/a" --slurpfile b "$T/b" --rawfile la "$T/xdg-cache/ab/budget/runA" \
    --rawfile lb "$T/xdg-cache/ab/budget/runB" \
    '(($la | tonumber) - $a[0] | fabs) < 1e-9 and (($lb | tonumber) - $b[0] | fabs) < 1e-9' >"$T/ledgers"
expect_text "$T/ledgers" true "each run's ledger holds the cost of the calls it made, not of the cached one"

# A rate limit (rpm 60: one call a second) holds across two trials running
# at once (-j 2), four calls in all: they reach the upstream over at least
# three seconds (one limiter per trial would let them through in one).
{ ws_task two1 MARK-TWO-A; ws_task two2 MARK-TWO-B; } >"$T/two.ndjson"
agent_config limited scripted '"rpm":60'
run ab-gen -q --no-cache -j 2 -c "$T/limited.json" "$T/two.ndjson"
expect_rc 0 "two trials under one rate limit"
cp "$T/out" "$T/two"
expect_jq "$T/two" 'length == 2 and all(.[]; .gen.trial.outcome == "exited" and (.gen.calls | length == 2))' "two calls each"
jq -s '[.[] | select((.path | test("chat")) and (.first_user | startswith("MARK-TWO"))) | .t] | sort | (length == 4 and (.[3] - .[0]) >= 2.5)' \
    "$T/requests.log" >"$T/span"
expect_text "$T/span" true "the four calls were spread over three seconds"
[ "$(cat "$T/span")" = true ] || diag "$(jq -c 'select(.first_user | startswith("MARK-TWO")) | .t' "$T/requests.log")"

# One timeline: the transcript's lines are stamped with the time ab-gen
# read them (gen.transcript_ms, from the trial's start, as the calls'
# t_ms), and ab-rank's trajectory puts the calls among the steps.
cat >"$T/tl.py" <<'EOT'
import json, os, time, urllib.request
print(json.dumps({"type": "step", "text": "STEP-BEFORE the call"}), flush=True)
time.sleep(0.4)
req = urllib.request.Request(
    os.environ["OPENAI_BASE_URL"] + "/chat/completions",
    data=json.dumps({"model": "m", "messages": [
        {"role": "user", "content": "MARK-TL: hello"}]}).encode(),
    headers={"Content-Type": "application/json",
             "Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]})
json.load(urllib.request.urlopen(req))
time.sleep(0.4)
print(json.dumps({"type": "step", "text": "STEP-AFTER the call"}), flush=True)
EOT
jq -n --rawfile s "$T/tl.py" '{name: "timeline", command: ["python3", "{agent_dir}/tl.py"],
  wire: "openai", transcript: "ndjson",
  env: {OPENAI_BASE_URL: "{base_url}/v1", OPENAI_API_KEY: "{api_key}"},
  files: [{path: "ab/tl.py", text: $s}]}' >"$T/timeline.agent.json"
agent_config timeline "$T/timeline.agent.json"
ws_task tl MARK-TL >"$T/tl.ndjson"
run ab-gen -q --no-cache -c "$T/timeline.json" "$T/tl.ndjson"
cp "$T/out" "$T/tl.out"
expect_jq "$T/tl.out" '.[0].gen | (.transcript | length == 2) and (.transcript_ms | length == 2) and (.calls | length == 1)' "two steps, their two times, one call"
expect_jq "$T/tl.out" '.[0].gen | .transcript_ms[0] >= 0 and .transcript_ms[0] + 300 < .calls[0].t_ms and .calls[0].t_ms + 300 < .transcript_ms[1] and .transcript_ms[1] <= .latency_ms + 1000' "the first step, then the call, then the second step, 0.4 s apart"
run ab-rank -o "$T/tl.html" "$T/tl.out"
expect_rc 0 "ab-rank: the trajectory"
awk '/STEP-BEFORE/ && !a { a = NR } /model call 1/ && !c { c = NR } /STEP-AFTER/ && !b { b = NR } END { print (a && c && b && a < c && c < b) ? "in order" : "out of order: " a " " c " " b }' \
    RS='<li' "$T/tl.html" >"$T/order"
expect_text "$T/order" "in order" "the timeline shows the step, the call, the step, in that order"
expect_contains "$T/tl.html" "Timeline (2 events, 1 model call)" "under one heading"

# TMPDIR beneath a directory closed to others (a home of mode 0700): the
# sandbox's uid could not reach its slot there by name; ab-gen hands the
# slot to the sandbox as a mount, and the trial runs.
mkdir -p "$T/private/tmp"
chmod 700 "$T/private"
run env TMPDIR="$T/private/tmp" ab-gen -q --no-cache -c "$T/scripted.json" "$T/fix.ndjson"
expect_rc 0 "TMPDIR beneath a directory of mode 0700"
expect_jq "$T/out" '.[0].gen.error == null and .[0].gen.trial.outcome == "exited" and (.[0].gen.patch | test("[+]    return a [+] b"))' "the trial ran and changed the workspace"
if [ -z "$(ls -A "$T/private/tmp")" ]; then ok "nothing left in that TMPDIR"
else not_ok "nothing left in that TMPDIR"; diag "$(ls -A "$T/private/tmp")"; fi

expect_clean "relay"
done_testing
