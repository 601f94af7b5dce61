#!/bin/sh
# ab-exec -j: several sandboxes at once, records in input order.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

i=0
while [ $i -lt 12 ]; do
	# Early records are slow, late ones fast: they finish out of order.
	n=$(( (12 - i) * 20000 ))
	rec "t$i" python "n = $n
while n: n -= 1
print($i)" "[{\"style\":\"io\",\"stdout\":\"$i\\n\"}]"
	if [ $i = 5 ]; then
		printf '%s\n' 'not json'
		rec up python 'x' '[]' | jq -c '.gen.error = {"kind": "http", "message": "boom"}'
	fi
	i=$((i + 1))
done >in.ndjson

run ab-exec -j 3 in.ndjson
expect_rc 1 "-j 3 with a bad line"
expect_contains err "in.ndjson:7: invalid JSON" "the bad line is reported"
check "one record per good input record" test "$(wc -l <out)" -eq 13
jq -r .task.id out >ids
printf '%s\n' t0 t1 t2 t3 t4 t5 up t6 t7 t8 t9 t10 t11 >want
expect_same ids want "records come out in input order"
expect_jq out 'all(.[]; .task.id == "up" or .exec.verdict == "ok")' "every record passes"
expect_jq out '.[] | select(.task.id == "up") | .exec.skipped == "upstream error"' \
    "an upstream error is skipped in order"

run ab-exec -j 1 in.ndjson
jq -c 'del(.exec.cpu_ms, .exec.wall_ms, .exec.peak_kb) | if .exec.tests then del(.exec.tests[].time_ms) else . end' out >one
run ab-exec -j 4 in.ndjson
jq -c 'del(.exec.cpu_ms, .exec.wall_ms, .exec.peak_kb) | if .exec.tests then del(.exec.tests[].time_ms) else . end' out >four
expect_same four one "-j 4 writes what -j 1 writes, timings aside"

run ab-exec -j 0 in.ndjson
expect_rc 2 "-j 0 is a usage error"
run ab-exec -j 65 in.ndjson
expect_rc 2 "-j 65 is a usage error"

# Pinning: with no more jobs than CPUs each slot keeps to a CPU of its
# own (the runs inherit it); --no-pin leaves the affinity alone.
ncpu=$(nproc)
aff='import os
print(len(os.sched_getaffinity(0)))'
rec a1 python "$aff" '[]' >aff.ndjson
rec a2 python "$aff" '[]' >>aff.ndjson
# The solution's output is the run's stdout; an io test with the
# expected count tells what it saw.
jq -c '.task.tests = [{"style": "io", "stdout": "1\n"}]' aff.ndjson >aff1.ndjson
run ab-exec -j 2 aff1.ndjson
if [ "$ncpu" -ge 2 ]; then
	expect_jq out 'all(.[]; .exec.verdict == "ok")' "-j 2 on $ncpu CPUs: each run keeps to one CPU"
else
	skip "one CPU: nothing to pin"
fi
run ab-exec aff1.ndjson
expect_jq out 'all(.[]; .exec.verdict == "ok")' "-j 1: the run keeps to one CPU"
jq -c --arg n "$ncpu" '.task.tests = [{"style": "io", "stdout": ($n + "\n")}]' aff.ndjson >affn.ndjson
run ab-exec -j 2 --no-pin affn.ndjson
expect_jq out 'all(.[]; .exec.verdict == "ok")' "--no-pin: the runs may use every CPU"
if [ "$ncpu" -ge 2 ]; then
	jq -c '.task.tests = [{"style": "io", "stdout": "2\n"}]' aff.ndjson >aff2.ndjson
	run taskset -c 0,1 ab-exec -j 3 aff2.ndjson
	expect_jq out 'all(.[]; .exec.verdict == "ok")' "more jobs than allowed CPUs: no pinning, the runs may use both"
else
	skip "one CPU"
fi

# A killed supervisor leaves no process behind; the next run removes
# its cgroups and runs normally.
rec slow python 'import time; time.sleep(30)' '[{"style":"io","stdout":""}]' >slow.ndjson
cat slow.ndjson slow.ndjson >slow2.ndjson
ab-exec -j 2 slow2.ndjson >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid
wait $pid 2>/dev/null
sleep 0.5
expect_clean "after kill -9 of the supervisor" procs
run ab-exec --wall-ms 500 slow.ndjson
expect_verdict out slow time_limit
expect_clean "after the re-run"
done_testing
