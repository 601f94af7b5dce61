#!/bin/sh
# ab-score: the built-in static analysis per language: functions, their
# lines and cyclomatic complexity, comments and doc comments,
# single-character names, numbers in comparisons, bracket balance, idioms.
# Strings, comments, regular expressions and here-documents must not fool
# it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-score.sh"
cd "$T" || exit 1

# score LANG FILE [RUBRIC]: the record of FILE scored, to $T/out (the
# record is made once a file: the same file scored again with another
# rubric reuses it)
score() {
	[ -f "$2.$1.json" ] || score_rec "$1" "$2" >"$2.$1.json"
	run ab-score -r "${3:-default}" --no-analysers --no-reference-run \
	    "$2.$1.json"
}
# evidence DIM PREFIX EXPECTED DESC: the evidence line of DIM starting
# with PREFIX is EXPECTED, and the only one (judged with the file's other
# checks, in one jq)
evidence() {
	jstr "$2"
	_p=$js
	jstr "$3"
	expect_jq "$T/out" "[.[] | .score.dimensions.$1.evidence[] |
	    select(startswith($_p))] == [$js]" "$4"
}

cat >a.py <<'PY'
#!/usr/bin/env python3
import sys


class Solver:
    """Solves."""

    def run(self, data,
            extra=None):
        def inner(v):
            return [w for w in v if w > 3 and w < 10]
        s = '''
def fake():
    if x: pass
'''
        if data or extra:
            return inner(data)
        return None


def main():
    n = int(sys.stdin.readline())  # a comment with if and for
    print(n * 2 if n > 100 else n)


if __name__ == "__main__":
    main()
PY
score python a.py
expect_rc 0 "python"
evidence quality "functions" \
    "functions (name, lines, cyclomatic complexity): run 8-18 cc 3, inner 10-11 cc 4, main 21-23 cc 2; top level cc 2" \
    "python: nested functions, a def in a string, ternaries, boolean operators"
evidence readability "+1.0 comments" \
    "+1.0 comments: 1 comment line, the first at line 22" \
    "python: the shebang is not a comment"
evidence readability "+1.0 docstrings" \
    '+1.0 docstrings: 1, the first at line 6: """Solves."""' \
    "python: a class docstring"
evidence readability "-0.5 magic" \
    "-0.5 magic numbers in comparisons (3): line 11: > 3; line 11: < 10; line 23: > 100" \
    "python: numbers compared against"

cat >a.js <<'JS'
// Sum helpers
const re = /["'`{]/g;
/** Adds. */
function add(a, b) {
  if (a > 10 && b < 3) { return a ? b : 0; }
  return a + b; // }
}
const mul = (x, y) => {
  for (let i = 0; i < 3; i++) { x += y ?? 0; }
  return `${x} }`;
};
class K { m(z) { while (z) z--; return z?.length; } }
var q = [1, 2].map(v => v * 2);
if (q == 2) { q = "{"; }
JS
score javascript a.js
expect_rc 0 "javascript"
evidence quality "functions" \
    "functions (name, lines, cyclomatic complexity): add 4-7 cc 4, mul 8-11 cc 3, m 12-12 cc 2; top level cc 2" \
    "javascript: functions, arrows, methods; regex, template and comment braces ignored"
evidence quality "-0.5 builtin" "-0.5 builtin line 13: style: var declaration (use let or const)" \
    "javascript: built-in check for var"
evidence quality "-1.0 builtin" "-1.0 builtin line 14: warning: loose equality (use === or !==)" \
    "javascript: built-in check for =="
score javascript a.js production
evidence idiomaticity "+1.0" \
    "+1.0 array methods (map, filter, reduce, ...) at line 13: var q = [1, 2].map(v => v * 2);" \
    "javascript idiom: array methods"
evidence idiomaticity "+0.5 template" \
    '+0.5 template literals at line 10: return `${x} }`;' "javascript idiom: template literals"
evidence idiomaticity "-0.5 loose" \
    "-0.5 loose equality (== or !=) at line 14: if (q == 2) { q = \"{\"; }" \
    "javascript idiom table: loose equality costs 0.5"

cat >a.c <<'C'
#include <stdio.h>
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#if 0
#endif
/* helper */
static int
helper(const int *v, size_t n)
{
	int s = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] > 42 || v[i] < -7)
			s += v[i];
		else
			s -= 1;
	}
	switch (s) { case 1: return 1; case 2: return 2; default: break; }
	return s;
}

