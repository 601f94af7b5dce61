#!/bin/sh
# ab-rank views and formats: empty input, one configuration, all-pass and
# all-fail inputs give sensible output (never NaN or inf), bad lines are
# diagnosed and counted, regress gates CI with exit status 3.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
GEN="$TOP/tests/rank/gen.py"
CASES="$TOP/tests/rank/cases.py"
VIEWS="leaderboard breakdown compare regress cost errors trends all"

# The inputs, made by one python (tests/rank/batch.py runs gen.py and
# cases.py as from the command line, each into its file), once: kept in
# tests/out/t6002/ under the hash of what makes them.
C=$TOP/tests/out/t6002
K=$(cat "$TOP/tests/${0##*/}" "$GEN" "$CASES" "$TOP/tests/rank/batch.py" |
    sha256sum | cut -c1-16)
if [ ! -s "$C/$K/zero.ndjson" ]; then
	rm -rf "$C"
	mkdir -p "$C/$K.$$"
	(cd "$C/$K.$$" && $PY "$TOP/tests/rank/batch.py" <<'EOF' &&
single.ndjson gen.py --configs 1 --tasks 6 --samples 2
allpass.ndjson cases.py wilson 5:5
allfail.ndjson cases.py wilson 0:5
five.ndjson cases.py mcnemar 5:0
g.ndjson gen.py --configs 3 --tasks 12 --samples 5 --runs 2 --moa
g1.ndjson gen.py --configs 3 --tasks 12 --samples 5
big.ndjson gen.py --configs 4 --tasks 60 --samples 10 --code 600 --runs 2
reg.ndjson gen.py --configs 2 --tasks 30 --samples 4 --runs 2 --regress
many.ndjson cases.py rates 100/66/33,100/66/33,100/66/33,100/66/33,100/66/33,100/66/33,100/66/33,100/66/33
judged.ndjson cases.py wilson 3:3
unjudged.ndjson cases.py wilson 0:3
EOF
	sed -i 's/w0/allpass/g' allpass.ndjson &&
	sed -i 's/w0/allfail/g' allfail.ndjson &&
	# Records that never reached ab-exec (no exec member), after others.
	{ sed 's/w0/judged/g' judged.ndjson
	sed 's/w0/unjudged/g; s/,"exec":{[^}]*}//' unjudged.ndjson; } >nov.ndjson &&
	rm judged.ndjson unjudged.ndjson &&
	# A candidate run on the hard tasks only, 30 points better there.
	awk 'function rec(t, s, run, ok) {
		printf "{\"id\": \"%s/m/%d\", \"run\": \"%s\", \"task\": {\"id\": \"%s\"}, \"config\": {\"name\": \"m\", \"hash\": \"m\"}, \"sample\": %d, \"exec\": {\"verdict\": \"%s\"}}\n",
		    t, s, run, t, s, ok ? "ok" : "wrong_answer"
	} BEGIN { for (j = 0; j < 6; j++) for (s = 0; s < 10; s++) {
		rec("easy" j, s, "r1", s < 9)
		rec("hard" j, s, "r1", s < 2)
		rec("hard" j, s, "r2", s < 5)
	} }' >hard.ndjson &&
	# A cost rising from $0.
	awk 'BEGIN { split("base 0 cur 0.01", a); for (r = 1; r < 4; r += 2)
	    for (j = 0; j < 8; j++)
		printf "{\"id\": \"t%d/m/0\", \"run\": \"%s\", \"task\": {\"id\": \"t%d\"}, \"config\": {\"name\": \"m\", \"hash\": \"m\"}, \"sample\": 0, \"gen\": {\"cost_usd\": %s}, \"exec\": {\"verdict\": \"ok\"}}\n",
		    j, a[r], j, a[r + 1] }' >zero.ndjson &&
	: >empty.ndjson) && mv -T "$C/$K.$$" "$C/$K" 2>/dev/null
	rm -rf "$C/$K.$$"
