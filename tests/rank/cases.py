#!/usr/bin/env python3
"""Write minimal ab records for ab-rank's statistics tests.

cases.py wilson C:N ...      one configuration w<i> per case, one task,
                             N attempts of which C pass
cases.py passk N:C:K ...     one configuration p<i> per case, one task
cases.py mcnemar B:C[:S] ... configurations a<i> and b<i> on their own
                             tasks, one attempt each: B tasks only a
                             passes, C only b, S both pass (default 0),
                             one both fail
cases.py fisher A:B:C:D ...  configuration f<i>, task f<i>: run "base"
                             has A passes of A+B, run "cur" C of C+D
cases.py signflip D,D,... ... configurations s<i> and t<i> on tasks
                             s<i>-<j>: scores 50 + D_j and 50
cases.py passpow N/C,N/C,... configuration q<i> on tasks q<i>-<j>: N_j
                             attempts of which C_j pass
cases.py regress B:C[:S] ... configuration g<i> in runs "base" and "cur",
                             one attempt per task: B tasks only cur
                             passes, C only base, S both pass, one both
                             fail
cases.py regscore D,D,... .. configuration h<i> on tasks h<i>-<j> in runs
                             "base" (score 50) and "cur" (50 + D_j)
cases.py rates N/A/B,... ... configurations a<i> and b<i> on tasks
                             r<i>-<j>: N_j attempts each, A_j pass for
                             a<i>, B_j for b<i>
cases.py regrates N/A/B,... configuration u<i> on tasks u<i>-<j>: N_j
                             attempts in runs "base" (B_j pass) and "cur"
                             (A_j pass)
"""
import json
import sys


def rec(task, config, sample, ok, run="r1", score=None):
    r = {"id": "%s/%s/%d" % (task, config, sample), "run": run,
         "task": {"id": task}, "config": {"name": config, "hash": config},
         "sample": sample,
         "exec": {"verdict": "ok" if ok else "wrong_answer"}}
    if score is not None:
        r["score"] = {"total": score}
    print(json.dumps(r, separators=(",", ":")))


kind, args = sys.argv[1], sys.argv[2:]
for i, a in enumerate(args):
    if kind == "passpow":
        for j, nc in enumerate(a.split(",")):
            n, c = map(int, nc.split("/"))
            for sm in range(n):
                rec("q%d-%d" % (i, j), "q%d" % i, sm, sm < c)
        continue
    if kind in ("rates", "regrates"):
        for j, nab in enumerate(a.split(",")):
            n, ca, cb = map(int, nab.split("/"))
            for sm in range(n):
                if kind == "rates":
                    rec("r%d-%d" % (i, j), "a%d" % i, sm, sm < ca)
                    rec("r%d-%d" % (i, j), "b%d" % i, sm, sm < cb)
                else:
                    rec("u%d-%d" % (i, j), "u%d" % i, sm, sm < cb, "base")
                    rec("u%d-%d" % (i, j), "u%d" % i, sm, sm < ca, "cur")
        continue
    if kind == "regscore":
        for j, d in enumerate(float(x) for x in a.split(",")):
            rec("h%d-%d" % (i, j), "h%d" % i, 0, True, "base", score=50)
            rec("h%d-%d" % (i, j), "h%d" % i, 0, True, "cur", score=50 + d)
        continue
    if kind == "signflip":
        for j, d in enumerate(float(x) for x in a.split(",")):
            rec("s%d-%d" % (i, j), "s%d" % i, 0, True, score=50 + d)
            rec("s%d-%d" % (i, j), "t%d" % i, 0, True, score=50)
        continue
    v = [int(x) for x in a.split(":")]
    if kind == "wilson":
        c, n = v
        for s in range(n):
            rec("t", "w%d" % i, s, s < c)
    elif kind == "passk":
        n, c, _k = v
        for s in range(n):
            rec("t", "p%d" % i, s, s < c)
    elif kind == "mcnemar":
        b, c = v[0], v[1]
        both = v[2] if len(v) > 2 else 0
        pairs = [(1, 0)] * b + [(0, 1)] * c + [(1, 1)] * both + [(0, 0)]
        # One pair per task: the task is the unit of analysis, and with
        # one attempt per task the paired sign-flip test is McNemar's.
        for j, (x, y) in enumerate(pairs):
            task, s = "m%d-%d" % (i, j), 0
            rec(task, "a%d" % i, s, x)
            rec(task, "b%d" % i, s, y)
    elif kind == "regress":
        b, c = v[0], v[1]
        both = v[2] if len(v) > 2 else 0
        pairs = [(1, 0)] * b + [(0, 1)] * c + [(1, 1)] * both + [(0, 0)]
        for j, (x, y) in enumerate(pairs):
            task, s = "g%d-%d" % (i, j), 0
            rec(task, "g%d" % i, s, y, run="base")
            rec(task, "g%d" % i, s, x, run="cur")
    elif kind == "fisher":
        a_, b_, c_, d_ = v
        for s in range(a_ + b_):
            rec("f%d" % i, "f%d" % i, s, s < a_, run="base")
        for s in range(c_ + d_):
            rec("f%d" % i, "f%d" % i, s, s < c_, run="cur")
