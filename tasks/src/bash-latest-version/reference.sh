#!/bin/bash
# Compare with awk on the parts as strings of digits: no integer overflow.
awk '
function cmpnum(a, b) {
	sub(/^0+/, "", a); sub(/^0+/, "", b)
	if (length(a) != length(b)) return length(a) < length(b) ? -1 : 1
	return a < b ? -1 : (a > b ? 1 : 0)
}
/^v?[0-9]+\.[0-9]+\.[0-9]+$/ {
	v = $0; sub(/^v/, "", v)
	n = split(v, p, ".")
	if (!have) { have = 1; best = $0; for (i = 1; i <= 3; i++) b[i] = p[i]; next }
	for (i = 1; i <= 3; i++) {
		c = cmpnum(p[i], b[i])
		if (c > 0) { best = $0; for (j = 1; j <= 3; j++) b[j] = p[j]; break }
		if (c < 0) break
	}
}
END { if (have) print best }'
