#!/bin/sh
# Golden cases: tests/golden/PROG/CASE/ holds `args` (one argument a line,
# optional), `in` (stdin), and the expectations `out`, `err`, `status`.
# A missing `err` means empty stderr; a missing `status` means 0.  An
# optional `setup` is a shell command run first (for a database to read).
# Each case runs in a scratch copy of its directory (what it writes stays
# there).  In ab-exec's and ab-store's, timings, peak memory, dates, the
# cgroup version and the run environment ab-store exports (host, paths,
# toolchain) are masked on both sides (mask below).  ab-exec's cases
# need the sandbox.
# UPDATE=1 rewrites the expectations for review with git diff;
# GOLDEN=PATTERN runs only the cases whose PROG/CASE matches the shell
# pattern (e.g. GOLDEN='ab-exec/*').
. "$(dirname "$0")/lib.sh"

# mask FILE OUT: what differs from run to run or machine to machine, in
# the output of ab-exec and ab-store, masked from FILE into OUT; $m names
# the file to compare: OUT, or for the other programs (whose cases are
# exact) FILE itself, not copied.
mask() {
	m=$1
	case $prog in
	ab-exec|ab-store) ;;
	*) return ;;
	esac
	m=$2
	sed -E 's/"([a-z_]*_ms)":-?[0-9]+[.e][-+0-9.e]*/"\1":0/g
	    s/"peak_kb":[0-9]+/"peak_kb":0/g
	    s/cgroup-v[12]:/cgroup-vN:/g
	    s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/DATE/g
	    s/"store":\{"run":\{.*$/"store":{"run":"(this machine)"}}/' "$1" >"$2"
}

nosandbox=$(sandbox_missing)
k=0
for dir in "$TOP"/tests/golden/*/*/; do
	[ -d "$dir" ] || continue
	dir=${dir%/}
	prog=${dir%/*}
	prog=${prog##*/}
	name=$prog/${dir##*/}
	# shellcheck disable=SC2254
	case $name in ${GOLDEN:-*}) ;; *) continue ;; esac
	if [ "$prog" = ab-exec ] && [ -n "$nosandbox" ]; then
		if in_ci; then not_ok "$name: CI must run it, but no sandbox here: $nosandbox"
		else skip "$name: no sandbox here: $nosandbox"; fi
		continue
	fi
	set -- "$prog"
	if [ -f "$dir/args" ]; then
		while IFS= read -r a; do set -- "$@" "$a"; done <"$dir/args"
	fi
	# a fresh copy for each case ($T goes at the end)
	k=$((k + 1))
	cp -R "$dir" "$T/case$k"
	in=/dev/null
	[ -f "$dir/in" ] && in="$dir/in"
	rc=0
	if [ -f "$dir/setup" ] &&
	    ! (cd "$T/case$k" && sh ./setup >"$T/setup.out" 2>&1); then
		not_ok "$name: its setup fails"
		diag "$(head -c 1000 "$T/setup.out")"
		continue
	fi
	(cd "$T/case$k" && "$@" <"$in" >"$T/out" 2>"$T/err") || rc=$?
	mask "$T/out" "$T/out.m"
	outm=$m
	mask "$T/err" "$T/err.m"
	errm=$m
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$outm" "$dir/out"
		if [ -s "$T/err" ]; then cp "$errm" "$dir/err"; else rm -f "$dir/err"; fi
		if [ "$rc" != 0 ]; then echo "$rc" >"$dir/status"; else rm -f "$dir/status"; fi
	fi
	want=0
	[ -f "$dir/status" ] && read -r want <"$dir/status"
	[ -f "$dir/err" ] && errf="$dir/err" || errf=/dev/null
	mask "$dir/out" "$T/want.m"
	wantm=$m
	mask "$errf" "$T/wanterr.m"
	wanterrm=$m
	# (no stderr expected: an empty file, without starting cmp)
	if [ "$rc" = "$want" ] && cmp -s "$outm" "$wantm" &&
	    if [ "$wanterrm" = /dev/null ]; then [ ! -s "$errm" ]
	    else cmp -s "$errm" "$wanterrm"; fi; then
		ok "$name"
	else
		not_ok "$name (exit $rc, expected $want)"
		diag "$(diff -u "$wantm" "$outm" | head -n 30)"
		diag "$(diff -u "$wanterrm" "$errm" | head -n 10)"
	fi
done
done_testing
