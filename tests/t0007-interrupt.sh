#!/bin/sh
# SIGINT, SIGTERM and SIGHUP in the stages after ab-gen (ab-gen's own in
# t2001): each program waiting on a pipe that stays open stops at once,
# writes whole records for what it did (never a line it had only in
# part), says how many, exits 2; ab-exec finishes the runs in hand with
# their true verdicts and leaves no sandbox; ab-store keeps what it stored
# and marks the run partial; ab-rank writes no report of half an input.
# A second signal ends a program at once, and still no half line.  Last,
# the progress line of ab-exec on a terminal.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-exec.sh"
cd "$T" || exit 1
command -v jq >/dev/null 2>&1 || skip_env "jq is needed to read the records"
env --default-signal=INT true 2>/dev/null ||
	skip_env "env(1) has no --default-signal (coreutils 8.31 or later)"

# interrupt SIG WAIT INPUT PARTIAL PROG ARGS...: PROG reads INPUT from a
# pipe whose writer stays open (then, when PARTIAL is 1, the first half
# of one more record), gets SIG after WAIT seconds, and must then end
# within 20 s.  Sets rc; stdout in int.out, stderr in int.err.  The
# signals start at their default (a background job of a script ignores
# SIGINT, and a program leaves ignored what was ignored on entry).
interrupt() {
	_sig=$1 _wait=$2 _in=$3 _part=$4
	shift 4
	rm -f fifo
	mkfifo fifo
	env --default-signal=INT,TERM,HUP AB_INT_MARK=$$ "$@" <fifo \
	    >int.out 2>int.err &
	_pid=$!
	exec 4>fifo
	cat "$_in" >&4
	[ "$_part" = 1 ] && printf '{"id":"half/c/0","run":"r1",' >&4
	sleep "$_wait"
	kill -"$_sig" $_pid
	watch 20 $_pid
	rc=0
	wait $_pid || rc=$?
	unwatch
	exec 4>&-
}

# written FILE: the N of "N records written" in FILE.
written() {
	sed -n 's/.*interrupted by SIG[A-Z]*: \([0-9]*\) records\{0,1\} written.*/\1/p' "$1"
}

# whole NAME: every line of int.out is a JSON object with an id, as many
# as the message says.
whole() {
	_w=$(written int.err)
	if jq -e -s 'all(.[]; type == "object" and has("id"))' int.out \
	    >/dev/null 2>&1 &&
	    [ "$(wc -l <int.out)" = "${_w:-x}" ] &&
	    { [ ! -s int.out ] ||
	    [ "$(tail -c 1 int.out | od -An -c | tr -d ' ')" = '\n' ]; }; then
		ok "$1: whole records, as many as it says (${_w:-none})"
	else
		not_ok "$1: whole records, as many as it says"
		diag "said: $(cat int.err)" "wrote $(wc -l <int.out) lines"
	fi
}

# Records for ab-extract and ab-store: 30 with a fenced answer.
i=0
while [ $i -lt 30 ]; do
	printf '{"id":"t%d/c/0","run":"r1","task":{"id":"t%d","language":"python","tests":[]},"config":{"name":"c","hash":"h"},"sample":0,"gen":{"text":"```python\\nprint(%d)\\n```","error":null}}\n' $i $i $i
	i=$((i + 1))
done >gen.ndjson

# ---- ab-extract: SIGINT while it waits on the pipe, a line in part -----
interrupt INT 1 gen.ndjson 1 ab-extract
check "ab-extract: exit 2 on SIGINT (status $rc)" test "$rc" = 2
expect_text int.err "ab-extract: interrupted by SIGINT: 30 records written, the rest of the input not read" \
    "ab-extract: one line says what was written"
whole ab-extract
expect_jq int.out 'length == 30 and all(.[]; .extract.code != null)' \
    "ab-extract: the 30 records read before the signal all went on"

# ---- ab-store: SIGTERM; what was read is stored, the run is partial ------
interrupt TERM 1 gen.ndjson 0 ab-store -d int.db
check "ab-store: exit 2 on SIGTERM (status $rc)" test "$rc" = 2
expect_text int.err "ab-store: interrupted by SIGTERM: 30 records written, the rest of the input not read" \
    "ab-store: one line says what was written"
whole ab-store
run ab-store -d int.db export r1
check "ab-store: the 30 records are in the database" \
    test "$(grep -c . "$T/out")" = 30
run ab-store -d int.db ls
expect_contains "$T/out" "partial" "ab-store: the run is marked partial"

