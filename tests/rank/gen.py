#!/usr/bin/env python3
"""Generate synthetic ab records for ab-rank's tests and benchmark.

gen.py [-n RECORDS] [--configs N] [--tasks N] [--samples N] [--runs N]
       [--seed S] [--code BYTES] [--moa] [--regress]

Deterministic for a seed.  Each configuration has a skill; a task passes
with a probability from skill and difficulty.  --regress makes the last
run of the first configuration much worse (for regression tests).
"""
import argparse
import json
import random
import sys

p = argparse.ArgumentParser()
p.add_argument("-n", type=int, default=0, help="stop after N records")
p.add_argument("--configs", type=int, default=3)
p.add_argument("--tasks", type=int, default=20)
p.add_argument("--samples", type=int, default=3)
p.add_argument("--runs", type=int, default=1)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--code", type=int, default=200)
p.add_argument("--moa", action="store_true")
p.add_argument("--regress", action="store_true")
a = p.parse_args()
rnd = random.Random(a.seed)
diffs = ["easy", "medium", "hard", "extreme"]
cats = ["algorithms", "strings", "data-structures", "parsing", "numerics",
        "bug-fixing", "edge-cases"]
langs = ["python", "javascript", "c", "cpp", "bash"]
verdicts_bad = ["wrong_answer", "wrong_answer", "runtime_error", "time_limit",
                "compile_error"]
configs = []
for c in range(a.configs):
    name = "cfg-%d" % c
    configs.append({"name": name, "hash": ("%02d" % c) * 32,
                    "provider": "cmd", "skill": 0.9 - 0.25 * c})
tasks = []
for t in range(a.tasks):
    tasks.append({"id": "task-%03d" % t, "language": langs[t % 5],
                  "difficulty": diffs[t % 4], "category": cats[t % 7],
                  "suite": "core"})
line = "    total = compute(values[index], offset) + 1\n"
filler = line * (a.code // len(line))
out = sys.stdout
count = 0
for r in range(a.runs):
    run = "run-%d" % r
    for cf in configs:
        skill = cf["skill"]
        if a.regress and r == a.runs - 1 and cf is configs[0]:
            skill -= 0.5
        for t in tasks:
            pd = max(0.02, min(0.98, skill - 0.12 * diffs.index(t["difficulty"])))
            for s in range(a.samples):
                if a.n and count >= a.n:
                    sys.exit(0)
                count += 1
                ok = rnd.random() < pd
                passed = 10 if ok else rnd.randint(0, 9)
                # Record ids name the run too when there are several, so
                # that a database keyed on the id keeps every run.
                rid = "%s/%s/%d" % (t["id"], cf["name"], s)
                if a.runs > 1:
                    rid += "@" + run
                rec = {"id": rid, "run": run,
                       "task": dict(t, prompt="Solve it.", tests=[]),
                       "config": {"name": cf["name"], "hash": cf["hash"],
                                  "provider": "cmd"},
                       "sample": s}
                lat = round(rnd.uniform(200, 2000) * (1 + cf["skill"]), 1)
                tin, tout = rnd.randint(300, 900), rnd.randint(100, 600)
                cost = round((tin * 1e-6 + tout * 4e-6) * (3 - 2 * cf["skill"]), 8)
                calls = []
                if a.moa:
                    for i, role in enumerate(["layer", "layer", "main"]):
                        calls.append({"role": role, "name": "agent-%d" % i if role == "layer" else "main",
                                      "model": "m-%d" % i, "tokens": {"in": tin // 3, "out": tout // 3},
                                      "cost_usd": cost / 3, "latency_ms": lat / 3})
                gerr = None
                if rnd.random() < 0.02:
                    gerr = {"kind": "http", "message": "HTTP 500 after retries"}
                rec["gen"] = {"text": "```python\n" + filler + "```", "model": "m",
                              "provider": "cmd", "latency_ms": lat,
                              "ttft_ms": round(lat / 5, 1),
                              "tokens": {"in": tin, "out": tout}, "cost_usd": cost,
                              "cached": False, "calls": calls, "error": gerr}
                if gerr:
                    rec["extract"] = {"skipped": "upstream error"}
                    rec["exec"] = {"skipped": "upstream error"}
                    rec["score"] = {"skipped": "upstream error"}
                else:
                    rec["extract"] = {"code": "def f():\n    return %d\n" % s + filler,
                                      "language": t["language"], "method": "fence",
                                      "blocks": 1, "error": None}
                    v = "ok" if ok else rnd.choice(verdicts_bad)
                    if rnd.random() < 0.01:
                        v = "internal_error"
                    tests = [{"name": "t%d" % i, "verdict": "ok" if i < passed else "wrong_answer",
                              "weight": 1, "time_ms": 3.5, "expected": "1", "actual": "1",
                              "error": None} for i in range(10)]
                    rec["exec"] = {"verdict": v, "passed": passed, "total": 10,
                                   "tests": tests, "cpu_ms": 12.5, "wall_ms": 40.0,
                                   "peak_kb": 9000, "limits": {}, "isolation": [],
                                   "error": None}
                    corr = 100.0 * passed / 10
                    style = round(rnd.uniform(50, 100), 2)
                    total = round(0.8 * corr + 0.2 * style, 4)
                    grade = "A" if total >= 90 else "B" if total >= 75 else "C" if total >= 60 else "D" if total >= 40 else "F"
                    rec["score"] = {"dimensions": {"correctness": corr, "style": style,
                                                   "efficiency": round(rnd.uniform(40, 100), 2)},
                                    "weights": {"correctness": 0.8, "style": 0.2},
                                    "total": total, "grade": grade, "rubric": "default",
                                    "error": None}
                out.write(json.dumps(rec, separators=(",", ":")) + "\n")
