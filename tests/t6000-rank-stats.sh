#!/bin/sh
# ab-rank statistics against closed forms and published worked examples:
# pass@k (Chen et al. 2021) against exact binomial coefficients, Wilson
# intervals (Newcombe 1998, Table I), the exact McNemar test (Fagerland et
# al. 2013, the AHR example), Fisher's exact test one-sided (Fisher's tea
# tasting),
# Holm's step-down adjustment, the seeded bootstrap.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
# Debian's python3 (a version manager's shim can take a second to start).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# The inputs, in one python (a python start costs a dozen ab-rank runs);
# the values are read from ab-rank's output by expect_jq (judged together,
# in one jq, at the end).
$PY "$TOP/tests/rank/batch.py" <<'EOF'
passk.ndjson cases.py passk 10:3:1 10:3:5 10:0:5 10:10:5 20:1:10 5:2:5 200:7:100
mix1.ndjson cases.py wilson 1:4
mix2.ndjson cases.py wilson 3:3
wilson.ndjson cases.py wilson 81:263 15:148 0:20 1:29
mc.ndjson cases.py mcnemar 1:7 0:6 5:5 1:9 0:0:4
fi.ndjson cases.py fisher 3:1:1:3 4:0:0:4
g.ndjson gen.py --configs 3 --tasks 15 --samples 2
sf.ndjson cases.py signflip 1,2,3,4 5,5,5,5,5,5 1,2,3,-4 0,0
EOF

# ---- pass@k ----------------------------------------------------------------
for k in 1 5 10 100; do
	run ab-rank -f ndjson -k "$k" passk.ndjson
	expect_rc 0 "pass@$k leaderboard"
	cp "$T/out" "passk$k.out"
done
# 1 - C(n-c, k) / C(n, k), exactly, for each case.
$PY - 10:3:1 10:3:5 10:0:5 10:10:5 20:1:10 5:2:5 200:7:100 >passk.want <<'EOF'
import sys
from math import comb
from fractions import Fraction as F
for spec in sys.argv[1:]:
    n, c, k = map(int, spec.split(":"))
    print(spec, '%.17g' % float(1 - F(comb(n - c, k), comb(n, k))))
EOF
i=0
while read -r spec want; do
	n=${spec%%:*}; rest=${spec#*:}; c=${rest%%:*}; k=${rest#*:}
	expect_jq "passk$k.out" ".[] | select(.config == \"p$i\") |
	    .[\"pass@$k\"] - $want | fabs <= 1e-12" "pass@$k for n=$n c=$c is $want"
	i=$((i + 1))
done <passk.want
check "... for each case" test "$i" = 7
# pass@k is undefined (null, never NaN) when a task has fewer than k
# attempts.
expect_jq passk100.out '.[] | select(.config == "p0") | .["pass@100"] == null' \
    "pass@100 with 10 attempts is null"
# pass@1 is the mean of c/n over tasks.
{
	sed 's/"t"/"t1"/g; s/w0/mix/g' mix1.ndjson
	sed 's/"t"/"t2"/g; s/w0/mix/g' mix2.ndjson
} >mix.ndjson
run ab-rank -f ndjson mix.ndjson
expect_jq "$T/out" '.[0]["pass@1"] - 0.625 | fabs <= 1e-15' \
    "pass@1 averages tasks: (1/4 + 3/3) / 2 = 0.625"
expect_jq "$T/out" '.[0].pass_rate - 0.625 | fabs <= 1e-15' \
    "the pass rate is the task mean too (the task is the unit): 0.625"

# ---- Wilson: Newcombe (1998), Table I, method 3 ----------------------------
run ab-rank -f ndjson wilson.ndjson
expect_rc 0 "Wilson cases"
cp "$T/out" wilson.out
for row in "0 0.2553 0.3662" "1 0.0624 0.1605" "2 0.0000 0.1611" \
    "3 0.0061 0.1718"; do
	set -- $row
	expect_jq wilson.out ".[] | select(.config == \"w$1\") |
	    (.ci_low - $2 | fabs) <= 0.00005 and (.ci_high - $3 | fabs) <= 0.00005" \
	    "Wilson interval w$1 matches Newcombe: $2 to $3"
done
# --level changes the interval: 99% is wider.
run ab-rank -f ndjson --level 0.99 wilson.ndjson
expect_jq "$T/out" '.[] | select(.config == "w0") | .ci_low < 0.2553 and .ci_low > 0.2' \
    "a 99% interval is wider than the 95% one"

# ---- exact McNemar ----------------------------------------------------------
# Fagerland, Lydersen and Laake (2013): 1 and 7 discordant pairs give the
# exact conditional p = 0.0703 (= 18/256).  Closed forms: b = 0, c = n
# gives 2 / 2^n; b = c gives 1; 1 and 9 give 22/1024.
run ab-rank -f ndjson --bootstrap 0 compare mc.ndjson
expect_rc 0 "compare for McNemar cases"
cp "$T/out" mc.out
for row in "0 0.0703125" "1 0.03125" "2 1" "3 0.021484375" "4 1"; do
	set -- $row
	expect_jq mc.out "[.[] | select(.view == \"compare\" and .metric == \"correctness\" and ((.a == \"a$1\" and .b == \"b$1\") or (.a == \"b$1\" and .b == \"a$1\")))][0].p_value - $2 | fabs <= 1e-15" \
	    "exact McNemar p for case $1 is $2"
done
expect_jq mc.out '[.[] | select(.view == "compare" and .metric == "correctness" and
    ({a, b} == {a: "a0", b: "b0"} or {a, b} == {a: "b0", b: "a0"}))][0].discordant |
    . == "7/1" or . == "1/7"' "discordant pairs are reported (1 and 7)"

