#!/bin/bash
LC_ALL=C awk '
/^[[:space:]]*$/ { next }
{
	t = $0; sub(/:.*/, "", t); gsub(/[[:space:]]/, "", t)
	deps = $0; sub(/^[^:]*:/, "", deps)
	if (!(t in is_target)) { is_target[t] = 1; targets[++nt] = t }
	alldeps[t] = alldeps[t] " " deps
}
END {
	for (k = 1; k <= nt; k++) {
		t = targets[k]
		m = split(alldeps[t], d, " ")
		for (i = 1; i <= m; i++)
			if (d[i] in is_target) { indeg[t]++; users[d[i]] = users[d[i]] " " t }
	}
	for (round = 1; round <= nt; round++) {
		best = ""
		for (k = 1; k <= nt; k++) {
			t = targets[k]
			if (!(t in printed) && indeg[t] == 0 && (best == "" || t < best)) best = t
		}
		if (best == "") break
		printed[best] = 1
		print best
		m = split(users[best], u, " ")
		for (i = 1; i <= m; i++) indeg[u[i]]--
	}
}'
