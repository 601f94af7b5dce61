#!/bin/sh
# guest.sh TOP IO: ab-exec on a pure cgroup v2 hierarchy, run as root in
# the VM that tests/t3009-cgroup2-vm.sh boots (tests/vm/init mounts
# cgroup2 alone at /sys/fs/cgroup), then as an ordinary user
# (tests/vm/rootless.sh, sourced at the end).  Prints TAP about what only
# the guest sees (cgroups, processes, exit statuses); the records go to
# IO, where the host checks them.  IO holds the inputs the host wrote.
#
# The cgroups are laid out as systemd lays out a delegated scope: the
# root gives memory, pids and cpu to ab.slice, which gives them to its
# children; each ab-exec starts alone in a cgroup of its own beneath it
# (as under systemd-run --scope -p Delegate=yes).
#
# Without KVM every process started here costs a quarter of a second:
# the checks use shell builtins where they can.
TOP=${1:?usage: guest.sh TOP IO}
IO=${2:?usage: guest.sh TOP IO}
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
cd "$IO" || exit 1
CG=/sys/fs/cgroup
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}
start=$(date +%s)
at() { diag "at $(($(date +%s) - start)) s: $1"; }

# in_cg CGROUP COMMAND...: run COMMAND alone in $CG/CGROUP (made if
# missing): the shell that moves there execs COMMAND.  Its exit status
# goes to $rc.
in_cg() {
	_c=$CG/$1
	shift
	mkdir -p "$_c" || return 125
	rc=0
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$_c" "$@" || rc=$?
}

# in_cg_bg CGROUP COMMAND...: the same in the background; $! is
# COMMAND's pid.
in_cg_bg() {
	_c=$CG/$1
	shift
	mkdir -p "$_c" || return 125
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$_c" "$@" &
}

# cgroups_in DIR: the cgroups beneath DIR, relative, one per line.
cgroups_in() {
	find "$1" -mindepth 1 -type d -printf '%P\n'
}

# procs_in DIR: the processes in DIR and beneath it.
procs_in() {
	for _d in "$1" $(find "$1" -mindepth 1 -type d); do
		while read -r _p; do echo "$_p"; done <"$_d/cgroup.procs"
	done
}

# sandbox_procs: live processes with a sandbox uid (host uids 3200000
# and up), anywhere.
sandbox_procs() {
	for _s in /proc/[0-9]*/status; do
		_st=
		while read -r _k _v _r; do
			case $_k in
			State:) _st=$_v ;;
			Uid:) [ "$_v" -ge 3200000 ] && [ "$_st" != Z ] &&
				echo "${_s%/status}"; break ;;
			esac
		done <"$_s" 2>/dev/null
	done
}

# wait_for SECONDS COMMAND...: poll COMMAND until it succeeds, for at
# most SECONDS.
wait_for() {
	_end=$(($(date +%s) + $1))
	shift
	while [ "$(date +%s)" -le $_end ]; do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
no_sandbox_procs() { [ -z "$(sandbox_procs)" ]; }

# after NAME CGROUP: what a finished ab-exec leaves: no slot cgroup and
# no process beneath its cgroup, no sandbox process anywhere; and its
# leaf (ab-supervisor.PID) is all that is left there.
after() {
	_t=$(cgroups_in "$CG/$2" | tr '\n' ' ')
	case $_t in
	*ab-slot*) not_ok "$1: no slot cgroup left"; diag "$_t" ;;
	*) ok "$1: no slot cgroup left" ;;
	esac
	_p=$(procs_in "$CG/$2")
	if [ -z "$_p" ]; then ok "$1: no process left in its cgroup"
	else not_ok "$1: no process left in its cgroup"; diag "$_p"; fi
	if wait_for 2 no_sandbox_procs; then ok "$1: no sandbox process left"
	else not_ok "$1: no sandbox process left"; diag "$(sandbox_procs)"; fi
	case $_t in
	"" | "ab-supervisor."[0-9]*" ") ok "$1: only its leaf is left ($_t)" ;;
	*) not_ok "$1: only its leaf is left"; diag "$_t" ;;
	esac
}

# ---- the machine --------------------------------------------------------
diag "kernel $(uname -r); $(nproc) cpus; swap: $(tail -n +2 /proc/swaps | tr -s ' \t' ' ')"
check "cgroup2 is mounted at /sys/fs/cgroup" \
    test "$(stat -f -c %T $CG)" = cgroup2fs
