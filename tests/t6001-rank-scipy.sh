#!/bin/sh
# ab-rank statistics against SciPy on generated data, to 1e-9: Wilson
# intervals at several confidence levels (binomtest(...).proportion_ci),
# exact McNemar p-values (binomtest(b, b + c)), Fisher's exact test
# one-sided (fisher_exact, alternative greater), pass@k (scipy.special.comb, exact).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	    "$p" -c 'import scipy.stats' 2>/dev/null; then
		PY=$p
	fi
done
[ -n "$PY" ] || skip_all "python3-scipy is not installed (make deps)"
CASES="$TOP/tests/rank/cases.py"

# The cases, drawn from a seeded generator.
$PY - >cases.txt <<'PYEOF'
import random
r = random.Random(6001)
w = ["%d:%d" % (c, n) for n, c in
     [(n, r.randint(0, n)) for n in [r.randint(1, 400) for _ in range(40)]]]
w += ["0:1", "1:1", "0:500", "500:500", "1:1000"]
m = ["%d:%d" % (r.randint(0, 60), r.randint(0, 60)) for _ in range(25)]
m += ["0:0", "3:3", "0:300", "250:320", "1:1"]
f = ["%d:%d:%d:%d" % tuple(r.randint(0, 30) for _ in range(4))
     for _ in range(30)]
f = [x for x in f if x.split(":")[0:2] != ["0", "0"]
     and x.split(":")[2:4] != ["0", "0"]]
p = ["%d:%d:%d" % (n, r.randint(0, n), r.randint(1, n)) for n in
     [r.randint(1, 60) for _ in range(30)]]
s = [",".join("%g" % round(r.uniform(-20, 30), 2) for _ in range(r.randint(2, 12)))
     for _ in range(20)]
g = ["%d:%d:%d" % (r.randint(0, 60), r.randint(0, 60), r.randint(0, 200))
     for _ in range(12)]
g += ["0:0:5", "0:40:0", "40:0:3", "500:560:900"]
h = [",".join("%g" % round(r.uniform(-20, 15), 2) for _ in range(r.randint(2, 12)))
     for _ in range(10)]
q = [",".join("%d/%d" % (n, r.randint(0, n)) for n in
     [r.randint(1, 12) for _ in range(r.randint(1, 30))]) for _ in range(12)]
q += ["5/5,5/5", "3/0,4/1", "7/7"]
print("Q", *q)
print("G", *g)
print("H", *h)
print("W", *w)
print("S", *s)
print("M", *m)
print("F", *f)
print("P", *p)
PYEOF
W=$(sed -n 's/^W //p' cases.txt)
M=$(sed -n 's/^M //p' cases.txt)
F=$(sed -n 's/^F //p' cases.txt)
P=$(sed -n 's/^P //p' cases.txt)
S=$(sed -n 's/^S //p' cases.txt)
G=$(sed -n 's/^G //p' cases.txt)
Q=$(sed -n 's/^Q //p' cases.txt)
H=$(sed -n 's/^H //p' cases.txt)

# pycheck DESC CODE: ok when the python CODE runs without an assertion
# failing.
pycheck() {
	_d=$1; shift
	if $PY -c "$1" >"$T/py.out" 2>&1; then ok "$_d"
	else not_ok "$_d"; diag "$(head -c 2000 "$T/py.out")"; fi
}

$PY "$CASES" wilson $W >w.ndjson
for level in 0.95 0.9 0.99 0.8; do
	must ab-rank -f ndjson --level $level w.ndjson >w-$level.out
	pycheck "Wilson intervals at $level agree with SciPy to 1e-9" "
import json
from scipy.stats import binomtest
rows = {r['config']: r for r in map(json.loads, open('w-$level.out'))}
cases = '$W'.split()
assert len(rows) == len(cases)
for i, cs in enumerate(cases):
    c, n = map(int, cs.split(':'))
    ci = binomtest(c, n).proportion_ci(confidence_level=$level, method='wilson')
    r = rows['w%d' % i]
    assert abs(r['ci_low'] - ci.low) <= 1e-9, (cs, r['ci_low'], ci.low)
    assert abs(r['ci_high'] - ci.high) <= 1e-9, (cs, r['ci_high'], ci.high)
    assert abs(r['pass_rate'] - c / n) <= 1e-12
"
done

$PY "$CASES" mcnemar $M >m.ndjson
must ab-rank -f ndjson --bootstrap 0 compare m.ndjson >m.out
pycheck "exact McNemar p-values agree with scipy binomtest to 1e-9" "
import json
from scipy.stats import binomtest
rows = [r for r in map(json.loads, open('m.out'))
        if r['view'] == 'compare' and r['metric'] == 'correctness']
