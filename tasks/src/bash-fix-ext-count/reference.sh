#!/bin/bash
while IFS= read -r path || [ -n "$path" ]; do
	[ -z "$path" ] && continue
	name=${path##*/}
	case $name in
	?*.*) ext=${name##*.}; ext=${ext,,} ;;
	*) ext='(none)' ;;
	esac
	printf '%s\n' "$ext"
done | LC_ALL=C sort | uniq -c | LC_ALL=C sort -k1,1nr -k2,2 | awk '{ c = $1; sub(/^[ \t]*[0-9]+[ \t]/, ""); print c, $0 }'
