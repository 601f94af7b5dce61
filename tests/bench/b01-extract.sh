#!/bin/sh
# b01-extract: ab-extract throughput in MB/s of answer text on 10 MB
# answers (median of 5 runs each), parsing and writing the records
# included; io-only is that reading and writing alone (a record whose gen
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

# bench NAME [ARGS...]: print the median MB/s of 5 runs.
bench() {
	_n=$1
	shift
	_bytes=$(wc -c <"$B/$_n")
	for _i in 1 2 3 4 5; do
		_t0=$(date +%s%N)
		"$TOP/bin/ab-extract" "$@" "$B/$_n.rec" >/dev/null || true
		echo $(($(date +%s%N) - _t0))
	done | sort -n | sed -n 3p | {
		read -r _ns
		awk -v b="$_bytes" -v ns="$_ns" -v n="$_n $*" 'BEGIN {
		    printf "%-28s %7.1f MB/s  %6.0f ms\n", n,
		    b / 1048576 / (ns / 1e9), ns / 1e6 }'
	}
}
bench io-only
bench prose+block
bench prose+block -f
bench small-blocks
bench small-blocks -m all
bench raw
bench raw -f
