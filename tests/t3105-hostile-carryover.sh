#!/bin/sh
# The hostile corpus, group "carryover": a correct sample that leaves a mark in its slot
# (the work directory's times, tmpfs inode numbers, pids, System V ids,
# cgroup names) and a wrong one after it in the same slot (-j 1) that
# answers right only when it finds the mark: nothing may pass from one
# run to the next.
# Each case of tests/hostile/carryover/ runs through ab-exec (see
# tests/hostile/hostile.sh for the checks made after each one).
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
run_group carryover
done_testing
