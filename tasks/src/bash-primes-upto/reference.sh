#!/bin/bash
read -r n
awk -v n="$n" 'BEGIN {
	for (i = 2; i * i <= n; i++)
		if (!c[i])
			for (j = i * i; j <= n; j += i) c[j] = 1
	s = ""
	for (i = 2; i <= n; i++)
		if (!c[i]) s = s (s == "" ? "" : " ") i
	print s
}'
