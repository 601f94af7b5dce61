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

# The cases, drawn from a seeded generator, and the inputs made of them
# (tests/rank/batch.py runs cases.py as from the command line, each into
# its file: one python start, not fifteen), once: kept in tests/out/t6001/
# under the hash of what makes them.  ab-rank's outputs are made anew.
C=$TOP/tests/out/t6001
K=$(cat "$TOP/tests/${0##*/}" "$CASES" "$TOP/tests/rank/batch.py" |
    sha256sum | cut -c1-16)
if [ ! -s "$C/$K/u.ndjson" ]; then
	rm -rf "$C"
	mkdir -p "$C/$K.$$"
	(cd "$C/$K.$$" && $PY - >cases.txt <<'PYEOF' &&
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
def rates():
    t = []
    for _ in range(r.randint(1, 40)):
        n = r.choice([1, 1, 2, 3, 5, 10])
        t.append("%d/%d/%d" % (n, r.randint(0, n), r.randint(0, n)))
    return ",".join(t)
rt = [rates() for _ in range(14)]
rt += ["5/5/0", "1/1/0,1/1/0,1/1/0", "3/3/3,4/0/0", "70/46/23"]
print("R", *rt)
print("Q", *q)
print("G", *g)
print("H", *h)
print("W", *w)
print("S", *s)
print("M", *m)
print("F", *f)
print("P", *p)
PYEOF
	while read -r _k _v; do eval "$_k=\$_v"; done <cases.txt &&
	$PY "$TOP/tests/rank/batch.py" <<EOF &&
w.ndjson cases.py wilson $W
m.ndjson cases.py mcnemar $M
f.ndjson cases.py fisher $F
p.ndjson cases.py passk $P
q.ndjson cases.py passpow $Q
s.ndjson cases.py signflip $S
g.ndjson cases.py regress $G
h.ndjson cases.py regscore $H
r.ndjson cases.py rates $R
holm0.ndjson cases.py rates 5/5/0,5/5/1,5/4/0,5/5/2,5/3/3,5/5/0
holm1.ndjson cases.py rates 5/5/3,5/5/4,5/4/4,5/5/5,5/3/1,5/5/2
holm2.ndjson cases.py rates 5/5/5,5/5/5,5/4/3,5/5/5,5/3/3,5/5/4
u.ndjson cases.py regrates $R
EOF
	# Many configurations: the leader against each (holm.ndjson).
	{ sed 's/"b0"/"z0"/g' holm0.ndjson
	sed 's/"a0"/"zz"/g; s/"b0"/"z1"/g' holm1.ndjson | grep -v '"zz"'
	sed 's/"a0"/"zz"/g; s/"b0"/"z2"/g' holm2.ndjson | grep -v '"zz"'
	} >holm.ndjson && rm holm0.ndjson holm1.ndjson holm2.ndjson) &&
	    mv -T "$C/$K.$$" "$C/$K" 2>/dev/null
	rm -rf "$C/$K.$$"
