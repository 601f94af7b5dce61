#!/bin/bash
awk -F: '
NF { t = $1; gsub(/ /, "", t); print t, t; n = split($2, d, " "); for (i = 1; i <= n; i++) print d[i], t }' |
	tsort 2>/dev/null || echo cycle
