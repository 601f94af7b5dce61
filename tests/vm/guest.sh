#!/bin/sh
# guest.sh TOP: ab-exec on a pure cgroup v2 hierarchy, run as root inside
# the VM that tests/t3009-cgroup2-vm.sh boots (tests/vm/init mounts
# cgroup2 alone at /sys/fs/cgroup).  Prints TAP.
#
# The cgroups are laid out as systemd lays out a delegated scope: the
# root enables memory, pids and cpu for ab.slice, which enables them for
# its children; each ab-exec starts alone in a cgroup of its own beneath
# it (as with systemd-run --scope -p Delegate=yes).
top=${1:?usage: guest.sh TOP}
. "$top/tests/lib.sh"
. "$top/tests/lib-exec.sh"
TOP=$top
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
cd "$T" || exit 1
CG=/sys/fs/cgroup

# in_cg CGROUP COMMAND...: run COMMAND alone in $CG/CGROUP (made if
# missing); the shell that moves there execs COMMAND.
in_cg() {
	_c=$CG/$1
	shift
	mkdir -p "$_c" || return 125
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$_c" "$@"
}

# cgroups_in DIR: the cgroups beneath DIR, one per line, relative.
cgroups_in() {
	find "$1" -mindepth 1 -type d | sed "s|^$1/||" | sort
}

# procs_in DIR: the processes in DIR and beneath it.
procs_in() {
	find "$1" -name cgroup.procs -exec cat {} + | sort -n
}

