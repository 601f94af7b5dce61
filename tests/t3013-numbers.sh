#!/bin/sh
# ab-exec: JSON has one number type.  Call tests compare numbers by value
# (1 == 1.0, never true == 1; integers exactly, however large), so a task
# passed through jq (which writes 2.0 as 2) keeps its verdicts; a test's
# "strict_types": true asks for type-strict comparison, and a failure on
# type alone says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

ret() {	# ret ID LANG VALUE EXPECTED-JSON [MORE-TEST-MEMBERS]
	case $2 in
	python) code="def f():
    return $3" ;;
	javascript) code="function f() { return $3; }" ;;
	esac
	# Not through jq: jq 1.6 rewrites 2.0 and large integers.
	rec "$1" "$2" "$code" \
	    "[{\"style\":\"call\",\"args\":[],\"expected\":$4${5:+,$5}}]" \
	    '{"entry_point":"f"}'
}
S='"strict_types":true'
{
	ret int-real python 2 2.0
	ret real-int python 2.0 2
	ret nested python '[1, {"a": 2.0}]' '[1,{"a":2}]'
	ret bool-int python True 1
	ret int-bool python 1 true
	ret false-zero python False 0
	ret real-value python 2.5 2
	ret big-exact python '2**62 + 1' 4611686018427387905
	ret big-off python '2**62 + 1' 4611686018427387904
	ret big-real python '2**53 + 1' 9007199254740992.0
	ret big-real-eq python '2**53' 9007199254740992.0
	ret huge-real python '2**63 - 1' 9223372036854775807.0
	ret neg-zero python -0.0 0
	ret tol-int python 2.0000001 2 '"tolerance":1e-6'
	ret s-int-real python 2 2.0 "$S"
	ret s-real-int python 2.0 2 "$S"
	ret s-nested python '[1, {"a": 2}]' '[1,{"a":2.0}]' "$S"
	ret s-same python '[1, 2.5]' '[1,2.5]' "$S"
	ret s-value python 3 2 "$S"
	ret js-real javascript 2 2.0
	ret js-bool javascript true 1
	ret js-strict javascript 2 2.0 "$S"
} >in.ndjson
run ab-exec in.ndjson
expect_rc 0 "ab-exec compares numbers"
for v in int-real:ok real-int:ok nested:ok bool-int:wrong_answer \
    int-bool:wrong_answer false-zero:wrong_answer real-value:wrong_answer \
    big-exact:ok big-off:wrong_answer big-real:wrong_answer \
    big-real-eq:ok huge-real:wrong_answer neg-zero:ok tol-int:ok \
    s-int-real:wrong_answer s-real-int:wrong_answer s-nested:wrong_answer \
    s-same:ok s-value:wrong_answer js-real:ok js-bool:wrong_answer \
    js-strict:ok; do
	expect_verdict out "${v%%:*}" "${v#*:}"
done
# error ID TEXT: the first test's error message is TEXT.
error() {
	jq -r --arg id "$1" 'select(.task.id == $id) | .exec.tests[0].error' \
	    out >"$T/err.$1"
	printf '%s\n' "$2" >"$T/want.$1"
	expect_same "$T/want.$1" "$T/err.$1" "$1: the message is \"$2\""
}
error s-int-real 'wrong return type: expected 2.0 (float), got 2 (int)'
error s-real-int 'wrong return type: expected 2 (int), got 2.0 (float)'
error s-nested 'wrong return type: expected 2.0 (float), got 2 (int) at .[1]["a"]'
error s-value 'wrong return value'
error int-bool 'wrong return value'

# Every shipped task with call tests keeps every verdict, reference and
# mutants, when its task went through jq -c . (jq 1.6 writes 2.0 as 2),
# and every reference passes.
# (Selected and made into records by python, which keeps numbers as
# written, unlike jq 1.6.)
python3 -c 'import json, sys
for f in sys.argv[1:]:
    for line in open(f, encoding="utf-8"):
        t = json.loads(line)
        if any(x.get("style") == "call" for x in t.get("tests", [])):
            sys.stdout.write(line)' "$TOP"/tasks/*.ndjson >calls.ndjson
check "every task file was read" test $? -eq 0
check "the shipped tasks have call tests" test -s calls.ndjson
jq -c . calls.ndjson >calls-jq.ndjson
if cmp -s calls.ndjson calls-jq.ndjson; then
	skip "jq -c . keeps every number as written (jq 1.7 and later)"
fi
recs() {	# recs TASKS: one record per reference and mutant
	python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    for k, code in enumerate([t["reference"]] + t.get("mutants", [])):
        print(json.dumps({"id": "%s/m/%d" % (t["id"], k), "run": "r1",
            "task": t, "config": {"name": "c", "hash": "h"}, "sample": k,
            "gen": {"text": code, "error": None},
            "extract": {"code": code, "error": None}},
            ensure_ascii=False, separators=(",", ":")))' "$1"
}
recs calls.ndjson >plain.in
recs calls-jq.ndjson >jq.in
for k in plain jq; do
	run ab-exec -j 2 $k.in
	expect_rc 0 "ab-exec runs the call tasks ($k)"
	cp "$T/out" $k.out
	jq -r '[.id, .exec.verdict, ([.exec.tests[].verdict] | join(","))] |
	    @tsv' $k.out | sort >$k.verdicts
done
check "every call task's record came out" test "$(wc -l <plain.verdicts)" -eq \
    "$(wc -l <plain.in)"
expect_same plain.verdicts jq.verdicts \
    "jq -c . changes no verdict of a shipped call task"
jq -r 'select(.id | endswith("/m/0")) | select(.exec.verdict != "ok") | .id' \
    plain.out >refs-failing
expect_same refs-failing /dev/null "every shipped call task's reference passes"
for id in py-median py-fix-average-rating; do
	check "$id is among the call tasks" grep -q "^$id/m/0	ok	" jq.verdicts
done
done_testing
