#!/bin/sh
# b07-gate: calibration of `ab-rank regress` (no flags, as CI calls it) by
# a seeded simulation.  164 tasks with heterogeneous true pass rates
# (uniform on [0, 1]), 1 or 5 samples per task, a baseline run and a
# candidate whose per-task rates are scaled down so that the mean drops by
# 0 (false alarm), 3, 5, 10 or 20 points.  For each cell, the share of
# simulated runs where ab-rank exits 3, beside the ideal one-sided exact
# paired test (McNemar on matched task x sample pairs, level 0.05)
# computed here on the same data.  The gate itself takes the task as the
# unit (one-sided exact sign-flip test on per-task differences of pass
# rates); with one sample per task the two tests coincide.  Target: false
# alarm <= 5% everywhere,
# detection within a few points of the ideal.  Environment: B07_SIMS
# (runs per cell, default 200), B07_SEED (default 7).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
W=$(mktemp -d "${TMPDIR:-/tmp}/b07-gate.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo "b07-gate: ${B07_SIMS:-200} simulated runs per cell; machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
$PY - "$TOP/bin/ab-rank" "$W" "${B07_SIMS:-200}" "${B07_SEED:-7}" <<'PYEOF'
import json, math, random, subprocess, sys, time
rank, work, sims, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
TASKS, ALPHA = 164, 0.05

def binom_half_cdf(k, n):
    # P(X <= k), X ~ Bin(n, 1/2), exact in integers.
    return sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n

def line(task, s, run, ok):
    return ('{"id":"t%d/m/%d/%s","run":"%s","task":{"id":"t%d"},'
            '"config":{"name":"m","hash":"m"},"sample":%d,'
            '"exec":{"verdict":"%s"}}\n' % (task, s, run, run, task, s,
            "ok" if ok else "wrong_answer"))

rng = random.Random(seed)
print("%-10s %6s %8s %8s %8s" % ("design", "drop", "gate %", "ideal %", "runs"))
t0 = time.monotonic()
for samples in (1, 5):
    for drop in (0, 3, 5, 10, 20):
        gate = ideal = 0
        for sim in range(sims):
            p = [rng.random() for _ in range(TASKS)]
            mean = sum(p) / TASKS
            q = [x * (1 - drop / 100 / mean) for x in p]
            out, b, c = [], 0, 0
            for t in range(TASKS):
                for s in range(samples):
                    x, y = rng.random() < p[t], rng.random() < q[t]
                    out.append(line(t, s, "base", x))
                    out.append(line(t, s, "cur", y))
                    b += y and not x
                    c += x and not y
            ideal += b + c > 0 and binom_half_cdf(b, b + c) < ALPHA
            path = "%s/r.ndjson" % work
            with open(path, "w") as f:
                f.writelines(out)
            rc = subprocess.run([rank, "regress", path],
                                stdout=subprocess.DEVNULL).returncode
            if rc not in (0, 3):
                sys.exit("b07-gate: ab-rank exited %d" % rc)
            gate += rc == 3
        print("%-10s %6d %8.1f %8.1f %8d" % ("164 x %d" % samples, drop,
              100 * gate / sims, 100 * ideal / sims, sims))
        sys.stdout.flush()
print("b07-gate: %.1f s" % (time.monotonic() - t0))
PYEOF
