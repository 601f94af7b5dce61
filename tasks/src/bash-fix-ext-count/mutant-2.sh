#!/bin/bash
while IFS= read -r path; do
	[ -z "$path" ] && continue
	case $path in
	*.*) ext=${path##*.}; ext=${ext,,} ;;
	*) ext='(none)' ;;
	esac
	printf '%s\n' "$ext"
done | sort | uniq -c | sort -k1,1nr -k2,2 | awk '{print $1, $2}'
