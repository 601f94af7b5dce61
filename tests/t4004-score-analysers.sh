#!/bin/sh
# ab-score: the real analysers, run in ab-exec's sandbox.  Each check is
# skipped when its tool is not installed; when this machine has no sandbox
# (decided from the environment) the built-in checks may stand in, and the
# evidence must say so.  Where both are here, the tool must have run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-score.sh"
cd "$T" || exit 1
nosandbox=$(sandbox_missing)
[ -z "$nosandbox" ] || diag "no sandbox here ($nosandbox): fallbacks allowed"

# analyse LANG FILE: the record of FILE scored with the assistant rubric,
# its output in $ao ($T/FILE.LANG.out, and .err).  A file analysed before in
# LANG is not scored again: the findings looked for in it are read from
# one run (scored again, the same record gives the same output).
analyse() {
	ao=$T/$2.$1.out
	[ -f "$ao" ] && return
	score_rec "$1" "$2" >rec.json
	run_to "$ao" "$T/$2.$1.err" ab-score -r assistant --allow-degraded \
	    --no-reference-run rec.json
}
# finding PROG TOOL LANG FILE REGEX DESC: TOOL (the program PROG) reports
# a finding matching REGEX on FILE
finding() {
	if [ ! -x "/usr/bin/$1" ] && [ ! -x "/usr/local/bin/$1" ] &&
	    [ ! -x "/bin/$1" ]; then
		skip "$6 ($1 not installed)"
		return
	fi
	analyse "$3" "$4"
	# TOOL's member of score.analysers, as ab-score writes it (a grep
	# of the output file: no jq to start)
	st=$(grep -o "{\"tool\":\"$2\",\"status\":\"[a-z]*\",\"detail\":[^}]*}" "$ao")
	case $st in
	*'"status":"ran"'*) jstr "$5"
		expect_jq "$ao" ".[0].score.dimensions.quality.evidence |
		    any(test($js))" "$6" ;;
	*) if [ -z "$nosandbox" ]; then
		not_ok "$6 ($2 did not run: ${st:-no record})"
		diag "$(head -c 1000 "$T/$4.$3.err")"
		return
	   fi
	   skip "$6 ($2: $st)"
	   expect_jq "$ao" '.[0].score.dimensions.quality.evidence |
		any(contains("built-in checks were used"))' \
		"$6: the fallback is in the evidence" ;;
	esac
}

printf 'import os\n\n\ndef f(x):\n    return y\n' >a.py
finding pyflakes3 pyflakes python a.py "pyflakes line 1:1: warning: 'os' imported but unused" \
    "pyflakes: an unused import, with its line"
finding pyflakes3 pyflakes python a.py "pyflakes line 5:12: warning: undefined name 'y'" \
    "pyflakes: an undefined name"
printf 'def f(x):\n    return x +\n' >b.py
finding pyflakes3 pyflakes python b.py "the code does not parse: line 2: invalid syntax" \
    "pyflakes: a syntax error means the code does not parse"

printf 'function f(a) {\n  return a +;\n}\n' >b.js
finding node "node --check" javascript b.js "the code does not parse: line 2: SyntaxError: Unexpected token" \
    "node --check: a syntax error with its line"

printf 'int f(int a)\n{\n\tint unused;\n\treturn a;\n}\n' >a.c
finding gcc gcc c a.c "^-1.0 gcc line 3:[0-9]+: warning: unused variable" \
    "gcc -Wall: an unused variable"
finding cppcheck cppcheck c a.c "cppcheck line 3:6: style: Unused variable: unused \\[unusedVariable\\]" \
    "cppcheck: an unused variable"
printf 'int f(int a)\n{\n\treturn a +\n}\n' >b.c
finding gcc gcc c b.c "the code does not parse: line 4: expected expression" \
    "gcc: code that does not compile"

printf '#include <vector>\nint f(std::vector<int> v)\n{\n\tint unused;\n\treturn v.size();\n}\n' >a.cpp
finding g++ g++ cpp a.cpp "^-1.0 g\\+\\+ line 4:[0-9]+: warning: unused variable" \
    "g++ -Wall: an unused variable"

printf '#!/bin/bash\ngreet() {\n\techo Hello $1\n\tcd /tmp\n}\n' >a.sh
finding shellcheck shellcheck bash a.sh "shellcheck line 4:2: warning: Use 'cd [.][.][.] [|][|] exit'" \
    "shellcheck: cd without || exit"
finding shellcheck shellcheck bash a.sh "shellcheck line 3:13: style: Double quote to prevent globbing" \
    "shellcheck: its notes count as style"

# --no-analysers: every tool "off", the built-in checks used.
run ab-score -r assistant --no-analysers --no-reference-run rec.json
expect_jq "$T/out" '.[0].score.analysers | map(.status) == ["off", "builtin"] or
    map(.status) == ["off", "ran"]' "--no-analysers: the tool is off, the built-in checks ran"
# The reference solution timed by the real ab-exec, once, then cached.
jq -c '.task.entry_point = "two_sum" | .task.reference = .extract.code' \
    "$TOP/tests/golden/ab-score/production-python/in" >ref.json
run ab-score -r assistant --allow-degraded --cache-dir="$T/cache" ref.json
ev=$(jq -r '.score.dimensions.efficiency.evidence[0]' "$T/out")
case $ev in
*"the reference solution run through ab-exec"*)
	ok "the reference is timed through ab-exec"
	check "... and cached" test "$(ls "$T"/cache/reference/*.json | wc -l)" -eq 1
	cp "$T/out" first
	run ab-score -r assistant --allow-degraded --cache-dir="$T/cache" ref.json
	cat first "$T/out" >both
	expect_jq both 'length == 2 and
	    (.[0].score | tojson) == (.[1].score | tojson)' \
	    "scored again from the cache: the same score" ;;
*)	if [ -z "$nosandbox" ]; then
		not_ok "the reference is timed through ab-exec ($ev)"
		diag "$(head -c 1000 "$T/err")"
	else
		skip "the reference timed through ab-exec ($ev)"
	fi ;;
esac
done_testing
