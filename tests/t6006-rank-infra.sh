#!/bin/sh
# ab-rank: attempts that were not run (gen errors of the provider, budget,
# harness errors, internal_error) are kept out of the pass rates and the
# regression gate, counted apart, and fail the gate with exit status 4
# only above --max-not-run.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# gen KIND SHARE [DROP]: 164 tasks x 5 samples, runs "base" and "cur" of
# configuration m with the same outcomes (heterogeneous per task, seeded);
# in "cur" the first SHARE attempts (in a seeded order) end in a gen.error
# (or exec internal_error) of KIND, and the DROP next passing attempts
# fail.
gen() {
	$PY - "$@" <<'PYEOF'
import json, random, sys
kind, share = sys.argv[1], int(sys.argv[2])
drop = int(sys.argv[3]) if len(sys.argv) > 3 else 0
r = random.Random(6006)
out = []
cells = [(t, s) for t in range(164) for s in range(5)]
rate = [r.random() for _ in range(164)]
ok = {(t, s): r.random() < rate[t] for t, s in cells}
order = cells[:]
r.shuffle(order)
bad = set(order[:share])
worse = set([c for c in order[share:] if ok[c]][:drop])
def rec(t, s, run, o, err=None):
    x = {"id": "t%d/m/%d/%s" % (t, s, run), "run": run,
         "task": {"id": "t%d" % t}, "config": {"name": "m", "hash": "m"},
         "sample": s}
    if err == "internal_error":
        x["exec"] = {"verdict": "internal_error",
                     "error": {"kind": "harness", "message": "x"}}
    elif err is not None:
        x["gen"] = {"error": {"kind": err, "message": "after retries"}}
        x["exec"] = None
    else:
        x["exec"] = {"verdict": "ok" if o else "wrong_answer"}
    print(json.dumps(x))
for t, s in cells:
    rec(t, s, "base", ok[(t, s)])
    rec(t, s, "cur", ok[(t, s)] and (t, s) not in worse,
        kind if (t, s) in bad else None)
PYEOF
}

# 123 of 820 attempts: 15%.
gen rate_limit 123 >rl.ndjson
run ab-rank -f ndjson regress rl.ndjson
expect_rc 0 "15% rate-limit errors and equal strength: not a regression"
cp "$T/out" rl.out
expect_jq rl.out 'any(.view == "health" and .config == "m" and
    .health == "healthy" and .not_run == 15 and
    .not_run_note == "15.0% of attempts were not run: gen:rate_limit 15.0%")' \
    "health shows the share not run and why"
expect_jq rl.out 'any(.view == "regress" and .metric == "correctness" and
    .n == 164 and .significant == false and .p_value > 0.5 and
    (.change | fabs) < 2)' \
    "the comparison is per task, on the attempts that ran: no regression"
expect_jq rl.out 'any(.view == "health" and .config == "m" and
    .detectable > 0 and .detectable < 10)' \
    "a pass reports the smallest detectable drop"
run ab-rank -f ndjson --max-not-run 10 regress rl.ndjson
expect_rc 4 "--max-not-run 10: the infrastructure fails the gate"
run ab-rank -f ndjson --max-not-run 15 regress rl.ndjson
expect_rc 0 "--max-not-run 15: at the limit is not above it"
run ab-rank -f ndjson --max-not-run x regress rl.ndjson
expect_rc 2 "--max-not-run takes a number"

run ab-rank -f ndjson -r cur leaderboard rl.ndjson
expect_jq "$T/out" 'any(.config == "m" and .attempts == 697 and
    .excluded == 123)' "the leaderboard keeps them out of the pass rate"

gen budget 41 >bu.ndjson
run ab-rank -f ndjson regress bu.ndjson
expect_jq "$T/out" 'any(.view == "health" and .not_run == 5 and
    (.not_run_note | test("gen:budget 5.0%")))' "budget refusals are not run"
gen internal_error 82 >ie.ndjson
run ab-rank -f ndjson regress ie.ndjson
expect_jq "$T/out" 'any(.view == "health" and .not_run == 10 and
    (.not_run_note | test("exec:harness 10.0%")))' \
    "harness errors are not run"
gen agent_failed 123 >af.ndjson
run ab-rank -f ndjson regress af.ndjson
expect_rc 3 "agent_failed is the subject's failure: a regression"

# A real drop of 60 passing attempts beside the rate limits is still found,
# and takes precedence over exit status 4.
gen rate_limit 123 60 >rd.ndjson
run ab-rank -f ndjson --max-not-run 10 regress rd.ndjson
expect_rc 3 "a real regression beside rate limits exits 3"
done_testing