v1=$(while read -r _a _b _t _r; do [ "$_t" = cgroup ] && echo "$_b"; done </proc/mounts)
check "no cgroup v1 hierarchy is mounted" test -z "$v1"
read -r self </proc/self/cgroup
check "we start in the root cgroup" test "$self" = "0::/"
read -r ctl <$CG/cgroup.controllers
for c in memory pids cpu; do
	case " $ctl " in
	*" $c "*) ok "the kernel offers the $c controller" ;;
	*) not_ok "the kernel offers the $c controller ($ctl)" ;;
	esac
done
# Delegation, as systemd does for a scope with Delegate=yes.
echo "+memory +pids +cpu" >$CG/cgroup.subtree_control &&
    mkdir $CG/ab.slice &&
    echo "+memory +pids +cpu" >$CG/ab.slice/cgroup.subtree_control
read -r sc <$CG/ab.slice/cgroup.subtree_control
check "ab.slice is given memory, pids and cpu" test "$sc" = "cpu memory pids"

# ---- one batch, one slot ------------------------------------------------
at "one batch, one slot"
t0=$(date +%s)
in_cg ab.slice/one ab-exec batch.ndjson >batch.out 2>batch.err
diag "ab-exec: $(($(date +%s) - t0)) s for the batch"
check "ab-exec runs in a delegated cgroup of its own (exit $rc)" test $rc = 0
[ -s batch.err ] && diag "$(head -c 1000 batch.err)"
after "-j 1" ab.slice/one

# ---- two slots, and runs seen from outside ------------------------------
at "two slots"
# The first two records fork 8 sleepers each and sleep: look at their
# cgroups while both live, then kill them from outside.
runs() {
	for _r in $CG/ab.slice/two/ab-slot.*/run.*; do
		[ -e "$_r/pids.current" ] && read -r _n <"$_r/pids.current" &&
		    [ "$_n" = 9 ] && echo "$_r"
	done
}
two_runs() { [ "$(runs | wc -l)" -eq 2 ]; }
t0=$(date +%s)
in_cg_bg ab.slice/two ab-exec -j 2 par.ndjson >par.out 2>par.err
apid=$!
if wait_for 40 two_runs; then
	# All that the checks need, at once, while the runs live.
	set -- $(runs)
	r1=$1 r2=$2
	grep -H . "$r1"/memory.max "$r1"/memory.swap.max "$r1"/pids.max \
	    "$r2"/memory.max "$r2"/memory.swap.max "$r2"/pids.max \
	    /proc/$apid/cgroup $CG/ab.slice/two/cgroup.procs \
	    $(for p in $(cat "$r1/cgroup.procs" "$r2/cgroup.procs"); do
		echo /proc/$p/status; done) >snap.txt 2>&1
	ls "$r1" "$r2" >files.txt
	cgroups_in $CG/ab.slice/two >tree.txt
	echo 1 >"$r1/cgroup.kill"
	echo 1 >"$r2/cgroup.kill"
	ok "two runs live at once, each in a cgroup of its own"
	diag "$r1" "$r2"
	for r in "$r1" "$r2"; do
		case ${r#$CG/ab.slice/two/} in
		ab-slot.[0-9]*.[0-9]*.[01]/run.[0-9]*)
			ok "run cgroup named ab-slot.NS.PID.SLOT/run.N" ;;
		*) not_ok "run cgroup named ab-slot.NS.PID.SLOT/run.N: $r" ;;
		esac
		check "memory.max is the task's limit (48 MB)" \
		    grep -qx "$r/memory.max:$((48 << 20))" snap.txt
		check "memory.swap.max is 0" grep -qx "$r/memory.swap.max:0" snap.txt
		check "pids.max is the process limit (64)" \
		    grep -qx "$r/pids.max:64" snap.txt
	done
	check "the runs are in different slots" \
	    test "${r1%/run.*}" != "${r2%/run.*}"
	check "the kernel has cgroup.kill and memory.peak" \
	    test "$(grep -cx -e cgroup.kill -e memory.peak files.txt)" = 4
	check "the runs' processes have sandbox uids" \
	    test "$(grep -c 'Uid:[[:space:]]*32000[0-9][0-9][[:space:]]' snap.txt)" = 18
	check "the runs' cgroups have no children" \
	    test "$(grep -c '/run\.[0-9]*/' tree.txt)" = 0
	check "no process in ab-exec's own cgroup (no internal processes)" \
	    test "$(grep -c "^$CG/ab.slice/two/cgroup.procs:" snap.txt)" = 0
	check "ab-exec's processes are in one leaf beneath its cgroup" \
	    grep -qx "/proc/$apid/cgroup:0::/ab.slice/two/ab-supervisor.$apid" snap.txt
	grep -q "^/proc/$apid/cgroup" snap.txt || diag "$(cat snap.txt)"
	diag "tree: $(tr '\n' ' ' <tree.txt)"
