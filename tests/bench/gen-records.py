#!/usr/bin/env python3
"""Generate realistic, fully scored ab records (NDJSON on stdout).

usage: gen-records.py N [SEED] [RUN] [FIRST-SAMPLE]

Each record is what the whole pipeline (ab-gen | ab-extract | ab-exec |
ab-score) writes: a task with a prompt, ten call-style tests, a reference
and two mutants; a configuration; an answer of a few KB with the code in a
fenced block; the extracted code; ten test results; a scored rubric with
evidence; and for the mixture-of-agents configuration three provider calls.
$GEN_TASKS sets the number of tasks (default 200).  $GEN_SIZE=small makes
records of about 2.6 KB instead of about 14 KB: a task without reference,
mutants or hints and a shorter description, an answer of about 1 KB, ten
tests.  Deterministic for a
given N, SEED and RUN; the tasks and configurations
are the same for every SEED.  Record ids are TASK/CONFIG/SAMPLE, samples
counting from FIRST-SAMPLE (default 0).
"""
import json
import os
import random
import sys

n = int(sys.argv[1])
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
run = sys.argv[3] if len(sys.argv) > 3 else "bench-run"
first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
rng = random.Random(0)

WORDS = ("value index count total result items node left right key cache "
         "buffer parse token stack queue depth limit offset width height "
         "score weight label group name text line char digit prefix suffix "
         "window start end step size target pair graph edge path cost seen "
         "visit order rank level child parent root tree heap sort merge "
         "split join matrix row col grid cell mask flag state memo dp").split()
KEYWORDS = ["for", "if", "while", "return", "elif", "else:", "try:",
            "with", "yield", "lambda", "assert", "break", "continue"]


def ident():
    return "_".join(rng.sample(WORDS, rng.randint(1, 2)))


def code_line():
    k = rng.random()
    a, b, c = ident(), ident(), ident()
    if k < 0.25:
        return f"{a} = {b}[{c}] + {rng.randint(0, 99)}"
    if k < 0.45:
        return f"for {a} in range(len({b})):"
    if k < 0.6:
        return f"if {a} > {b} and not {c}:"
    if k < 0.7:
        return f"return {a}, {b}"
    if k < 0.8:
        return f"{a}.append({b} * {c})"
    if k < 0.9:
        return f"# {' '.join(rng.sample(WORDS, 6))}"
    return f"{rng.choice(KEYWORDS)} {a} == {b}:"


POOL = [code_line() for _ in range(4000)]


def code(lines, fname):
    out = [f"def {fname}({ident()}: list[int], {ident()}: int) -> int:",
           f'    """{" ".join(rng.sample(WORDS, 10))}."""']
    depth = 1
    for _ in range(lines):
        line = rng.choice(POOL)
        out.append("    " * depth + line)
        if line.endswith(":"):
            depth = min(depth + 1, 4)
        elif rng.random() < 0.3 and depth > 1:
            depth -= 1
    out.append(f"    return {ident()}")
    return "\n".join(out) + "\n"


