ini_get() {
	local section= line key value
	while read line; do
		case $line in
		\;* | \#* | '') continue ;;
		\[*\]) section=${line:1:${#line}-2}; continue ;;
		esac
		key=$(echo ${line%%=*})
		value=$(echo ${line#*=})
		if [ "$section" = "$1" ] && [ "$key" = "$2" ]; then
			echo "$value"
			return 0
		fi
	done
	return 1
}
