join_path() {
	local joined= arg abs=0 comp out=() IFS=/
	for arg in "$@"; do
		[ -z "$arg" ] && continue
		case $arg in
		/*) joined=$arg ;;
		*) joined=${joined:+$joined/}$arg ;;
		esac
	done
	case $joined in
	/*) abs=1 ;;
	esac
	local -a comps
	read -r -a comps <<<"$joined" || true
	# read -a splits on IFS=/ and keeps empty fields: skip them below.
	set -f
	for comp in "${comps[@]}"; do
		case $comp in
		'' | .) ;;
		..)
			if [ ${#out[@]} -gt 0 ] && [ "${out[${#out[@]}-1]}" != .. ]; then
				unset 'out[${#out[@]}-1]'
			elif [ $abs = 0 ]; then
				out+=(..)
			fi
			;;
		*) out+=("$comp") ;;
		esac
	done
	set +f
	local res="${out[*]}"
	if [ $abs = 1 ]; then
		printf '/%s\n' "$res"
	elif [ -z "$res" ]; then
		printf '.\n'
	else
		printf '%s\n' "$res"
	fi
}