def prose(words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


SMALL = os.environ.get("GEN_SIZE", "large") == "small"
DIFF = ["easy", "medium", "hard", "extreme"]
CATS = ["algorithms", "strings", "data-structures", "parsing", "numerics",
        "bug-fixing", "edge-cases"]
TASKS = []
for t in range(int(os.environ.get("GEN_TASKS", "200"))):
    fname = f"solve_{t}"
    tests = []
    for i in range(10):
        args = [[rng.randint(-50, 50) for _ in range(rng.randint(2, 8))],
                rng.randint(0, 100)]
        tests.append({"name": f"case_{i}", "style": "call", "args": args,
                      "expected": rng.randint(-100, 100),
                      "hidden": i >= 7, "weight": 1})
    if SMALL:
        tests = [{"name": x["name"], "args": [x["args"][0][:2],
                                              x["args"][1]],
                  "expected": x["expected"]} for x in tests]
        TASKS.append({
            "id": f"py-task-{t:03d}", "suite": "bench", "language": "python",
            "description": prose(10), "signature":
            f"def {fname}(nums: list[int], target: int) -> int",
            "difficulty": DIFF[t % 4], "category": CATS[t % 7],
            "entry_point": fname, "tests": tests})
        continue
    TASKS.append({
        "id": f"py-task-{t:03d}", "suite": "bench", "language": "python",
        "description": prose(80), "signature":
        f"def {fname}(nums: list[int], target: int) -> int",
        "difficulty": DIFF[t % 4], "category": CATS[t % 7],
        "entry_point": fname, "tests": tests,
        "reference": code(25, fname),
        "mutants": [code(20, fname), code(20, fname)],
        "time_limit_ms": 2000, "memory_limit_mb": 256,
        "hints": [prose(12)]})

CONFIGS = [
    {"name": "gpt-small", "provider": "openai", "model": "gpt-4o-mini",
     "base_url": "https://api.openai.com/v1", "api_key_env": "OPENAI_API_KEY",
     "temperature": 0.2, "max_tokens": 2048, "stream": True},
    {"name": "claude", "provider": "anthropic", "model": "claude-3-5-haiku",
     "api_key_env": "ANTHROPIC_API_KEY", "temperature": 0.0,
     "max_tokens": 4096},
    {"name": "local", "provider": "ollama", "model": "qwen2.5-coder:7b",
     "base_url": "http://127.0.0.1:11434", "temperature": 0.1},
    {"name": "moa/two-cycles", "ai_configuration": {
        "main_model": "gpt-4o", "main_temperature": 0.1, "cycles": 2,
        "system_prompt": "Combine the drafts. {helper_response}",
        "layer_agents": [
            {"name": "drafter", "model": "gpt-4o-mini", "temperature": 0.0,
             "prompt": "Write a solution. {helper_response}"},
            {"name": "critic", "model": "gpt-4o-mini", "temperature": 0.0,
             "prompt": "Review the drafts. {helper_response}"}]}},
]
for i, c in enumerate(CONFIGS):
    c["hash"] = "%064x" % (0xab0000 + i * 7919)
rng = random.Random(seed)

VERDICTS = ["ok"] * 6 + ["wrong_answer"] * 2 + ["runtime_error",
                                                "time_limit"]
DIMS = ["accuracy", "speed", "efficiency", "cost", "reliability"]
WEIGHTS = {"accuracy": 0.3, "speed": 0.2, "efficiency": 0.2, "cost": 0.15,
           "reliability": 0.15}

out = sys.stdout
samples = max(1, -(-n // (len(TASKS) * len(CONFIGS))))
count = 0
for s in range(first, first + samples):
    for c in CONFIGS:
        for t in TASKS:
            if count == n:
                break
            count += 1
            if SMALL:
                src = code(rng.randint(8, 12), t["entry_point"])
                text = (prose(rng.randint(4, 8)) + "\n\n```python\n" +
                        src + "```\n\n" + prose(rng.randint(4, 8)) + "\n")
            else:
                src = code(rng.randint(45, 75), t["entry_point"])
                text = (prose(rng.randint(20, 40)) + "\n\n```python\n" +
                        src + "```\n\n" + prose(rng.randint(30, 60)) +
                        "\n")
            verdict = rng.choice(VERDICTS)
            passed = 10 if verdict == "ok" else rng.randint(0, 9)
            tests = []
            for i, tt in enumerate(t["tests"]):
                good = i < passed
                if SMALL:
                    tests.append({
                        "name": tt["name"],
                        "verdict": "ok" if good else verdict,
                        "time_ms": round(rng.uniform(0.2, 40), 1)})
                    continue
                tests.append({
                    "name": tt["name"],
                    "verdict": "ok" if good else verdict,
                    "weight": 1, "time_ms": round(rng.uniform(0.2, 40), 3),
                    "expected": json.dumps(tt["expected"]),
                    "actual": json.dumps(tt["expected"] if good else
                                         rng.randint(-100, 100)),
                    "error": None if good or verdict == "wrong_answer" else
                    {"kind": verdict, "message": "Traceback (most recent "
                     "call last): " + prose(8)}})
            tin, tout = rng.randint(300, 1500), rng.randint(200, 900)
            calls = []
            if "ai_configuration" in c:
                for role, model in (("layer", "gpt-4o-mini"),
                                    ("layer", "gpt-4o-mini"),
                                    ("main", "gpt-4o")):
                    calls.append({"role": role, "model": model,
                                  "provider": "openai", "cycle": 1,
                                  "tokens": {"in": tin // 3, "out": tout // 3},
                                  "cost_usd": round(tin * 1e-7, 8),
                                  "latency_ms": round(rng.uniform(200, 3000), 1),
                                  "error": None})
            dims = {d: {"value": round(rng.uniform(2, 10), 2),
                        "evidence": prose(10)} for d in DIMS}
            if SMALL:
                dims = {d: {"value": dims[d]["value"]} for d in DIMS}
            total = round(sum(dims[d]["value"] * WEIGHTS[d] for d in DIMS) * 10,
                          2)
            grade = ("A" if total >= 90 else "B" if total >= 80 else "C"
                     if total >= 70 else "D" if total >= 60 else "F")
            rec = {
                "id": f"{t['id']}/{c['name']}/{s}", "run": run, "task": t,
                "config": c, "sample": s,
                "gen": {"text": text, "model": c.get("model", "gpt-4o"),
                        "provider": c.get("provider", "openai"),
                        "latency_ms": round(rng.uniform(300, 9000), 1),
                        "ttft_ms": round(rng.uniform(80, 900), 1),
                        "tokens": {"in": tin, "out": tout},
                        "cost_usd": round(tin * 1.5e-7 + tout * 6e-7, 8),
                        "cached": False, "calls": calls, "error": None},
                "extract": {"code": src, "language": "python",
                            "method": "fence", "blocks": 1, "error": None},
                "exec": {"verdict": verdict, "passed": passed, "total": 10,
                         "tests": tests,
                         "cpu_ms": round(rng.uniform(10, 400), 2),
                         "wall_ms": round(rng.uniform(15, 500), 2),
                         "peak_kb": rng.randint(8000, 60000),
                         "limits": {"cpu_ms": 2000, "memory_mb": 256},
                         "isolation": ["user", "pid", "mount", "net",
                                       "cgroup", "seccomp"],
                         "error": None},
                "score": {"dimensions": dims, "weights": WEIGHTS,
                          "total": total, "grade": grade,
                          "success": total >= 60, "rubric": "agent",
                          "error": None}}
            out.write(json.dumps(rec, separators=(",", ":"),
                                 ensure_ascii=False))
            out.write("\n")