fi
cp "$C/$K"/*.ndjson .
cat allpass.ndjson allfail.ndjson >both.ndjson

# Every input, view and format, each output kept apart; then one grep
# finds the outputs with a NaN or inf (not one grep per output).
mkdir vf
n=0
for input in empty single allpass allfail both; do
	for v in $VIEWS; do
		for f in table ndjson csv md junit html; do
			n=$((n + 1))
			run_to vf/$n.out vf/$n.err ab-rank -f $f $v $input.ndjson
			eval "rc_$n=\$rc"
		done
	done
done
nl='
'
nan=$(grep -liwE 'nan|-?inf(inity)?' vf/*.out)
n=0
for input in empty single allpass allfail both; do
	for v in $VIEWS; do
		for f in table ndjson csv md junit html; do
			n=$((n + 1))
			eval "rc=\$rc_$n"
			if [ "$rc" != 0 ]; then
				not_ok "$input $v -f $f exits $rc"
				diag "$(head -c 600 vf/$n.err)"
				continue
			fi
			case "$nl$nan$nl" in
			*"${nl}vf/$n.out$nl"*)
				not_ok "$input $v -f $f has no NaN or inf"
				diag "$(grep -iwE 'nan|inf' vf/$n.out | head -3)" ;;
			*)
				if [ -s vf/$n.err ]; then
					not_ok "$input $v -f $f: empty stderr"
					diag "$(head -c 600 vf/$n.err)"
				else
					ok "$input $v -f $f"
				fi ;;
			esac
		done
	done
done

# Empty input: the table says so, NDJSON is empty.
run ab-rank -f table empty.ndjson
expect_text "$T/out" "Leaderboard
#  config  attempts  tasks  solved  pass@1  pass rate  ci low  ci high  score  gen ms  cost \$  \$/solved  flips  noise pts  status
(no rows)" "empty input: a table with no rows"
run ab-rank -f ndjson empty.ndjson
check "empty input: no NDJSON rows" test ! -s "$T/out"

# All-pass and all-fail: exact ends of the interval, the right ranks.
run ab-rank -f ndjson both.ndjson
expect_jq "$T/out" '.[0].config == "allpass" and .[0].ci_high == 1 and
    .[0]["pass@1"] == 1 and .[0].status == "leader"' \
    "all-pass leads with pass@1 1 and interval up to 1"
expect_jq "$T/out" '.[1].config == "allfail" and .[1].ci_low == 0 and
    .[1]["pass@1"] == 0 and .[1].cost_per_solved == null' \
    "all-fail: pass@1 0, interval from 0, no cost per solved task"
expect_jq "$T/out" '.[1].status == "tied" and .[1].p_vs_leader == 1' \
    "one task, 5 attempts each: the task is the unit, so p = 1 (tied)"
run ab-rank -f ndjson five.ndjson
expect_jq "$T/out" '.[1].status == "tied" and .[1].p_vs_leader == 0.0625 and
    .[1].p_holm == 0.0625' \
    "5 tasks lost against the leader: p = 1/16, not distinguishable"

# One configuration: compare has no pairs, regress no baseline.
run ab-rank -f ndjson compare single.ndjson
expect_rc 0 "compare with one configuration"
check "... and no rows" test ! -s "$T/out"
run ab-rank -f ndjson regress single.ndjson
expect_rc 0 "regress with one run"
check "... and no rows" test ! -s "$T/out"

# The leaderboard's NDJSON: every column, typed.
run ab-rank -k 1,5 g.ndjson
expect_rc 0 "a leaderboard in a pipe"
expect_jq "$T/out" 'length == 3 and all(.view == "leaderboard") and
    ([.[].rank] == [1, 2, 3]) and
    all(has("pass@1") and has("pass@5") and has("ci_low") and
        has("cost_per_solved") and has("consistency") and has("grades"))' \
    "NDJSON is the default in a pipe, with pass@1 and pass@5"
expect_jq "$T/out" 'all(.["pass@5"] >= .["pass@1"])' "pass@5 >= pass@1"
expect_jq "$T/out" '.[0].status == "leader" and
    all(.[1:][]; .status == "tied" or .status == "behind")' \
    "the leader, then tied or behind"
# Ties are broken deterministically: the same input in another order gives
# the same output.
tac g1.ndjson >g-rev.ndjson
must ab-rank -k 1,5 g1.ndjson >a.out
must ab-rank -k 1,5 g-rev.ndjson >b.out
expect_same b.out a.out "the order of the records does not change the result"

# Parser threads: the same result as one thread, for input larger than a
# few batches.
must ab-rank -j 1 -f ndjson all big.ndjson >one.out
run ab-rank -j 3 -f ndjson all big.ndjson
expect_same "$T/out" one.out "-j 3 gives the same views as -j 1"
{ head -n 3000 big.ndjson; echo 'bad'; tail -n +3001 big.ndjson; } >bigbad.ndjson
run ab-rank -j 3 -f ndjson bigbad.ndjson
expect_rc 1 "a bad line deep in a large input"
expect_text "$T/err" "ab-rank: bigbad.ndjson:3001: invalid JSON: unexpected character (column 1)" \
    "... is reported once with its line number"

# The reader across batches: a line over the limit between others, CRLF,
# blank lines, no newline at the end.
{
	head -n 1000 big.ndjson
	printf '{"id":"big","x":"'
	head -c 3000000 /dev/zero | tr '\0' a
	printf '"}\n'
	sed -n '1001,2000p' big.ndjson | sed 's/$/\r/'
	printf '\n\n'
	sed -n '2001,2999p' big.ndjson
	sed -n '3000p' big.ndjson | tr -d '\n'
} >mixed.ndjson
for j in 1 3; do
	run ab-rank -j $j --max-record 1m -f ndjson all mixed.ndjson
	expect_rc 1 "-j $j: a line over the limit"
	expect_text "$T/err" "ab-rank: mixed.ndjson:1001: record longer than 1048576 bytes" \
	    "-j $j: ... is reported with its line number"
	cp "$T/out" "mixed$j.out"
done
expect_same mixed3.out mixed1.out "-j 3 and -j 1 agree on it"
expect_jq mixed1.out '[.[] | select(.view == "leaderboard") |
    .attempts + .excluded] | add == 3000' "every other record is read"

# Breakdowns and agents.
run ab-rank -f ndjson --by difficulty,language breakdown g.ndjson
expect_jq "$T/out" '[.[] | select(.view == "breakdown") | .by] | unique ==
    ["difficulty", "language"]' "--by picks the breakdowns"
expect_jq "$T/out" '[.[] | select(.view == "agents")] | length == 9 and
    all(.calls > 0 and .cost_share > 0)' \
    "per layer agent rows from gen.calls"

# Cost: the Pareto front is not empty.
run ab-rank -f ndjson cost g.ndjson
expect_jq "$T/out" 'any(.pareto_cost) and any(.pareto_time)' \
    "the Pareto fronts have members"

# Errors: verdicts and error kinds, with example ids.
run ab-rank -f ndjson errors g.ndjson
expect_jq "$T/out" 'any(.kind == "verdict" and .value == "ok") and
    all(.examples | split(" ") | length <= 3)' \
    "verdicts with at most three example ids"

# Trends: one row per configuration and run.
run ab-rank -f ndjson trends g.ndjson
expect_jq "$T/out" 'length == 6 and ([.[].run] | unique) == ["run-0", "run-1"]' \
    "trends: a row per configuration and run"

# Regressions gate CI: exit 3, with a severity.
run ab-rank -f ndjson regress reg.ndjson
expect_rc 3 "regress finds the planted regression"
expect_jq "$T/out" 'any(.view == "health" and .config == "cfg-0" and
    .health == "critical") and any(.view == "health" and .config ==
    "cfg-1" and .health == "healthy")' "the regressed configuration is critical"
expect_jq "$T/out" 'any(.view == "regress" and .config == "cfg-0" and
    .metric == "correctness" and .significant and .severity == "critical")' \
    "correctness dropped significantly"
run ab-rank -f ndjson -c cfg-1 regress reg.ndjson
expect_rc 0 "no regression for the healthy configuration"
run ab-rank -f ndjson --thresholds 60,70,80 regress reg.ndjson
expect_rc 0 "thresholds above the drop: not a regression"
run ab-rank -f ndjson --baseline nope regress reg.ndjson
expect_rc 2 "an unknown baseline run is an error"
run ab-rank -f junit regress reg.ndjson
expect_rc 3 "junit regress"
check "junit is well-formed XML with failures" $PY -c "
import xml.etree.ElementTree as E
t = E.parse('$T/out')
assert len(t.findall('.//failure')) > 0"

# Compare: named configurations, unknown names.
run ab-rank -f ndjson compare cfg-0 cfg-2 -- g.ndjson
expect_jq "$T/out" '[.[] | select(.view == "compare")] | length == 4 and
    all(.a == "cfg-0" and .b == "cfg-2")' "compare two named configurations"
expect_jq "$T/out" '[.[] | select(.view == "verdicts")][0].verdict |
    test("cfg-0 beats cfg-2 on correctness, p")' "a plain-language verdict"
run ab-rank compare cfg-0 nope -- g.ndjson
expect_rc 2 "compare with an unknown configuration"
expect_contains "$T/err" "ab-rank: compare: nope: no such configuration" \
    "... is named"

# Names and files have separate syntax: a file named like a configuration
# never turns a configuration into input.
: >cfg-0
run ab-rank -f ndjson compare cfg-0 cfg-2 -- g.ndjson
expect_jq "$T/out" '[.[] | select(.view == "compare")] | length == 4 and
    all(.a == "cfg-0" and .b == "cfg-2")' \
    "a file named cfg-0 does not change what compare compares"
run ab-rank -f ndjson -c cfg-0 -c cfg-2 compare g.ndjson
expect_rc 0 "compare with -c and a file operand"
expect_jq "$T/out" '[.[] | select(.view == "compare")] | length == 4 and
    all(.a == "cfg-0" and .b == "cfg-2")' \
    "... compares the configurations chosen by -c"
run ab-store -d views.db g.ndjson
expect_rc 0 "a database of the same records"
run ab-rank -f ndjson -d views.db compare cfg-0 cfg-2
expect_rc 0 "compare with -d and two names"
expect_jq "$T/out" '[.[] | select(.view == "compare")] | length > 0 and
    all(.a == "cfg-0" and .b == "cfg-2")' \
    "... reads the operands as configurations although cfg-0 is a file"
rm -f cfg-0

# A misspelt run or configuration is an error, not "(no rows)".
run ab-rank -f ndjson -r no-such-run g.ndjson
expect_rc 2 "-r naming no run exits 2"
expect_contains "$T/err" "ab-rank: -r no-such-run: no such run in the input" \
    "... and names the run"
check "... writing nothing to stdout" test ! -s "$T/out"
run ab-rank -f ndjson -c no-such-config regress g.ndjson
expect_rc 2 "-c naming no configuration exits 2 (a regress gate cannot pass)"
expect_contains "$T/err" "ab-rank: -c no-such-config: no such configuration" \
    "... and names the configuration"
run ab-rank -f ndjson -d views.db -r no-such-run
expect_rc 2 "-r naming no run in a database exits 2"

# Bad lines: file:line diagnostics, the rest is counted, exit 1.
{
	head -n 3 single.ndjson
	echo 'not json'
	echo '[1]'
	echo '{"no":"id"}'
	echo '{"id":"x"}'
	echo
	sed -n 4p single.ndjson
} >bad.ndjson
run ab-rank -f ndjson bad.ndjson
expect_rc 1 "bad lines make the status 1"
expect_contains "$T/err" "ab-rank: bad.ndjson:4: invalid JSON" "line 4 named"
expect_contains "$T/err" "ab-rank: bad.ndjson:5: not a JSON object" "line 5"
expect_contains "$T/err" "ab-rank: bad.ndjson:6: record has no string member" "line 6"
expect_contains "$T/err" "ab-rank: bad.ndjson:7: record x: no task.id" "line 7"
expect_jq "$T/out" '.[0].attempts + .[0].excluded == 4' \
    "the four good records count"
run ab-rank -b -f ndjson bad.ndjson
expect_jq "$T/out" '.[0].attempts + .[0].excluded == 3' \
    "-b stops at the first bad line"
run ab-rank --max-record 100 -f ndjson single.ndjson
expect_rc 1 "--max-record"
expect_contains "$T/err" "single.ndjson:1: record longer than 100 bytes" \
    "a long record is reported"

# Formats: CSV header, Markdown, -o picks the format by extension.
run ab-rank -f csv g.ndjson
check "CSV starts with the header" \
    sh -c "head -n 1 '$T/out' | grep -q '^rank,config,hash,run,runs,attempts,tasks,solved,pass@1,pass_rate'"
run ab-rank -f md g.ndjson
expect_contains "$T/out" "### Leaderboard" "Markdown heading"
expect_contains "$T/out" "| ---: | --- | ---: |" "Markdown table"
run ab-rank -o lb.csv g.ndjson
check "-o x.csv writes CSV" sh -c "head -n 1 lb.csv | grep -q '^rank,config'"
run ab-rank -w -f table g.ndjson
expect_contains "$T/out" "consistency" "-w shows the wide columns"
run ab-rank -f table g.ndjson
expect_not_contains "$T/out" "consistency" "the narrow table hides them"

# Output errors: a full disk is an error, said once.
if [ -w /dev/full ]; then
	for f in ndjson html; do
		rc=0
		ab-rank -f $f g.ndjson >/dev/full 2>"$T/err" || rc=$?
		expect_rc 2 "-f $f to a full disk"
		expect_text "$T/err" "ab-rank: stdout: No space left on device" \
		    "... is reported once"
	done
fi
run ab-rank -o "$T/no/such/dir/x.html" g.ndjson
expect_rc 2 "-o into a missing directory"

# Usage errors.
run ab-rank -f nope g.ndjson
expect_rc 2 "an unknown format"
run ab-rank -k 0 g.ndjson
expect_rc 2 "-k 0"
run ab-rank -d x.db g.ndjson
expect_rc 2 "-d and files together"
run ab-rank --thresholds 5,2,10 regress g.ndjson
expect_rc 2 "decreasing thresholds"

# ---- views that agree ---------------------------------------------------
# Samples beyond 63 enter the paired test: 100 attempts a task, 66% against
# 33% on 8 tasks; A wins on every task, p = 2/256.
run ab-rank -f ndjson compare many.ndjson
expect_jq "$T/out" '.[] | select(.metric == "correctness") |
    .n == 8 and (.diff | fabs) > 0.3299 and (.diff | fabs) < 0.3301 and
    .p_value == 0.0078125 and .winner == "a0"' \
    "100 attempts a task: every attempt counts, A wins (no cap at 63)"
run ab-rank -f ndjson many.ndjson
expect_jq "$T/out" '.[0].config == "a0" and .[1].status == "behind" and
    .[1].pass_rate == 0.33 and .[0].pass_rate == 0.66' \
    "... and the leaderboard agrees with compare"

# Trends compare matched tasks: a candidate run on the hard tasks only,
# 30 points better there, is no regression, on 6 matched tasks.
run ab-rank -f ndjson trends hard.ndjson
expect_jq "$T/out" '.[1].run == "r2" and .[1].matched == 6 and
    .[1].change > 29.99 and .[1].change < 30.01 and
    .[1].regression == false' \
    "trends: matched tasks only, say how many, no false regression"
run ab-rank -f ndjson regress hard.ndjson
expect_rc 0 "... and regress agrees"

# Records that never reached ab-exec: no verdicts, not a rate of 0.
run ab-rank -f ndjson nov.ndjson
expect_jq "$T/out" '.[1].config == "unjudged" and .[1].attempts == 0 and
    .[1].pass_rate == null and .[1].ci_low == null and
    .[1].status == "no verdicts" and .[1].excluded == 3' \
    "records without exec: no verdicts, no rate"

# Cost from a zero baseline: the change in dollars, worse, significant.
run ab-rank -f ndjson --baseline base --run cur regress zero.ndjson
expect_rc 3 "a cost rising from \$0 is a regression"
expect_jq "$T/out" '.[] | select(.view == "regress" and .metric == "cost") |
    .unit == "usd" and .change == 0.01 and .direction == "worse" and
    .significant == true and .severity == "critical"' \
    "... with its change in dollars and a direction"

# power: --drops and --samples, checked, with messages that say what is
# wrong (the numbers themselves are checked against SciPy in t6001).
for bad in "--drops 5,2|--drops: 2: values must increase" \
    "--drops 0,5|--drops: 0: expected a drop in points above 0, at most 100, e.g. 2,5,10" \
    "--drops 101|--drops: 101: expected a drop in points above 0, at most 100, e.g. 2,5,10" \
    "--drops 2,,5|--drops: an empty value in the list" \
    "--drops 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17|--drops: at most 16 values" \
    "--samples 1.5|--samples: 1.5: expected attempts per task from 1 to 100000, e.g. 1,3,5" \
    "--samples 0,3|--samples: 0: expected attempts per task from 1 to 100000, e.g. 1,3,5" \
    "--samples 3,3|--samples: 3: values must increase" \
    "--samples x|--samples: x: expected attempts per task from 1 to 100000, e.g. 1,3,5"; do
	args=${bad%%|*}
	msg=${bad#*|}
	run ab-rank -f ndjson $args power zero.ndjson
	printf 'ab-rank: %s\n' "$msg" >want.err
	if [ "$rc" = 2 ] && [ ! -s "$T/out" ] && cmp -s "$T/err" want.err; then
		ok "power $args: exit 2 and \"$msg\""
	else
		not_ok "power $args: exit 2 and \"$msg\" (exit $rc)"
		diag "$(cat "$T/err")"
	fi
done
run ab-rank -f ndjson --drops 4,8 --samples 2 power zero.ndjson
expect_jq "$T/out" '[.[] | select(.view == "power_plan") | [.drop, .samples]] ==
    [[4, 2], [8, 2]]' "power --drops 4,8 --samples 2: the plan has those rows only"
done_testing
