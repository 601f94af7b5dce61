#!/bin/sh
# b07-cpp: ab-exec on C++ assertion tests beside MultiPL-E's own executor
# (evaluation/src/eval_cpp.py: g++ -std=c++17 prog.cpp -o prog && ./prog
# per program, no sandbox) on the same programs, in the same run: the
# MultiPL-E and HumanEval-X samples of tests/data/multipl-e (completions
# and references) and the references of tasks/cpp.ndjson's assertion
# tasks with their tests as one main, as MultiPL-E writes them.  Each
# program is timed BENCH_RUNS times (default 3) by each, one at a time;
# printed: the median per program (wall clock, and CPU of the whole
# process tree: user + system, which a loaded machine disturbs less) and
# the ratios of the sums of medians.  ab-exec is timed three ways, with
# a cache directory of its own whose precompiled headers a first,
# untimed run built: "later" samples of a task (its checker cached),
# the "first" sample of a task (the checker cache emptied before each
# run), and --no-cache.  Needs root for the sandbox.
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
          "HumanEval_901_keep_longs": "    std::vector<long> out;\n    for (auto &v : values)\n        if (v.type() == typeid(long))\n            out.push_back(std::any_cast<long>(v));\n    return out;",
          "HumanEval_904_sign_name": "    if (x < -9 || x > 9) return -1;\n    if (x < 0) return std::string(\"negative\");\n    if (x == 0) return std::string(\"zero\");\n    return std::string(\"positive\");",
          "HumanEval_905_words_or_count": "    std::vector<std::string> out;\n    std::string cur;\n    if (txt.find(' ') == std::string::npos) {\n        long n = 0;\n        for (char c : txt) n += std::isalpha((unsigned char)c) ? 1 : 0;\n        return n;\n    }\n    for (char c : txt) {\n        if (c != ' ') { cur += c; continue; }\n        if (!cur.empty()) out.push_back(cur);\n        cur.clear();\n    }\n    if (!cur.empty()) out.push_back(cur);\n    return out;"}
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
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# One timed command: wall ms and CPU ms (user + system of the tree)
# appended to $1.wall and $1.cpu; the command's status returned.
timed() {
	f=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$W/time.out" "$@"
	st=$?
	awk '{ printf "%d\n", $1 * 1000 }' "$W/time.out" | tail -n 1 >>"$f.wall"
	awk '{ printf "%d\n", ($2 + $3) * 1000 }' "$W/time.out" | tail -n 1 >>"$f.cpu"
	return $st
}
C=$W/cache
echo "b07-cpp: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $n programs, $RUNS runs each, medians"
i=0
: >"$W/sums"
while [ "$i" -lt "$n" ]; do
	sed -n "$((i + 1))p" "$W/recs.ndjson" >"$W/one.ndjson"
	for k in ab first nc me; do : >"$W/$k.wall"; : >"$W/$k.cpu"; done
	# Untimed: the precompiled headers of this program's headers.
	ab-exec -j 1 --cache-dir "$C" "$W/one.ndjson" >/dev/null 2>&1
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		timed "$W/ab" ab-exec -j 1 --cache-dir "$C" "$W/one.ndjson" \
		    >"$W/one.out" 2>"$W/one.err"
		rm -rf "$C/exec/checker"
		timed "$W/first" ab-exec -j 1 --cache-dir "$C" \
		    "$W/one.ndjson" >"$W/first.out" 2>"$W/first.err"
		timed "$W/nc" ab-exec -j 1 --no-cache "$W/one.ndjson" \
		    >"$W/nc.out" 2>"$W/nc.err"
		# shellcheck disable=SC2046
		if (cd "$W" && timed "$W/me" sh -c "g++ prog-$i.cpp -o prog-$i \
		    -std=c++17 $(cat "$W/prog-$i.libs") 2>/dev/null && \
		    ./prog-$i"); then
			st=OK
		else
			st=fail
		fi
		r=$((r + 1))
	done
	for k in ab first nc me; do
		eval "w_$k=\$(median <\"\$W/\$k.wall\")"
		eval "c_$k=\$(median <\"\$W/\$k.cpu\")"
	done
	# shellcheck disable=SC2154
	echo "$w_ab $w_first $w_nc $w_me $c_ab $c_first $c_nc $c_me" >>"$W/sums"
	# shellcheck disable=SC2154
	printf '  %-40s later %6d ms %5d cpu (%s)  first %6d ms %5d cpu (%s)  --no-cache %6d ms (%s)  g++ && run %6d ms %5d cpu (%s)\n' \
	    "$(jq -r .task.id "$W/one.ndjson")" "$w_ab" "$c_ab" \
	    "$(jq -r .exec.verdict "$W/one.out")" "$w_first" "$c_first" \
	    "$(jq -r .exec.verdict "$W/first.out")" "$w_nc" \
	    "$(jq -r .exec.verdict "$W/nc.out")" "$w_me" "$c_me" "$st"
	i=$((i + 1))
done
awk '{ for (k = 1; k <= 8; k++) s[k] += $k } END {
    printf "sum of medians, wall: MultiPL-E executor %d ms; ab-exec later samples %d ms (%.2fx), first sample %d ms (%.2fx), --no-cache %d ms (%.2fx)\n", s[4], s[1], s[1] / s[4], s[2], s[2] / s[4], s[3], s[3] / s[4]
    printf "sum of medians, cpu:  MultiPL-E executor %d ms; ab-exec later samples %d ms (%.2fx), first sample %d ms (%.2fx), --no-cache %d ms (%.2fx)\n", s[8], s[5], s[5] / s[8], s[6], s[6] / s[8], s[7], s[7] / s[8] }' "$W/sums"
