#!/bin/sh
# b10-multiple-agree: ab-exec's verdicts on real MultiPL-E completions
# beside MultiPL-E's own executor's, on the same programs.
#   sh tests/bench/b10-multiple-agree.sh [DIR]
# DIR (default $AB_MULTIPLE_DATA, else tests/data/multipl-e/real) holds
# MultiPL-E completion files, in any subdirectories: *.json (one problem)
# or *.jsonl (one a line),
# each with name, language, prompt, tests, stop_tokens and completions, as
# MultiPL-E's completions step writes them; optionally "statuses" (the
# status MultiPL-E's executor gave each completion, from its .results.json)
# or a sibling NAME.results.json with results[].status.  The task is the
# problem through share/ab/import/multipl-e.jq; each completion becomes a
# record whose code is prompt + completion (MultiPL-E's own assembly is
# prompt + completion + a newline + tests).  The upstream verdict is the
# recorded status when there is one, else that of MultiPL-E's executor
# logic run here (evaluation/src/eval_cpp.py, eval_javascript.py,
# eval_python.py: g++ -std=c++17 then the binary, node, python3; exit
# status 0 is OK; timeouts 15 s, 5 s, 15 s; the compile gets 60 s, where
# MultiPL-E's 15 s fails correct programs on a loaded machine).  Samples
# that time out on either side are excluded (MultiPL-E's executor has no
# memory limit: a program that grows without end times out there and
# meets ab-exec's memory limit).  Printed per language: problems,
# samples, timeouts excluded, those MultiPL-E passes, agree, disagree;
# then each disagreement (file, completion index, both verdicts and why).
# With BENCH_RERUN=1 the executor runs even where a status is recorded,
# and a recorded status that the local run contradicts is listed (a
# toolchain difference, not ab's).  BENCH_OUT=DIR keeps both sides'
# results there (upstream.ndjson, exec.ndjson).  With BENCH_TIME=1 the
# time each side takes on the same samples follows (see below).  Exit
# status 1 when there are no completions in DIR, or a language agrees on
# fewer than BENCH_AGREE percent (default 99) of its samples.  Needs root
# for the sandbox.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
DIR=${1:-${AB_MULTIPLE_DATA:-$TOP/tests/data/multipl-e/real}}
if [ "$(id -u)" != 0 ]; then
	echo "b10-multiple-agree: skipped: the sandbox needs root"
	exit 0
fi
if [ ! -d "$DIR" ]; then
	echo "b10-multiple-agree: no directory $DIR" >&2
	exit 1
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT

# Problems (one a line, with their file), the tasks, the records.
python3 - "$DIR" >"$W/problems.ndjson" <<'PY' || exit 1
import json, os, sys
root = sys.argv[1]
for d, _, files in sorted(os.walk(root, followlinks=True)):
    for f in sorted(files):
        p = os.path.join(d, f)
        if f.endswith(".results.json"):
            continue
        if f.endswith(".jsonl"):
            docs = [json.loads(l) for l in open(p) if l.strip()]
        elif f.endswith(".json"):
            docs = [json.load(open(p))]
        else:
            continue
        for i, doc in enumerate(docs):
            if not isinstance(doc.get("completions"), list):
                continue
            res = p[:-len(".json")] + ".results.json"
            if "statuses" not in doc and f.endswith(".json") and os.path.exists(res):
                doc["statuses"] = [r["status"] for r in json.load(open(res))["results"]]
            doc["file"] = os.path.relpath(p, root) + ("" if len(docs) == 1 else ":%d" % (i + 1))
            print(json.dumps(doc))
PY
if [ ! -s "$W/problems.ndjson" ]; then
	echo "b10-multiple-agree: no MultiPL-E completion files in $DIR" >&2
	exit 1
fi
jq -c 'del(.completions, .statuses, .file)' "$W/problems.ndjson" \
	| jq -c -f "$AB_SHARE/import/multipl-e.jq" >"$W/tasks.ndjson" || exit 1
