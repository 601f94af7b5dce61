#!/bin/sh
# ab-gen: agent trials with the scripted agent (share/ab/agents/scripted):
# the workspace, the relay, the patch, the outcomes, grading by ab-exec.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-agent.sh"

agent_server <<EOT
{"scripts": [
 {"match": "MARK-FIX", "turns": [$FIX_TURN]},
 {"match": "MARK-NOTHING", "turns": [{"text": "It looks fine to me.\nDONE\n"}]},
 {"match": "MARK-LOOP", "turns": [{"text": "Thinking more."}]}
]}
EOT

ws_task fix MARK-FIX >"$T/fix.ndjson"
agent_config scripted scripted
run ab-gen -q -c "$T/scripted.json" "$T/fix.ndjson"
expect_rc 0 "a scripted agent trial"
cp "$T/out" "$T/fix.out"
expect_jq "$T/fix.out" 'length == 1 and .[0].gen.error == null' "one record, no error"
expect_jq "$T/fix.out" '.[0].gen.trial.outcome == "exited" and .[0].gen.trial.exit == 0' "outcome exited"
expect_jq "$T/fix.out" '.[0].gen.patch | test("^diff --git a/calc/ops.py b/calc/ops.py\n") and test("\n[+]    return a [+] b\n")' "gen.patch is the agent's change"
expect_jq "$T/fix.out" '.[0].gen.calls | length == 1 and .[0].model == "fake-1" and .[0].endpoint == "/chat/completions" and (.[0].tokens.in > 0) and (.[0].tokens.out > 0) and .[0].status == 200' "the call is metered"
expect_jq "$T/fix.out" '.[0].gen.tokens.in == .[0].gen.calls[0].tokens.in and .[0].gen.provider == "agent" and .[0].gen.agent == "scripted"' "gen sums the calls"
expect_jq "$T/fix.out" '.[0].gen.text | test("return a [+] b")' "gen.text is the agent's last message"
expect_not_contains "$T/fix.out" "$AB_TEST_KEY" "the key is not in the record"
expect_not_contains "$T/requests.log" '"has_key": false' "the upstream got a key"
jq -c 'select(.path | test("chat")) | .params.model' "$T/requests.log" >"$T/models"
expect_text "$T/models" '"fake-1"' "the relay sent one request, for the configured model"

# Graded by the pipeline: the hidden test passes with the patch.
run_in "$T/fix.out" ab-extract
cp "$T/out" "$T/fix.ext"
run_in "$T/fix.ext" ab-exec
expect_rc 0 "ab-exec grades the trial"
expect_jq "$T/out" '.[0].exec.verdict == "ok"' "the hidden test passes"

# Streamed (server-sent events passed through as they come) and retried
# (the upstream fails twice with HTTP 500; the engine retries, the agent
# never sees it).
streaming_agent
printf '{"name":"streaming","provider":"agent","agent":"%s","model":"fake-1+fail500x2","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","backoff_s":0.01}\n' \
    "$T/streaming.agent.json" "$BASE" >"$T/streaming.json"
run ab-gen -q -j 1 -c "$T/streaming.json" "$T/fix.ndjson"
expect_rc 0 "a streaming agent behind a failing upstream"
cp "$T/out" "$T/stream.out"
expect_jq "$T/stream.out" '.[0].gen.trial.outcome == "exited" and (.[0].gen.patch | test("[+]    return a [+] b"))' "the streamed answer was applied"
expect_jq "$T/stream.out" '.[0].gen.calls[0] | .stream == true and .attempts == 3 and .tokens.in > 0 and .tokens.out > 0 and (.ttft_ms != null)' "streamed, retried, metered (usage asked for in the stream)"
expect_jq "$T/stream.out" '.[0].gen.calls[0].reply | test("(^|\n)data: \\{")' "the reply kept is the event stream"

# The model changes nothing: no_change, an empty patch; graded wrong.
ws_task nothing MARK-NOTHING >"$T/nothing.ndjson"
run ab-gen -q -c "$T/scripted.json" "$T/nothing.ndjson"
expect_rc 0 "a trial that changes nothing"
cp "$T/out" "$T/nothing.out"
expect_jq "$T/nothing.out" '.[0].gen.trial.outcome == "no_change" and .[0].gen.patch == "" and .[0].gen.error == null' "outcome no_change, empty patch"

# A budget of one call: the second is refused (429 in the agent's wire
# format) and the trial stops with outcome budget.
ws_task loop MARK-LOOP '{"agent_limits": {"wall_ms": 60000, "calls": 1}}' >"$T/loop.ndjson"
run ab-gen -q -c "$T/scripted.json" "$T/loop.ndjson"
expect_rc 1 "a trial past its budget"
cp "$T/out" "$T/loop.out"
expect_jq "$T/loop.out" '.[0].gen.trial.outcome == "budget" and .[0].gen.error.kind == "budget"' "outcome budget, error budget"
expect_jq "$T/loop.out" '[.[0].gen.calls[] | select(.role == "agent")] | length == 1' "one call forwarded"
jq -s '[.[] | select(.path | test("chat"))] | length' "$T/requests.log" >"$T/n"
expect_text "$T/n" 6 "the upstream saw no call past the budget (fix, 3 for the stream, nothing, loop)"

# The configuration's limits apply too (the smaller wins).
agent_config tight scripted '"agent_limits":{"calls":1}'
run ab-gen -q -c "$T/tight.json" "$T/loop.ndjson"
cp "$T/out" "$T/tight.out"
expect_jq "$T/tight.out" '.[0].gen.trial.outcome == "budget" and .[0].gen.trial.limits.calls == 1' "the configuration's budget"
expect_jq "$T/loop.out" '.[0].gen.error.scope == "trial"' "the trial's own budget: scope trial (the agent's failure)"

