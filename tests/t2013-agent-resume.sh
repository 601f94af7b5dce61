#!/bin/sh
# ab-gen killed in the middle of agent trials (SIGINT, SIGTERM, SIGKILL)
# leaves nothing running (and, after a SIGKILL, nothing on disk once the
# next ab-gen started; a live run's directory is never touched), and
# `--replay OLD --replay-fill` re-runs only the trials that were never
# produced or failed for the infrastructure; the resumed run's records are
# all graded by the pipeline.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-agent.sh"

# An agent without a model that takes its time, then fixes calc/ops.py.
jq -n '{name: "slow", wire: "none", command: ["sh", "-c",
  "sleep 1; printf \"def add(a, b):\\n    return a + b\\n\" >/work/calc/ops.py"]}' \
    >"$T/slow.agent.json"
printf '{"name":"slow","provider":"agent","agent":"%s"}\n' "$T/slow.agent.json" \
    >"$T/slow.json"
{ ws_task a MARK-A; ws_task b MARK-B; } >"$T/tasks.ndjson"
# A TMPDIR of our own, beneath $T (mode 0700, closed to the sandboxes'
# uids: they get their slots all the same).
mkdir "$T/tmp"

# kill_mid SIG: start 6 trials at -j 2, send SIG once the first record is
# out (two trials are then running), wait for ab-gen.
kill_mid() {
	TMPDIR=$T/tmp ab-gen -q -j 2 -n 3 -c "$T/slow.json" "$T/tasks.ndjson" \
	    >"$T/k.$1" 2>"$T/k.$1.err" &
	_pid=$!
	_i=0
	while [ ! -s "$T/k.$1" ] && [ $_i -lt 600 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	sleep 0.2
	kill -"$1" "$_pid"
	rc=0
	wait "$_pid" || rc=$?
}

for sig in INT TERM; do
	kill_mid $sig
	expect_rc 2 "SIG$sig in the middle of trials: exit status 2"
	expect_contains "$T/k.$sig.err" "interrupted:" "SIG$sig: says how much was written"
	expect_jq "$T/k.$sig" 'length >= 1 and length < 6' "SIG$sig: some records, not all"
	expect_clean "SIG$sig"
	if [ -z "$(ls -A "$T/tmp")" ]; then ok "SIG$sig: its temporary directory is gone"
	else not_ok "SIG$sig: its temporary directory is gone"; diag "$(ls -A "$T/tmp")"; fi
done

# SIGKILL: the sandboxes die with ab-gen (their keepers have a parent-death
# signal; the agents are in the keepers' pid namespaces; the overlays and
# tmpfs are mounts of those namespaces).  The empty cgroups of the dead
# supervisor are removed by the next start, checked below.
kill_mid KILL
expect_rc 137 "SIGKILL in the middle of trials"
expect_clean "SIGKILL" procs
# On disk: the killed run's directory (its slots and their bases) stays
# until the next start, which removes it; another's directory without a
# lock (an older ab-gen's, or not ab-gen's at all) is left alone.
ls -A "$T/tmp" >"$T/left"
if grep -q '^ab-gen\.' "$T/left"; then ok "SIGKILL: its directory is left on disk"
else not_ok "SIGKILL: its directory is left on disk"; diag "$(cat "$T/left")"; fi
mkdir "$T/tmp/ab-gen.NOLOCK"
echo keep >"$T/tmp/ab-gen.NOLOCK/file"

# The source of the resumed run: what the killed run wrote (its last line
# may be cut), with one record turned into a harness failure, and one
# absent.
head -n 1 "$T/k.KILL" | jq -c '.gen.error = {kind: "harness", message: "sandbox set-up failed"} | .gen.trial = null' >"$T/src.ndjson"
tail -n +2 "$T/k.KILL" >>"$T/src.ndjson"
jq -c 'select(.id != "a/slow/0")' "$T/k.INT" >>"$T/src.ndjson"
# From the SIGINT run: a/slow/1.. as they were, those it wrote; the
# SIGKILL run's records come later and win for the ids both hold.
good=$(jq -s '[.[] | select(.gen.error == null)] | map(.id) | unique | length' "$T/src.ndjson" 2>/dev/null)
run env TMPDIR="$T/tmp" ab-gen -q -j 2 -n 3 --replay "$T/src.ndjson" --replay-fill \
    -c "$T/slow.json" "$T/tasks.ndjson"
expect_rc 0 "the resumed run"
cp "$T/out" "$T/resumed"
ls -A "$T/tmp" >"$T/left"
expect_text "$T/left" "ab-gen.NOLOCK" "the next start removed the killed run's directory, and only that"
rm -r "$T/tmp/ab-gen.NOLOCK"
expect_jq "$T/resumed" 'length == 6 and (map(.id) | unique | length == 6)' "six records, one per attempt"
expect_jq "$T/resumed" 'all(.[]; .gen.error == null and .gen.trial.outcome == "exited")' "every attempt made, none failed"
expect_jq "$T/resumed" "[.[] | select(.gen.replay != null)] | length == $good" "the $good good records of the source are replayed"
expect_jq "$T/resumed" "[.[] | select(.gen.replay == null)] | length == 6 - $good" "only the others ran again"
expect_jq "$T/resumed" '[.[] | select(.id == "a/slow/0")][0].gen.replay == null' "the harness failure ran again"
expect_clean "the resumed run"

# A start beside a live run (two trials of a second each at -j 1) leaves
# the live run's directory alone: it finishes its trials.
TMPDIR=$T/tmp ab-gen -q -j 1 -c "$T/slow.json" "$T/tasks.ndjson" >"$T/live" 2>"$T/live.err" &
_pid=$!
_i=0
while [ -z "$(ls -A "$T/tmp")" ] && [ $_i -lt 200 ]; do
	sleep 0.05
	_i=$((_i + 1))
done
run env TMPDIR="$T/tmp" ab-gen -q -c "$T/slow.json" /dev/null
expect_rc 0 "a start beside a live run"
rc=0
wait "$_pid" || rc=$?
expect_rc 0 "the live run"
expect_jq "$T/live" 'length == 2 and all(.[]; .gen.error == null and .gen.trial.outcome == "exited")' "the live run's trials all ran"
if [ -z "$(ls -A "$T/tmp")" ]; then ok "nothing left in TMPDIR"
else not_ok "nothing left in TMPDIR"; diag "$(ls -A "$T/tmp")"; fi

# A failure of the agent is its answer: kept, not run again.
jq -c 'if .id == "b/slow/2" then .gen.error = null | .gen.trial.outcome = "agent_failed" | .gen.patch = "" else . end' \
    "$T/resumed" >"$T/src2.ndjson"
run ab-gen -q -j 2 -n 3 --replay "$T/src2.ndjson" --replay-fill \
    -c "$T/slow.json" "$T/tasks.ndjson"
expect_rc 0 "a second resumed run"
expect_jq "$T/out" 'all(.[]; .gen.replay != null)' "nothing ran again"
expect_jq "$T/out" '[.[] | select(.id == "b/slow/2")][0].gen.trial.outcome == "agent_failed"' "the agent's failure is kept"

# Graded by the pipeline: every trial of the resumed run passes.
run_in "$T/resumed" ab-extract
cp "$T/out" "$T/resumed.ext"
run_in "$T/resumed.ext" ab-exec
expect_rc 0 "ab-exec grades the resumed run"
expect_jq "$T/out" 'length == 6 and all(.[]; .exec.verdict == "ok")' "all six pass their hidden test"

run ab-gen -q --replay-fill -c "$T/slow.json" "$T/tasks.ndjson"
expect_rc 2 "--replay-fill without --replay"
expect_contains "$T/err" "--replay-fill needs --replay" "says so"
done_testing
