#!/bin/sh
# trials.sh OUT: regenerate the agent trial fixture (tests/rank/trials.ndjson)
# from real pipelines: ab-gen | ab-extract | ab-exec, with the scripted
# agent, Claude Code (when installed) and a shell agent writing an ndjson
# transcript, against tests/fake-server.py.  Outcomes: exited (passing and
# failing), no_change, budget, agent_failed, agent_timeout, patch_failed
# (a patch made not to apply before ab-extract), and provider failures
# (the upstream fails every retry).  The model's text carries HTML and
# </script> for the report's escaping tests.  Not a test: run it by hand
# (it needs the sandbox) and review the diff.
set -eu
OUT=${1:?usage: trials.sh OUT}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
PATH=$TOP/bin:$PATH
export PATH
ok() { :; }
not_ok() { echo "not ok: $*" >&2; }
diag() { :; }
. "$TOP/tests/lib-gen.sh"
. "$TOP/tests/lib-agent.sh"
trap 'stop_server; rm -rf "$T"' EXIT

HOSTILE='<b>bold</b> </script><script>alert(1)</script> & <!-- x'
jq -n --arg h "$HOSTILE" --argjson fix "$FIX_TURN" '{scripts: [
 {match: "MARK-FIX", turns: [$fix]},
 {match: "MARK-WRONG", turns: [{text: "```file:calc/ops.py\ndef add(a, b):\n    return a * b\n```\nDONE\n"}]},
 {match: "MARK-NOTHING", turns: [{text: ("It looks fine to me. " + $h + "\nDONE\n")}]},
 {match: "MARK-LOOP", turns: [{text: "Thinking more."}]},
 {match: "MARK-CC", turns: [
   {text: ("Let me look. " + $h), tool_use: [{name: "Read", input: {file_path: "/work/calc/ops.py"}}]},
   {text: "Now the fix.", tool_use: [{name: "Write", input: {file_path: "/work/calc/ops.py", content: ("def add(a, b):\n    # " + $h + "\n    return a + b\n")}}]},
   {text: ("Fixed add() in calc/ops.py. " + $h)}]}
]}' >"$T/script.json"
FAKE_SCRIPT=$T/script.json
export FAKE_SCRIPT
SERVER_LIFETIME=600
start_server

cd "$T"
ws_task ws-fix MARK-FIX >tasks-a.ndjson
ws_task ws-wrong MARK-WRONG >>tasks-a.ndjson
ws_task ws-nothing MARK-NOTHING >>tasks-a.ndjson
ws_task ws-loop MARK-LOOP '{"agent_limits": {"wall_ms": 60000, "calls": 2}}' >>tasks-a.ndjson

agent_config scripted scripted '"pricing":{"in":1,"out":2}'
ab-gen -q -n 2 -r trials-1 -c scripted.json tasks-a.ndjson >gen.ndjson || :

# A provider that fails every retry: never the agent's fault.
printf '{"name":"scripted-flaky","provider":"agent","agent":"scripted","model":"fake-1+fail500x99","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","backoff_s":0.01,"retries":1}\n' \
    "$BASE" >flaky.json
ab-gen -q -r trials-1 -c flaky.json tasks-a.ndjson >>gen.ndjson || :

# A shell agent: its transcript is ndjson tool actions; MARK-FAIL exits
# 7, MARK-SLEEP outlives its wall limit, MARK-SH fixes the bug.
cat >shell.sh <<'EOT'
ins=$(cat /tmp/ab/instruction.md)
say() { printf '%s\n' "$1"; }
say '{"type":"step","tool":"bash","input":"cat calc/ops.py","output":"def add(a, b):\n    return a - b\n"}'
case $ins in
*MARK-FAIL*) say '{"type":"error","text":"cannot continue: </script><b>x</b>"}'; echo broken >/work/calc/ops.py; exit 7 ;;
*MARK-SLEEP*) say '{"type":"step","tool":"bash","input":"sleep 30"}'; sleep 30 ;;
esac
printf 'def add(a, b):\n    return a + b\n' >/work/calc/ops.py
say '{"type":"step","tool":"write","input":"calc/ops.py","output":"wrote 2 lines"}'
say '{"type":"result","text":"Fixed it <i>quickly</i>."}'
EOT
jq -n --rawfile s shell.sh '{name: "shell", command: ["sh", "{agent_dir}/agent.sh"],
  wire: "none", transcript: "ndjson", files: [{path: "ab/agent.sh", text: $s}]}' >shell.agent.json
printf '{"name":"shell","provider":"agent","agent":"%s"}\n' "$T/shell.agent.json" >shell.json
ws_task ws-sh MARK-SH >tasks-b.ndjson
ws_task ws-fail MARK-FAIL >>tasks-b.ndjson
ws_task ws-sleep MARK-SLEEP '{"agent_limits": {"wall_ms": 1500}}' >>tasks-b.ndjson
ab-gen -q -r trials-1 -c shell.json tasks-b.ndjson >>gen.ndjson || :

if [ -x /var/cache/ab/npm/bin/claude ]; then
	ws_task ws-cc MARK-CC '{"agent_limits": {"wall_ms": 120000}}' >tasks-c.ndjson
	printf '{"name":"claude-code","provider":"agent","agent":"claude-code","model":"claude-sonnet-4-5","base_url":"%s/v1","api_key_env":"AB_TEST_KEY","backoff_s":0.01,"pricing":{"in":3,"out":15}}\n' \
	    "$BASE" >cc.json
	ab-gen -q -j 1 -r trials-1 -c cc.json tasks-c.ndjson >>gen.ndjson || :
fi

# patch_failed: the second sample of ws-fix with a patch that no longer
# applies (its context changed), as a damaged record would arrive.
jq -c 'if .id == "ws-fix/scripted/1" then .gen.patch |= sub("-    return a - b"; "-    return a / b") else . end' \
    gen.ndjson >gen2.ndjson
ab-extract <gen2.ndjson >ext.ndjson || :
ab-exec <ext.ndjson >"$OUT" || :
