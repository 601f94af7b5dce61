#!/bin/sh
# b03-exec: how fast ab-exec runs python assertion tests, with the whole
# sandbox.  164 HumanEval-like tasks of ab's own (tests/bench/data/
# gen-tasks.py), 10 samples each (1640 records, every one a correct
# solution) at -j 2; a broken mix (one sample per task: hangs, crashes,
# exits, wrong answers among correct ones); and the per-sample overhead
# of a trivial test at -j 1.  Each is timed BENCH_RUNS times (default 3)
# and the median printed, beside the common Python harness (a forked
# worker per sample, 3 s timeout, no sandbox: data/baseline.py) timed on
# the same records here, and the 17 s reference for 1640 samples.
# Needs root for the sandbox; BENCH_BASELINE=0 skips the baseline.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/tests/bench/data
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
RUNS=${BENCH_RUNS:-3}
# The interpreter the sandbox runs (not a version manager's shim).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if [ "$(id -u)" != 0 ]; then
	echo "b03-exec: skipped: the sandbox needs root"
	exit 0
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT

"$PY" "$DATA/gen-tasks.py" >"$W/tasks.ndjson" || exit 1
# records SAMPLES [JQ-FILTER]: one record per task and sample, the code
# being the reference, or what FILTER makes of it ($i: the task's index).
records() {
	jq -c --argjson n "$1" --slurp '
	    def rec($t; $s; $code): {id: ($t.id + "/bench/" + ($s | tostring)),
	        run: "bench", task: $t, config: {name: "bench", hash: "bench"},
	        sample: $s, gen: {text: $code, error: null},
	        extract: {code: $code, language: "python", method: "bench",
	            blocks: 1, error: null}};
	    to_entries[] | .key as $i | .value as $t | range($n) as $s |
	    rec($t; $s; ('"${2:-\$t.reference}"'))' "$W/tasks.ndjson"
}
records 10 >"$W/correct.ndjson"
# The broken mix: per 20 tasks, 1 hang, 2 crashes, 1 os._exit(0), 2 wrong
# answers, 1 that prints fake PASS lines; the rest correct.
# shellcheck disable=SC2016
records 1 '($i % 20) as $k | $t.entry_point as $f | $t.reference as $r |
    if $k == 0 then $r + "\n_orig = " + $f + "\ndef " + $f +
        "(*a):\n    while True:\n        pass\n"
    elif $k == 1 or $k == 2 then $r + "\ndef " + $f +
        "(*a):\n    raise RuntimeError(\"broken\")\n"
    elif $k == 3 then "import os\n" + $r + "\ndef " + $f +
        "(*a):\n    os._exit(0)\n"
    elif $k == 4 or $k == 5 then $r + "\ndef " + $f + "(*a):\n    return None\n"
    elif $k == 6 then "print(\"PASS\")\nprint(\"ok 1\")\n" + $r + "\ndef " +
        $f + "(*a):\n    return 0\n"
    else $r end' >"$W/broken.ndjson"
# A trivial task, 100 times.
jq -c -n 'range(100) as $s | {id: ("trivial/bench/" + ($s | tostring)),
    run: "bench", task: {id: "trivial", language: "python",
        entry_point: "one", prompt: "def one():",
        tests: [{style: "assert",
            code: "def check(candidate):\n    assert candidate() == 1\n"}]},
    config: {name: "bench", hash: "bench"}, sample: $s,
    gen: {text: "def one():\n    return 1\n", error: null},
    extract: {code: "def one():\n    return 1\n", language: "python",
        method: "bench", blocks: 1, error: null}}' >"$W/trivial.ndjson"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# bench NAME CMD...: run CMD RUNS times on $W/NAME.ndjson, keep the
# times (ms) in $W/NAME.times and the last output in $W/NAME.out.
bench() {
	name=$1
	shift
	: >"$W/$name.times"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		t0=$(now_ms)
		if ! "$@" <"$W/$name.ndjson" >"$W/$name.out" 2>"$W/$name.err"; then
			echo "b03-exec: $name: $* failed:" >&2
			head -c 1000 "$W/$name.err" >&2
			echo 0
			return
		fi
		echo $(($(now_ms) - t0)) >>"$W/$name.times"
		r=$((r + 1))
	done
	median <"$W/$name.times"
}
verdicts() {
	jq -r .exec.verdict "$1" | sort | uniq -c | awk '{ printf "%s %s, ", $2, $1 }' |
	    sed 's/, $//'
}

echo "b03-exec: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each, medians"
ms=$(bench correct ab-exec -j 2)
n=$(wc -l <"$W/correct.ndjson")
echo "correct, $n samples, -j 2: $ms ms, $(awk "BEGIN { printf \"%.0f\", $n * 1000 / $ms }") samples/s, $(awk "BEGIN { printf \"%.2f\", $ms / $n }") ms/sample, $(awk "BEGIN { printf \"%.2f\", 17000 / $ms }")x the 17 s reference"
echo "  verdicts: $(verdicts "$W/correct.out")   (runs: $(tr '\n' ' ' <"$W/correct.times")ms)"
jq -e -s 'length == 1640 and all(.[]; .exec.verdict == "ok")' \
    "$W/correct.out" >/dev/null ||
	echo "  WARNING: not every correct solution passed: the time above means little"
msb=$(bench broken ab-exec -j 2 --cpu-ms 1000)
nb=$(wc -l <"$W/broken.ndjson")
echo "broken mix, $nb samples, -j 2, --cpu-ms 1000: $msb ms, $(awk "BEGIN { printf \"%.0f\", $nb * 1000 / $msb }") samples/s"
echo "  verdicts: $(verdicts "$W/broken.out")"
mst=$(bench trivial ab-exec -j 1)
echo "trivial test, 100 samples, -j 1: $mst ms, overhead $(awk "BEGIN { printf \"%.1f\", $mst / 100 }") ms/sample"
echo "  verdicts: $(verdicts "$W/trivial.out")"
mstc=$(bench trivial ab-exec -j 1 --cold)
echo "trivial test, 100 samples, -j 1 --cold (no zygotes): $mstc ms, overhead $(awk "BEGIN { printf \"%.1f\", $mstc / 100 }") ms/sample"
t0=$(now_ms)
"$PY" -I -c pass
"$PY" -I -c pass
"$PY" -I -c pass
"$PY" -I -c pass
echo "  for scale: one bare $PY -I -c pass takes $(( ($(now_ms) - t0) / 4 )) ms here"

if [ "${BENCH_BASELINE:-1}" != 0 ]; then
	msc=$(bench correct "$PY" "$DATA/baseline.py" -j 2)
	echo "common python harness (fork per sample, 3 s timeout, no sandbox), $n samples, 2 workers: $msc ms, $(awk "BEGIN { printf \"%.2f\", $msc / $n }") ms/sample; ab-exec runs at $(awk "BEGIN { printf \"%.2f\", $msc / $ms }")x its speed"
	echo "  results: $(awk '{ print $2 }' "$W/correct.out" | sort | uniq -c | awk '{ printf "%s %s ", $2, $1 }')"
	msbb=$(bench broken "$PY" "$DATA/baseline.py" -j 2)
	echo "common python harness, broken mix: $msbb ms; ab-exec runs at $(awk "BEGIN { printf \"%.2f\", $msbb / $msb }")x its speed"
fi