# expect_left DIR DESC: no ab-slot cgroup beneath DIR, and no process
# anywhere beneath it.
expect_left() {
	_l=$(cgroups_in "$1" | grep 'ab-slot\.')
	if [ -z "$_l" ]; then ok "$2: no slot cgroup left"
	else not_ok "$2: no slot cgroup left"; diag "$_l"; fi
	_p=$(procs_in "$1")
	if [ -z "$_p" ]; then ok "$2: no process left in its cgroups"
	else not_ok "$2: no process left in its cgroups"
		diag "$(for p in $_p; do ps -o pid=,args= -p "$p"; done)"; fi
	expect_clean "$2" procs
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.05 s until it succeeds.
wait_for() {
	_w=$(($1 * 20))
	shift
	while [ "$_w" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		_w=$((_w - 1))
	done
	return 1
}

# ---- the machine --------------------------------------------------------
diag "kernel $(uname -r); $(nproc) cpus; swap: $(awk 'NR > 1 { print $1, $3 " kB" }' /proc/swaps)"
check "cgroup2 is mounted at /sys/fs/cgroup" \
    test "$(stat -f -c %T $CG)" = cgroup2fs
check "no cgroup v1 hierarchy is mounted" \
    test -z "$(awk '$3 == "cgroup"' /proc/mounts)"
check "we start in the root cgroup" test "$(cat /proc/self/cgroup)" = "0::/"
for c in memory pids cpu; do
	check "the kernel offers the $c controller" \
	    grep -qw $c $CG/cgroup.controllers
done

# Delegation, as systemd does for a scope with Delegate=yes.
echo "+memory +pids +cpu" >$CG/cgroup.subtree_control &&
    mkdir $CG/ab.slice &&
    echo "+memory +pids +cpu" >$CG/ab.slice/cgroup.subtree_control
check "ab.slice is delegated memory, pids and cpu" \
    test "$(cat $CG/ab.slice/cgroup.subtree_control)" = "cpu memory pids"

# ---- one batch, one slot ------------------------------------------------
one='[{"style":"io","stdout":"x\n"}]'
big='{"memory_limit_mb":256}'
{
	rec ok python 'def add(a, b):
    return a + b' '[{"style":"assert","code":"assert add(1, 2) == 3"},{"style":"assert","code":"assert add(-1, 1) == 0"}]' '{"entry_point":"add"}'
	rec io python 'print(sum(map(int, input().split())))' \
	    '[{"style":"io","stdin":"1 2\n","stdout":"3\n"}]'
	rec hog python 'x = b"\1" * (512 << 20)
print("x")' "$one" '{"memory_limit_mb":64}'
	rec big python 'x = b"\1" * (96 << 20)
print("x")' "$one" "$big"
	rec small python 'print("x")' "$one" "$big"
	rec fork python 'import os, time
n = 0
try:
    while n < 1000:
        if os.fork() == 0:
            time.sleep(100)
            os._exit(0)
        n += 1
except OSError:
    pass
print("x" if 0 < n < 64 else n)' "$one"
	rec spin python 'while True: pass' "$one" '{"time_limit_ms":300}'
	rec idle python 'print("x")' "$one"
	rec daemon python 'import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(100)
        os._exit(0)
    os._exit(0)
print("x")' "$one"
	rec last python 'print("x")' "$one"
} >in.ndjson
t0=$(date +%s)
run in_cg ab.slice/one ab-exec in.ndjson
t1=$(date +%s)
diag "ab-exec -j 1: $((t1 - t0)) s for 10 records"
expect_rc 0 "ab-exec runs in a delegated cgroup of its own"
diag "$(head -c 1000 err)"
check "one record per input record" test "$(wc -l <out)" -eq 10
expect_jq out '[.[].task.id] == ["ok","io","hog","big","small","fork","spin","idle","daemon","last"]' \
    "the records come out in input order"
expect_jq out '.[0].exec.isolation | index("cgroup-v2:memory") and index("cgroup-v2:pids") and index("cgroup-v2:cpu") and all(.[]; startswith("not enforced") | not)' \
    "the isolation is complete and names cgroup v2"
expect_verdict out ok ok
expect_tests out ok "ok ok"
expect_verdict out io ok
expect_verdict out hog memory_limit
expect_verdict out big ok
expect_verdict out small ok
expect_verdict out fork ok
expect_verdict out spin time_limit
expect_verdict out idle ok
expect_verdict out daemon ok
expect_verdict out last ok
expect_jq out '.[] | select(.task.id == "hog") | .exec.tests[0].error | test("memory limit")' \
    "the memory limit is named"
expect_jq out '.[] | select(.task.id == "big") | .exec.peak_kb >= 96 * 1024 and .exec.peak_kb < 256 * 1024' \
    "peak_kb of a 96 MB program is between 96 MB and its limit"
expect_jq out '.[] | select(.task.id == "small") | .exec.peak_kb > 0 and .exec.peak_kb < 32 * 1024' \
    "the next run of the slot starts its peak afresh"
expect_jq out '.[] | select(.task.id == "spin") | .exec.tests[0].error | test("cpu time limit")' \
    "the busy loop hits the cpu limit"
expect_jq out '.[] | select(.task.id == "spin") | .exec.cpu_ms >= 300 and .exec.cpu_ms < 1500' \
    "the cpu limit holds (300 ms)"
expect_jq out '.[] | select(.task.id == "idle") | .exec.cpu_ms > 0 and .exec.cpu_ms < 300' \
    "the next run of the slot starts its cpu time afresh"
expect_jq out '.[] | select(.task.id == "last") | .exec.cpu_ms > 0 and .exec.peak_kb > 0' \
    "cpu time and peak are measured"
diag "$(jq -r '[.task.id, .exec.verdict, .exec.cpu_ms, .exec.wall_ms, .exec.peak_kb] | @tsv' out)"
expect_left $CG/ab.slice/one "-j 1"
diag "left in its cgroup: $(cgroups_in $CG/ab.slice/one | tr '\n' ' ')"
cp out one.ndjson

# ---- the same batch on two slots ----------------------------------------
t0=$(date +%s)
run in_cg ab.slice/two ab-exec -j 2 in.ndjson
t1=$(date +%s)
diag "ab-exec -j 2: $((t1 - t0)) s for 10 records"
expect_rc 0 "ab-exec -j 2 runs in a delegated cgroup of its own"
diag "$(head -c 1000 err)"
jq -c '[.task.id, .exec.verdict, [.exec.tests[].verdict]]' one.ndjson >v1
jq -c '[.task.id, .exec.verdict, [.exec.tests[].verdict]]' out >v2
expect_same v2 v1 "-j 2 gives the verdicts of -j 1, in input order"
expect_left $CG/ab.slice/two "-j 2"
diag "left in its cgroup: $(cgroups_in $CG/ab.slice/two | tr '\n' ' ')"

# ---- a run seen from outside --------------------------------------------
# Two runs at once (-j 2), each a process that forks 8 sleepers and
# sleeps: look at their cgroups while they live.
probe='import os, time
for i in range(8):
    if os.fork() == 0:
        time.sleep(100)
        os._exit(0)
time.sleep(100)'
{
	rec p1 python "$probe" "$one" '{"time_limit_ms":1000,"memory_limit_mb":48}'
	rec p2 python "$probe" "$one" '{"time_limit_ms":1000,"memory_limit_mb":48}'
} >probe.ndjson
# the run cgroups with all 9 processes in them
runs() {
	for _r in $(find $CG/ab.slice/three -path '*/ab-slot.*/run.*' -type d); do
		[ "$(cat "$_r/pids.current")" -ge 9 ] && echo "$_r"
	done
}
two_runs() { [ "$(runs | wc -l)" -eq 2 ]; }
in_cg ab.slice/three ab-exec -j 2 probe.ndjson >probe.out 2>probe.err &
apid=$!
if wait_for 20 two_runs; then
	ok "two runs live at once, each in a cgroup of its own"
	runs >runs.txt
	r1=$(sed -n 1p runs.txt)
	r2=$(sed -n 2p runs.txt)
	diag "$r1" "$r2"
	check "the runs are in different slots" \
	    test "${r1%/run.*}" != "${r2%/run.*}"
	for r in "$r1" "$r2"; do
		echo "${r#$CG/ab.slice/three/}" | grep -q '^ab-slot\.[0-9]*\.[0-9]*\.[01]/run\.[0-9]*$' ||
		    { not_ok "run cgroup named ab-slot.NS.PID.SLOT/run.N: $r"; continue; }
		ok "run cgroup named ab-slot.NS.PID.SLOT/run.N"
		check "memory.max is the task's limit" \
		    test "$(cat "$r/memory.max")" = $((48 << 20))
		check "memory.swap.max is 0" test "$(cat "$r/memory.swap.max")" = 0
		check "pids.max is the process limit" test "$(cat "$r/pids.max")" = 64
		check "the kernel has cgroup.kill and memory.peak" \
		    test -f "$r/cgroup.kill" -a -f "$r/memory.peak"
		check "the run's cgroup has no children" \
		    test -z "$(cgroups_in "$r")"
		for p in $(cat "$r/cgroup.procs"); do
			u=$(awk '/^Uid:/ { print $2 }' /proc/$p/status)
			[ "$u" -ge 3200000 ] || { not_ok "pid $p of the run has host uid $u"; break; }
		done
	done
	check "no process in ab-exec's own cgroup (no internal processes)" \
	    test -z "$(cat $CG/ab.slice/three/cgroup.procs)"
	check "ab-exec itself is in a leaf beneath its cgroup" \
	    grep -q '^0::/ab.slice/three/[^/]*$' /proc/$apid/cgroup
	diag "ab-exec: $(cat /proc/$apid/cgroup); tree: $(cgroups_in $CG/ab.slice/three | tr '\n' ' ')"
else
	not_ok "two runs live at once, each in a cgroup of its own"
	diag "$(cgroups_in $CG/ab.slice/three)"
fi
wait $apid
rc=$?
check "the probes end (exit $rc)" test $rc = 0
expect_jq probe.out '[.[].exec.verdict] == ["time_limit","time_limit"]' \
    "the sleeping probes hit the wall limit"
diag "$(head -c 600 probe.err)"
expect_left $CG/ab.slice/three "probes"

# ---- where ab-exec may and may not run ----------------------------------
rec small python 'print("x")' "$one" >small.ndjson
run ab-exec small.ndjson
expect_rc 0 "ab-exec runs in the root cgroup"
expect_verdict out small ok
check "nothing of it is left in the root cgroup" \
    test -z "$(cgroups_in $CG | grep -v '^ab\.slice' | grep '^ab-')"
diag "root: $(ls $CG | grep '^ab' | tr '\n' ' ')"

# Sharing its cgroup with a foreign process (the shell that started it):
# no controller can be enabled there; it refuses and changes nothing.
run in_cg ab.slice/shared sh -c 'ab-exec "$1"; echo "exit $?" >&2' sh small.ndjson
expect_contains err "exit 2" "in a cgroup shared with other processes ab-exec refuses"
expect_contains err "refusing to run" "the refusal is explained"
diag "$(head -c 600 err)"
check "nothing is written" test ! -s out
check "the shared cgroup is left as it was" \
    test -z "$(cgroups_in $CG/ab.slice/shared)" -a \
    -z "$(cat $CG/ab.slice/shared/cgroup.subtree_control)"

# A cgroup that was not given the pids controller.
mkdir $CG/ab.slice/nopids &&
    echo "+memory +cpu" >$CG/ab.slice/nopids/cgroup.subtree_control
run in_cg ab.slice/nopids/scope ab-exec small.ndjson
expect_rc 2 "without the pids controller ab-exec refuses"
expect_contains err "pids" "the refusal names pids"
run in_cg ab.slice/nopids/scope2 ab-exec --allow-degraded small.ndjson
expect_rc 0 "without the pids controller --allow-degraded runs"
expect_jq out '.[0].exec.isolation | index("not enforced: cgroup-v2:pids") and index("cgroup-v2:memory")' \
    "and the record says pids was not enforced"
expect_left $CG/ab.slice/nopids "degraded"

# ---- a supervisor killed mid-run ----------------------------------------
rec p3 python "$probe" "$one" '{"time_limit_ms":5000}' >p3.ndjson
one_run() { [ "$(find $CG/ab.slice/killed -path '*/ab-slot.*/run.*' -type d | wc -l)" -ge 1 ]; }
in_cg ab.slice/killed ab-exec p3.ndjson >p3.out 2>p3.err &
apid=$!
if wait_for 20 one_run; then
	kill -9 $apid
	wait $apid
	no_procs() { [ -z "$(procs_in $CG/ab.slice/killed)" ]; }
	check "a killed supervisor's runs die with it" wait_for 5 no_procs
	diag "left: $(cgroups_in $CG/ab.slice/killed | tr '\n' ' ')"
else
	not_ok "the run to kill started"
	wait $apid
fi
expect_clean "killed supervisor" procs

diag "cgroups at the end: $(cgroups_in $CG | tr '\n' ' ')"
done_testing
