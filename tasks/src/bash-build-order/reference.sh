#!/bin/bash
LC_ALL=C awk '
/^[[:space:]]*$/ { next }
{
	line = $0
	t = line; sub(/:.*/, "", t); gsub(/[[:space:]]/, "", t)
	deps = line; sub(/^[^:]*:/, "", deps)
	if (!(t in is_target)) { is_target[t] = 1; targets[++nt] = t }
	n = split(deps, d, /[[:space:]]+/)
	for (i = 1; i <= n; i++)
		if (d[i] != "" && !((t SUBSEP d[i]) in edge)) {
			edge[t, d[i]] = 1
			ndep[t] = ndep[t] " " d[i]
		}
}
END {
	# indegree counts only dependencies that are targets
	for (k = 1; k <= nt; k++) {
		t = targets[k]
		m = split(ndep[t], d, " ")
		for (i = 1; i <= m; i++)
			if (d[i] in is_target) { indeg[t]++; users[d[i]] = users[d[i]] " " t }
	}
	done_count = 0
	while (done_count < nt) {
		best = ""
		for (k = 1; k <= nt; k++) {
			t = targets[k]
			if (!(t in printed) && indeg[t] == 0 && (best == "" || t < best)) best = t
		}
		if (best == "") { print "cycle"; exit 0 }
		printed[best] = 1
		order[++done_count] = best
		m = split(users[best], u, " ")
		for (i = 1; i <= m; i++) indeg[u[i]]--
	}
	for (k = 1; k <= nt; k++) print order[k]
}'
