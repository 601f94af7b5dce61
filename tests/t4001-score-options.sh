#!/bin/sh
# ab-score: options, rubric validation, determinism, bad records.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
G=$TOP/tests/golden/ab-score
rec=$G/production-python/in

# The same record scored twice gives the same score; scoring a scored
# record again replaces the score member only.
run ab-score -r production --no-analysers --no-reference-run "$rec"
expect_rc 0 "score a record"
cp "$T/out" once.json
run ab-score -r production --no-analysers --no-reference-run once.json
expect_rc 0 "score the scored record again"
expect_same "$T/out" once.json "the same record scored twice: the same score"
run ab-score -r production --no-analysers --no-reference-run "$rec" "$rec"
expect_jq "$T/out" 'length == 2 and (.[0].score | tojson) == (.[1].score | tojson)' \
    "two copies of one record in one run: the same score"

# The member, field by field.
expect_jq once.json 'all(.[].score; (keys | sort) == (["analysers",
    "categories", "consistency", "dimensions", "error", "grade", "rubric",
    "success", "total", "weights"]))' "score has exactly its members"
expect_jq once.json '.[0].score | .rubric == "production" and
    .error == null and (.weights | add) > 0.999999 and
    ([.dimensions[].value] | all(. >= 0 and . <= 10)) and
    .total >= 0 and .total <= 100' "values in range, weights sum to 1"
cat once.json "$rec" >both.json
expect_jq both.json 'length == 2 and (.[0] | del(.score)) == .[1]' \
    "the other members are copied unchanged"

# -r by name and by file; every shipped rubric loads.
for r in production assistant agent default; do
	run ab-score -r "$r" --no-analysers --no-reference-run "$rec"
	expect_rc 0 "-r $r"
	expect_jq "$T/out" ".[0].score.rubric == \"$r\"" "-r $r is used"
	run ab-score -r "$TOP/share/ab/rubrics/$r.json" --no-analysers \
	    --no-reference-run "$rec"
	expect_rc 0 "-r FILE ($r.json)"
done
run ab-score --no-analysers --no-reference-run "$rec"
expect_jq "$T/out" '.[0].score.rubric == "default"' "the default rubric"
run ab-score -r nosuch "$rec"
expect_rc 2 "-r with an unknown rubric"
expect_contains "$T/err" "rubrics/nosuch.json" "the missing rubric is named"
check "... and no record comes out" test ! -s "$T/out"

# -w
run ab-score -r production -w correctness=1,speed=2 "$rec"
expect_rc 2 "-w with an unknown dimension"
expect_text "$T/err" 'ab-score: -w: unknown dimension "speed" in rubric production' \
    "the unknown dimension is named"
check "... before any record" test ! -s "$T/out"
run ab-score -r production -w correctness "$rec"
expect_rc 2 "-w without ="
run ab-score -r production -w correctness=x "$rec"
expect_rc 2 "-w with a bad number"
expect_contains "$T/err" "-w: correctness:" "the bad weight is named"
run ab-score -r production -w correctness=0,idiomaticity=0,performance=0,best_practices=0 "$rec"
expect_rc 2 "-w with all weights 0"
run ab-score -r production -w correctness=1,idiomaticity=1,performance=1,best_practices=1 \
    --no-analysers --no-reference-run "$rec"
expect_jq "$T/out" '.[0].score | (.weights | all(.[]; . == 0.25)) and
    .total == 90' "-w equal weights: 10 x (9.5 + 8 + 9.5 + 9) / 4 = 90"

# numeric options
run ab-score --baseline-ms=0 "$rec"
expect_rc 2 "--baseline-ms 0"
run ab-score --baseline-ms=abc "$rec"
expect_rc 2 "--baseline-ms abc"