# ---- ab-rank: SIGHUP halfway through its input: no report ---------------
interrupt HUP 1 gen.ndjson 1 ab-rank -f ndjson
check "ab-rank: exit 2 on SIGHUP (status $rc)" test "$rc" = 2
expect_text int.err "ab-rank: interrupted by SIGHUP: no report written" \
    "ab-rank: says no report was written"
check "ab-rank: nothing on stdout" test ! -s int.out

# ---- ab-score: SIGINT; the scored records go on ---------------------------
# Scored without analysers or reference runs: nothing here needs the
# sandbox.
i=0
while [ $i -lt 10 ]; do
	printf '{"id":"s%d/c/0","run":"r1","task":{"id":"s%d","language":"python","tests":[{"style":"io","stdout":"1\\n"}]},"config":{"name":"c","hash":"h"},"sample":0,"gen":{"text":"print(1)","error":null,"latency_ms":10},"extract":{"code":"print(1)","language":"python","error":null},"exec":{"verdict":"ok","passed":1,"total":1,"tests":[{"verdict":"ok"}],"error":null}}\n' $i $i
	i=$((i + 1))
done >exec.ndjson
interrupt INT 1 exec.ndjson 1 ab-score --no-analysers --no-reference-run
check "ab-score: exit 2 on SIGINT (status $rc)" test "$rc" = 2
expect_text int.err "ab-score: interrupted by SIGINT: 10 records written, the rest of the input not read" \
    "ab-score: one line says what was written"
whole ab-score

# ---- ab-exec: the runs in hand finish with their true verdicts ----------
why=$(sandbox_missing)
if [ -n "$why" ]; then
	skip "ab-exec: no sandbox here: $why"
	done_testing
	exit $?
fi
command -v python3 >/dev/null 2>&1 || skip_env "python3 is needed to build the records"
i=0
while [ $i -lt 8 ]; do
	rec "slow$i" python 'import time
time.sleep(1)
print(7)' '[{"style":"io","stdout":"7\n"},{"style":"io","stdout":"7\n"}]'
	i=$((i + 1))
done >slow.ndjson
for j in 1 2; do
	interrupt INT 4 slow.ndjson 1 ab-exec -j $j
	check "ab-exec -j $j: exit 2 on SIGINT (status $rc)" test "$rc" = 2
	expect_contains int.err "ab-exec: interrupted: finishing the records in hand" \
	    "ab-exec -j $j: says at once that it finishes what is in hand"
	expect_contains int.err "ab-exec: interrupted by SIGINT: " \
	    "ab-exec -j $j: says what was written"
	whole "ab-exec -j $j"
	expect_jq int.out 'length >= 1 and length < 8 and all(.[]; .exec.verdict == "ok")' \
	    "ab-exec -j $j: some records, each with its true verdict (ok)"
	expect_clean "ab-exec -j $j"
done

# A second signal ends it at once (killed by the signal), no half line.
rm -f fifo
mkfifo fifo
env --default-signal=INT,TERM,HUP ab-exec -j 2 <fifo >int.out 2>int.err &
pid=$!
exec 4>fifo
cat slow.ndjson >&4
sleep 1.5
kill -INT $pid
sleep 0.3
kill -INT $pid
rc=0
wait $pid || rc=$?
exec 4>&-
check "ab-exec: a second SIGINT kills it at once (status $rc)" test "$rc" = 130
if [ -s int.out ]; then
	check "ab-exec: after the second SIGINT, only whole records" \
	    sh -c "jq -e -s 'all(.[]; .exec.verdict == \"ok\")' int.out >/dev/null"
else
	ok "ab-exec: after the second SIGINT, only whole records (none)"
fi
expect_clean "ab-exec (second SIGINT)" procs

# On a terminal ab-exec shows its progress, of a total known from the
# file, with the time left; stdout carries the records only.
if command -v script >/dev/null 2>&1; then
	script -qfec "ab-exec -j 2 slow.ndjson >prog.out" /dev/null \
	    >prog.tty 2>&1 </dev/null
	tr '\r' '\n' <prog.tty >prog.txt
	expect_contains prog.txt "ab-exec: 8/8 done" \
	    "ab-exec on a terminal: progress of a known total"
	expect_contains prog.txt "ETA " "... with the time left"
	expect_jq prog.out 'length == 8 and all(.[]; .exec.verdict == "ok")' \
	    "... and stdout carries the records only"
else
	skip_part "script(1) is not installed (util-linux)"
fi

done_testing