# The run's budget (--budget): the trial stops too, but it is the
# operator's limit, scope run (never charged to the agent by ab-rank).
ws_task loop2 MARK-LOOP '{"agent_limits": {"wall_ms": 60000}}' >"$T/loop2.ndjson"
agent_config priced scripted '"pricing":{"in":1,"out":1}'
run ab-gen -q --budget 0.000001 -c "$T/priced.json" "$T/loop2.ndjson"
cp "$T/out" "$T/runbudget.out"
expect_jq "$T/runbudget.out" '.[0].gen.trial.outcome == "budget" and .[0].gen.error.kind == "budget" and .[0].gen.error.scope == "run"' "the run's budget: scope run"
run ab-rank -f ndjson trials "$T/runbudget.out" "$T/loop.out"
cp "$T/out" "$T/rank.out"
# A price is an operational setting, not part of the configuration's
# hash: scripted and priced are one subject, one row.
expect_jq "$T/rank.out" 'length == 1' "one subject: the price is not in its hash"
expect_jq "$T/rank.out" '.[0] | .trials == 1 and .budget == 1' "ab-rank charges the trial's budget to the agent"
expect_jq "$T/rank.out" '.[0] | .not_run == 1' "... and not the run's"

# No model: no network at all; the scripted agent says so and fails.
printf '{"name":"nomodel","provider":"agent","agent":"scripted"}\n' >"$T/nomodel.json"
run ab-gen -q -c "$T/nomodel.json" "$T/fix.ndjson"
cp "$T/out" "$T/nomodel.out"
expect_jq "$T/nomodel.out" '.[0].gen.trial.outcome == "agent_failed" and .[0].gen.trial.exit == 3 and .[0].gen.calls == []' "no model: the agent fails, no call"

# A task that is not a workspace task: an attempt error, not a trial.
printf '{"id":"plain","language":"python","prompt":"x"}\n' >"$T/plain.ndjson"
run ab-gen -q -c "$T/scripted.json" "$T/plain.ndjson"
expect_rc 1 "an agent on a plain task"
expect_jq "$T/out" '.[0].gen.error.kind == "bad_task"' "bad_task"

# A descriptor naming a program that is not installed: refused up front.
jq -n '{name: "missing", command: ["no-such-agent-cli", "{instruction_file}"], wire: "openai", install: "npm install -g no-such-agent-cli"}' >"$T/missing.agent.json"
agent_config missing "$T/missing.agent.json"
run ab-gen -q -c "$T/missing.json" "$T/fix.ndjson"
expect_rc 2 "an agent that is not installed"
expect_contains "$T/err" "no-such-agent-cli is not installed (install: npm install -g no-such-agent-cli)" "the diagnostic says how to install it"

# A descriptor that speaks another wire format than the model's provider.
agent_config wrongwire scripted '"model_provider":"anthropic"'
run ab-gen -q -c "$T/wrongwire.json" "$T/fix.ndjson"
expect_rc 2 "wire format mismatch"
expect_contains "$T/err" "the relay passes requests through" "says why"

# Tree surgery: deletions (a file, a whole directory), a file replaced by
# a directory and a directory by a file, a binary file, a mode change: the
# patch (read from the overlay's changed paths) rebuilds that tree at
# grading.
ws_task surgery MARK-SURGERY '{"workspace": {"files": [
  {"path": "calc/__init__.py", "text": ""},
  {"path": "calc/ops.py", "text": "def add(a, b):\n    return a - b\n"},
  {"path": "README.md", "text": "calc\n"}, {"path": "old/a.txt", "text": "a\n"},
  {"path": "old/b/c.txt", "text": "c\n"}, {"path": "f.txt", "text": "f\n"},
  {"path": "d/x.txt", "text": "x\n"}, {"path": "mode.sh", "text": "echo m\n"}]},
  "grading": {"command": "test ! -e old && test ! -e README.md && test \"$(cat f.txt/inner)\" = inner && test -x mode.sh && test \"$(od -An -tx1 new.bin | tr -d \" \\n\")\" = 00010280ff && test \"$(cat d)\" = now-a-file && python3 -c \"from calc.ops import add; assert add(2, 3) == 5\" && echo TREE-OK", "results": "exit"}}' \
    >"$T/surgery.ndjson"
jq -n '{name: "surgery", wire: "none", command: ["sh", "-c",
  "cd /work && rm -r old README.md f.txt d && mkdir f.txt && echo inner >f.txt/inner && echo now-a-file >d && printf \"\\000\\001\\002\\200\\377\" >new.bin && chmod +x mode.sh && printf \"def add(a, b):\\n    return a + b\\n\" >calc/ops.py"]}' \
    >"$T/surgery.agent.json"
printf '{"name":"surgery","provider":"agent","agent":"%s"}\n' "$T/surgery.agent.json" >"$T/surgery.json"
run ab-gen -q -c "$T/surgery.json" "$T/surgery.ndjson"
cp "$T/out" "$T/surgery.out"
expect_jq "$T/surgery.out" '.[0].gen.error == null and .[0].gen.trial.outcome == "exited"' "surgery: the trial exited"
expect_jq "$T/surgery.out" '.[0].gen.patch | test("deleted file mode 100644\n") and test("GIT binary patch") and test("old mode 100644\nnew mode 100755")' "surgery: deletions, a binary file, a mode change in the patch"
run_in "$T/surgery.out" ab-extract
cp "$T/out" "$T/surgery.ext"
run_in "$T/surgery.ext" ab-exec
expect_jq "$T/out" '.[0].exec.verdict == "ok" and (.[0].exec.stdout | test("TREE-OK"))' "surgery: grading rebuilds the agent's tree"

expect_clean "agent trials"
done_testing
