# lib-agent.sh - the agent trial tests' preamble and helpers.  Source after
# lib.sh (and any skip of the file's own): it brings lib-gen.sh (the fake
# server) and lib-exec.sh, moves to $T and skips the file where this
# machine cannot build the sandbox (need_sandbox).
. "$TOP/tests/lib-gen.sh"
. "$TOP/tests/lib-exec.sh"
cd "$T" || exit 1
need_sandbox

# agent_server: start the fake server with the scripts read from stdin
# (tests/fake-server.py's FAKE_SCRIPT, written to $T/script.json).
agent_server() {
	cat >"$T/script.json"
	FAKE_SCRIPT=$T/script.json
	export FAKE_SCRIPT
	start_server
}

# streaming_agent: $T/streaming.agent.json, the scripted agent asking for
# its answers as server-sent events.
streaming_agent() {
	jq '.command = ["python3", "{agent_dir}/scripted.py", "--stream", "{instruction_file}", "{workspace}", "{model}"] | .files[0].from = $p' \
	    --arg p "$TOP/share/ab/agents/scripted.py" \
	    "$TOP/share/ab/agents/scripted.json" >"$T/streaming.agent.json"
}

# ws_task ID MARKER [EXTRA-JSON-MEMBERS]: a python workspace task whose
# hidden test needs calc.ops.add to add; its prompt carries MARKER (the
# fake server's scripts match it).  Printed on stdout.
ws_task() {
	jq -cn --arg id "$1" --arg m "$2" --argjson x "${3:-{\}}" '{
	  id: $id, kind: "workspace", language: "python",
	  difficulty: "easy", category: "bug-fixing",
	  prompt: ($m + ": fix add() in calc/ops.py so that it adds."),
	  workspace: {files: [
	    {path: "calc/__init__.py", text: ""},
	    {path: "calc/ops.py", text: "def add(a, b):\n    return a - b\n"},
	    {path: "README.md", text: "calc\n"}]},
	  grading: {files: [{path: "tests/test_hidden.py",
	    text: "import sys\nsys.path.insert(0, \".\")\nfrom calc.ops import add\nassert add(2, 3) == 5\nprint(\"HIDDEN-TEST-RAN\")\n"}],
	    command: "python3 tests/test_hidden.py", results: "exit"},
	  agent_limits: {wall_ms: 60000},
	  solution: {patch: "diff --git a/calc/ops.py b/calc/ops.py\n--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n"}
	} + $x'
}

# The fix, as the scripted agent's model says it.
FIX_TURN='{"text": "```file:calc/ops.py\ndef add(a, b):\n    return a + b\n```\nDONE\n"}'

# agent_config NAME AGENT [EXTRA-JSON-MEMBERS]: a configuration running
# AGENT (a descriptor name or path) against the fake server.
agent_config() {
	printf '{"name":"%s","provider":"agent","agent":"%s","model":"fake-1","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","backoff_s":0.01%s}\n' \
	    "$1" "$2" "$BASE" "${3:+,$3}" >"$T/$1.json"
}

# hostile_agent NAME SCRIPT: a descriptor whose command is the sh SCRIPT
# (written to $T/NAME.sh), speaking OpenAI chat to the relay.
hostile_agent() {
	jq -n --arg n "$1" --rawfile s "$T/$1.sh" '{name: $n,
	  command: ["sh", "{agent_dir}/agent.sh"], wire: "openai",
	  env: {OPENAI_BASE_URL: "{base_url}/v1", OPENAI_API_KEY: "{api_key}"},
	  files: [{path: "ab/agent.sh", text: $s}]}' >"$T/$1.agent.json"
}
