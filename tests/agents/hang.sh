#!/bin/sh
# A test agent that never answers and ignores polite signals.
trap '' TERM INT HUP
echo $$ >>"$AB_TEST_PIDS"
echo "thinking..."
while :; do sleep 1; done
