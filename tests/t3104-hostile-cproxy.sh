#!/bin/sh
# The hostile corpus, group "cproxy": C and C++ solutions that attack the
# assertion tests' checker (macros rewriting the check, interposed
# __assert_fail, exit and write, destructors and static objects forging
# records, asm labels and aliases, pragmas, scanning memory for the
# nonce, answers that overrun the caller's buffer, a stack smash, reading
# the hidden test).  The checker runs apart from the solution (see
# ab-exec(1)): each attack only fails its tests.
# Each case of tests/hostile/cproxy/ runs through ab-exec (see
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
run_group cproxy
done_testing
