#!/bin/sh
# ab-gen: the cache, --dry-run, --budget, sampling.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
start_server
write_tasks
cat >"$T/prices.json" <<'EOT'
{"models": {"pricey": {"in": 100000, "out": 100000}, "m": {"in": 1, "out": 2}}}
EOT

config c openai m
run ab-gen -q -n 2 -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "a first run"
check "... calls the server once per record" test "$(requests)" -eq 6
expect_jq "$T/out" 'all(.[]; .gen.cached == false)' "... nothing cached"
entries() { sqlite3 "$XDG_CACHE_HOME/ab/gen.sqlite" 'SELECT count(*) FROM answers'; }
check "the cache is under \$XDG_CACHE_HOME/ab, one entry per call" \
    test "$(entries)" -eq 6
jq -c '[.id, .gen.text, .gen.tokens, .gen.cost_usd]' "$T/out" >"$T/first"
run ab-gen -q -n 2 -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "a second run"
check "... makes no call at all" test "$(requests)" -eq 6
expect_jq "$T/out" 'all(.[]; .gen.cached == true and .gen.calls[0].cached == true)' \
    "... every record says cached"
jq -c '[.id, .gen.text, .gen.tokens, .gen.cost_usd]' "$T/out" >"$T/second"
expect_same "$T/second" "$T/first" "... with the same answers and counts"
run ab-gen -q -n 3 -c "$T/c.json" "$T/tasks.ndjson"
check "a third sample is independent: only it is called" test "$(requests)" -eq 9
config c2 openai m '"stream":false'
run ab-gen -q -c "$T/c2.json" "$T/tasks.ndjson"
check "a streamed answer serves a whole request" test "$(requests)" -eq 9
config c3 openai m '"temperature":0.9'
run ab-gen -q -c "$T/c3.json" "$T/tasks.ndjson"
check "other parameters are other entries" test "$(requests)" -eq 12
run ab-gen -q --refresh -c "$T/c3.json" "$T/tasks.ndjson"
check "--refresh calls again" test "$(requests)" -eq 15
run ab-gen -q --no-cache -c "$T/c3.json" "$T/tasks.ndjson"
check "--no-cache calls again" test "$(requests)" -eq 18
run ab-gen -q --cache-dir "$T/elsewhere" -c "$T/c3.json" "$T/tasks.ndjson"
check "--cache-dir names another cache" test "$(requests)" -eq 21 -a -s "$T/elsewhere/gen.sqlite"

# A killed run, run again, calls only what is missing.
for i in $(seq 1 40); do printf '{"id":"k%s","language":"python","prompt":"p%s"}\n' "$i" "$i"; done >"$T/forty.ndjson"
config slowk openai 'm+slow200'
before=$(requests)
e0=$(entries)
ab-gen -q -j 4 -c "$T/slowk.json" "$T/forty.ndjson" >"$T/partial" 2>/dev/null &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
st=$?
check "a killed run exits 2 ($st)" test $st -eq 2
done1=$(( $(requests) - before ))
check "... after some calls ($done1)" test "$done1" -gt 0 -a "$done1" -lt 40
kept=$(( $(entries) - e0 ))
check "... leaving answers in the cache ($kept)" test "$kept" -gt 0
before=$(requests)
run ab-gen -q -j 8 -c "$T/slowk.json" "$T/forty.ndjson"
expect_jq "$T/out" 'length == 40 and all(.[]; .gen.error == null)' "the re-run completes"
check "... calling only what was missing" test $(( $(requests) - before )) -eq $((40 - kept))

# --dry-run: counts and estimates, no call, no record.
before=$(requests)
config p openai pricey
run ab-gen --dry-run -n 2 --pricing "$T/prices.json" -c "$T/p.json" -c "$T/c.json" "$T/tasks.ndjson"
expect_rc 0 "--dry-run"
check "... calls nothing" test "$(requests)" -eq "$before"
check "... writes no record" test ! -s "$T/out"
expect_contains "$T/err" "dry run: 12 records, 12 calls (6 cached)" "... counts calls and cache hits"
expect_contains "$T/err" "tokens in and" "... estimates tokens"
expect_contains "$T/err" "cost " "... and the cost"

# --budget: no call starts once the run has spent it; shared by processes.
run ab-gen -q -r budget1 -j 1 --budget 0.5 --pricing "$T/prices.json" -c "$T/p.json" "$T/tasks.ndjson"
expect_rc 1 "a budget smaller than the calls"
expect_jq "$T/out" 'length == 3 and .[0].gen.error == null and all(.[1:][]; .gen.error.kind == "budget")' \
    "the first call spends it, the others are refused as data"
expect_contains "$XDG_CACHE_HOME/ab/budget/budget1" "." "the spend is in the ledger"
before=$(requests)
run ab-gen -q -r budget2 -j 3 --budget 0.5 --no-cache --pricing "$T/prices.json" -c "$T/p.json" "$T/tasks.ndjson"
check "calls running at once reserve the budget: one call with -j 3" \
    test "$(requests)" -eq $((before + 1))
expect_jq "$T/out" '[.[] | select(.gen.error.kind == "budget")] | length == 2' \
    "... the others are refused"
check "the ledger holds the real cost once the call is done" \
    awk "BEGIN { exit !($(cat "$XDG_CACHE_HOME/ab/budget/budget2") > 10 && $(cat "$XDG_CACHE_HOME/ab/budget/budget2") < 11) }"
before=$(requests)
run ab-gen -q -r budget1 --budget 0.5 --no-cache --pricing "$T/prices.json" -c "$T/p.json" "$T/tasks.ndjson"
check "another process with the same run and cache sees the spent budget" test "$(requests)" -eq "$before"
expect_jq "$T/out" 'all(.[]; .gen.error.kind == "budget")' "... and calls nothing"

# Task sampling: -S N -s SEED picks the same tasks whatever their order.
for i in $(seq 1 30); do printf '{"id":"s%02d","language":"python","prompt":"x%s"}\n' "$i" "$i"; done >"$T/thirty.ndjson"
sort -r "$T/thirty.ndjson" >"$T/thirty-rev.ndjson"
run ab-gen -q --dry-run -S 5 -s 42 -c "$T/c.json" "$T/thirty.ndjson"
expect_contains "$T/err" "dry run: 5 records" "-S 5 picks five tasks"
echo '{"name":"e","provider":"cmd","command":["true"]}' >"$T/e.json"
run ab-gen -q -S 5 -s 42 -c "$T/e.json" "$T/thirty.ndjson"
jq -r .task.id "$T/out" | sort >"$T/pick1"
expect_jq "$T/out" 'length == 5 and all(.[]; .seed == 42)' "the seed is in every record"
run ab-gen -q -S 5 -s 42 -c "$T/e.json" "$T/thirty-rev.ndjson"
jq -r .task.id "$T/out" | sort >"$T/pick2"
expect_same "$T/pick2" "$T/pick1" "the same seed picks the same tasks in any order"
run ab-gen -q -S 5 -s 43 -c "$T/e.json" "$T/thirty.ndjson"
jq -r .task.id "$T/out" | sort >"$T/pick3"
check "another seed picks other tasks" sh -c "! cmp -s '$T/pick3' '$T/pick1'"
run ab-gen -q -c "$T/e.json" "$T/thirty.ndjson"
expect_jq "$T/out" 'all(.[]; has("seed") | not)' "no seed without sampling"
done_testing
