#!/bin/sh
# A test agent that leaves children behind: one in its process group, one
# in a new session, one double-forked daemon; then answers (or hangs, with
# "hang" as its first argument).
sleep 300 &
echo $! >>"$AB_TEST_PIDS"
setsid sleep 301 &
echo $! >>"$AB_TEST_PIDS"
# shellcheck disable=SC2016
( setsid sh -c 'echo $$ >>"$AB_TEST_PIDS"; exec sleep 302' & )
sleep 0.2
echo '```python'
echo 'def answer(): return 42'
echo '```'
[ "${1:-}" = hang ] && while :; do sleep 1; done
exit 0
