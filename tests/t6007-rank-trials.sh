#!/bin/sh
# ab-rank on agent trials (tests/rank/trials.ndjson: real records of the
# scripted agent, a shell agent and Claude Code, made by
# tests/rank/trials.sh): the trials view counts agent failures apart from
# attempts not run (never charged), from records and from a database; the
# HTML report shows each trial step by step, escapes the agent's hostile
# text, bounds long outputs, and loads in Chromium without errors.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
FIX=$TOP/tests/rank/trials.ndjson
cp "$FIX" trials.ndjson

# ---- the view ----
run ab-rank -f ndjson trials trials.ndjson
expect_rc 0 "ab-rank trials"
cp "$T/out" v.out
expect_jq v.out 'map(.config) == ["claude-code", "shell", "scripted", "scripted-flaky"]' \
    "one row per configuration, in leaderboard order"
expect_jq v.out '.[] | select(.config == "scripted") | .trials == 8 and
    .passed == 1 and .solved == 1 and .tasks == 4 and .not_run == 0 and
    .budget == 2 and .no_change == 2 and .patch_failed == 1 and
    .tests_failed == 2 and .agent_timeout == 0 and .agent_failed == 0 and
    .other_failed == 0' \
    "scripted: one pass, budget, no_change, patch_failed and failing tests apart"
expect_jq v.out '.[] | select(.config == "shell") | .trials == 3 and
    .passed == 1 and .agent_timeout == 1 and .agent_failed == 1' \
    "shell: agent_timeout and agent_failed"
expect_jq v.out '.[] | select(.config == "scripted-flaky") | .trials == 0 and
    .not_run == 4 and .pass_rate == null and .budget == 0' \
    "provider failures are not run, never charged"
expect_jq v.out '.[] | select(.config == "claude-code") | .trials == 1 and
    .passed == 1 and .calls == 10 and .tokens_in > 0 and .cost_usd > 0 and
    .cost_per_solved == .cost_usd' \
    "claude-code: calls, tokens and cost per solved task"
expect_jq v.out '.[] | select(.config == "scripted") |
    (.ci_low | . > 0.02 and . < 0.03) and (.ci_high | . > 0.47 and . < 0.48) and
    .pass_rate == 0.125' "the Wilson interval of 1 in 8"
# Per-task means and sums computed apart, with jq, from the records: the
# task is the unit (ab-rank(1) "The unit of analysis"), so a task's
# trials are averaged first, then the tasks.  Once on the fixture (two
# trials per task) and once with a task's trial removed, where pooling
# the trials would give another figure.
cat >want.jq <<'JQ'
[.[] | select(.config.name == "scripted")] |
def tmean(f): group_by(.task.id) | map([.[] | f | select(. != null)]) |
    map(select(length > 0) | add / length) |
    if length > 0 then add / length else null end;
{agent_ms: tmean(.gen.trial.wall_ms),
 grading_ms: tmean(if .exec.wall_ms != null
    then .exec.setup_ms + .exec.wall_ms else null end),
 calls: ([.[].gen.calls[] | select(.role != "aux")] | length),
 calls_per_trial: tmean([.gen.calls[] | select(.role != "aux")] | length),
 tokens_in: ([.[].gen.tokens.in] | add),
 cost_usd: ([.[].gen.cost_usd] | add)}
JQ
jq -c 'select(.id != "ws-fix/scripted/1")' trials.ndjson >uneq.ndjson
for f in trials uneq; do
	jq -s -f want.jq $f.ndjson >want.json
	run ab-rank -f ndjson trials $f.ndjson
	expect_rc 0 "ab-rank trials on $f.ndjson"
	jq -c 'select(.config == "scripted") | {agent_ms, grading_ms,
	    calls, calls_per_trial, tokens_in, cost_usd}' "$T/out" >got.json
	if [ -s want.json ] && [ -s got.json ] &&
	    jq -e -n --slurpfile w want.json --slurpfile g got.json '
	    $w[0] as $a | $g[0] as $b | ($a | length) == 6 and
	    all($a | keys[]; $a[.] != null and
	    ($a[.] - $b[.] | fabs) <= 1e-9 * ($a[.] | fabs) + 1e-9)' \
	    >/dev/null; then
		ok "$f: per-task mean times and calls, sums of calls, tokens, cost as computed apart"
	else
		not_ok "$f: per-task mean times and calls, sums of calls, tokens, cost as computed apart"
		diag "want $(cat want.json)" "got $(cat got.json)"
	fi
done
jq -s -f want.jq trials.ndjson >w1.json
jq -s -f want.jq uneq.ndjson >w2.json
jq -s -c '[.[] | select(.config.name == "scripted") | .gen.trial.wall_ms] |
    add / length' uneq.ndjson >pooled.json
jq -s '{w: .[0].agent_ms, p: .[1]}' w2.json pooled.json >teeth.json
expect_jq teeth.json '.[0] | (.w - .p | fabs) > 1' \
    "the removed trial makes pooling and per-task means differ (the check has teeth)"

# The leaderboard agrees: budget is charged, provider failures excluded.
run ab-rank -f ndjson leaderboard trials.ndjson
cp "$T/out" lb.out
expect_jq lb.out '(.[] | select(.config == "scripted") | .attempts == 8 and
    .excluded == 0) and (.[] | select(.config == "scripted-flaky") |
    .attempts == 0 and .excluded == 4)' "the leaderboard counts the same"

