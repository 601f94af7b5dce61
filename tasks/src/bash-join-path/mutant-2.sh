join_path() {
	local joined= arg comp out=()
	for arg in "$@"; do
		[ -z "$arg" ] && continue
		case $arg in
		/*) joined=$arg ;;
		*) joined=${joined:+$joined/}$arg ;;
		esac
	done
	for comp in ${joined//\// }; do
		case $comp in
		.) ;;
		..) [ ${#out[@]} -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
		*) out+=("$comp") ;;
		esac
	done
	local IFS=/
	case $joined in
	/*) printf '/%s\n' "${out[*]}" ;;
	*) printf '%s\n' "${out[*]:-.}" ;;
	esac
}
