# text.sh - text helpers.

# lower TEXT: TEXT in lowercase (ASCII).
lower() {
	printf '%s\n' "$1" | tr 'A-Z' 'a-z'
}

# slug TEXT: lowercase, runs of other than a-z0-9 to one "-", trimmed.
slug() {
	local s
	s=$(lower "$1" | sed 's/[^a-z0-9][^a-z0-9]*/-/g; s/^-//; s/-$//')
	if [ -z "$s" ]; then
		s=untitled
	printf '%s\n' "$s"
}