# The run's budget (--budget) is the operator's: not run.  A harness
# failure and a task the agent cannot take are not run either.
jq -c 'select(.id == "ws-loop/scripted/0") | .gen.error.scope = "run",
    (.id = "h/scripted/0" | .task.id = "h" | .gen.error = {kind: "harness", message: "x"} | .gen.trial = null),
    (.id = "b/scripted/0" | .task.id = "b" | .gen.error = {kind: "bad_task", message: "x"} | .gen.trial = null)' \
    trials.ndjson >extra.ndjson
jq -c 'select(.id != "ws-loop/scripted/0")' trials.ndjson >rest.ndjson
run ab-rank -f ndjson trials rest.ndjson extra.ndjson
cp "$T/out" scope.out
expect_jq scope.out '.[] | select(.config == "scripted") | .trials == 7 and
    .not_run == 3 and .budget == 1' \
    "the run's budget, a harness failure and a bad task are not run"

# Records without agent trials: an empty view, and nothing in "all".
printf '{"id":"t/c/0","task":{"id":"t"},"config":{"name":"c"},"exec":{"verdict":"ok"}}\n' >plain.ndjson
run ab-rank -f csv trials plain.ndjson
expect_rc 0 "trials of a benchmark without agents"
expect_text "$T/out" "$(head -n 1 "$TOP/tests/golden/ab-rank/trials-csv/out")" \
    "only the header"
run ab-rank -f ndjson all plain.ndjson
expect_not_contains "$T/out" '"view":"trials"' "no trials table in all"

# ---- from a database ----
must ab-store -d t.db trials.ndjson >/dev/null
run ab-rank -d t.db -f ndjson trials
expect_rc 0 "ab-rank -d trials"
expect_same "$T/out" v.out "the database gives the same table"
run ab-rank -d t.db -f ndjson leaderboard
expect_same "$T/out" lb.out "... and the same leaderboard"

# ---- the HTML report ----
run ab-rank -o report.html trials.ndjson
expect_rc 0 "ab-rank -o report.html"
n=$(grep -o 'class="trajectory"' report.html | wc -l)
check "a trajectory per trial (16)" test "$n" -eq 16
run ab-rank -d t.db -o db.html
n=$(grep -o 'class="trajectory"' db.html | wc -l)
check "... from the database too" test "$n" -eq 16
for s in '<h4>Instruction</h4>' '<tr class="call">' 'class="step step-tool"' \
    'class="step step-result"' '<span class="da">+    return a + b</span>' \
    '<span class="dd">-    return a - b</span>' 'class="test-out">HIDDEN-TEST-RAN' \
    'verdict <b>wrong_answer</b>' 'extract error <b>patch_failed</b>' \
    'gen error <b>provider</b>' '<span class="sk">tool Write</span>'; do
	expect_contains report.html "$s" "the trajectory shows $s"
done
n=$(grep -o '<tr class="call">' report.html | wc -l)
want=$(jq -s '[.[].gen.calls | length] | add' trials.ndjson)
check "every model call is a row ($want)" test "$n" -eq "$want"
# The agent's text is hostile: escaped wherever it lands.
n=$(grep -o '<script' report.html | wc -l)
check "one script element, the page's own" test "$n" -eq 1
expect_not_contains report.html '<b>bold</b>' "the model's HTML is not markup"
expect_contains report.html '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;' \
    "</script> is escaped"

# Long outputs are cut with a marker: a 1 MB test output, a 200 KB patch,
# 1000 transcript events, 500 calls.
jq -c 'select(.id == "ws-sh/shell/0") | .id = "big/shell/0" | .task.id = "big" |
    .exec.stdout = ("x" * 1000000) |
    .gen.patch = ("diff --git a/f b/f\n" + ("+" + "y" * 99 + "\n") * 2000) |
    .gen.transcript = [range(1000) | {type: "step", tool: "bash", input: "ls", output: ("z" * 5000)}] |
    .gen.calls = [range(500) | {role: "agent", model: "m", tokens: {in: 1, out: 1}}]' \
    trials.ndjson >big.ndjson
run ab-rank -o big.html big.ndjson
expect_rc 0 "a huge trial"
sz=$(wc -c <big.html)
check "the report stays bounded ($sz bytes < 400000)" test "$sz" -lt 400000
expect_contains big.html '[991808 more bytes]' "the test output is cut, with a marker"
expect_contains big.html 'more events not shown</li>' "the transcript is cut"
expect_contains big.html '400 more calls not shown' "the calls are cut"
expect_contains big.html 'class="cut"' "the patch is cut"

# ---- in Chromium ----
need_chromium
chromium_dom "file://$T/report.html#selftest" dom.html chrome.err
check "chromium ran" test -s dom.html
expect_contains dom.html 'SELFTEST PASS' "the page's self-test passes"
expect_no_console chrome.err
n=$(grep -o '<details class="trial"' dom.html | wc -l)
check "16 trials in the rendered page" test "$n" -eq 16
n=$(grep -o '<script' dom.html | wc -l)
check "the rendered page has one script element" test "$n" -eq 1
expect_contains dom.html '&lt;b&gt;bold&lt;/b&gt;' "the model's HTML is shown as text"

# A screenshot of the trajectories, opened, kept for people to look at.
sed 's/<details class="trial">/<details class="trial" open>/' report.html >open.html
mkdir -p "$TOP/tests/out"
chromium_shot "file://$T/open.html" "$TOP/tests/out/ab-rank-trials.png" \
    1400 6000 >shot.out 2>shot.err
check "a screenshot is kept in tests/out/ab-rank-trials.png" \
    test -s "$TOP/tests/out/ab-rank-trials.png"
done_testing