python3 - "$W" <<'PY' || exit 1
import json, sys
w = sys.argv[1]
probs = [json.loads(l) for l in open(w + "/problems.ndjson")]
tasks = [json.loads(l) for l in open(w + "/tasks.ndjson")]
ext = {"cpp": "cpp", "javascript": "js", "python": "py"}
with open(w + "/recs.ndjson", "w") as recs, open(w + "/index.ndjson", "w") as idx:
    n = 0
    for p, t in zip(probs, tasks):
        if t["language"] not in ext:
            continue
        st = p.get("statuses") or []
        for i, c in enumerate(p["completions"]):
            code = p["prompt"] + c
            prog = "%s/prog-%d.%s" % (w, n, ext[t["language"]])
            # evaluation/src/main.py: prompt + completion + "\n" + tests
            open(prog, "w").write(p["prompt"] + c + "\n" + p["tests"])
            recs.write(json.dumps({"id": "%s/%d" % (p["file"], i), "run": "b10",
                "task": t, "config": {"name": "b10", "hash": "b10"}, "sample": i,
                "gen": {"text": code, "error": None},
                "extract": {"code": code, "error": None}}) + "\n")
            idx.write(json.dumps({"n": n, "id": "%s/%d" % (p["file"], i),
                "lang": t["language"], "prog": prog,
                "status": st[i] if i < len(st) else None}) + "\n")
            n += 1
PY

# MultiPL-E's executor logic, two at a time: STATUS per program.
python3 - "$W" "${BENCH_RERUN:-0}" >"$W/upstream.ndjson" <<'PY' || exit 1
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
w, rerun = sys.argv[1], sys.argv[2] == "1"
def run(args, timeout):
    try:
        r = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout, start_new_session=True)
        return r.returncode, r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "timeout"
def execute(x):
    if x["status"] is not None and not rerun:
        return dict(x, local=None)
    p = x["prog"]
    if x["lang"] == "cpp":
        rc, err = run(["g++", p, "-o", p[:-4], "-std=c++17"], 60)
        if rc != 0:
            return dict(x, local="SyntaxError", why=err[-300:])
        rc, err = run([p[:-4]], 15)
        os.unlink(p[:-4])
    elif x["lang"] == "javascript":
        rc, err = run(["node", p], 5)
    else:
        rc, err = run(["python3", p], 15)
    s = "Timeout" if rc is None else "OK" if rc == 0 else "Exception"
    return dict(x, local=s, why=err[-300:])
xs = [json.loads(l) for l in open(w + "/index.ndjson")]
with ThreadPoolExecutor(2) as ex:
    for y in ex.map(execute, xs):
        print(json.dumps(y))
PY

ab-exec -j 2 "$W/recs.ndjson" >"$W/exec.ndjson" 2>"$W/exec.err"
rc=$?
if [ $rc -gt 1 ]; then
	echo "b10-multiple-agree: ab-exec failed (exit $rc)" >&2
	cat "$W/exec.err" >&2
	exit 1
fi

if [ -n "${BENCH_OUT:-}" ]; then
	mkdir -p "$BENCH_OUT" && cp "$W/upstream.ndjson" "$W/exec.ndjson" "$BENCH_OUT"/
fi
python3 - "$W" "${BENCH_AGREE:-99}" <<'PY'
import json, sys
w, floor = sys.argv[1], float(sys.argv[2])
up = {x["id"]: x for x in map(json.loads, open(w + "/upstream.ndjson"))}
out = {}
for line in open(w + "/exec.ndjson"):
    r = json.loads(line)
    out[r["id"]] = r
langs, bad, drift = {}, [], []
for i, u in up.items():
    s = u["status"] if u["status"] is not None else u["local"]
    if u["status"] is not None and u.get("local") not in (None, u["status"]) \
            and (u["status"] == "OK") != (u["local"] == "OK"):
        drift.append("%s: recorded %s, here %s (%s)" % (i, u["status"], u["local"],
            (u.get("why") or "").strip().splitlines()[-1:] ))
    r = out.get(i)
    v = r["exec"].get("verdict") if r and "exec" in r else None
    L = langs.setdefault(u["lang"], [0, 0, 0, 0, 0, set()])
    L[0] += 1
    L[5].add(i.rsplit("/", 1)[0])
    if s == "Timeout" or v == "timeout":
        L[1] += 1
        continue
    L[4] += s == "OK"
    if (s == "OK") == (v == "ok"):
        L[2] += 1
        continue
    L[3] += 1
    why = ""
    if r and "exec" in r:
        for t in r["exec"].get("tests") or []:
            if t.get("verdict") != "ok":
                why = json.dumps({k: t[k] for k in t if k in ("verdict", "message", "stderr", "expected", "actual")})[:300]
                break
        if not why and r["exec"].get("error"):
            why = json.dumps(r["exec"]["error"])[:300]
    else:
        why = "no exec record"
    bad.append("  %s: upstream %s, ab-exec %s: %s%s" % (i, s, v, why,
        "" if s == "OK" else " | upstream: " + " ".join((u.get("why") or "").split())[-200:]))
