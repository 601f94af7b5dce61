#!/bin/sh
# b07-cpp: ab-exec on C++ assertion tests beside MultiPL-E's own executor
# (evaluation/src/eval_cpp.py: g++ -std=c++17 prog.cpp -o prog && ./prog
# per program, no sandbox) on the same programs, in the same run: the
# MultiPL-E and HumanEval-X samples of tests/data/multipl-e (completions
# and references) and the references of tasks/cpp.ndjson's assertion
# tasks with their tests as one main, as MultiPL-E writes them.  Each
# program is timed BENCH_RUNS times (default 3) by each, one at a time;
# printed: the median per program and the ratio of the sums of medians.
# ab-exec is timed twice: with its precompiled headers (the default
# cache directory; the first use of a set of headers builds them) and
# with --no-cache.  Needs root for the sandbox.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
RUNS=${BENCH_RUNS:-3}
if [ "$(id -u)" != 0 ]; then
	echo "b07-cpp: skipped: the sandbox needs root"
	exit 0
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
D=$TOP/tests/data/multipl-e
jq -c -f "$AB_SHARE/import/multipl-e.jq" "$D/multipl-e.jsonl" >"$W/me.ndjson"
jq -c -f "$AB_SHARE/import/humaneval-x.jq" "$D/humaneval-x.jsonl" >"$W/hx.ndjson"

# Records (one per line) and, beside each, the single program MultiPL-E's
# executor would run: prog-N.cpp, and prog-N.libs (its -l options).
python3 - "$W" "$D/multipl-e.jsonl" "$D/humaneval-x.jsonl" \
    "$TOP/tasks/cpp.ndjson" >"$W/recs.ndjson" <<'PY'
import json, sys
w, me, hx, core = sys.argv[1:]
progs = []
def emit(task, code, program):
    n = len(progs)
    progs.append(program)
    open("%s/prog-%d.cpp" % (w, n), "w").write(program)
    open("%s/prog-%d.libs" % (w, n), "w").write(
        " ".join("-l" + l for l in task.get("link", [])))
    print(json.dumps({"id": "%s/bench/%d" % (task["id"], n), "run": "bench",
        "task": task, "config": {"name": "bench", "hash": "bench"},
        "sample": n, "gen": {"text": code, "error": None},
        "extract": {"code": code, "error": None}}))
tasks = {json.loads(l)["source"]["name"]: json.loads(l)
         for l in open(w + "/me.ndjson")}
bodies = {"HumanEval_900_sum_positive": "    long s = 0;\n    for (long x : xs)\n        if (x > 0)\n            s += x;\n    return s;",
          "HumanEval_901_keep_longs": "    std::vector<long> out;\n    for (auto &v : values)\n        if (v.type() == typeid(long))\n            out.push_back(std::any_cast<long>(v));\n    return out;"}
for line in open(me):
    p = json.loads(line)
    if p["language"] == "cpp":
        emit(tasks[p["name"]], p["prompt"] + bodies[p["name"]],
             p["prompt"] + bodies[p["name"]] + p["tests"])
hxt = [json.loads(l) for l in open(w + "/hx.ndjson")]
for p, t in zip([json.loads(l) for l in open(hx)], hxt):
    if t["language"] == "cpp":
        emit(t, t["reference"], t["reference"] + p["test"])
for line in open(core):
    t = json.loads(line)
    if any(x["style"] != "assert" for x in t["tests"]):
        continue
    one = dict(t, tests=[{"style": "assert", "code": "\n".join(
        "{\n" + x["code"] + "\n}" for x in t["tests"])}])
    emit(one, t["reference"], "#include <cassert>\n#include <cstring>\n"
         "#include <string>\n#include <vector>\n" + t["reference"] +
         "\nint main() {\n" + one["tests"][0]["code"] + "\n}\n")
PY
n=$(wc -l <"$W/recs.ndjson")
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "b07-cpp: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $n programs, $RUNS runs each, medians"
i=0
: >"$W/sums"
while [ "$i" -lt "$n" ]; do
	sed -n "$((i + 1))p" "$W/recs.ndjson" >"$W/one.ndjson"
	: >"$W/ab.times"
	: >"$W/nc.times"
	: >"$W/me.times"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		t0=$(now_ms)
		ab-exec -j 1 "$W/one.ndjson" >"$W/one.out" 2>"$W/one.err"
		echo $(($(now_ms) - t0)) >>"$W/ab.times"
		t0=$(now_ms)
		ab-exec -j 1 --no-cache "$W/one.ndjson" >"$W/nc.out" 2>"$W/nc.err"
		echo $(($(now_ms) - t0)) >>"$W/nc.times"
		t0=$(now_ms)
		# shellcheck disable=SC2046
		if (cd "$W" && g++ "prog-$i.cpp" -o "prog-$i" -std=c++17 \
		    $(cat "prog-$i.libs") 2>/dev/null && "./prog-$i"); then
			st=OK
		else
			st=fail
		fi
		echo $(($(now_ms) - t0)) >>"$W/me.times"
		r=$((r + 1))
	done
	a=$(median <"$W/ab.times")
	c=$(median <"$W/nc.times")
	m=$(median <"$W/me.times")
	echo "$a $m $c" >>"$W/sums"
	printf '  %-40s ab-exec %6d ms (%s)  --no-cache %6d ms (%s)  g++ && run %6d ms (%s)\n' \
	    "$(jq -r .task.id "$W/one.ndjson")" "$a" \
	    "$(jq -r .exec.verdict "$W/one.out")" "$c" \
	    "$(jq -r .exec.verdict "$W/nc.out")" "$m" "$st"
	i=$((i + 1))
done
awk '{ a += $1; m += $2; c += $3 } END {
    printf "sum of medians: ab-exec %d ms, MultiPL-E executor %d ms: ab-exec takes %.2fx its time\n", a, m, a / m
    printf "without precompiled headers (--no-cache): ab-exec %d ms, %.2fx\n", c, c / m }' "$W/sums"