else
	not_ok "two runs live at once, each in a cgroup of its own"
	diag "$(cgroups_in $CG/ab.slice/two)"
fi
wait $apid
rc=$?
diag "ab-exec -j 2: $(($(date +%s) - t0)) s"
check "ab-exec -j 2 ends (exit $rc)" test $rc = 0
[ -s par.err ] && diag "$(head -c 1000 par.err)"
after "-j 2" ab.slice/two

# ---- the root cgroup ----------------------------------------------------
at "the root cgroup"
# No rule against processes there.  A supervisor killed with SIGKILL in
# the middle of a run, then another, whose start removes what the dead
# one left.
ab-exec p3.ndjson >p3.out 2>p3.err &
apid=$!
one_run() {
	for _r in $CG/ab-slot.*.$apid.0/run.*; do
		[ -e "$_r/pids.current" ] && read -r _n <"$_r/pids.current" &&
		    [ "$_n" = 9 ] && return 0
	done
	return 1
}
if wait_for 30 one_run; then
	kill -9 $apid
	wait $apid 2>/dev/null
	check "the runs of a supervisor killed with SIGKILL die with it" \
	    wait_for 10 no_sandbox_procs
	left=$(cgroups_in $CG | grep "^ab-slot\..*\.$apid\.0")
	check "it leaves its cgroups behind" test -n "$left"
else
	not_ok "a run to kill started"
	diag "$(cgroups_in $CG)"
	kill -9 $apid
	wait $apid
fi
rc=0
ab-exec small.ndjson >root.out 2>root.err || rc=$?
check "ab-exec runs in the root cgroup (exit $rc)" test $rc = 0
[ -s root.err ] && diag "$(head -c 1000 root.err)"
left=$(cgroups_in $CG | grep -v '^ab\.slice')
check "the dead supervisor's cgroups are gone, and it leaves none" \
    test -z "$left"
diag "$left"

# ---- where ab-exec may not run ------------------------------------------
at "refusals"
# Its cgroup shared with a foreign process (the shell that started it):
# no controller can be given to its children; it refuses, changes
# nothing.
in_cg ab.slice/shared sh -c 'exec 2>shared.err; ab-exec "$1"; echo "exit $?" >&2' \
    sh small.ndjson >shared.out
check "in a cgroup shared with another process ab-exec refuses" \
    grep -qx "exit 2" shared.err
check "the refusal names the other process" \
    grep -q "refusing to run:.*holds process [0-9]* (sh)" shared.err
diag "$(head -c 600 shared.err)"
check "nothing is written" test ! -s shared.out
read -r sc <$CG/ab.slice/shared/cgroup.subtree_control
check "the shared cgroup is left as it was" \
    test -z "$(cgroups_in $CG/ab.slice/shared)" -a -z "$sc"

# A cgroup that was not given the pids controller.
mkdir $CG/ab.slice/nopids &&
    echo "+memory +cpu" >$CG/ab.slice/nopids/cgroup.subtree_control
in_cg ab.slice/nopids/scope ab-exec small.ndjson >nopids.out 2>nopids.err
check "without the pids controller ab-exec refuses (exit $rc)" test $rc = 2
check "the refusal says what to delegate" \
    grep -q "refusing to run:.*not given the memory and pids controllers" nopids.err
diag "$(head -c 600 nopids.err)"
read -r sc <$CG/ab.slice/nopids/scope/cgroup.subtree_control
check "and leaves that cgroup as it was" \
    test -z "$(cgroups_in $CG/ab.slice/nopids/scope)" -a -z "$sc"
in_cg ab.slice/nopids/scope ab-exec --allow-degraded small.ndjson \
    >degraded.out 2>degraded.err
check "without the pids controller --allow-degraded runs (exit $rc)" test $rc = 0
after "degraded" ab.slice/nopids/scope

# ---- rootless -----------------------------------------------------------
. "$TOP/tests/vm/rootless.sh"

at "end"
diag "cgroups at the end: $(cgroups_in $CG | tr '\n' ' ')"
echo "1..$n"
[ $failed = 0 ]