int
main(void)
{
	const char *p = "}{ if (", c = '{';
	return helper(NULL, 0) == 3 && p && c;
}
C
score c a.c
expect_rc 0 "c"
evidence quality "functions" \
    "functions (name, lines, cyclomatic complexity): helper 6-18 cc 6, main 20-25 cc 3; top level cc 1" \
    "c: functions; preprocessor lines and strings ignored"
evidence readability "+1.0 doc" "+1.0 doc comments: 1, the first at line 5: /* helper */" \
    "c: a comment just before a function is its doc comment"
evidence readability "-0.5 magic" \
    "-0.5 magic numbers in comparisons (3): line 11: > 42; line 11: < -7; line 24: == 3" \
    "c: numbers compared against, a negative one too"

cat >a.cpp <<'CPP'
#include <vector>
#include <string>
struct S {
    int get() const { return x_ ? 1 : 0; }
    S(int x) : x_(x) {}
    int x_;
};
auto f(const std::vector<int>& v) -> int {
    int t = 0;
    for (auto x : v) { if (x > 5) t += x; }
    auto lam = [&](int y) { return y > 2 && y < 9; };
    try { t += lam(t); } catch (...) { }
    std::string r = R"(raw " } string)";
    return t;
}
CPP
score cpp a.cpp
expect_rc 0 "cpp"
evidence quality "functions" \
    "functions (name, lines, cyclomatic complexity): get 4-4 cc 2, S 5-5 cc 1, f 8-15 cc 5; top level cc 1" \
    "c++: methods, constructors with initialisers, trailing return; lambdas and raw strings"
score cpp a.cpp production
evidence idiomaticity "+1.0" "+1.0 range-based for at line 10: for (auto x : v) { if (x > 5) t += x; }" \
    "c++ idiom: range-based for"

cat >a.sh <<'SH'
#!/bin/bash
set -euo pipefail
# count things
count() {
	local n=$1 x
	if [[ $n -gt 5 ]] && [ "$n" -lt 100 ]; then
		echo "big ${#n} $(echo "hi")"
	elif (( n > 1 )); then
		echo '}'
	fi
	for x in a b; do echo "$x"; done
	case $n in
	1) echo one ;;
	*) echo other ;;
	esac
	cat <<EOF
 } if while {
EOF
}
function other {
	while read -r line; do echo "$line"; done
}
count 3
SH
score bash a.sh
expect_rc 0 "bash"
evidence quality "functions" \
    "functions (name, lines, cyclomatic complexity): count 4-19 cc 7, other 20-22 cc 2; top level cc 1" \
    "bash: both function forms; case clauses; here-document and quoted braces ignored"
evidence readability "single-character" \
    "single-character names within the limit of 2: n (line 5), x (line 11)" \
    "bash: names set or expanded, not words"
evidence readability "-0.5 magic" \
    "-0.5 magic numbers in comparisons (2): line 6: -gt 5; line 6: -lt 100" \
    "bash: -gt and -lt with numbers"

# Unbalanced code: a built-in error finding with its line.
printf 'def f(x):\n    return (x + 1\n\n\ndef g():\n    return 2\n' >bad.py
score python bad.py
evidence quality "-2.0 builtin" \
    "-2.0 builtin line 2: error: '(' opened at line 2 is never closed" \
    "an unclosed bracket is a built-in error"
printf 'int f(void)\n{\n\treturn 1;\n}}\n' >bad.c
score c bad.c
evidence quality "-2.0 builtin" "-2.0 builtin line 4: error: unbalanced '}'" \
    "an extra brace is a built-in error"
printf 'x = "never closed\n' >bad2.py
score python bad2.py
evidence quality "-2.0 builtin" "-2.0 builtin line 1: error: unterminated string" \
    "an unterminated string is a built-in error"

# Long functions, high complexity, long lines.
{
	echo 'def big(x):'
	i=0
	while [ $i -lt 55 ]; do echo "    if x == $i: return $i"; i=$((i + 1)); done
	echo "    return '$(printf '%0120d' 0)'"
} >long.py
score python long.py
expect_jq "$T/out" '.[0].score.dimensions.quality |
    (.evidence | any(. == "-1.0 function big (lines 1-57): cyclomatic complexity 56, more than 10")) and
    (.evidence | any(. == "-0.5 function big (lines 1-57): 57 lines, more than 50")) and
    (.evidence | any(. == "-0.1 1 line longer than 100 characters, the first at line 57")) and
    .value == 8.4' "complexity, length and line-length penalties: 10 - 1 - 0.5 - 0.1 = 8.4"

# Control characters and invalid UTF-8 in the code do not stop the analysis.
printf 'def f():\n    return "\001\377"\n' >nul.py
score python nul.py
expect_rc 0 "code with control characters and invalid UTF-8"
done_testing
