#!/bin/sh
# b01-extract: ab-extract throughput in MB/s of answer text on 10 MB
# answers (median of 5 runs each; wall time, and CPU time which a busy
# machine disturbs less), parsing and writing the records included; io-only is that reading and writing alone (a record whose gen
# failed).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX")
trap 'rm -rf "$B"' EXIT
mb=10485760

rec() {
	jq -Rsc --arg l "$2" --arg e "$3" '{id: "b", task: {language: $l,
	    entry_point: $e}, gen: {text: .}}' "$B/$1" >"$B/$1.rec"
}
{
	yes 'Some prose about the solution, which is a long one.' |
	    head -c 3000000
	printf '\n```python\ndef f(x):\n'
	yes '    x = x + 1  # step' | head -c 7000000
	printf '\n    return x\n```\n'
} >"$B/prose+block"
rec prose+block python f
yes "$(printf '```py\nx = 1\n```\ntext')" | head -c $mb >"$B/small-blocks"
rec small-blocks python g
{ yes 'def f(x):' | head -c 5000000; yes '    x = f(x)' | head -c 5000000; } \
    >"$B/raw"
rec raw python f

# The same record with gen.error set: only reading and writing it.
jq -c '.gen.error = {kind: "x", message: "x"}' "$B/prose+block.rec" \
    >"$B/io-only.rec"
cp "$B/prose+block" "$B/io-only"

# bench NAME [ARGS...]: print the median wall and CPU (user + system)
# throughput of 5 runs.
tck=$(getconf CLK_TCK)
bench() {
	_n=$1
	shift
	_bytes=$(wc -c <"$B/$_n")
	for _i in 1 2 3 4 5; do
		_t0=$(date +%s%N)
		_cpu=$(sh -c '"$0" "$@" >/dev/null; read -r st </proc/$$/stat;
		    set -- $st; echo $((${16} + ${17}))' \
		    "$TOP/bin/ab-extract" "$@" "$B/$_n.rec")
		echo "$(($(date +%s%N) - _t0)) $((_cpu * 1000000000 / tck))"
	done >"$B/times"
	_wall=$(cut -d' ' -f1 "$B/times" | sort -n | sed -n 3p)
	_cpu=$(cut -d' ' -f2 "$B/times" | sort -n | sed -n 3p)
	awk -v b="$_bytes" -v w="$_wall" -v c="$_cpu" -v n="$_n $*" 'BEGIN {
	    printf "%-24s wall %6.0f ms %6.1f MB/s   cpu %6.0f ms %6.1f MB/s\n",
	    n, w / 1e6, b / 1048576 / (w / 1e9), c / 1e6,
	    b / 1048576 / ((c > 0 ? c : 1) / 1e9) }'
}
bench io-only
bench prose+block
bench prose+block -f
bench small-blocks
bench small-blocks -m all
bench raw
bench raw -f
