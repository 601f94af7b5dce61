#!/bin/sh
# ab-gen: agent programs (provider "cmd"): what they are given, and how
# they are stopped.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
write_tasks
mkdir "$T/tmp"
TMPDIR=$T/tmp
export TMPDIR
A=$TOP/tests/agents
AB_TEST_PIDS=$T/pids
export AB_TEST_PIDS
: >"$AB_TEST_PIDS"

# cmdconf NAME TIMEOUT ARGS-JSON
cmdconf() {
	printf '{"name":"%s","provider":"cmd","timeout_s":%s,"command":%s}\n' \
	    "$1" "$2" "$3" >"$T/$1.json"
}

# nothing_left DESC: every pid in $AB_TEST_PIDS is gone.
nothing_left() {
	_alive=
	while read -r _p; do
		if kill -0 "$_p" 2>/dev/null; then _alive="$_alive $_p"; fi
	done <"$AB_TEST_PIDS"
	if [ -z "$_alive" ] && [ -s "$AB_TEST_PIDS" ]; then ok "$1"
	else not_ok "$1"; diag "still running:$_alive"; \
	    ps -o pid,ppid,pgid,args -p "$(echo "${_alive# }" | tr ' ' ,)" 2>/dev/null | \
	    while read -r l; do diag "$l"; done; \
	    for _p in $_alive; do kill -9 "$_p" 2>/dev/null; done; fi
	: >"$AB_TEST_PIDS"
}

cmdconf echo 10 "[\"$A/echo-task.sh\",\"{task_id}\",\"{language}\",\"{sample}\",\"{share}\",\"x{task_id}y\",\"{nothing}\"]"
run ab-gen -n 2 -r run1 -c "$T/echo.json" "$T/tasks.ndjson"
expect_rc 0 "an agent program answers"
expect_jq "$T/out" 'length == 6' "one record per task and sample"
expect_jq "$T/out" '[.[].id] == ["add/echo/0","add/echo/1","hello/echo/0","hello/echo/1","neg/echo/0","neg/echo/1"]' \
    "records in task, configuration, sample order"
expect_jq "$T/out" ".[0].gen.text | contains(\"args: [add] [python] [0] [$AB_SHARE] [xaddy] [{nothing}]\")" \
    "placeholders in the command are replaced"
expect_jq "$T/out" '.[1].gen.text | contains("task add lang python sample 1 ep add")' \
    "AB_TASK_ID, AB_LANGUAGE, AB_SAMPLE and AB_ENTRY_POINT are set"
expect_jq "$T/out" 'all(.[]; .gen.text | contains("file has title: 1"))' \
    "AB_TASK_FILE names the task file"
expect_jq "$T/out" 'all(.[]; .gen.provider == "cmd" and .gen.error == null and .gen.calls[0].exit_status == 0)' \
    "gen says provider cmd, no error, exit status 0"
expect_jq "$T/out" 'all(.[]; .gen.calls[0].stderr == "some diagnostics\n")' \
    "stderr is kept"
expect_jq "$T/out" 'all(.[]; .run == "run1" and .sample == (.id | split("/")[2] | tonumber))' \
    "run and sample are set"
expect_jq "$T/out" 'all(.[]; .gen.tokens.in == null and .gen.cost_usd == null and (.gen.latency_ms > 0))' \
    "an agent program has no token counts or cost, but a latency"
check "the task files are removed" test -z "$(ls -A "$TMPDIR")"

# The task file and the prompt: hidden tests never reach them.
cmdconf cat 10 "[\"$A/cat-task.sh\",\"{task_file}\"]"
run ab-gen -c "$T/cat.json" "$T/tasks.ndjson"
expect_rc 0 "an agent reading its task file and stdin"
jq -r .gen.text "$T/out" >"$T/texts"
expect_contains "$T/texts" "# Task add" "the task file has the task"
expect_contains "$T/texts" "def add(a, b)" "... the signature"
expect_contains "$T/texts" "add(1, 2) returns 3" "... the visible tests"
expect_contains "$T/texts" "- use +" "... the hints"
expect_contains "$T/texts" "CPU time limit: 1000 ms" "... the constraints"
expect_contains "$T/texts" "=== stdin" "the prompt comes on stdin"
expect_not_contains "$T/texts" "42" "hidden tests are never shown"
expect_not_contains "$T/texts" "SECRET-HIDDEN-TEST" "... not even their names"

# A program that hangs is killed at its timeout, with its whole tree.
head -n 1 "$T/tasks.ndjson" >"$T/one.ndjson"
cmdconf hang 1 "[\"$A/hang.sh\"]"
t0=$(date +%s)
run ab-gen -c "$T/hang.json" "$T/one.ndjson"
t1=$(date +%s)
expect_rc 1 "a hanging agent is a failed record"
expect_jq "$T/out" 'length == 1 and .[0].gen.error.kind == "timeout"' \
    "... with error kind timeout"
expect_jq "$T/out" '.[0].gen.text == null and .[0].gen.calls[0].exit_status == 137' \
    "... killed by SIGKILL, no text"
check "... stopped on time ($((t1 - t0)) s)" test $((t1 - t0)) -le 4
nothing_left "nothing of the hanging agent is left"

cmdconf forker 10 "[\"$A/forker.sh\"]"
run ab-gen -c "$T/forker.json" "$T/one.ndjson"
expect_rc 0 "an agent that leaves children behind"
expect_jq "$T/out" '.[0].gen.text | contains("def answer")' "... still answers"
check "... three children were started" test "$(wc -l <"$AB_TEST_PIDS")" -eq 3
nothing_left "its children, in the group, in a new session, daemonised, are gone"

cmdconf forker-hang 1 "[\"$A/forker.sh\",\"hang\"]"
t0=$(date +%s)
run ab-gen -c "$T/forker-hang.json" "$T/one.ndjson"
t1=$(date +%s)
expect_jq "$T/out" '.[0].gen.error.kind == "timeout"' \
    "an agent with children that hangs times out"
check "... on time ($((t1 - t0)) s)" test $((t1 - t0)) -le 4
nothing_left "... and its whole tree is gone"

cmdconf flood 20 "[\"$A/flood.sh\"]"
t0=$(date +%s)
run ab-gen -c "$T/flood.json" "$T/one.ndjson"
t1=$(date +%s)
expect_rc 1 "an agent that floods its output"
expect_jq "$T/out" '.[0].gen.error.kind == "output_limit"' \
    "... is stopped with error kind output_limit"
check "... quickly ($((t1 - t0)) s)" test $((t1 - t0)) -le 5
check "... and the record stays small" test "$(wc -c <"$T/out")" -lt 100000
nothing_left "... and is gone"

# Several at once, under -j: all stopped, order kept.
for i in 1 2 3 4 5 6; do
	printf '{"id":"p%s","language":"python","prompt":"x"}\n' $i
done >"$T/six.ndjson"
cmdconf fh 1 "[\"$A/forker.sh\",\"hang\"]"
run ab-gen -j 6 -c "$T/fh.json" "$T/six.ndjson"
expect_jq "$T/out" '[.[].id] == ["p1/fh/0","p2/fh/0","p3/fh/0","p4/fh/0","p5/fh/0","p6/fh/0"] and all(.[]; .gen.error.kind == "timeout")' \
    "six hanging agents at once time out, in order"
nothing_left "... leaving nothing behind"

# Failures are data.
printf '{"name":"fail","provider":"cmd","command":["%s"],"api_key_env":"AB_TEST_KEY"}\n' \
    "$A/fail.sh" >"$T/fail.json"
run ab-gen -c "$T/fail.json" "$T/one.ndjson"
expect_rc 1 "an agent that fails"
expect_jq "$T/out" '.[0].gen.error.kind == "agent_failed" and (.[0].gen.error.message | startswith("exit status 3: agent: cannot reach"))' \
    "... is an agent_failed error with its status and stderr"
expect_jq "$T/out" '.[0].gen.error.message | endswith("rejected")' \
    "... whose trailing newline is not shown as a literal \\x0a"
expect_not_contains "$T/out" "$AB_TEST_KEY" "the key named by api_key_env is redacted from its output"
expect_contains "$T/out" "[redacted]" "... visibly"

cmdconf missing 10 '["/no/such/agent"]'
run ab-gen -c "$T/missing.json" "$T/one.ndjson"
expect_rc 1 "an agent program that does not exist"
expect_jq "$T/out" '.[0].gen.error.kind == "agent_failed" and (.[0].gen.error.message | contains("cannot run /no/such/agent"))' \
    "... is reported in the record"

cmdconf noisy 10 "[\"$A/noisy.sh\"]"
run ab-gen -c "$T/noisy.json" "$T/one.ndjson"
expect_rc 0 "an agent with a lot of stderr and invalid UTF-8"
expect_jq "$T/out" '.[0].gen.calls[0].stderr_truncated == true and (.[0].gen.calls[0].stderr | length) <= 4096' \
    "stderr is truncated"
expect_jq "$T/out" '.[0].gen.text == "ok \ufffd\ufffd done\n"' \
    "invalid UTF-8 becomes U+FFFD"

# Bad tasks are diagnostics; the rest goes on.
{
	printf '{"id":"ok1","language":"python","prompt":"x"}\n'
	printf '{"language":"python","prompt":"x"}\n'
	printf '{"id":"bad id!","prompt":"x"}\n'
	printf '{"id":"noprompt","language":"python"}\n'
	printf 'garbage\n'
	printf '{"id":"ok1","language":"python","prompt":"x"}\n'
	printf '{"id":"ok2","language":"python","prompt":"x"}\n'
} >"$T/bad.ndjson"
run ab-gen -c "$T/echo.json" "$T/bad.ndjson"
expect_rc 1 "bad tasks make the exit status 1"
expect_jq "$T/out" '[.[].id] == ["ok1/echo/0","ok2/echo/0"]' "the good tasks come out"
expect_contains "$T/err" "bad.ndjson:2: task has no string member \"id\"" "a task without id"
expect_contains "$T/err" "bad.ndjson:3: task bad id!: id must match" "a bad id"
expect_contains "$T/err" "bad.ndjson:4: task noprompt: missing prompt or description" "no prompt"
expect_contains "$T/err" "bad.ndjson:5: invalid JSON" "not JSON"
expect_contains "$T/err" "bad.ndjson:6: task ok1: duplicate id" "a duplicate id"
run ab-gen -b -c "$T/echo.json" "$T/bad.ndjson"
expect_jq "$T/out" '[.[].id] == ["ok1/echo/0"]' "-b stops at the first bad task"
# A closed standard output: exit 2, and nothing left behind.
for i in $(seq 1 300); do printf '{"id":"c%s","language":"python","prompt":"x"}\n' "$i"; done >"$T/many.ndjson"
( ab-gen -j 4 -c "$T/forker.json" "$T/many.ndjson" 2>"$T/err"; echo $? >"$T/status" ) | head -c 1 >/dev/null
check "a closed stdout exits 2" test "$(cat "$T/status")" = 2
expect_contains "$T/err" "ab-gen: stdout: Broken pipe" "... saying so"
check "... removing its task files" test -z "$(ls -A "$TMPDIR")"
nothing_left "... and leaving no agent running"
# Unknown is never zero: on a terminal, the progress line of agents that
# report no cost says so instead of "$0.0000".
if command -v script >/dev/null 2>&1; then
	printf '{"id":"p1","language":"python","prompt":"x"}\n{"id":"p2","language":"python","prompt":"x"}\n' >"$T/two.ndjson"
	script -qec "ab-gen -c '$T/echo.json' '$T/two.ndjson' >/dev/null" "$T/tty.out" >/dev/null 2>&1
	tr '\r' '\n' <"$T/tty.out" | grep '^ab-gen: ' | tail -n 1 >"$T/last.txt"
	expect_contains "$T/last.txt" "2/2 done" "the progress line on a terminal reaches 2/2"
	expect_contains "$T/last.txt" "cost unknown" "... and says the cost is unknown"
	check "... never \$0.0000 for unpriced calls" sh -c "! grep -q '0.0000' '$T/last.txt'"
else
	skip_part "script(1) is not installed (util-linux)"
fi
# Ctrl-C in the middle of a run (tasks still being read, calls in flight):
# no crash, exit 2, whole records for what was done, and how much that is.
# The agent takes 50 ms a call, so that calls are in flight, and the two
# jobs do not keep both cores busy until the signal (echo-task.sh, its
# wc and grep did: 2 CPU-s).
for i in $(seq 1 200); do printf '{"id":"s%s","language":"python","prompt":"x"}\n' "$i"; done >"$T/slow.ndjson"
printf '#!/bin/sh\nwhile read -r _; do :; done\necho "def f(): return 1"\nexec sleep 0.05\n' >"$T/slow.sh"
chmod +x "$T/slow.sh"
cmdconf slow 10 "[\"$T/slow.sh\"]"
for k in 1 2 3; do
	ab-gen -q -j 2 -n 5 -c "$T/slow.json" "$T/slow.ndjson" >"$T/int.out" 2>"$T/int.err" &
	pid=$!
	sleep 0.$((k + 5))
	kill -INT $pid
	wait $pid
	rc=$?
	check "SIGINT $k: exit 2 (not a crash: status $rc)" test $rc = 2
	expect_contains "$T/int.err" "ab-gen: interrupted: " "SIGINT $k: says it was interrupted"
	expect_contains "$T/int.err" " of 1000 records written" \
	    "SIGINT $k: of the run's true size (200 tasks x 5 samples), not what was read"
	n=$(sed -n 's/.*interrupted: \([0-9]*\) .*/\1/p' "$T/int.err")
	check "SIGINT $k: the records written are whole and as many as it says ($n)" \
	    test "$(jq -c .id "$T/int.out" | wc -l)" = "${n:-x}"
	check "SIGINT $k: no sanitizer report" sh -c "! grep -q 'Sanitizer\|double free' '$T/int.err'"
done
done_testing
