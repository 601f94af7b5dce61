#!/bin/sh
# b07-trial: agent trials.
#  1. Set-up plus tear-down of a trial on a 1,000-file, 20 MB workspace
#     (base cached; the agent is `true`, no model): median of 11 trials,
#     from gen.trial.setup_ms + teardown_ms; and the disk a trial that
#     changes one file uses (gen.trial.disk_kb).
#  2. 100 trials of the scripted agent at -j 2 against the local fake
#     server: trials per second, overhead per trial (trial time minus the
#     agent's own), ab-gen's peak memory.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
B=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX")
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$B"' EXIT

# A workspace of 1,000 files, 20 MB (20 KiB each, in 20 directories).
python3 - "$B" <<'PY'
import json, sys, random
random.seed(7)
files = []
for i in range(1000):
    body = "".join("line %d of file %d %s\n" % (k, i, "x" * 40)
                   for k in range(20480 // 60))
    files.append({"path": "d%02d/f%04d.txt" % (i % 20, i), "text": body[:20480]})
def task(tid, n):
    return {"id": tid, "kind": "workspace", "language": "python",
            "prompt": "MARK-BENCH touch one file", "workspace": {"files": files},
            "grading": {"command": "true", "results": "exit"},
            "agent_limits": {"wall_ms": 60000}}
with open(sys.argv[1] + "/big.ndjson", "w") as f:
    f.write(json.dumps(task("big", 0)) + "\n")
PY
du -sh "$B/big.ndjson" | sed 's/^/workspace task: /'

# 1. An agent that does nothing, and one that changes one file.
jq -n '{name: "noop", command: ["true"], wire: "none"}' >"$B/noop.agent.json"
jq -n '{name: "one", command: ["sh", "-c", "echo changed >>/work/d00/f0000.txt"], wire: "none"}' >"$B/one.agent.json"
printf '{"name":"noop","provider":"agent","agent":"%s"}\n' "$B/noop.agent.json" >"$B/noop.json"
printf '{"name":"one","provider":"agent","agent":"%s"}\n' "$B/one.agent.json" >"$B/one.json"
ab-gen -q -j 1 -n 11 -c "$B/noop.json" "$B/big.ndjson" >"$B/noop.out"
jq -s '[.[] | select(.gen.trial.base_cached) | .gen.trial.setup_ms + .gen.trial.teardown_ms] | sort | .[length / 2 | floor]' \
    "$B/noop.out" | sed 's/^/set-up + tear-down, 1000 files, 20 MB (median ms): /'
jq -s '[.[] | select(.gen.trial.base_cached) | .gen.trial.setup_ms] | sort | .[length / 2 | floor]' \
    "$B/noop.out" | sed 's/^/  of which set-up (median ms): /'
jq -s '[.[] | .gen.trial.setup_ms] | max' "$B/noop.out" |
    sed 's/^/  first trial, materialising the base (ms): /'
ab-gen -q -j 1 -n 5 -c "$B/one.json" "$B/big.ndjson" >"$B/one.out"
jq -s '[.[] | .gen.trial.disk_kb] | sort | .[length / 2 | floor]' "$B/one.out" |
    sed 's/^/disk of a trial changing one 20 KiB file (KiB): /'
jq -s '[.[] | .gen.patch | length] | max' "$B/one.out" |
    sed 's/^/  its patch (bytes): /'

# 2. 100 scripted-agent trials at -j 2.
python3 - "$B" <<'PY'
import json, sys
t = {"id": "small", "kind": "workspace", "language": "python",
     "prompt": "MARK-BENCH: fix add() in calc/ops.py",
     "workspace": {"files": [{"path": "calc/__init__.py", "text": ""},
                             {"path": "calc/ops.py", "text": "def add(a, b):\n    return a - b\n"}]},
     "grading": {"command": "true", "results": "exit"}}
with open(sys.argv[1] + "/small.ndjson", "w") as f:
    f.write(json.dumps(t) + "\n")
with open(sys.argv[1] + "/script.json", "w") as f:
    json.dump({"scripts": [{"match": "MARK-BENCH", "turns": [{"text":
        "```file:calc/ops.py\ndef add(a, b):\n    return a + b\n```\nDONE\n"}]}]}, f)
PY
FAKE_SCRIPT=$B/script.json python3 "$TOP/tests/fake-server.py" "$B/port" "" 600 \
    >/dev/null 2>&1 &
SERVER=$!
i=0
while [ ! -s "$B/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
printf '{"name":"scripted","provider":"agent","agent":"scripted","model":"fake-1","base_url":"http://127.0.0.1:%s/v1","api_key_env":"AB_BENCH_KEY"}\n' \
    "$(cat "$B/port")" >"$B/scripted.json"
export AB_BENCH_KEY=sk-bench
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$B/rss" ab-gen -q -j 2 -n 100 -c "$B/scripted.json" \
    "$B/small.ndjson" >"$B/scripted.out"
t1=$(date +%s.%N)
jq -s 'length' "$B/scripted.out" | sed 's/^/scripted trials: /'
jq -s '[.[] | select(.gen.trial.outcome == "exited")] | length' "$B/scripted.out" |
    sed 's/^/  exited with a patch: /'
echo "$t0 $t1" | awk '{ printf "  trials per second at -j 2: %.2f\n", 100 / ($2 - $1) }'
jq -s '[.[] | .gen.trial.setup_ms + .gen.trial.teardown_ms] | sort | .[length / 2 | floor]' \
    "$B/scripted.out" | sed 's/^/  overhead per trial, set-up + tear-down (median ms): /'
jq -s '[.[] | .gen.trial.wall_ms] | sort | .[length / 2 | floor]' \
    "$B/scripted.out" | sed 's/^/  the agent itself, python and one call (median ms): /'
jq -s '[.[] | .gen.calls[0].latency_ms] | sort | .[length / 2 | floor]' \
    "$B/scripted.out" | sed 's/^/  one relayed call (median ms): /'
sed 's/^/  ab-gen peak memory (KiB): /' "$B/rss"
