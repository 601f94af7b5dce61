#!/bin/sh
# wrap.sh DIR ARGS...: run "ab-exec ARGS..." on DIR/in as the first
# process of a private pid and mount namespace (started by the t31xx
# tests with unshare), so that nothing the corpus does can reach past it:
# even a broken sandbox's `kill -9 -1` ends here.  /tmp, /var/tmp and
# /dev/shm are fresh tmpfs, so whatever is left in them was left by this
# run.  Writes DIR/out (records), DIR/err, DIR/rc, DIR/times (ms from the
# start to each record), DIR/linger, DIR/procs (processes still alive
# after ab-exec exited) and DIR/files (files left in the temporary dirs).
# HOSTILE_KILL_AFTER=S: first a run killed with SIGKILL S seconds after
# its first record came out
# (DIR/killed.out, .err, .rc, .procs, .files), then the normal run.
dir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mount -t proc -o nosuid,nodev,noexec proc /proc || exit 97
# A source tree beneath one of the directories replaced below (a clone
# in /tmp) is held open and bound back at its own path.
exec 9<"$top"
for d in /tmp /var/tmp /dev/shm; do
	mount -t tmpfs -o size=512m,mode=1777 hostile "$d" || exit 97
done
if [ ! -d "$top/tests/hostile" ]; then
	mkdir -p "$top" &&
	    mount --no-canonicalize --bind /proc/self/fd/9 "$top" || exit 97
fi
exec 9<&-
# left FILE: what is in the temporary directories, but the source tree
# and the directories on its way.
left() {
	find /tmp /var/tmp /dev/shm -mindepth 1 2>&1 | awk -v t="$top" \
	    '!($0 == t || index($0, t "/") == 1 || index(t, $0 "/") == 1)' >"$1"
}
# HOSTILE_HIDE_CGROUPS=1: a machine without cgroups (a really missing
# primitive, not a simulated one).
if [ "${HOSTILE_HIDE_CGROUPS:-}" = 1 ]; then
	mount -t tmpfs -o size=1m,ro hostile /sys/fs/cgroup || exit 97
fi
# leftovers FILE: wait up to 1 s for the dying, then write to FILE the
# processes still here (but this shell): they were left behind.
leftovers() {
	: >"$1"
	i=0
	while [ $i -lt 20 ]; do
		left=
		for p in /proc/[0-9]*; do
			[ "$p" = /proc/1 ] || left="$left ${p#/proc/}"
		done
		[ -z "$left" ] && break
		i=$((i + 1))
		sleep 0.05
	done
	for p in $left; do
		[ -r "/proc/$p/cmdline" ] || continue
		printf '%s %s\n' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" | head -c 200)" \
		    >>"$1"
	done
}
if [ -n "${HOSTILE_KILL_AFTER:-}" ]; then
	# Harness fault: SIGKILL ab-exec after HOSTILE_KILL_AFTER seconds
	# (DIR/killed.*), then run it again here, in the same namespaces, as
	# one would on the same machine.
	(TMPDIR=/tmp exec ab-exec "$@" <"$dir/in" >"$dir/killed.out" \
	    2>"$dir/killed.err") &
	pid=$!
	# Mid-batch whatever the machine's load: once the first record is
	# out (30 s at most), then S seconds more.
	i=0
	while [ ! -s "$dir/killed.out" ] && kill -0 "$pid" 2>/dev/null &&
	    [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep "$HOSTILE_KILL_AFTER"
	kill -9 "$pid"
	wait "$pid"
	echo $? >"$dir/killed.rc"
	leftovers "$dir/killed.procs"
	kill -9 -1 2>/dev/null
	left "$dir/killed.files"
fi
t0=$(date +%s%N)
{
	TMPDIR=/tmp ab-exec "$@" <"$dir/in" 2>"$dir/err"
	echo $? >"$dir/rc"
} | "${HOSTILE_PY:-python3}" "$here/stamp.py" "$t0" "$dir/out" "$dir/times" \
    "$dir/linger"
leftovers "$dir/procs"
kill -9 -1 2>/dev/null
left "$dir/files"
exit 0
