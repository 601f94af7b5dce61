#!/bin/sh
# ab-gen: rate limits and the progress line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
start_server
for i in 1 2 3 4; do printf '{"id":"r%s","language":"python","prompt":"p%s"}\n' "$i" "$i"; done >"$T/four.ndjson"

# 60 requests a minute: one a second, whatever -j says.
config rpm openai m-rpm '"rpm":60'
run ab-gen -q -j 8 --no-cache -c "$T/rpm.json" "$T/four.ndjson"
expect_rc 0 "a configuration with rpm"
jq -s '[.[] | select(.model == "m-rpm") | .t] | sort | [range(0; length - 1) as $i | .[$i + 1] - .[$i]] | min' \
    "$T/requests.log" >"$T/gap"
check "requests are spaced by a second ($(cat "$T/gap") s at least)" \
    awk "BEGIN { exit !($(cat "$T/gap") >= 0.9) }"

# 12000 tokens a minute, 200 a second, each call about 100 (prompt plus
# max_tokens): two at once, then one every half second.
config tpm openai m-tpm '"tpm":12000,"max_tokens":95'
run ab-gen -q -j 8 --no-cache -c "$T/tpm.json" "$T/four.ndjson"
expect_rc 0 "a configuration with tpm"
jq -s '[.[] | select(.model == "m-tpm") | .t] | sort | .[-1] - .[0]' \
    "$T/requests.log" >"$T/span"
check "token limits space requests too ($(cat "$T/span") s for four)" \
    awk "BEGIN { exit !($(cat "$T/span") >= 0.8 && $(cat "$T/span") < 3) }"

# The progress line: on a terminal only.
config fast openai m-fast
if command -v script >/dev/null 2>&1; then
	script -qec "ab-gen --no-cache -c '$T/fast.json' '$T/four.ndjson' >'$T/out'" /dev/null >"$T/tty" 2>&1
	expect_contains "$T/tty" "4/4 done" "a progress line on a terminal"
	expect_contains "$T/tty" "0 errors" "... with the errors"
	check "... records still go to stdout" test "$(wc -l <"$T/out")" -eq 4
	script -qec "ab-gen -q --no-cache -c '$T/fast.json' '$T/four.ndjson' >'$T/out'" /dev/null >"$T/tty" 2>&1
	expect_not_contains "$T/tty" "done" "-q: no progress line"
else
	skip "no script(1) for a terminal"
fi
run ab-gen --no-cache -c "$T/fast.json" "$T/four.ndjson"
check "no progress line when stderr is not a terminal" test ! -s "$T/err"
done_testing