fi
cp "$C/$K"/*.ndjson "$C/$K/cases.txt" .
while read -r _k _v; do eval "$_k=\$_v"; done <cases.txt

# pycheck DESC CODE: ok when the python CODE runs without an assertion
# failing.  The checks run one after the other in one $PY started here
# (importing SciPy costs more than a check), each as a script of its own
# (its own globals, its output apart); a $PY that died fails the rest.
mkfifo "$T/py.in" "$T/py.res"
$PY -c '
import contextlib, sys, traceback
for path in sys.stdin:
    path = path.rstrip("\n")
    ok = False
    with open(path + ".out", "w") as out, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out):
        try:
            exec(compile(open(path).read(), path, "exec"),
                 {"__name__": "__main__"})
            ok = True
        except SystemExit as e:
            ok = e.code in (None, 0)
        except BaseException:
            traceback.print_exc()
    print("ok" if ok else "failed", flush=True)
' <"$T/py.in" >"$T/py.res" 2>"$T/py.err" &
exec 4>"$T/py.in" 5<"$T/py.res"
_pyn=0
pycheck() {
	_pyn=$((_pyn + 1))
	printf '%s\n' "$2" >"$T/check$_pyn.py"
	_r=
	(printf '%s\n' "$T/check$_pyn.py" >&4) 2>/dev/null && read -r _r <&5
	if [ "$_r" = ok ]; then ok "$1"
	else not_ok "$1"
		diag "$(cat "$T/check$_pyn.py.out" "$T/py.err" 2>/dev/null | head -c 2000)"
	fi
}

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
# ---- the task as the unit of analysis ----------------------------------
# The exact sign-flip distribution of per-task differences, computed here
# with exact fractions (independent of ab-rank's lattice convolution).
cat >signflip.py <<'PYEOF'
from fractions import Fraction
def dist(d):
    out = {Fraction(0): 1}
    for x in d:
        nxt = {}
        for s, k in out.items():
            for v in (s + x, s - x):
                nxt[v] = nxt.get(v, 0) + k
        out = nxt
    return out
def p_less(d):
    if not d:
        return 1.0
    o, t = sum(d), dist(d)
    return float(Fraction(sum(k for s, k in t.items() if s <= o), 2 ** len(d)))
def p_two(d):
    o = abs(sum(d))
    if not d or o == 0:
        return 1.0
    t = dist(d)
    return float(Fraction(sum(k for s, k in t.items() if abs(s) >= o), 2 ** len(d)))
def tasks(cs):
    return [tuple(map(int, x.split('/'))) for x in cs.split(',')]
PYEOF
must ab-rank -f ndjson compare r.ndjson >r-cmp.out
must ab-rank -f ndjson r.ndjson >r-lb.out
pycheck "compare: correctness is the mean per-task difference, its p the exact sign-flip test on tasks (any number of attempts, no cap), inside its own interval" "
import json, sys
sys.path.insert(0, '.')
from signflip import p_two, tasks
from fractions import Fraction
rows = [r for r in map(json.loads, open('r-cmp.out'))
        if r['view'] == 'compare' and r['metric'] == 'correctness']
seen = 0
for i, cs in enumerate('$R'.split()):
    t = tasks(cs)
    d = [Fraction(a, n) - Fraction(b, n) for n, a, b in t]
    for r in rows:
        if {r['a'], r['b']} != {'a%d' % i, 'b%d' % i}:
            continue
        sg = 1 if r['a'] == 'a%d' % i else -1
        want = float(sum(d) / len(d)) * sg
        assert r['n'] == len(t), (cs, r)
        assert abs(r['diff'] - want) <= 1e-12, (cs, r['diff'], want)
        assert abs(r['a_value'] - r['b_value'] - r['diff']) <= 1e-12, r
        assert r['ci_low'] - 1e-12 <= r['diff'] <= r['ci_high'] + 1e-12, r
        p = p_two(d)
        assert abs(r['p_value'] - p) <= 1e-9 * max(p, 1e-3), (cs, r['p_value'], p)
        assert r['test'] == 'sign-flip', r
        seen += 1
assert seen == len('$R'.split()), seen
"
pycheck "leaderboard: pass rate the task mean, its Wilson interval with the effective n of clustered attempts, flips, noise floor, Holm against the leader" "
import json, math, sys
sys.path.insert(0, '.')
from signflip import p_two, tasks
from fractions import Fraction
from scipy.stats import norm
rows = {r['config']: r for r in map(json.loads, open('r-lb.out'))}
z = norm.ppf(0.975)
def want(t):
    rt = [c / n for n, c in t]
    T, A = len(rt), sum(n for n, c in t)
    p = sum(rt) / T
    v = sum(x * x for x in rt) / T - p * p
    if T == 1: ne = A
    elif p * (1 - p) <= 0: ne = T
    elif v <= 0: ne = A
    else: ne = min(max(T * p * (1 - p) / v, T), A)
    c = (p + z * z / (2 * ne)) / (1 + z * z / ne)
    h = z / (1 + z * z / ne) * math.sqrt(p * (1 - p) / ne + z * z / (4 * ne * ne))
    lo = 0 if p == 0 else max(0, c - h)
    hi = 1 if p == 1 else min(1, c + h)
    rep = [(n, c) for n, c in t if n >= 2]
    noise = (100 * z * math.sqrt(2 * sum((c / n) * (1 - c / n) / (n - 1) for n, c in rep)) / len(rep)) if rep else None
    flips = (sum(1 for n, c in rep if 0 < c < n) / len(rep)) if rep else None
    return p, lo, hi, noise, flips
for i, cs in enumerate('$R'.split()):
    t = tasks(cs)
    for cf, k in (('a%d' % i, 1), ('b%d' % i, 2)):
        r = rows[cf]
        p, lo, hi, noise, flips = want([(x[0], x[k]) for x in t])
        assert abs(r['pass_rate'] - p) <= 1e-12, (cs, cf, r['pass_rate'], p)
        assert abs(r['pass@1'] - p) <= 1e-12, (cs, cf)
        assert abs(r['ci_low'] - lo) <= 1e-9, (cs, cf, r['ci_low'], lo)
        assert abs(r['ci_high'] - hi) <= 1e-9, (cs, cf, r['ci_high'], hi)
        if noise is None:
            assert r['noise_floor'] is None and r['flip_share'] is None, r
        else:
            assert abs(r['noise_floor'] - noise) <= 1e-9, (cs, cf, r['noise_floor'], noise)
            assert abs(r['flip_share'] - flips) <= 1e-12, (cs, cf)
# One task with one attempt each: Wilson for c of T exactly.
from scipy.stats import binomtest
t = tasks('1/1/0,1/1/0,1/1/0')
ci = binomtest(3, 3).proportion_ci(method='wilson')
r = rows['a%d' % '$R'.split().index('1/1/0,1/1/0,1/1/0')]
assert abs(r['ci_low'] - ci.low) <= 1e-9 and abs(r['ci_high'] - ci.high) <= 1e-9, r
"
# Many configurations: the leader against each, Holm over the comparisons
# (holm.ndjson, made above).
must ab-rank -f ndjson holm.ndjson >holm.out
pycheck "leaderboard: status from the two-sided sign-flip p against the leader, Holm over the comparisons made" "
import json, sys
sys.path.insert(0, '.')
from signflip import p_two
from fractions import Fraction
rows = [r for r in map(json.loads, open('holm.out'))]
assert rows[0]['config'] == 'a0' and rows[0]['status'] == 'leader', rows[0]
lead = [5, 5, 4, 5, 3, 5]
other = {'z0': [0, 1, 0, 2, 3, 0], 'z1': [3, 4, 4, 5, 1, 2], 'z2': [5, 5, 3, 5, 3, 4]}
ps = {k: p_two([Fraction(a - b, 5) for a, b in zip(lead, v)]) for k, v in other.items()}
order = sorted(ps, key=lambda k: ps[k])
holm, run = {}, 0
for j, k in enumerate(order):
    run = max(run, min(1, (len(ps) - j) * ps[k]))
    holm[k] = run
for r in rows[1:]:
    k = r['config']
    assert abs(r['p_vs_leader'] - ps[k]) <= 1e-12, (r, ps[k])
    assert abs(r['p_holm'] - holm[k]) <= 1e-12, (r, holm[k])
    assert r['status'] == ('behind' if holm[k] < 0.05 else 'tied'), r
"
run ab-rank -f table holm.ndjson
check "the leaderboard names its correction" sh -c \
    "head -1 '$T/out' | grep -q 'Holm over 3'"

# The gate and trends on several attempts per task: one-sided sign-flip on
# per-task differences, the detectable drop from their squares.
run ab-rank -f ndjson --baseline base --run cur regress u.ndjson
cp "$T/out" u.out
must ab-rank -f ndjson trends u.ndjson >u-tr.out
pycheck "regress and trends: one-sided exact sign-flip p on matched tasks, Holm over the gated rows, detectable drop (closed form) to 1e-9" "
import json, math, sys
sys.path.insert(0, '.')
from signflip import p_less, tasks
from fractions import Fraction
from scipy.stats import norm
from scipy.optimize import brentq
rows = {r['config']: r for r in map(json.loads, open('u.out'))
        if r['view'] == 'regress' and r['metric'] == 'correctness'}
trs = {r['config']: r for r in map(json.loads, open('u-tr.out'))
       if r['run'] == 'cur'}
cases = '$R'.split()
m = rows['u0']['gated']
za, zb = norm.ppf(1 - 0.05 / m), norm.ppf(0.8)
for i, cs in enumerate(cases):
    t = tasks(cs)
    d = [Fraction(a - b, n) for n, a, b in t]
    r, tr = rows['u%d' % i], trs['u%d' % i]
    p = p_less(d)
    assert r['n'] == len(t), r
    assert abs(r['p_value'] - p) <= 1e-9 * max(p, 1e-3), (cs, r['p_value'], p)
    assert abs(r['change'] - 100 * float(sum(d)) / len(d)) <= 1e-9, (cs, r)
    assert tr['matched'] == len(t), tr
    assert abs(tr['p_value'] - p) <= 1e-9 * max(p, 1e-3), (cs, tr['p_value'], p)
    assert abs(tr['change'] - r['change']) <= 1e-9, (tr, r)
    n, psi0 = len(d), float(sum(x * x for x in d)) / len(d)
    f = lambda x: za * math.sqrt(max(psi0, x)) + zb * math.sqrt(max(max(psi0, x) - x * x, 0)) - x * math.sqrt(n)
    if f(1) > 0:
        assert r['detectable'] is None, r
        continue
    mde = 100 * brentq(f, 1e-15, 1, xtol=1e-15)
    assert abs(r['detectable'] - mde) <= 1e-9 * 100, (r, mde)
"

# Consistency and power, closed forms.
must ab-rank -f ndjson consistency r.ndjson >c.out
must ab-rank -f ndjson --alpha 0.05 power r.ndjson >pw.out
must ab-rank -f ndjson --alpha 0.01 --drops 0.5,2.5,7,15,40 --samples 2,4,7,50 \
    power r.ndjson >pw2.out
pycheck "consistency: flip rate 2c(n-c)/(n(n-1)), the tasks that flip most first" "
import json, sys
sys.path.insert(0, '.')
from signflip import tasks
rows = [r for r in map(json.loads, open('c.out'))]
for i, cs in enumerate('$R'.split()):
    for cf, k in (('a%d' % i, 1), ('b%d' % i, 2)):
        want = sorted(((2 * x[k] * (x[0] - x[k]) / (x[0] * (x[0] - 1)), j)
                       for j, x in enumerate(tasks(cs))
                       if x[0] >= 2 and 0 < x[k] < x[0]), key=lambda w: (-w[0], 'r%d-%d' % (i, w[1])))[:10]
        got = [r for r in rows if r['config'] == cf]
        assert len(got) == len(want), (cs, cf, got, want)
        for g, (fr, j) in zip(got, want):
            assert abs(g['flip_rate'] - fr) <= 1e-12, (g, fr)
            assert abs(g['flip_rate'] - [w[0] for w in want if w[1] == int(g['task'].split('-')[1])][0]) <= 1e-12
"
for pw in "pw.out 0.05 1,2,3,5,10,20 1,3,5,10" \
    "pw2.out 0.01 0.5,2.5,7,15,40 2,4,7,50"; do
set -- $pw
pycheck "power ($2, drops $3, samples $4): detectable drop and tasks needed (normal approximation, closed form) to 1e-9" "
import json, math, sys
sys.path.insert(0, '.')
from signflip import tasks
from scipy.stats import norm
rows = [r for r in map(json.loads, open('$1'))]
alpha = $2
drops = [$3]
samples = [$4]
zz = norm.ppf(1 - alpha) + norm.ppf(0.8)
tmin = math.ceil(math.log2(1 / alpha) - 1e-12)
seen = 0
for i, cs in enumerate('$R'.split()):
    for cf, k in (('a%d' % i, 1), ('b%d' % i, 2)):
        t = [(x[0], x[k]) for x in tasks(cs)]
        rep = [(n, c) for n, c in t if n >= 2]
        if rep:
            w = sum((c / n) * (1 - c / n) * n / (n - 1) for n, c in rep) / len(rep)
        else:
            p = sum(c / n for n, c in t) / len(t)
            w = p * (1 - p)
        T, inv = len(t), sum(1 / n for n, c in t)
        r = [x for x in rows if x['view'] == 'power' and x['config'] == cf][0]
        assert abs(r['within_var'] - w) <= 1e-12, (cf, r, w)
        assert r['tasks'] == T and abs(r['samples'] - T / inv) <= 1e-12, r
        if T >= tmin:
            assert abs(r['detectable'] - 100 * zz * math.sqrt(2 * w * inv) / T) <= 1e-9, r
        else:
            assert r['detectable'] is None, r
        plan = [x for x in rows if x['view'] == 'power_plan' and x['config'] == cf]
        assert [(x['drop'], x['samples']) for x in plan] == \\
            [(d, n) for d in drops for n in samples], plan
        for x in plan:
            d, n = x['drop'] / 100, x['samples']
            need = max(math.ceil(zz * zz * 2 * w / n / (d * d) - 1e-9), tmin)
            assert x['tasks_needed'] == need, (x, need)
            assert x['attempts_needed'] == need * n, x
            seen += 1
assert seen > 500, seen
"
done

done_testing
