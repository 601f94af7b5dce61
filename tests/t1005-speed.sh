#!/bin/sh
# ab-extract: linear time on 10 MB answers, ordinary and hostile.
# The quick lane (make check, AB_QUICK=1) runs the same answers at a fifth
# of the size against a fifth of the limit: what this file guards against
# is time growing faster than the input (a rescan per line or per block,
# a copy per fence), which 2 MB shows as surely as 10 MB (a rescan per
# line of a 2 MB answer is some 40,000 passes over it); make test runs
# them at 10 MB.
. "$(dirname "$0")/lib.sh"

div=1 sz="10 MB" big7="7 MB"
[ "${AB_QUICK:-}" = 1 ] && div=5 sz="2 MB" big7="1.4 MB"
limit=$((5000 / div))	# CPU ms per answer, loose enough for sanitizer builds
[ "${AB_VALGRIND:-}" = 1 ] && limit=120000
mb=$((10485760 / div))

# The answers are made once, kept in tests/out/t1005/ under the hash of
# this file (which makes them; make clean removes them) and their scale.
C=$TOP/tests/out/t1005
K=$(sha256sum <"$TOP/tests/${0##*/}" | cut -c1-16)
R=$C/$K.$div
# big NAME LANG ENTRY: $R/NAME.rec, the record for the answer that
# answer_NAME prints, made when it is not there yet.
big() {
	[ -s "$R/$1.rec" ] && return
	if [ ! -d "$R" ]; then
		for _d in "$C"/*; do
			case $_d in "$C/$K".*) ;; *) rm -rf "$_d" ;; esac
		done
		mkdir -p "$R"
	fi
	"answer_$1" | jq -Rsc --arg l "$2" --arg e "$3" \
	    '{id: "big", task: {language: $l, entry_point: $e},
	      gen: {text: .}}' >"$R/$1.rec.$$" && mv -f "$R/$1.rec.$$" "$R/$1.rec"
}
# timed NAME DESC [ARGS...]: ab-extract on the record within the limit
# of CPU time (user and system, from the cutime and cstime of a shell
# that waited for it: the machine may be busy, wall time says little).
tck=$(getconf CLK_TCK)
timed() {
	_name=$1 _desc=$2
	shift 2
	run sh -c 'ab-extract "$@"; rc=$?; read -r st </proc/$$/stat;
	    set -- $st; echo $((${16} + ${17})) >&2; exit $rc' \
	    sh "$@" "$R/$_name.rec"
	_ms=$(($(tail -n 1 "$T/err") * 1000 / tck))
	check "$_desc: one record out" test "$(wc -l <"$T/out")" -eq 1
	if [ "$_ms" -lt "$limit" ]; then ok "$_desc: ${_ms} ms"
	else not_ok "$_desc: ${_ms} ms, over ${limit} ms"; fi
}

answer_mixed() {
	yes 'Some prose about the solution, which is a long one.' |
	    head -c $((3000000 / div))
	printf '\n```python\ndef f(x):\n'
	yes '    x = x + 1  # step' | head -c $((7000000 / div))
	printf '\n    return x\n```\n'
}
big mixed python f
timed mixed "prose and one $big7 block"
expect_jq "$T/out" ".[0].extract.method == \"fence+lang\" and
    (.[0].extract.code | length) > $((6900000 / div))" "the big block is taken"
timed mixed "the same with -f" -f
expect_jq "$T/out" '.[0].extract.error == null' "-f on a $big7 function"

answer_many() {
	yes "$(printf '```py\nx = 1\n```\ntext')" | head -c $mb
}
big many python g
timed many "a million small blocks, no entry point in any"
expect_jq "$T/out" ".[0].extract.blocks > $((400000 / div))" "they are all counted"
timed many "the same with -m all" -m all

answer_ticks() {
	head -c $mb /dev/zero | tr '\0' '`'
}
big ticks python f
timed ticks "$sz of backticks"
answer_cr() {
	head -c $mb /dev/zero | tr '\0' '\r'
}
big cr python f
timed cr "$sz of CR"
answer_think() {
	yes '<think>' | head -c $mb
}
big think python f
timed think "$sz of <think> lines"
answer_think2() {
	yes '</think><think>' | head -c $mb
}
big think2 python f
timed think2 "$sz of closing and opening tags"
answer_cdef() {
	printf '```c\n'
	yes 'int f(int f(' | head -c $mb
}
big cdef c f
timed cdef "$sz of unclosed C definitions of the entry point"
answer_raw() {
	yes 'def f(x):' | head -c $((5000000 / div))
	yes 'x = f(' | head -c $((5000000 / div))
}
big raw python f
timed raw "$sz without fences (the heuristic)"
answer_lists() {
	yes '   - 1. ```{.py ' | head -c $mb
}
big lists python f
timed lists "$sz of list items with odd fences"
answer_js() {
	printf '```js\n'
	yes 'function f(a) { return `${`${/[(/.test(a)}`}`; }' |
	    head -c $mb
}
big js javascript f
timed js "$sz of javascript with -f" -f
answer_c() {
	printf '```c\n'
	yes 'static int f(int a) { /* x */ return g(a); } // y' |
	    head -c $mb
}
big c c f
timed c "$sz of c with -f" -f

done_testing
