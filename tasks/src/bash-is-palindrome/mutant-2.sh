is_palindrome() {
	local s
	s=$(printf '%s' "$1" | tr -cd 'A-Za-z0-9')
	[ "$s" = "$(printf '%s' "$s" | rev)" ]
}
