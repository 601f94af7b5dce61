#!/bin/sh
# ab-score: the reference solution's run time for the assistant rubric's
# efficiency, measured once per task (with a stand-in for ab-exec that
# counts its runs) and cached on disk under the cache directory.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
rec=$TOP/tests/golden/ab-score/assistant-python/in

# A stand-in ab-exec: reads one record, answers with exec.cpu_ms 90 for
# the reference (whose code it checks), counts its runs.
cat >fake-exec <<'SH'
#!/bin/sh
echo run >>"$COUNT"
jq -c 'if .extract.code == .task.reference and .config.name == "reference"
    then .exec = {verdict: env.VERDICT, passed: 1, total: 1, cpu_ms: 90,
    wall_ms: 200, tests: [{name: "t1", verdict: "ok", time_ms: 30}]}
    else .exec = {verdict: "internal_error"} end'
SH
chmod +x fake-exec
export COUNT="$T/count" VERDICT=ok

run ab-score -r assistant --no-analysers --cache-dir="$T/cache" \
    --exec="$T/fake-exec" "$rec" "$rec"
expect_rc 0 "measure the reference"
check "two records of one task: the reference ran once" \
    test "$(wc -l <count)" -eq 1
expect_jq "$T/out" 'all(.[].score.dimensions.efficiency; .value == 8)' \
    "efficiency: cpu 180 ms / reference 90 ms = 2.0 <= 2: 8"
expect_jq "$T/out" '.[0].score.dimensions.efficiency.evidence[0] |
    test("exec.cpu_ms 180.0 against reference 90.0 ms \\(the reference solution run through ab-exec, cache key [0-9a-f]{12}\\): ratio 2.0000")' \
    "efficiency: the evidence names both times"
check "the cache file exists" test "$(ls cache/reference/*.json | wc -l)" -eq 1
expect_jq cache/reference/*.json '.[0].cpu_ms == 90 and .[0].task == "py-assist"' \
    "the cache file holds the reference time"
cp "$T/out" first.json

run ab-score -r assistant --no-analysers --cache-dir="$T/cache" \
    --exec="$T/fake-exec" "$rec"
check "a second process uses the disk cache: no new run" \
    test "$(wc -l <count)" -eq 1
cat first.json "$T/out" >both.json
expect_jq both.json 'length == 3 and
    (.[0].score | tojson) == (.[2].score | tojson)' \
    "the same record scored again: the same score"

# --no-reference-run: the cache is still read, nothing is run.
run ab-score -r assistant --no-analysers --cache-dir="$T/cache" \
    --no-reference-run --exec="$T/fake-exec" "$rec"
expect_jq "$T/out" '.[0].score.dimensions.efficiency.value == 8' \
    "--no-reference-run still reads the cache"
check "... and runs nothing" test "$(wc -l <count)" -eq 1

# Not cached and not measured: the missing value, and the evidence says why.
run ab-score -r assistant --no-analysers --cache-dir="$T/empty" \
    --no-reference-run "$rec"
expect_jq "$T/out" '.[0].score.dimensions.efficiency |
    .value == 5 and .evidence == ["no reference time (not cached and measuring is off): 5.0"]' \
    "no reference time: the missing value with the reason"

# A reference that fails its own tests is not used, nor cached, and is
# tried once per process.
export VERDICT=wrong_answer
rm -f count
run ab-score -r assistant --no-analysers --cache-dir="$T/c2" \
    --exec="$T/fake-exec" "$rec" "$rec"
expect_jq "$T/out" 'all(.[].score.dimensions.efficiency; .value == 5 and
    (.evidence[0] | contains("the reference solution did not pass its tests (verdict wrong_answer)")))' \
    "a failing reference: not used, the evidence says why"
check "a failing reference is tried once per process" \
    test "$(wc -l <count)" -eq 1
check "... and not cached" test ! -d c2/reference -o -z "$(ls c2/reference 2>/dev/null)"

# A task without a reference; one with a reference time (both made in
# one jq).
must jq -c 'del(.task.reference), .task.reference_time_ms = 360' "$rec" \
    >variants
{ IFS= read -r l; printf '%s\n' "$l" >noref.json
IFS= read -r l; printf '%s\n' "$l" >given.json; } <variants
run ab-score -r assistant --no-analysers --cache-dir="$T/c3" \
    --exec="$T/fake-exec" noref.json
expect_jq "$T/out" '.[0].score.dimensions.efficiency.evidence ==
    ["no reference time (the task has no reference solution): 5.0"]' \
    "a task without a reference"

# A reference time given in the task wins.
run ab-score -r assistant --no-analysers --no-reference-run given.json
expect_jq "$T/out" '.[0].score.dimensions.efficiency.value == 10' \
    "task reference_time_ms: 180 / 360 = 0.5 <= 1: 10"
# The real ab-exec (found beside ab-score) measures the reference in the
# sandbox: a reference run that cannot start must show here.
why=$(sandbox_missing)
if [ -n "$why" ] && in_ci && [ "${AB_QUICK:-}" != 1 ]; then
	not_ok "CI must run the real reference, but this machine cannot: $why"
elif [ -n "$why" ]; then
	skip "the real reference run: $why"
else
	jq -c '.task.entry_point = "two_sum"' "$rec" >real.json
	run ab-score -r assistant --no-analysers --cache-dir="$T/real" real.json
	expect_rc 0 "the real ab-exec runs the reference"
	expect_jq "$T/out" '.[0].score.dimensions.efficiency.evidence[0] |
	    test("against reference [0-9.]+ ms \\(the reference solution run through ab-exec")' \
	    "the evidence names the reference's measured time"
	check "the real run is cached" test "$(ls real/reference/*.json 2>/dev/null | wc -l)" -eq 1
	expect_jq real/reference/*.json '.[0].cpu_ms > 0' \
	    "the cached reference time is a real measurement"
fi
done_testing
