ini_get() {
	local want_section=$1 want_key=$2 section= line key value found=1 result=
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		# trim leading and trailing blanks
		line=${line#"${line%%[![:blank:]]*}"}
		line=${line%"${line##*[![:blank:]]}"}
		case $line in
		'' | ';'* | '#'*) continue ;;
		'['*']')
			section=${line#[}
			section=${section%]}
			continue
			;;
		*=*) ;;
		*) continue ;;
		esac
		key=${line%%=*}
		value=${line#*=}
		key=${key%"${key##*[![:blank:]]}"}
		value=${value#"${value%%[![:blank:]]*}"}
		if [ "$section" = "$want_section" ] && [ "$key" = "$want_key" ]; then
			result=$value
			found=0
		fi
	done
	[ "$found" = 0 ] || return 1
	printf '%s\n' "$result"
}
