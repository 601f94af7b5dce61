#!/bin/sh
# A real agent CLI from npm, Claude Code (installed by make deps into
# /var/cache/ab/npm), end to end: in the sandbox, through the relay, to the
# fake server, which answers with the tool calls (Read, Write) that make it
# edit the workspace.  The trial's patch passes the hidden test.
. "$(dirname "$0")/lib.sh"
CLAUDE=/var/cache/ab/npm/bin/claude
[ -x "$CLAUDE" ] && command -v node >/dev/null 2>&1 ||
	skip_env "$CLAUDE or node is not installed (make deps installs them)"
. "$TOP/tests/lib-agent.sh"

agent_server <<'EOT'
{"scripts": [{"match": "MARK-CC", "turns": [
  {"text": "Let me look.", "tool_use": [{"name": "Read", "input": {"file_path": "/work/calc/ops.py"}}]},
  {"text": "Now the fix.", "tool_use": [{"name": "Write", "input": {"file_path": "/work/calc/ops.py", "content": "def add(a, b):\n    return a + b\n"}}]},
  {"text": "Fixed add() in calc/ops.py."}]}]}
EOT
ws_task cc MARK-CC '{"agent_limits": {"wall_ms": 120000}}' >"$T/task.ndjson"
printf '{"name":"cc","provider":"agent","agent":"claude-code","model":"claude-sonnet-4-5","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","backoff_s":0.01,"pricing":{"in":3,"out":15}}\n' \
    "$BASE" >"$T/cc.json"
run ab-gen -q -j 1 -c "$T/cc.json" "$T/task.ndjson"
expect_rc 0 "Claude Code in a trial"
cp "$T/out" "$T/cc.out"
expect_jq "$T/cc.out" '.[0].gen.trial.outcome == "exited" and .[0].gen.error == null' "outcome exited"
expect_jq "$T/cc.out" '.[0].gen.patch | test("^diff --git a/calc/ops.py b/calc/ops.py\n") and test("\n[+]    return a [+] b\n")' "its Write is the patch"
expect_jq "$T/cc.out" '.[0].gen.text == "Fixed add() in calc/ops.py."' "gen.text from the stream-json result"
expect_jq "$T/cc.out" '[.[0].gen.transcript[] | select(.type == "assistant")] | length >= 3' "the transcript is kept"
expect_jq "$T/cc.out" '[.[0].gen.calls[] | select(.endpoint == "/messages" and .status == 200)] | length >= 3' "its calls went through the relay"
expect_jq "$T/cc.out" '(.[0].gen.tokens.in > 0) and (.[0].gen.cost_usd > 0) and ([.[0].gen.calls[] | .cost_usd] | add) == .[0].gen.cost_usd' "tokens and cost metered"
expect_jq "$T/cc.out" '.[0].gen.agent_version | test("Claude Code")' "the agent's version is recorded"
expect_not_contains "$T/cc.out" "$AB_TEST_KEY" "the key is not in the record"
jq -s '[.[] | select(.path | test("messages"))] | all(.has_key)' "$T/requests.log" >"$T/keyed"
expect_text "$T/keyed" true "every upstream request carried the real key"

run_in "$T/cc.out" ab-extract
cp "$T/out" "$T/cc.ext"
run_in "$T/cc.ext" ab-exec
expect_rc 0 "graded"
expect_jq "$T/out" '.[0].exec.verdict == "ok"' "the hidden test passes"
expect_clean "claude code"
done_testing
