#!/bin/sh
# The record contract for every program: options, bad input, exit statuses.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
export AB_DB="$T/contract.db"

for p in ab-gen ab-extract ab-exec ab-score ab-store ab-rank; do
	run $p -h
	expect_rc 0 "$p -h"
	expect_contains "$T/out" "usage: $p" "$p -h prints the synopsis to stdout"
	expect_contains "$T/out" "Example:" "$p -h shows an example"
	expect_contains "$T/out" "man $p" "$p -h says where the reference is"
	run $p --help
	expect_rc 0 "$p --help"
	expect_contains "$T/out" "usage: $p" "$p --help prints the synopsis to stdout"
	expect_contains "$T/out" "Example:" "$p --help shows an example"
	run $p -V
	expect_rc 0 "$p -V"
	expect_contains "$T/out" "$p " "$p -V prints the version"
	run $p -@
	expect_rc 2 "$p with an unknown option"
	expect_contains "$T/err" "usage: $p" "$p prints the synopsis to stderr"
	run $p "$T/no-such-file"
	expect_rc 1 "$p with a missing input file"
	expect_contains "$T/err" "$p: $T/no-such-file: No such file" \
	    "$p names the missing file"
done

# A record every later stage passes on, skipping its work: gen failed.
rec='{"id":"t1/c/0","run":"r1","task":{"id":"t1","language":"python","tests":[]},"config":{"name":"c","hash":"h"},"sample":0,"gen":{"text":null,"error":{"kind":"http","message":"boom"}}}'
rec2=$(printf '%s' "$rec" | sed 's/t1\/c\/0/t1\/c\/1/; s/"sample":0/"sample":1/')
{
	printf '%s\n' "$rec"
	printf 'this is not json\n'
	printf '[1,2]\n'
	printf '\n'
	printf '{"id":"t1/c/2","bad":\n'
	printf '%s\r\n' "$rec2"
} >bad.ndjson
printf '\357\273\277%s\n' "$rec" >bom.ndjson
# 100 MB of "a": a megabyte made by tr, then cat reads it 100 times (tr
# turning 100 MB costs 0.4 s of CPU).
head -c 1000000 /dev/zero | tr '\0' a >a1m
set --
i=0
while [ $i -lt 100 ]; do set -- "$@" a1m; i=$((i + 1)); done
{
	printf '{"id":"big","x":"'
	cat "$@"
	printf '"}\n%s\n' "$rec"
} >big.ndjson
rm a1m
i=0
while [ $i -lt 20000 ]; do printf '%s\n' "$rec"; i=$((i + 1)); done >many.ndjson

for p in ab-extract ab-exec ab-score ab-store; do
	rm -f "$AB_DB"*
	run $p bad.ndjson
	expect_rc 1 "$p: bad lines make the exit status 1"
	check "$p: the two good records come out" \
	    test "$(wc -l <"$T/out")" -eq 2
	expect_contains "$T/err" "$p: bad.ndjson:2: invalid JSON" \
	    "$p: invalid JSON is reported with file and line"
	expect_contains "$T/err" "$p: bad.ndjson:3: not a JSON object" \
	    "$p: a non-object is reported"
	expect_contains "$T/err" "$p: bad.ndjson:5: " \
	    "$p: line numbers count blank lines"
	stage=${p#ab-}
	if [ "$p" != ab-store ]; then
		expect_jq "$T/out" "all(.[]; .$stage.skipped == \"upstream error\")" \
		    "$p: an upstream error is passed on as skipped"
	fi
	run $p -b bad.ndjson
	expect_rc 1 "$p -b"
	check "$p -b stops at the first bad record" \
	    test "$(wc -l <"$T/out")" -eq 1
	run_in bom.ndjson $p
	expect_rc 0 "$p: a UTF-8 byte order mark is accepted"
	run $p big.ndjson
	expect_rc 1 "$p: a 100 MB line"
	expect_contains "$T/err" "big.ndjson:1: record longer than" \
	    "$p: a 100 MB line is reported"
	check "$p: the record after a 100 MB line comes out" \
	    test "$(wc -l <"$T/out")" -eq 1
	run $p --max-record=1k big.ndjson
	expect_contains "$T/err" "record longer than 1024 bytes" \
	    "$p: --max-record sets the limit"
	( $p many.ndjson 2>"$T/err"; echo $? >"$T/status" ) | head -c 1 >/dev/null
	check "$p: a closed stdout exits 2" test "$(cat "$T/status")" = 2
	expect_contains "$T/err" "$p: stdout: Broken pipe" \
	    "$p: a closed stdout is reported once"
	check "$p: ... only once" test "$(wc -l <"$T/err")" -eq 1
done
# An attempt whose task ab-exec cannot judge (no language, tests not an
# array, no code) is kept with exec.error, never dropped: one record in,
# one record out.
{
	printf '%s\n' '{"id":"a/x/0","task":{"id":"a","tests":[]},"extract":{"code":"x"}}'
	printf '%s\n' '{"id":"b/x/0","task":{"id":"b","language":"python","tests":{}},"extract":{"code":"x"}}'
	printf '%s\n' '{"id":"c/x/0","task":{"id":"c","language":"python","tests":[]},"extract":{}}'
} >unjudgeable.ndjson
for j in 1 2; do
	run ab-exec -j $j unjudgeable.ndjson
	expect_rc 1 "ab-exec -j $j: unjudgeable attempts make the exit status 1"
	expect_jq "$T/out" '[.[].id] == ["a/x/0","b/x/0","c/x/0"] and
	    all(.[]; .exec.verdict == "internal_error" and .exec.error.kind == "task")' \
	    "ab-exec -j $j: ... and each is kept with exec.error kind task"
	expect_contains "$T/err" "ab-exec: unjudgeable.ndjson:1: record a/x/0: task.language must be a string" \
	    "ab-exec -j $j: ... with a diagnostic naming file and line"
done

# Re-running a stage leaves no member of a later stage that was computed
# from the member it replaces: once ab-exec re-ran, an old score (here
# one that says success) must not sit beside the new verdict.
stale='{"id":"s/c/0","run":"r1","task":{"id":"s","language":"python","tests":[]},"config":{"name":"c","hash":"h"},"sample":0,"gen":{"text":"```python\nprint(1)\n```","error":null},"extract":{"code":"old","language":"python","error":null},"exec":{"verdict":"ok","passed":1,"total":1,"tests":[],"error":null},"score":{"total":1,"success":true,"error":null},"later":{"kept":1}}'
printf '%s\n' "$stale" >stale.ndjson
run ab-extract stale.ndjson
expect_rc 0 "ab-extract re-run on a scored record"
expect_jq "$T/out" '.[0] | (keys_unsorted == ["id","run","task","config","sample","gen","extract","later"]) and .extract.code == "print(1)\n"' \
    "ab-extract re-run: exec and score removed, its own member replaced in place, unknown members kept"
printf '%s\n' "$stale" | jq -c '.gen.error = {"kind": "http", "message": "boom"}' >stale-up.ndjson
for j in 1 2; do
	run ab-exec -j $j stale-up.ndjson
	expect_jq "$T/out" '.[0] | (keys_unsorted == ["id","run","task","config","sample","gen","extract","exec","later"]) and .exec.skipped == "upstream error"' \
	    "ab-exec -j $j re-run: the old score is gone"
done
done_testing
