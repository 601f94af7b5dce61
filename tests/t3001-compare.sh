#!/bin/sh
# ab-exec: output comparison modes and call comparison (numbers by value,
# booleans apart; see t3013 for strict_types).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

# The program prints its stdin back: the test's stdin is the "output".
cat_py='import sys; sys.stdout.write(sys.stdin.read())'
io() {	# io ID STDIN STDOUT COMPARE [TOLERANCE]
	rec "$1" python "$cat_py" "$(jq -cn --arg i "$2" --arg o "$3" \
	    --arg c "$4" --arg t "${5:-}" 'def nl: gsub("\\\\n"; "\n") |
	    gsub("\\\\r"; "\r"); [{style: "io", stdin: ($i | nl),
	    stdout: ($o | nl)}
	    + (if $c == "" then {} else {compare: $c} end)
	    + (if $t == "" then {} else {tolerance: ($t | tonumber)} end)]')"
}
{
	io exact-same 'a b\n' 'a b\n' exact
	io exact-space 'a b \n' 'a b\n' exact
	io exact-nl 'a b' 'a b\n' exact
	io trail-default 'a b  \n\n\n' 'a b\n' ''
	io trail-cr 'a\r\nb\r\n' 'a\nb' trailing
	io trail-inner 'a  b\n' 'a b\n' trailing
	io trail-lead ' a\n' 'a\n' trailing
	io trail-more 'a\nb\n' 'a\n' trailing
	io tok-same '1  2\n3\n' '1 2 3' tokens
	io tok-diff '1 2 3 4' '1 2 3' tokens
	io float-close '0.3333333 2\n' '0.333333333 2\n' float
	io float-far '0.34 2\n' '0.333333333 2\n' float
	io float-tol '0.34 2\n' '0.333333333 2\n' float 0.01
	io float-word 'x 1.0\n' 'y 1.0\n' float
	io float-rel '1000001\n' '1000000\n' float 1e-5
	io float-nan 'nan\n' 'nan\n' float
	ret() {	# ret ID VALUE-PY EXPECTED-JSON [TOLERANCE]
		rec "$1" python "def f():
    return $2" "[{\"style\":\"call\",\"args\":[],\"expected\":$3${4:+,\"tolerance\":$4}}]" \
		    '{"entry_point":"f"}'
	}
	ret int-int 1 1
	ret int-real 1 1.0
	ret real-int 1.0 1
	ret bool-int True 1
	ret int-bool 1 true
	ret none-null None null
	ret tuple-list '(1, [2, "x"])' '[1,[2,"x"]]'
	ret dict-obj '{"a": [1.5]}' '{"a":[1.5]}'
	ret dict-int-keys '{1: 2}' '{"1":2}'
	ret str-str '"é\n"' '"é\n"'
	ret real-close 0.1+0.2 0.3
	ret real-close-tol 0.1+0.2 0.3 1e-9
	ret set-val '{1, 2}' '[1,2]'
	ret nan-val 'float("nan")' 0.0
	ret big-int '2**40' 1099511627776
	rec js-int-real javascript 'function f() { return 1; }' \
	    '[{"style":"call","args":[],"expected":1.0}]' '{"entry_point":"f"}'
	rec js-bool javascript 'function f() { return 1; }' \
	    '[{"style":"call","args":[],"expected":true}]' '{"entry_point":"f"}'
	rec js-args javascript 'function f(a, o) { return [a.length, o.k]; }' \
	    '[{"style":"call","args":[[1,2,3],{"k":null}],"expected":[3,null]}]' \
	    '{"entry_point":"f"}'
} >in.ndjson
run ab-exec in.ndjson
expect_rc 0 "ab-exec compares"
for v in exact-same:ok exact-space:wrong_answer exact-nl:wrong_answer \
    trail-default:ok trail-cr:ok trail-inner:wrong_answer \
    trail-lead:wrong_answer trail-more:wrong_answer tok-same:ok \
    tok-diff:wrong_answer float-close:ok float-far:wrong_answer \
    float-tol:ok float-word:wrong_answer float-rel:ok float-nan:ok \
    int-int:ok int-real:ok real-int:ok \
    bool-int:wrong_answer int-bool:wrong_answer none-null:ok \
    tuple-list:ok dict-obj:ok dict-int-keys:wrong_answer str-str:ok \
    real-close:wrong_answer real-close-tol:ok set-val:wrong_answer \
    nan-val:wrong_answer big-int:ok js-int-real:ok js-bool:wrong_answer \
    js-args:ok; do
	expect_verdict out "${v%%:*}" "${v#*:}"
done
expect_jq out '.[] | select(.task.id == "int-real") | .exec.tests[0].actual == 1' \
    "the actual value is recorded as returned"
expect_jq out '.[] | select(.task.id == "set-val") | .exec.tests[0].error | test("set")' \
    "a value without a JSON form is explained"
done_testing
