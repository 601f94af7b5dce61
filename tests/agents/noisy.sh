#!/bin/sh
# A test agent with a lot to say on stderr and binary junk on stdout.
i=0
while [ $i -lt 2000 ]; do echo "debug line $i" >&2; i=$((i + 1)); done
printf 'ok \377\376 done\n'
