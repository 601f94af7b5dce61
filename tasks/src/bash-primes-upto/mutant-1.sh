#!/bin/bash
read -r n
out=()
for ((i = 2; i <= n; i++)); do
	p=1
	for ((d = 2; d * d <= i; d++)); do
		if ((i % d == 0)); then p=0; break; fi
	done
	((p)) && out+=("$i")
done
echo "${out[*]}"
