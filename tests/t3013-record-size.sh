#!/bin/sh
# ab-exec: what a record carries from its tests is bounded (ab-exec(1),
# ab-record(5)): a wrong solution's huge return value or output is cut
# with a marker and its true size, so the exec member stays within 1 MiB
# and the record goes on through ab-score, ab-store and ab-rank, in every
# language and test style; a task with very many tests keeps its counts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

call='[{"name":"big","style":"call","args":[3],"expected":[0.1,0.1,0.1]}]'
io='[{"name":"big","style":"io","stdin":"","stdout":"short\n"}]'
{
	rec py-call-big python 'def f(n):
    return [0.1] * 500_000' "$call" '{"entry_point":"f"}'
	rec py-io-big python 'import sys
sys.stdout.write("0.1, " * 1_500_000)' "$io"
	rec js-call-big javascript 'function f(n) { return new Array(500000).fill(0.1); }' "$call" '{"entry_point":"f"}'
	rec js-io-big javascript 'process.stdout.write("0.1, ".repeat(1500000));' "$io"
	rec c-io-big c '#include <stdio.h>
int main(void) { for (int i = 0; i < 1500000; i++) fputs("0.1, ", stdout); return 0; }' "$io"
	rec cpp-io-big cpp '#include <iostream>
int main() { for (int i = 0; i < 1500000; i++) std::cout << "0.1, "; }' "$io"
	rec cpp-assert-big cpp '#include <string>
std::string f(int n) { return std::string(3000000, (char)(0x41 + n)); }' '[{"name":"big","style":"assert","code":"assert(f(1) == std::string(3, 66));"}]' '{"entry_point":"f"}'
	rec sh-io-big bash 'i=0; s=""; while [ $i -lt 2000 ]; do s="$s 0.1,"; i=$((i + 1)); done; j=0; while [ $j -lt 500 ]; do printf "%s" "$s"; j=$((j + 1)); done' "$io"
	rec sh-assert-big bash 'f() { head -c 3000000 /dev/zero | tr "\0" x; }' '[{"name":"big","style":"assert","code":"[ \"$(f)\" = xxx ]"}]' '{"entry_point":"f"}'
} >in.ndjson
# Very many tests, each with a long name and expected value (the task's
# own content, copied into each test of the record), and one that fails.
python3 -c 'import json
tests = [{"name": "t%05d-" % i + "n" * 150, "style": "call", "args": [i],
          "expected": [i] + ["e" * 600]} for i in range(3000)]
tests[-1]["expected"] = "wrong"
print(json.dumps({"id": "py-many/c/0", "run": "r1",
    "task": {"id": "py-many", "language": "python", "entry_point": "f",
             "tests": tests},
    "config": {"name": "c", "hash": "h"}, "sample": 0,
    "gen": {"text": "", "error": None},
    "extract": {"code": "def f(i):\n    return [i, \"e\" * 600]\n",
                "error": None}}))' >>in.ndjson

run ab-exec --wall-ms 20000 --cpu-ms 10000 in.ndjson
expect_rc 0 "ab-exec runs every record"
cp "$T/out" exec.ndjson
n=$(wc -l <exec.ndjson)
if [ "$n" = 10 ]; then ok "one record per input"; else not_ok "$n records, expected 10"; fi

for id in py-call-big py-io-big js-call-big js-io-big c-io-big cpp-io-big \
    cpp-assert-big sh-io-big sh-assert-big py-many; do
	size=$(jq -c --arg id "$id" 'select(.task.id == $id) | .exec' exec.ndjson | wc -c)
	if [ "$size" -gt 0 ] && [ "$size" -le 1048576 ]; then
		ok "$id: the exec member is $size bytes (at most 1 MiB)"
	else
		not_ok "$id: the exec member is $size bytes"
	fi
done
for id in py-call-big py-io-big js-call-big js-io-big c-io-big cpp-io-big \
    sh-io-big; do
	expect_verdict exec.ndjson "$id" wrong_answer
	# The actual is cut, marked, and its true size noted.
	got=$(jq -r --arg id "$id" 'select(.task.id == $id) | .exec.tests[0] |
	    [(.actual | type), (.actual | length <= 4200),
	     (.actual | test("\\.\\.\\. \\[[0-9]+ more bytes\\]$")),
	     (.truncated.actual > 1000000)] | map(tostring) | join(" ")' exec.ndjson)
	if [ "$got" = "string true true true" ]; then
		ok "$id: actual cut with a marker and its size"
	else
		not_ok "$id: actual: $got"
		diag "$(jq -c --arg id "$id" 'select(.task.id == $id) | .exec.tests[0] | .actual |= (tostring | .[:200])' exec.ndjson | head -c 800)"
	fi
done
for id in cpp-assert-big sh-assert-big; do
	expect_verdict exec.ndjson "$id" wrong_answer
done
expect_verdict exec.ndjson py-many wrong_answer
got=$(jq -r 'select(.task.id == "py-many") | .exec |
    [.passed, .total, (.tests | length) + (.tests_omitted // 0),
     ([.tests[] | select(.verdict == "ok")] | length > 0)] |
    map(tostring) | join(" ")' exec.ndjson)
if [ "$got" = "2999 3000 3000 true" ]; then
	ok "py-many: counts kept, every test listed or counted as omitted"
else
	not_ok "py-many: $got"
fi

# On through the other stages: nothing lost, every verdict kept.
run sh -c 'ab-score exec.ndjson >score.ndjson && ab-store -d r.db score.ndjson >stored.ndjson && ab-rank -d r.db >rank.txt'
expect_rc 0 "ab-score, ab-store and ab-rank take every record"
n=$(wc -l <stored.ndjson 2>/dev/null)
if [ "$n" = 10 ] && jq -e -s 'map(.score.total | type == "number") | all' stored.ndjson >/dev/null; then
	ok "every record scored and stored"
else
	not_ok "$n records stored"
	diag "$(head -c 1000 "$T/err")"
fi
rows=$(sqlite3 r.db 'select count(*) from results' 2>/dev/null)
[ -n "$rows" ] && [ "$rows" -ge 10 ] && ok "the database holds them ($rows rows)" ||
	not_ok "the database holds ${rows:-no} rows"
[ -s rank.txt ] && ok "ab-rank reports on them" || not_ok "ab-rank printed nothing"
done_testing
