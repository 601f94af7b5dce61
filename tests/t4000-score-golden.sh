#!/bin/sh
# ab-score: the numbers of every golden case (tests/golden/ab-score/*/
# expect.json, worked out by hand: see each case's README) against what
# ab-score computes.  t0000-golden.sh checks the whole output besides.
. "$(dirname "$0")/lib.sh"

for dir in "$TOP"/tests/golden/ab-score/*/; do
	[ -f "$dir/expect.json" ] || continue
	name=${dir%/}
	name=${name##*/}
	set -- ab-score
	while IFS= read -r a; do set -- "$@" "$a"; done <"$dir/args"
	rc=0
	(cd "$dir" && "$@" <in >"$T/out" 2>"$T/err") || rc=$?
	if [ "$rc" != 0 ]; then
		not_ok "$name: exit $rc"
		diag "$(cat "$T/err")"
		continue
	fi
	# expect.json, one JSON value, is a jq expression of itself: read in
	# the shell and judged with the file's other checks (one jq)
	want=
	while IFS= read -r l || [ -n "$l" ]; do want="$want$l
"; done <"$dir/expect.json"
	expect_jq "$T/out" '[.[] | .score | if .skipped then {skipped} else
	    {dimensions: (.dimensions | map_values(.value)), total, grade,
	    success, consistency} end] == ('"$want"')' \
	    "$name: the numbers worked out by hand"
	# every dimension carries evidence
	expect_jq "$T/out" 'all(.[].score; .skipped != null or
	    (.dimensions | to_entries | all(.value.evidence | length > 0)))' \
	    "$name: every dimension has evidence"
done
done_testing
