#!/bin/bash
awk '/^[^ ]+ / { print $1 }' | sort | uniq -c | sort -rn | head -n 3 | awk '{ print $1, $2 }'