fail = 0
print("%-11s %8s %7s %8s %9s %6s %8s %7s" % ("language", "problems", "samples", "timeouts", "upstream-ok", "agree", "disagree", "agree%"))
for lang in sorted(langs):
    n, t, a, d, o, probs = langs[lang]
    pct = 100.0 * a / (a + d) if a + d else 100.0
    if pct < floor:
        fail = 1
    print("%-11s %8d %7d %8d %11d %6d %8d %7.2f" % (lang, len(probs), n, t, o, a, d, pct))
if bad:
    print("disagreements:")
    print("\n".join(bad))
if drift:
    print("recorded statuses the executor here contradicts (toolchain):")
    print("\n".join("  " + x for x in drift))
sys.exit(fail)
PY
status=$?
[ "${BENCH_TIME:-0}" = 1 ] || exit $status

# Time, per language, over the samples neither side timed out on: one
# ab-exec -j 1 over all of them in file order (as a user runs it: each
# problem's first sample builds its checker, the others reuse it; the
# checker cache emptied before each timed run, the precompiled headers
# built by an untimed run first) against MultiPL-E's executor run one
# program after another (its commands, as above).  BENCH_RUNS runs
# (default 3); medians of the whole set's wall clock and CPU (user +
# system of the process tree; ab-exec's warm Python interpreters live
# outside that tree, so for python read the wall clock).
RUNS=${BENCH_RUNS:-3}
jq -r 'select(.exec.verdict == "timeout" or .exec.verdict == "memory_limit"
	or .exec.verdict == "time_limit") | .id' "$W/exec.ndjson" >"$W/slow.txt"
jq -r 'select(.status == "Timeout" or .local == "Timeout") | .id' \
	"$W/upstream.ndjson" >>"$W/slow.txt"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
timed() {
	f=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$W/time.out" "$@" >/dev/null 2>&1
	awk '{ printf "%d\n", $1 * 1000 }' "$W/time.out" | tail -n 1 >>"$f.wall"
	awk '{ printf "%d\n", ($2 + $3) * 1000 }' "$W/time.out" | tail -n 1 >>"$f.cpu"
}
echo "time: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs, medians of the set's totals"
for lang in cpp javascript python; do
	jq -c --rawfile slow "$W/slow.txt" --arg l "$lang" '($slow | split("\n")) as $s
		| select(.task.language == $l and (.id as $i | $s | index($i) | not))' \
		"$W/recs.ndjson" >"$W/t-$lang.ndjson"
	jq -r --rawfile slow "$W/slow.txt" --arg l "$lang" '($slow | split("\n")) as $s
		| select(.lang == $l and (.id as $i | $s | index($i) | not)) | .prog' \
		"$W/index.ndjson" >"$W/t-$lang.progs"
	n=$(wc -l <"$W/t-$lang.ndjson")
	[ "$n" -gt 0 ] || continue
	np=$(jq -r '.task.id' "$W/t-$lang.ndjson" | sort -u | wc -l)
	case $lang in
	cpp) run='g++ "$p" -o "$p.bin" -std=c++17 && "$p.bin"; rm -f "$p.bin"' ;;
	javascript) run='node "$p"' ;;
	python) run='python3 "$p"' ;;
	esac
	C=$W/cache-$lang
	ab-exec -j 1 --cache-dir "$C" "$W/t-$lang.ndjson" >/dev/null 2>&1
	: >"$W/ab.wall"; : >"$W/ab.cpu"; : >"$W/me.wall"; : >"$W/me.cpu"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		rm -rf "$C/exec/checker"
		timed "$W/ab" ab-exec -j 1 --cache-dir "$C" "$W/t-$lang.ndjson"
		timed "$W/me" sh -c "while read -r p; do ($run) </dev/null; done" \
		    <"$W/t-$lang.progs"
		r=$((r + 1))
	done
	aw=$(median <"$W/ab.wall"); ac=$(median <"$W/ab.cpu")
	mw=$(median <"$W/me.wall"); mc=$(median <"$W/me.cpu")
	awk -v l="$lang" -v n="$n" -v np="$np" -v aw="$aw" -v ac="$ac" \
	    -v mw="$mw" -v mc="$mc" 'BEGIN { printf "%-11s %d samples of %d problems: MultiPL-E executor %d ms wall, %d ms cpu; ab-exec -j 1 %d ms wall (%.2fx), %d ms cpu (%.2fx)\n", l, n, np, mw, mc, aw, aw / mw, ac, ac / mc }'
done
exit $status
