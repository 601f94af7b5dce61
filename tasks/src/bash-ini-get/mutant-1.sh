ini_get() {
	awk -F= -v s="$1" -v k="$2" '
		/^\[/ { sec = substr($0, 2, length($0) - 2); next }
		sec == s && $1 ~ "^[ \t]*" k { v = $2; gsub(/^[ \t]+|[ \t]+$/, "", v); found = 1 }
		END { if (found) print v; exit !found }'
}