# ---- Fisher's exact test: the tea-tasting table [[3,1],[1,3]] -----------
run ab-rank -f ndjson regress fi.ndjson
expect_jq "$T/out" '.[] | select(.view == "regress_tasks" and .task == "f0") |
    .p_value - 0.24285714285714285 | fabs <= 1e-13' \
    "one-sided Fisher p for [[3,1],[1,3]] is 17/70"
expect_jq "$T/out" '.[] | select(.view == "regress_tasks" and .task == "f1") |
    .p_value - 0.014285714285714285 | fabs <= 1e-13' \
    "one-sided Fisher p for [[4,0],[0,4]] is 1/70"

# ---- Holm -------------------------------------------------------------------
# p_holm is Holm's adjustment of every p-value in the view.
run ab-rank -f ndjson --bootstrap 500 compare g.ndjson
check "p_holm is Holm's step-down adjustment" $PY -c "
import json
rows = [[r['p_value'], r['p_holm']] for r in map(json.loads, open('$T/out'))
        if r.get('view') == 'compare']
rows = [r for r in rows if r[0] is not None]
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
run ab-rank -f ndjson compare sf.ndjson
for row in "0 0.125" "1 0.03125" "2 0.875" "3 null"; do
	set -- $row
	sel="[.[] | select(.view == \"compare\" and .metric == \"score\" and ({a, b} == {a: \"s$1\", b: \"t$1\"} or {a, b} == {a: \"t$1\", b: \"s$1\"}))][0].p_value"
	if [ "$2" = null ]; then
		expect_jq "$T/out" "$sel == 1" \
		    "sign-flip p for case $1 is 1 (no difference)"
	else
		expect_jq "$T/out" "$sel - $2 | fabs <= 1e-15" \
		    "sign-flip p for case $1 is $2"
	fi
done

# ---- the bootstrap is seeded ------------------------------------------------
must ab-rank -f ndjson compare g.ndjson >s1.out 2>&1
must ab-rank -f ndjson compare g.ndjson >s2.out 2>&1
must ab-rank -f ndjson --seed 7 compare g.ndjson >s3.out 2>&1
expect_same s2.out s1.out "the same seed gives the same intervals"
if cmp -s s1.out s3.out; then not_ok "another seed gives other intervals"
else ok "another seed gives other intervals"; fi
expect_jq s1.out '[.[] | select(.view == "compare" and .metric == "score")] |
    length == 3 and all(.ci_low <= .diff and .diff <= .ci_high)' \
    "the score difference lies in its bootstrap interval"

done_testing
