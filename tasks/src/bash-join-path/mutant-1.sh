join_path() {
	local IFS=/
	local p="$*"
	while [[ $p == *//* ]]; do p=${p//\/\//\/}; done
	p=${p%/}
	printf '%s\n' "${p:-.}"
}
