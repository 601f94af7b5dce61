is_palindrome() {
	local s
	s=$(printf '%s' "$1" | tr -d ' ,.:;!?' | tr 'A-Z' 'a-z')
	[ "$s" = "$(printf '%s' "$s" | rev)" ]
}
