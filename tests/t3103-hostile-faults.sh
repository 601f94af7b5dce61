#!/bin/sh
# Harness faults: ab-exec killed with SIGKILL in the middle of a batch
# leaves no process and no cgroup behind and a re-run loses nothing; a
# missing isolation primitive (a simulated one, AB_SANDBOX_DISABLE, and a
# real one, no cgroup file system) makes it refuse, and --allow-degraded
# says in every record what was not enforced.
# Needs root, user/pid/mount namespaces and cgroups: skipped otherwise.
TMPDIR=$(cd "$(dirname "$0")" && pwd)/out
# Not beneath /tmp, which the sandbox replaces (the canaries would be out
# of reach, and the checks empty): a tree cloned there tests elsewhere.
case $TMPDIR in
/tmp/*|/var/tmp/*|/dev/shm/*) TMPDIR=/var/lib/ab/test-out ;;
esac
mkdir -p "$TMPDIR" && export TMPDIR
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/hostile/hostile.sh"
hostile_setup

# A batch of eight records that each take about 0.4 s of wall time and
# leave a daemon that would outlive them if it could.
w=$T/case/killed
mkdir -p "$w"
cat >"$w/task.json" <<'EOT'
{"id": "hostile-batch", "language": "python", "difficulty": "easy",
 "category": "edge-cases", "prompt": "Echo a line, slowly.",
 "tests": [{"style": "io", "stdin": "7\n", "stdout": "7\n"}]}
EOT
cat >"$w/solution" <<'EOT'
import ctypes
import os
import time
if os.fork() == 0:
    os.setsid()
    ctypes.CDLL(None).prctl(15, b"hostile-linger", 0, 0, 0)
    time.sleep(30)
    os._exit(0)
time.sleep(0.4)
print(input())
EOT
: >"$w/in"
for s in 0 1 2 3 4 5 6 7; do
	record "$w/task.json" "$w/solution" "$s" >>"$w/in"
done

# The batch at -j 2, killed with SIGKILL 0.1 s after its first record, then
# run again in the same namespaces (see wrap.sh).
export HOSTILE_KILL_AFTER=0.1
hostile_run "$w" -j 2
unset HOSTILE_KILL_AFTER
rc=$(cat "$w/killed.rc")
check "SIGKILL mid-batch: ab-exec was killed by the signal (exit $rc)" \
    test "$rc" = 137
n=$(wc -l <"$w/killed.out")
check "SIGKILL mid-batch: some records came out before the kill ($n of 8)" \
    test "$n" -ge 1 -a "$n" -lt 8
if [ "$n" -ge 1 ] && jq -e -s 'length >= 1 and all(.[]; .exec.verdict == "ok")' \
    "$w/killed.out" >/dev/null 2>&1; then
	ok "SIGKILL mid-batch: what came out is whole records"
else
	not_ok "SIGKILL mid-batch: what came out is whole records"
	diag "$(tail -c 300 "$w/killed.out")"
fi
if [ -s "$w/killed.procs" ]; then
	not_ok "SIGKILL mid-batch: processes left behind"
	diag "$(head -n 10 "$w/killed.procs")"
else
	ok "SIGKILL mid-batch: no process left behind"
fi
check "SIGKILL mid-batch: no file left in /tmp, /var/tmp, /dev/shm" \
    test ! -s "$w/killed.files"

# The re-run: every record, once, in order, passing; and now no cgroup
# of either run is left.
if [ "$(cat "$w/rc")" = 0 ] && jq -e -s --slurpfile in "$w/in" \
    '[.[].id] == [$in[].id] and all(.[]; .exec.verdict == "ok")' \
    "$w/out" >/dev/null 2>&1; then
	ok "re-run after the kill: all 8 records, in order, ok"
else
	not_ok "re-run after the kill: all 8 records, in order, ok"
	diag "$(jq -c '[.id, .exec.verdict]' "$w/out" 2>/dev/null)" "$(head -c 500 "$w/err")"
fi
check "re-run after the kill: no process left behind" test ! -s "$w/procs"
fence_leftovers >"$w/cgroups"
if [ -s "$w/cgroups" ]; then
	not_ok "re-run after the kill: cgroups of the killed run were removed"
	diag "$(head -n 10 "$w/cgroups")"
else
	ok "re-run after the kill: cgroups of the killed run were removed"
fi

# A primitive reported missing (AB_SANDBOX_DISABLE, see ab-exec(1)).
d=$T/case/degraded
mkdir -p "$d"
control_record >"$d/in"
for prim in netns seccomp pids; do
	export AB_SANDBOX_DISABLE=$prim
	hostile_run "$d" -j 1
	check "without $prim: ab-exec refuses (exit 2)" test "$(cat "$d/rc")" = 2
	check "without $prim: no record comes out" test ! -s "$d/out"
	expect_contains "$d/err" "$prim" "without $prim: the refusal names it"
	hostile_run "$d" -j 1 --allow-degraded
	if jq -e -s --arg p "$prim" 'length == 1 and (.[0].exec.isolation |
	    any(. == "not enforced: \($p)" or
	        (startswith("not enforced:") and contains($p))))' \
	    "$d/out" >/dev/null 2>&1; then
		ok "without $prim, --allow-degraded: the record says it was not enforced"
	else
		not_ok "without $prim, --allow-degraded: the record says it was not enforced"
		diag "$(jq -c '.exec.isolation' "$d/out" 2>/dev/null)" "$(head -c 500 "$d/err")"
	fi
done
unset AB_SANDBOX_DISABLE

# A primitive really missing: no cgroup file system at all.
export HOSTILE_HIDE_CGROUPS=1
hostile_run "$d" -j 1
check "without cgroups: ab-exec refuses (exit 2)" test "$(cat "$d/rc")" = 2
check "without cgroups: no record comes out" test ! -s "$d/out"
expect_contains "$d/err" "memory" "without cgroups: the refusal names the memory cgroup"
hostile_run "$d" -j 1 --allow-degraded
if jq -e -s 'length == 1 and .[0].exec.verdict == "ok" and
    (.[0].exec.isolation | any(startswith("not enforced:") and contains("memory")))' \
    "$d/out" >/dev/null 2>&1; then
	ok "without cgroups, --allow-degraded: runs, and says memory was not enforced"
else
	not_ok "without cgroups, --allow-degraded: runs, and says memory was not enforced"
	diag "$(jq -c '.exec | [.verdict, .isolation, .error]' "$d/out" 2>/dev/null)" "$(head -c 500 "$d/err")"
fi
unset HOSTILE_HIDE_CGROUPS
done_testing
