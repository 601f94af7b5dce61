# tap.sh - tiny TAP for the hidden tests: t NAME COMMAND...; finish
n=0 fail=0
t() {
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $_name"
	else
		echo "not ok $n - $_name"
		fail=$((fail + 1))
	fi
}
finish() {
	echo "1..$n"
	[ "$fail" = 0 ]
}
