#!/bin/sh
# ab-exec: a language descriptor (ab-lang(5)) is read and checked once,
# when the first record of its language arrives; a broken one makes every
# record of that language an internal_error naming the file and what is
# wrong, reported once on stderr, and leaves the other languages alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

io_test='[{"style":"io","stdin":"","stdout":"hi\n"}]'
{
	rec b1 bash 'echo hi' "$io_test"
	rec b2 bash 'echo hi' "$io_test"
	rec p1 python 'print("hi")' "$io_test"
	rec nope cobol 'DISPLAY "hi".' "$io_test"
} >in.ndjson

# broken NAME JQ-EDIT MESSAGE: bash's descriptor edited by JQ-EDIT.
broken() {
	rm -rf share
	cp -R "$TOP/share/ab" share
	jq "$2" "$TOP/share/ab/lang/bash.json" >share/lang/bash.json
	AB_SHARE=$T/share run ab-exec in.ndjson
	expect_rc 1 "$1: ab-exec finishes with status 1"
	want="no usable descriptor for language bash: $T/share/lang/bash.json: $3"
	for id in b1 b2; do
		expect_verdict "$T/out" $id internal_error
		jq -r --arg id $id 'select(.task.id == $id) |
		    .exec.error.kind + ": " + .exec.error.message' "$T/out" \
		    >got
		printf 'language: %s\n' "$want" >want
		expect_same want got "$1: $id's error names the file and the fault"
	done
	expect_verdict "$T/out" p1 ok
	printf 'ab-exec: %s\n' "$want" >want
	expect_same want "$T/err" "$1: reported once on stderr"
}
broken member '.assert.comple = ["gcc"]' '"assert": unknown member "comple"'
broken run 'del(.io.run)' '"io" has no "run"'
broken argv '.io.run = []' \
    '"io"."run" must be a non-empty array of strings'
broken mode '.assert.mode = "all"' '"assert"."mode" must be "batch" or "each"'
broken file '.assert.files["server.sh"] = "bash/nope.sh"' \
    "$T/share/lang/bash/nope.sh: No such file or directory"
broken escape '.assert.files["server.sh"] = "../validate-task"' \
    'bad harness path ../validate-task'
broken numbers '.numbers = "exact"' '"numbers" must be "loose" or "strict"'

# A language without a descriptor is the task's: no stderr.
run ab-exec in.ndjson
expect_rc 1 "unknown language: status 1"
expect_verdict "$T/out" nope internal_error
expect_verdict "$T/out" b1 ok
jq -r 'select(.task.id == "nope") | .exec.error.message' "$T/out" >got
check "unknown language: the error names the missing file" \
    grep -q 'no usable descriptor for language cobol: .*/lang/cobol.json' got
expect_same /dev/null "$T/err" "unknown language: nothing on stderr"
# A compiler stopped by the wall clock while it had used little CPU was
# starved, not slow: it runs once more with twice the wall time.  A
# "compiler" that sleeps 1.5 s under a 1 s wall limit passes on its second
# run; one that sleeps 3 s is stopped again and the stop counts.
rm -rf share
cp -R "$TOP/share/ab" share
for nap in 1.5 3; do
	jq --arg nap "$nap" '.compile_limits = {"wall_ms": 1000, "cpu_ms": 5000}
	    | .io.compile = ["sh", "-c", "sleep \($nap)"]' \
	    "$TOP/share/ab/lang/bash.json" >share/lang/bash.json
	rec b1 bash 'echo hi' "$io_test" >slow.ndjson
	AB_SHARE=$T/share run ab-exec slow.ndjson
	case $nap in
	1.5) expect_verdict "$T/out" b1 ok
	     expect_jq "$T/out" '.[0].exec.wall_ms > 1400' \
	         "a starved compile's second run is counted in the record's time" ;;
	*) expect_verdict "$T/out" b1 compile_error
	   expect_jq "$T/out" '.[0].exec.tests[0].error | test("time limit")' \
	       "a compile stopped twice by the wall clock is a time limit" ;;
	esac
done
done_testing