cases = '$M'.split()
seen = 0
for i, cs in enumerate(cases):
    b, c = map(int, cs.split(':')[:2])
    for r in rows:
        if {r['a'], r['b']} == {'a%d' % i, 'b%d' % i}:
            want = binomtest(b, b + c, 0.5).pvalue if b + c else 1.0
            assert abs(r['p_value'] - want) <= 1e-9 * max(1e-300, want) or \
                abs(r['p_value'] - want) <= 1e-12, (cs, r['p_value'], want)
            seen += 1
assert seen == len(cases), seen
"

$PY "$CASES" fisher $F >f.ndjson
must -s 3 ab-rank -f ndjson regress f.ndjson >f.out
pycheck "one-sided Fisher exact p-values (current worse) agree with SciPy to 1e-9" "
import json
from scipy.stats import fisher_exact
rows = {r['task']: r for r in map(json.loads, open('f.out'))
        if r['view'] == 'regress_tasks'}
seen = 0
for i, cs in enumerate('$F'.split()):
    a, b, c, d = map(int, cs.split(':'))
    if a * (c + d) == c * (a + b):
        assert 'f%d' % i not in rows
        continue
    want = fisher_exact([[a, b], [c, d]], alternative='greater')[1]
    got = rows['f%d' % i]['p_value']
    assert abs(got - want) <= 1e-9, (cs, got, want)
    seen += 1
assert seen > 20, seen
"

$PY "$CASES" passk $P >p.ndjson
for spec in $P; do
	echo "${spec##*:}"
done | sort -un | tr '\n' ',' | sed 's/,$//' >ks.txt
# -k takes at most 8 values: check in groups.
tr ',' '\n' <ks.txt | split -l 8 - kgroup.
for g in kgroup.*; do
	must ab-rank -f ndjson -k "$(paste -sd, "$g")" p.ndjson >>p.out
done
pycheck "pass@k agrees with 1 - comb(n-c,k)/comb(n,k) (exact) to 1e-12" "
import json
from scipy.special import comb
from fractions import Fraction
rows = {}
for r in map(json.loads, open('p.out')):
    rows.setdefault(r['config'], {}).update(r)
for i, cs in enumerate('$P'.split()):
    n, c, k = map(int, cs.split(':'))
    want = float(1 - Fraction(comb(n - c, k, exact=True), comb(n, k, exact=True)))
    got = rows['p%d' % i]['pass@%d' % k]
    assert abs(got - want) <= 1e-12, (cs, got, want)
"
pycheck "pass^k agrees with comb(c,k)/comb(n,k) (exact) to 1e-12" "
import json
from scipy.special import comb
from fractions import Fraction
rows = {}
for r in map(json.loads, open('p.out')):
    rows.setdefault(r['config'], {}).update(r)
for i, cs in enumerate('$P'.split()):
    n, c, k = map(int, cs.split(':'))
    want = float(Fraction(comb(c, k, exact=True), comb(n, k, exact=True)))
    if k == 1:
        assert 'pass^1' not in rows['p%d' % i]
        continue
    got = rows['p%d' % i]['pass^%d' % k]
    assert abs(got - want) <= 1e-12, (cs, got, want)
"
$PY "$CASES" passpow $Q >q.ndjson
for level in 0.95 0.9; do
	ab-rank -f ndjson -k 1,2,3 --level $level q.ndjson >q-$level.out
	pycheck "pass^k over tasks and its interval (normal, over tasks) at $level agree with a closed form to 1e-9" "
import json, math
from fractions import Fraction
from scipy.special import comb
from scipy.stats import norm
rows = {r['config']: r for r in map(json.loads, open('q-$level.out'))}
z = norm.ppf((1 + $level) / 2)
checked = 0
for i, cs in enumerate('$Q'.split()):
    tasks = [tuple(map(int, x.split('/'))) for x in cs.split(',')]
    r = rows['q%d' % i]
    for k in (2, 3):
        v = [float(Fraction(comb(c, k, exact=True), comb(n, k, exact=True)))
             for n, c in tasks if n >= k]
        key = 'pass^%d' % k
        if not v:
            assert r[key] is None, (cs, k, r[key])
            continue
        m = sum(v) / len(v)
        assert abs(r[key] - m) <= 1e-12, (cs, k, r[key], m)
        if len(v) < 2:
            assert r[key + '_low'] is None and r[key + '_high'] is None
            continue
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))
        lo, hi = max(0, m - z * sd / math.sqrt(len(v))), min(1, m + z * sd / math.sqrt(len(v)))
        assert abs(r[key + '_low'] - lo) <= 1e-9, (cs, k, r[key + '_low'], lo)
        assert abs(r[key + '_high'] - hi) <= 1e-9, (cs, k, r[key + '_high'], hi)
        checked += 1
