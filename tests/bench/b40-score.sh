#!/bin/sh
# b40-score: ab-score's throughput.  1000 records with the built-in checks
# only (no analysers), and 20 records of distinct code with pyflakes run in
# the sandbox (skipped when pyflakes3 is not installed).  Prints records per
# second and peak memory; medians of three runs.
set -e
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
T=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
rec=$TOP/tests/golden/ab-score/production-partial/in

median() { sort -n | sed -n 2p; }
# bench NAME N ARGS...: median seconds and KB of three runs over $T/in
bench() {
	name=$1 n=$2
	shift 2
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$T/time" ab-score "$@" "$T/in" >/dev/null
		cat "$T/time"
	done >"$T/times"
	s=$(cut -d' ' -f1 "$T/times" | median)
	kb=$(cut -d' ' -f2 "$T/times" | median)
	echo "$name: $n records in $s s ($(awk -v n="$n" -v s="$s" 'BEGIN { printf "%d", n / s }') records/s), peak $kb KB"
}

i=0
while [ $i -lt 1000 ]; do cat "$rec"; i=$((i + 1)); done >"$T/in"
bench "production, no analysers" 1000 -r production --no-analysers --no-reference-run

if [ -x /usr/bin/pyflakes3 ]; then
	i=0
	while [ $i -lt 20 ]; do
		jq -c --arg i "$i" '.extract.code += "# variant \($i)\n"' "$rec"
		i=$((i + 1))
	done >"$T/in"
	bench "assistant, pyflakes in the sandbox" 20 -r assistant --allow-degraded --no-reference-run
else
	echo "assistant, pyflakes in the sandbox: skipped (pyflakes3 not installed)"
fi
