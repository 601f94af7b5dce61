#!/bin/sh
# b07-trial: agent trials.
#  1. Set-up plus tear-down of a trial on a 1,000-file, 20 MB workspace
#     (base cached; the agent is `true`, or appends to one file; no
#     model): medians of 40 trials, from gen.trial.setup_ms +
#     teardown_ms; the disk a trial uses (gen.trial.disk_kb); and the
#     old way of making the patch (git processes), timed in the same run.
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
ab-gen -q -j 1 -n 41 -c "$B/noop.json" "$B/big.ndjson" >"$B/noop.out"
MED='sort | .[length / 2 | floor] * 100 | round / 100'
jq -s "[.[] | select(.gen.trial.base_cached) | .gen.trial.setup_ms + .gen.trial.teardown_ms] | $MED" \
    "$B/noop.out" | sed 's/^/set-up + tear-down, 1000 files, 20 MB, agent changes nothing (median of 40, ms): /'
jq -s "[.[] | select(.gen.trial.base_cached) | .gen.trial.setup_ms] | $MED" \
    "$B/noop.out" | sed 's/^/  of which set-up (median ms): /'
jq -s '[.[] | .gen.trial.setup_ms] | max' "$B/noop.out" |
    sed 's/^/  first trial, materialising the base (ms): /'
jq -s "[.[] | .gen.trial.disk_kb] | $MED" "$B/noop.out" |
    sed 's/^/  disk of such a trial (KiB, the constant): /'
ab-gen -q -j 1 -n 41 -c "$B/one.json" "$B/big.ndjson" >"$B/one.out"
jq -s "[.[] | select(.gen.trial.base_cached) | .gen.trial.setup_ms + .gen.trial.teardown_ms] | $MED" \
    "$B/one.out" | sed 's/^/set-up + tear-down, the agent appends to one 20 KiB file (median of 40, ms): /'
jq -s "[.[] | select(.gen.trial.base_cached) | .gen.trial.teardown_ms] | $MED" \
    "$B/one.out" >"$B/new-td"
sed 's/^/  of which tear-down, the patch included (median ms): /' "$B/new-td"
jq -s "[.[] | .gen.trial.disk_kb] | $MED" "$B/one.out" |
    sed 's/^/  disk of that trial (KiB; the file is copied up whole): /'
jq -s '[.[] | .gen.patch | length] | max' "$B/one.out" |
    sed 's/^/  its patch (bytes): /'
# The way tear-down made the patch before (two git processes over a copy
# of the base's index: add -A of the changed paths, diff --cached
# --binary), timed on a copy of the same tree in this run, for the ratio.
python3 - "$B" <<'PY'
import json, os, subprocess, sys, time, shutil, statistics
b = sys.argv[1]
t = json.loads(open(b + "/big.ndjson").readline())
w = b + "/old"
for f in t["workspace"]["files"]:
    p = os.path.join(w, f["path"])
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write(f["text"])
env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
           GIT_AUTHOR_NAME="ab", GIT_AUTHOR_EMAIL="ab@localhost",
           GIT_COMMITTER_NAME="ab", GIT_COMMITTER_EMAIL="ab@localhost")
def git(*a, inp=None):
    return subprocess.run(["git", "-C", w] + list(a), input=inp, env=env,
                          check=True, capture_output=True).stdout
git("init", "-q"); git("add", "-A"); git("commit", "-qm", "base")
base = git("rev-parse", "HEAD").strip().decode()
shutil.copy(w + "/.git/index", b + "/index.base")
with open(w + "/d00/f0000.txt", "a") as f:
    f.write("changed\n")
times = []
for _ in range(21):
    shutil.copy(b + "/index.base", w + "/.git/index")
    t0 = time.monotonic()
    git("-c", "core.excludesFile=/dev/null", "add", "-A", "--ignore-errors",
        "--pathspec-from-file=-", "--pathspec-file-nul", inp=b"d00/f0000.txt\0")
    git("diff", "--cached", "--binary", "--no-renames", base)
    times.append((time.monotonic() - t0) * 1000)
old = statistics.median(times)
new = float(open(b + "/new-td").read())
print("  the old tear-down's patch alone, two git processes (median of 21, ms): %.2f" % old)
print("  ratio, old patch alone / new whole tear-down: %.1fx" % (old / new if new > 0 else float("inf")))
PY

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