# Rubric validation: each error names the file and the member.  The bad
# rubrics are made first, in one jq, a line each of bad.ndjson (compact:
# the messages name members, never lines).
base=$TOP/share/ab/rubrics/production.json
# bad_cases CALL: CALL DESC JQ-EDIT EXPECTED-MESSAGE for each bad rubric
bad_cases() {
	$1 "weights sum" '.dimensions[0].weight = 0.5' "weights sum to 1.1, not 1"
	$1 "negative weight" '.dimensions[0].weight = -0.4' '"weight" must be a number'
	$1 "duplicate dimension" '.dimensions[1].name = "correctness"' \
	    "dimension correctness appears twice"
	$1 "unknown parameter" '.dimensions[0].params.bogus = 1' \
	    'unknown parameter "bogus"'
	$1 "parameter type" '.dimensions[0].params.all = "high"' \
	    'parameter "all" has the wrong type'
	$1 "bad regex" '.dimensions[1].params.patterns.python[0].regex = "(["' \
	    'patterns.python[0]: bad regex'
	$1 "unknown language" '.dimensions[1].params.patterns.cobol = []' \
	    'unknown language "cobol"'
	$1 "bands not increasing" '.dimensions[2].params.bands[1].max = 0.1' \
	    'bands[1] needs numbers'
	$1 "unknown measure" '.dimensions[2].params.measure = "exec.vibes"' \
	    '"measure" must be one of'
	$1 "expected missing" 'del(.dimensions[2].params.expected.hard)' \
	    '"expected" needs a positive number for hard'
	$1 "grades order" '.grades[1].min = 95' 'grades[1]'
	$1 "no success" 'del(.success)' '"success"'
	$1 "unknown member" '.colour = "red"' 'unknown member "colour"'
	$1 "no dimensions" '.dimensions = []' '"dimensions" must be a non-empty array'
}
edits=
bad_edit() { edits="${edits:+$edits, }($2)"; }
bad_cases bad_edit
must jq -c "$edits" "$base" >bad.ndjson
bad() { # DESC JQ-EDIT EXPECTED-MESSAGE: the rubric, the next line of bad.ndjson
	IFS= read -r l <&4 || l=
	printf '%s\n' "$l" >bad.json
	run ab-score -r ./bad.json "$rec"
	expect_rc 2 "rubric: $1"
	expect_contains "$T/err" "$3" "rubric: $1: the message"
	check "rubric: $1: no record" test ! -s "$T/out"
}
exec 4<bad.ndjson
bad_cases bad
exec 4<&-
printf '{"name": "x",\n "dimensions": [}\n' >broken.json
run ab-score -r ./broken.json "$rec"
expect_rc 2 "a malformed rubric file"
expect_contains "$T/err" "ab-score: ./broken.json:2:" "the malformed file and line"
printf '{"name": "x", "name": "y"}\n' >dup.json
run ab-score -r ./dup.json "$rec"
expect_rc 2 "a rubric with a duplicate member"

# Records: one without exec is rejected with its line; the stream goes on.
# (The records changed for this and what follows, made in one jq.)
must jq -c 'del(.exec), (.exec = "nope"),
    (.exec.error = {"kind": "internal", "message": "sandbox"}),
    (.task.language = "cobol" | .extract.language = "cobol")' "$rec" >variants
{ for f in noexec badexec ie cobol; do
	IFS= read -r l || l=
	printf '%s\n' "$l" >$f.json
done; } <variants
cat noexec.json "$rec" >two.json
run ab-score --no-analysers --no-reference-run two.json
expect_rc 1 "a record without exec"
expect_text "$T/err" "ab-score: two.json:1: record py-two-sum/cfg/0: missing member exec" \
    "the record without exec is reported"
check "the next record still comes out" test "$(wc -l <"$T/out")" -eq 1
run ab-score --no-analysers --no-reference-run badexec.json
expect_rc 1 "exec that is not an object"

# An upstream error anywhere: skipped, the record comes out unchanged.
run ab-score ie.json
expect_rc 0 "exec error: the record is passed on"
expect_jq "$T/out" '.[0].score == {"skipped": "upstream error"}' \
    "exec error: score is skipped"

# A record in an unknown language is still scored, and says so.
run ab-score -r production --no-analysers --no-reference-run cobol.json
expect_rc 0 "an unknown language"
expect_jq "$T/out" '.[0].score.dimensions.idiomaticity.evidence |
    any(. == "no idiom table for language unknown")' \
    "an unknown language: the evidence says why"
# --analyser-dir: recorded outputs.  A tool that fails without a finding
# (here a bad option) is "failed", and the built-in checks are used.
mkdir -p fail
printf 'usage: pyflakes3 [-h]\npyflakes3: error: unrecognized arguments\n' >fail/pyflakes3.err
: >fail/pyflakes3.out
echo 2 >fail/pyflakes3.status
run ab-score -r assistant --analyser-dir=fail --no-reference-run "$rec"
expect_jq "$T/out" '.[0].score.analysers == [{"tool": "pyflakes",
    "status": "failed", "detail": "exit 2: usage: pyflakes3 [-h]"},
    {"tool": "builtin", "status": "ran", "detail": null}]' \
    "a failing analyser is reported as failed"
expect_jq "$T/out" '.[0].score.dimensions.quality.evidence[1] |
    endswith("no analyser ran, so the built-in checks were used")' \
    "... and the built-in checks are used"
mkdir -p none
run ab-score -r assistant --analyser-dir=none --no-reference-run "$rec"
expect_jq "$T/out" '.[0].score.analysers[0] == {"tool": "pyflakes",
    "status": "missing", "detail": null}' "no recorded output: missing"
done_testing
