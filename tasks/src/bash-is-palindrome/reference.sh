is_palindrome() {
	local s rev i
	s=$(printf '%s' "$1" | tr -cd 'A-Za-z0-9' | tr 'A-Z' 'a-z')
	rev=
	for ((i = ${#s} - 1; i >= 0; i--)); do
		rev+=${s:i:1}
	done
	[ "$s" = "$rev" ]
}
