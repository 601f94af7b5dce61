#!/bin/bash
awk '/^[^ ]+ / { print $1 }' | LC_ALL=C sort | uniq -c | LC_ALL=C sort -k1,1nr -k2,2 | head -n 3 | awk '{ print $1, $2 }'
