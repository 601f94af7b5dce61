#!/bin/sh
# Golden cases: tests/golden/PROG/CASE/ holds `args` (one argument a line,
# optional), `in` (stdin), and the expectations `out`, `err`, `status`.
# A missing `err` means empty stderr; a missing `status` means 0.
# UPDATE=1 rewrites the expectations for review with git diff.
. "$(dirname "$0")/lib.sh"

for dir in "$TOP"/tests/golden/*/*/; do
	[ -d "$dir" ] || continue
	prog=$(basename "$(dirname "$dir")")
	name="$prog/$(basename "$dir")"
	set -- "$prog"
	if [ -f "$dir/args" ]; then
		while IFS= read -r a; do set -- "$@" "$a"; done <"$dir/args"
	fi
	in=/dev/null
	[ -f "$dir/in" ] && in="$dir/in"
	rc=0
	(cd "$dir" && "$@" <"$in" >"$T/out" 2>"$T/err") || rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$T/out" "$dir/out"
		if [ -s "$T/err" ]; then cp "$T/err" "$dir/err"; else rm -f "$dir/err"; fi
		if [ "$rc" != 0 ]; then echo "$rc" >"$dir/status"; else rm -f "$dir/status"; fi
	fi
	want=0
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	[ -f "$dir/err" ] && errf="$dir/err" || errf=/dev/null
	if [ "$rc" = "$want" ] && cmp -s "$T/out" "$dir/out" &&
	    cmp -s "$T/err" "$errf"; then
		ok "$name"
	else
		not_ok "$name (exit $rc, expected $want)"
		diag "$(diff -u "$dir/out" "$T/out" | head -n 30)"
		diag "$(diff -u "$errf" "$T/err" | head -n 10)"
	fi
done
done_testing
