#!/bin/sh
# An unknown cost is never zero: wherever ab prints a cost (ab-gen's dry
# run and progress line, ab-rank's tables, its live leaderboard, ab-store
# show), a subject without a price reads as unknown ("-", "unknown", or a
# lower bound ">="), never $0.0000.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

printf '%s\n' '{"id":"add","language":"python","prompt":"Write add(a, b).","entry_point":"add","tests":[{"style":"assert","code":"assert add(1, 2) == 3"}]}' \
    '{"id":"neg","language":"python","prompt":"Write neg(a).","entry_point":"neg","tests":[{"style":"assert","code":"assert neg(1) == -1"}]}' >tasks.ndjson
printf '```python\ndef add(a, b):\n    return a + b\n```\n' >answer.md
printf '%s\n' '{"name": "prog", "command": ["cat", "answer.md"]}' >prog.json
# no_zero FILE DESC: FILE has no cost of zero dollars in any spelling
no_zero() {
	if grep -qE '\$ ?0\.0+([^0-9]|$)|0\.0000 USD|cost 0([^.0-9]|$)' "$1"; then
		not_ok "$2"
		diag "$(grep -E '\$ ?0\.0+|0\.0000 USD|cost 0' "$1" | head -n 5)"
	else
		ok "$2"
	fi
}

run ab-gen --dry-run -c prog.json tasks.ndjson
expect_rc 0 "a dry run of a cmd program"
no_zero "$T/err" "... estimates no zero cost"
expect_contains "$T/err" "cost unknown" "... but an unknown one"
expect_contains "$T/err" "tokens unknown" "... and unknown tokens"

must ab-gen -q -r u1 -c prog.json tasks.ndjson >u.ndjson
check "records of a subject without a price" test "$(jq -s 'map(.gen.cost_usd == null) | all' u.ndjson)" = true

# ab-rank: the leaderboard, cost and per-agent tables.
for v in leaderboard cost breakdown; do
	run ab-rank -w -f table $v u.ndjson
	expect_rc 0 "ab-rank $v"
	no_zero "$T/out" "... shows no zero cost"
done
run ab-rank -f ndjson breakdown u.ndjson
expect_jq "$T/out" 'map(select(.view == "agents")) | length == 1 and .[0].cost_usd == null and .[0].cost_share == null and .[0].tokens_in == null' \
    "the per-agent table: cost and tokens unknown (null), not 0"
run ab-rank -f table breakdown u.ndjson
awk '/^Per agent/ { a = 1; next } a && /^prog/' "$T/out" >agent-row.txt
check "... shown as -" sh -c "[ \$(awk '{ print \$8 }' agent-row.txt) = - ]"

# ab-store show.
must ab-store -d u.db u.ndjson >/dev/null
run ab-store -d u.db show u1
expect_rc 0 "ab-store show"
no_zero "$T/out" "... shows no zero cost"
expect_contains "$T/out" "cost -" "... but an unknown one"

# On a terminal (script(1) gives one): ab-gen's progress line and ab-rank's
# live leaderboard.
command -v script >/dev/null 2>&1 ||
    skip_env "script(1) is not installed (util-linux): the terminal checks are skipped"
timeout 60 script -qfec "ab-gen -c prog.json -r u2 tasks.ndjson >g.out" \
    tty-gen.out >/dev/null 2>&1
check "ab-gen on a terminal wrote its records" test "$(wc -l <g.out)" = 2
expect_contains tty-gen.out "2/2 done" "... and drew its progress line"
no_zero tty-gen.out "... with no zero cost"
expect_contains tty-gen.out "cost unknown" "... but an unknown one"
COLUMNS=100 timeout 60 script -qfec "ab-rank --follow -f ndjson u.ndjson" \
    tty-rank.out >/dev/null 2>&1
expect_contains tty-rank.out "done/expected" "ab-rank --follow drew its table"
no_zero tty-rank.out "... with no zero cost"
expect_contains tty-rank.out "cost unknown so far" "... but an unknown one"

done_testing
