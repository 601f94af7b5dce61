#!/bin/sh
# ab-rank statistics against closed forms and published worked examples:
# pass@k (Chen et al. 2021) against exact binomial coefficients, Wilson
# intervals (Newcombe 1998, Table I), the exact McNemar test (Fagerland et
# al. 2013, the AHR example), Fisher's exact test one-sided (Fisher's tea
# tasting),
# Holm's step-down adjustment, the seeded bootstrap.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
CASES="$TOP/tests/rank/cases.py"
# Debian's python3 (a version manager's shim can take a second to start).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# jqv FILTER FILE: one value from the slurped NDJSON.
jqv() { jq -r -s "$1" "$2"; }
# near A B TOL: |A - B| <= TOL.
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b;
	if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'; }

# ---- pass@k ----------------------------------------------------------------
$PY "$CASES" passk 10:3:1 10:3:5 10:0:5 10:10:5 20:1:10 5:2:5 200:7:100 \
    >passk.ndjson
for k in 1 5 10 100; do
	run ab-rank -f ndjson -k "$k" passk.ndjson
	expect_rc 0 "pass@$k leaderboard"
	cp "$T/out" "passk$k.out"
done
i=0
for spec in 10:3:1 10:3:5 10:0:5 10:10:5 20:1:10 5:2:5 200:7:100; do
	n=${spec%%:*}; rest=${spec#*:}; c=${rest%%:*}; k=${rest#*:}
	want=$($PY -c "from math import comb; from fractions import Fraction as F
n,c,k=$n,$c,$k
print('%.17g' % float(1 - F(comb(n-c,k), comb(n,k))))")
	got=$(jqv ".[] | select(.config == \"p$i\") | .[\"pass@$k\"]" "passk$k.out")
	if near "$got" "$want" 1e-12; then
		ok "pass@$k for n=$n c=$c is $want"
	else
		not_ok "pass@$k for n=$n c=$c: got $got, want $want"
	fi
	i=$((i + 1))
done
# pass@k is undefined (null, never NaN) when a task has fewer than k
# attempts.
got=$(jqv '.[] | select(.config == "p0") | .["pass@100"]' passk100.out)
check "pass@100 with 10 attempts is null" test "$got" = null
# pass@1 is the mean of c/n over tasks.
{
	$PY "$CASES" wilson 1:4 | sed 's/"t"/"t1"/g; s/w0/mix/g'
	$PY "$CASES" wilson 3:3 | sed 's/"t"/"t2"/g; s/w0/mix/g'
} >mix.ndjson
run ab-rank -f ndjson mix.ndjson
got=$(jqv '.[0]["pass@1"]' "$T/out")
check "pass@1 averages tasks: (1/4 + 3/3) / 2 = 0.625" near "$got" 0.625 1e-15
got=$(jqv '.[0].pass_rate' "$T/out")
check "the pass rate is the task mean too (the task is the unit): 0.625" \
    near "$got" 0.625 1e-15

# ---- Wilson: Newcombe (1998), Table I, method 3 ----------------------------
$PY "$CASES" wilson 81:263 15:148 0:20 1:29 >wilson.ndjson
run ab-rank -f ndjson wilson.ndjson
expect_rc 0 "Wilson cases"
cp "$T/out" wilson.out
for row in "0 0.2553 0.3662" "1 0.0624 0.1605" "2 0.0000 0.1611" \
    "3 0.0061 0.1718"; do
	set -- $row
	lo=$(jqv ".[] | select(.config == \"w$1\") | .ci_low" wilson.out)
	hi=$(jqv ".[] | select(.config == \"w$1\") | .ci_high" wilson.out)
	if near "$lo" "$2" 0.00005 && near "$hi" "$3" 0.00005; then
		ok "Wilson interval w$1 matches Newcombe: $2 to $3"
	else
		not_ok "Wilson interval w$1: got $lo $hi, want $2 $3"
	fi
done
# --level changes the interval: 99% is wider.
run ab-rank -f ndjson --level 0.99 wilson.ndjson
lo99=$(jqv '.[] | select(.config == "w0") | .ci_low' "$T/out")
check "a 99% interval is wider than the 95% one" \
    awk -v a="$lo99" 'BEGIN { exit !(a < 0.2553 && a > 0.2) }'

# ---- exact McNemar ----------------------------------------------------------
# Fagerland, Lydersen and Laake (2013): 1 and 7 discordant pairs give the
# exact conditional p = 0.0703 (= 18/256).  Closed forms: b = 0, c = n
# gives 2 / 2^n; b = c gives 1; 1 and 9 give 22/1024.
$PY "$CASES" mcnemar 1:7 0:6 5:5 1:9 0:0:4 >mc.ndjson
run ab-rank -f ndjson --bootstrap 0 compare mc.ndjson
expect_rc 0 "compare for McNemar cases"
cp "$T/out" mc.out
for row in "0 0.0703125" "1 0.03125" "2 1" "3 0.021484375" "4 1"; do
	set -- $row
	got=$(jqv "[.[] | select(.view == \"compare\" and .metric == \"correctness\" and ((.a == \"a$1\" and .b == \"b$1\") or (.a == \"b$1\" and .b == \"a$1\")))][0].p_value" mc.out)
	check "exact McNemar p for case $1 is $2" near "$got" "$2" 1e-15
done
got=$(jqv '[.[] | select(.view == "compare" and .metric == "correctness" and .a == "b0" and .b == "a0")][0].discordant // [.[] | select(.view == "compare" and .metric == "correctness" and .a == "a0" and .b == "b0")][0].discordant' mc.out)
check "discordant pairs are reported ($got)" \
    sh -c "test '$got' = 7/1 || test '$got' = 1/7"

# ---- Fisher's exact test: the tea-tasting table [[3,1],[1,3]] -----------
$PY "$CASES" fisher 3:1:1:3 4:0:0:4 >fi.ndjson
run ab-rank -f ndjson regress fi.ndjson
cp "$T/out" fi.out
got=$(jqv '.[] | select(.view == "regress_tasks" and .task == "f0") | .p_value' fi.out)
check "one-sided Fisher p for [[3,1],[1,3]] is 17/70" near "$got" 0.24285714285714285 1e-13
got=$(jqv '.[] | select(.view == "regress_tasks" and .task == "f1") | .p_value' fi.out)
check "one-sided Fisher p for [[4,0],[0,4]] is 1/70" near "$got" 0.014285714285714285 1e-13

# ---- Holm -------------------------------------------------------------------
# p_holm is Holm's adjustment of every p-value in the view.
$PY "$TOP/tests/rank/gen.py" --configs 3 --tasks 15 --samples 2 >g.ndjson
run ab-rank -f ndjson --bootstrap 500 compare g.ndjson
jq -c -s '[.[] | select(.view == "compare") | [.p_value, .p_holm]]' \
    "$T/out" >holm.json
check "p_holm is Holm's step-down adjustment" $PY -c "
import json
rows = [r for r in json.load(open('holm.json')) if r[0] is not None]
p = [r[0] for r in rows]; m = len(p)
order = sorted(range(m), key=lambda i: (p[i], i))
adj = [0.0] * m; run = 0.0
for rank, i in enumerate(order):
    run = max(run, min(1.0, (m - rank) * p[i])); adj[i] = run
assert m == 12, m
assert all(abs(adj[i] - rows[i][1]) <= 1e-12 for i in range(m)), (adj, rows)
"

# ---- the sign-flip test on paired score differences ------------------------
# Exact for few tasks: n equal-signed differences give p = 2 / 2^n; with
# 1, 2, 3, -4 the sums at least as large as |2| are 14 of 16.
$PY "$CASES" signflip 1,2,3,4 5,5,5,5,5,5 1,2,3,-4 0,0 >sf.ndjson
run ab-rank -f ndjson compare sf.ndjson
for row in "0 0.125" "1 0.03125" "2 0.875" "3 null"; do
	set -- $row
	got=$(jqv "[.[] | select(.view == \"compare\" and .metric == \"score\" and ({a, b} == {a: \"s$1\", b: \"t$1\"} or {a, b} == {a: \"t$1\", b: \"s$1\"}))][0].p_value" "$T/out")
	if [ "$2" = null ]; then
		check "sign-flip p for case $1 is 1 (no difference)" test "$got" = 1
	else
		check "sign-flip p for case $1 is $2" near "$got" "$2" 1e-15
	fi
done

# ---- the bootstrap is seeded ------------------------------------------------
must ab-rank -f ndjson compare g.ndjson >s1.out 2>&1
must ab-rank -f ndjson compare g.ndjson >s2.out 2>&1
must ab-rank -f ndjson --seed 7 compare g.ndjson >s3.out 2>&1
expect_same s2.out s1.out "the same seed gives the same intervals"
if cmp -s s1.out s3.out; then not_ok "another seed gives other intervals"
else ok "another seed gives other intervals"; fi
got=$(jqv '[.[] | select(.view == "compare" and .metric == "score")] |
    length == 3 and all(.ci_low <= .diff and .diff <= .ci_high)' s1.out)
check "the score difference lies in its bootstrap interval" test "$got" = true

done_testing
