#!/bin/sh
# The hostile corpus, groups "tamper" (forged verdicts, test tampering,
# compile-time attacks) and "broken" (plain broken programs, and correct
# ones for contrast).
# Each case of tests/hostile/{tamper,broken}/ runs through ab-exec (see
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
run_group tamper
run_group broken
done_testing
