#!/bin/sh
# ab-score: the manual pages agree with the program, and their examples run.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
man1=$TOP/share/man/man1/ab-score.1
man5=$TOP/share/man/man5/ab-rubric.5
rec=$TOP/tests/golden/ab-score/production-python/in

# -h and the SYNOPSIS name the same options.
run ab-score -h
# The usage lines only (the help text that follows names options too).
awk '/^usage:/ { u = 1; sub(/^usage: ab-score/, ""); print; next }
    u && /^[ \t]/ { print; next } { u = 0 }' "$T/out" |
    grep -o -- '-[-a-zA-Z]*' | sort -u >h.txt
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$man1" |
    grep -o 'Fl [-a-zA-Z]*' | sed 's/^Fl /-/' | sort -u >m.txt
expect_same h.txt m.txt "-h and the SYNOPSIS of ab-score(1) list the same options"

# Every rubric and every one of its dimensions is documented (their
# names and weights, read by one jq: a line "rubric NAME" for each, then
# "dim NAME:PERCENT" for each of its dimensions).
must jq -r '"rubric " + .name, (.dimensions[] | "dim " + .name + ":" +
    (.weight * 100 | round | tostring))' "$TOP"/share/ab/rubrics/*.json \
    >rubrics.txt
check "the rubrics are read" test -s rubrics.txt
while read -r what d; do
	case $what in
	rubric) name=$d
		check "ab-score(1) documents the rubric $name" \
		    grep -q "^\.Ss $name\$" "$man1" ;;
	*)	check "ab-score(1) documents $name's ${d%%:*} at ${d#*:}%" \
		    grep -q "^\.It ${d%%:*} ${d#*:}%\$" "$man1" ;;
	esac
done <rubrics.txt
# Every dimension kind and parameter of the code is in ab-rubric(5).
for k in pass_rate idiom practices quality ratio reliability; do
	check "ab-rubric(5) documents the kind $k" grep -q "^\.It Li $k\$" "$man5"
done

# The example rubric of ab-rubric(5) loads and scores.
sed -n '/^\.Sh EXAMPLES/,/^\.Sh SEE ALSO/p' "$man5" |
    sed -n '/^\.Bd/,/^\.Ed/p' | sed '1d;$d' >quick.json
run ab-score -r ./quick.json --no-analysers --no-reference-run "$rec"
expect_rc 0 "the example rubric of ab-rubric(5)"
expect_jq "$T/out" '.[0].score | .rubric == "quick" and .total == 100 and
    .grade == "pass"' "the example rubric: 10 x (0.7 x 10 + 0.3 x 10) = 100"

# The examples of ab-score(1).
cp "$rec" results.ndjson
run ab-score -r production -w correctness=0.8 --no-analysers \
    --no-reference-run results.ndjson
expect_rc 0 "example: -w correctness=0.8"
expect_jq "$T/out" '.[0].score.weights.correctness == 0.571429' \
    "example: 0.8 / (0.8 + 0.25 + 0.2 + 0.15) = 0.571429"
must jq -c '(.config.name = "ref" | .gen.latency_ms = 5000),
    (.id = "x/ref/1" | .config.name = "ref" | .gen.latency_ms = 7000),
    (.id = "x/other/0" | .config.name = "other" | .gen.latency_ms = 2000)' \
    "$rec" >run.ndjson
b=$(jq -s '[.[] | select(.config.name == "ref") | .gen.latency_ms]
    | sort | .[length / 2 | floor]' run.ndjson)
run ab-score -r assistant --baseline-ms "$b" --no-analysers \
    --no-reference-run run.ndjson
expect_rc 0 "example: a baseline from a reference configuration"
expect_jq "$T/out" '.[2].score.dimensions.speed.evidence[0] |
    startswith("gen.latency_ms 2000.0 against baseline 7000.0 (--baseline)")' \
    "example: the baseline is the reference's median"

if command -v mandoc >/dev/null 2>&1; then
	run mandoc -T lint -W warning "$man1" "$man5"
	expect_rc 0 "mandoc -T lint"
else
	skip "mandoc -T lint (mandoc not installed)"
fi
done_testing