assert checked > 15, checked
"
done
$PY "$CASES" signflip $S >s.ndjson
must ab-rank -f ndjson compare s.ndjson >s.out
pycheck "sign-flip p-values agree with scipy permutation_test (exact) to 1e-9" "
import json
import numpy as np
from scipy.stats import permutation_test
rows = [r for r in map(json.loads, open('s.out'))
        if r['view'] == 'compare' and r['metric'] == 'score']
seen = 0
for i, cs in enumerate('$S'.split()):
    d = np.array([float(x) for x in cs.split(',')])
    res = permutation_test((d + 50, np.full(len(d), 50.0)),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type='samples', vectorized=True, n_resamples=np.inf)
    for r in rows:
        if {r['a'], r['b']} == {'s%d' % i, 't%d' % i}:
            assert abs(r['p_value'] - res.pvalue) <= 1e-9, (cs, r['p_value'], res.pvalue)
            seen += 1
assert seen == 20, seen
"

# The regression gate: one-sided exact paired p-values, Holm over the
# configurations gated, and the detectable drop at 80% power.
$PY "$CASES" regress $G >g.ndjson
run ab-rank -f ndjson --baseline base --run cur regress g.ndjson
cp "$T/out" g.out
pycheck "regress: one-sided exact paired p, Holm over the gated comparisons and the detectable drop agree with SciPy to 1e-9" "
import json, math
from scipy.stats import binomtest, norm
from scipy.optimize import brentq
rows = [r for r in map(json.loads, open('g.out'))
        if r['view'] == 'regress' and r['metric'] == 'correctness']
cases = '$G'.split()
assert len(rows) == len(cases), len(rows)
m = len(cases)
want = {}
for i, cs in enumerate(cases):
    b, c, both = map(int, cs.split(':'))
    want['g%d' % i] = (binomtest(b, b + c, 0.5, alternative='less').pvalue
                       if b + c else 1.0, b + c + both + 1, b + c)
order = sorted(want, key=lambda k: want[k][0])
holm, run_max = {}, 0
for j, k in enumerate(order):
    run_max = max(run_max, min(1, (m - j) * want[k][0]))
    holm[k] = run_max
za, zb = norm.ppf(1 - 0.05 / m), norm.ppf(0.8)
for r in rows:
    p, n, disc = want[r['config']]
    assert r['gated'] == m, r
    assert r['n'] == n, (r, n)
    assert abs(r['p_value'] - p) <= 1e-9 * p or abs(r['p_value'] - p) <= 1e-12, (r, p)
    assert abs(r['p_holm'] - holm[r['config']]) <= 1e-9, (r, holm[r['config']])
    f = lambda d: za * math.sqrt(max(disc / n, d)) + zb * math.sqrt(max(max(disc / n, d) - d * d, 0)) - d * math.sqrt(n)
    if f(1) > 0:
        assert r['detectable'] is None, r
        continue
    mde = 100 * brentq(f, 1e-15, 1, xtol=1e-15)
    assert abs(r['detectable'] - mde) <= 1e-9 * 100, (r, mde)
"
expect_rc 3 "regress: the case with 40 pairs lost is a regression"

$PY "$CASES" regscore $H >h.ndjson
ab-rank -f ndjson --baseline base --run cur regress h.ndjson >h.out
pycheck "regress: one-sided sign-flip p-values agree with scipy permutation_test (exact, alternative less) to 1e-9" "
import json
import numpy as np
from scipy.stats import permutation_test
rows = {r['config']: r for r in map(json.loads, open('h.out'))
        if r['view'] == 'regress' and r['metric'] == 'score'}
for i, cs in enumerate('$H'.split()):
    d = np.array([float(x) for x in cs.split(',')])
    res = permutation_test((d + 50, np.full(len(d), 50.0)),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type='samples', vectorized=True, n_resamples=np.inf,
        alternative='less')
    r = rows['h%d' % i]
    assert abs(r['p_value'] - res.pvalue) <= 1e-9, (cs, r['p_value'], res.pvalue)
assert len(rows) == 10
"
done_testing
