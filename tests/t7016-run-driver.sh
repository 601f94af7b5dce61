#!/bin/sh
# ab-run, the driver over the six stages: the offline demo through it gives
# the leaderboard the stages run by hand give, keeps the records file and
# the database in the output directory, prints each stage's command line;
# a failing stage gives exit 2 and a message naming it; SIGINT stops every
# stage and leaves no process behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-pipeline.sh"
need_pipeline
cd "$T" || exit 1
oracle=$TOP/configs/offline/oracle.json
poor=$TOP/configs/offline/poor.json

# ---- the demo through the driver ----------------------------------------
run ab-run -j 2 -f ndjson -r drv -o out1 -c "$oracle" -c "$poor" \
    --score --no-analysers --score --no-reference-run "$SUBSET"
expect_rc 0 "ab-run on the offline demo"
cp "$T/out" drv.lb
cp "$T/err" drv.err
check "the records file is in the output directory" test -s out1/records.ndjson
check "the database is in the output directory" test -s out1/ab.db
expect_jq out1/records.ndjson 'length == 8 and all(.[]; .run == "drv" and
    .gen != null and .extract != null and .exec != null and .score != null)' \
    "8 records (4 tasks x 2 subjects) through every stage, in run drv"
expect_jq drv.lb 'length == 2 and .[0].config == "oracle" and
    .[0].pass_rate == 1 and .[1].config == "poor" and .[1].pass_rate == 0' \
    "the leaderboard: the oracle first and passing, the poor agent failing"
# The stages stay visible: each command line, as run, before it runs.
for s in "ab-gen -r drv -j 2 -c $oracle -c $poor $SUBSET |" "ab-extract |" \
    "ab-exec -j 2 |" "ab-score --no-analysers --no-reference-run |" \
    "tee out1/records.ndjson |" "ab-store -d out1/ab.db >/dev/null" \
    "ab-rank -d out1/ab.db -r drv -f ndjson leaderboard"; do
	expect_contains drv.err "$s" "the driver prints '$s'"
done

# The same ranking as ab-rank by hand on the driver's database, and on a
# database the records file makes by hand.
must ab-rank -d out1/ab.db -r drv -f ndjson leaderboard >hand.lb
expect_same drv.lb hand.lb "the leaderboard is ab-rank's on the run, byte for byte"
must ab-store -d hand.db out1/records.ndjson >/dev/null
must ab-rank -d hand.db -r drv -f ndjson leaderboard >hand2.lb
expect_same drv.lb hand2.lb "... and the records file stored by hand ranks the same"

# The stages by hand, from scratch: the same leaderboard but for the
# measured times (latency, and the score's speed share).
must sh -c 'ab-gen -r drv -j 2 -c "$1" -c "$2" "$3" >gen.ndjson' - \
    "$oracle" "$poor" "$SUBSET"
must ab-extract gen.ndjson >ext.ndjson
must ab-exec -j 2 ext.ndjson >exec.ndjson
must ab-score --no-analysers --no-reference-run exec.ndjson >score.ndjson
must ab-store -d byhand.db score.ndjson >/dev/null
must ab-rank -d byhand.db -r drv -f ndjson leaderboard >byhand.lb
strip='del(.latency_ms, .ttft_ms, .score, .score_best, .score_worst, .score_sd, .hash)'
jq -c "$strip" drv.lb >a.lb
jq -c "$strip" byhand.lb >b.lb
check "the stripped leaderboards are not empty" test -s a.lb
expect_same a.lb b.lb "the stages by hand rank the same (times aside)"
jq -r '[.id, .exec.verdict, .score.grade] | @tsv' out1/records.ndjson | sort >a.v
jq -r '[.id, .exec.verdict, .score.grade] | @tsv' score.ndjson | sort >b.v
expect_same a.v b.v "... with the same verdicts and grades, attempt by attempt"

# ---- --print runs nothing -------------------------------------------------
run ab-run --print -r p -o out2 -c "$oracle" "$SUBSET"
expect_rc 0 "ab-run --print"
expect_contains "$T/out" "ab-gen -r p -c $oracle $SUBSET |" "--print prints the pipeline"
check "--print makes no output directory" test ! -e out2

# ---- --dry-run: ab-gen's estimate, nothing else -----------------------------
run ab-run --dry-run -r d -o out5 -c "$oracle" "$SUBSET"
expect_rc 0 "ab-run --dry-run"
expect_contains "$T/err" "ab-gen: dry run: 4 records, 4 calls" "--dry-run gives ab-gen's estimate"
check "--dry-run makes no output directory" test ! -e out5

# ---- a failing stage --------------------------------------------------------
printf '{"name": "bad", "provider": "no-such-provider", "model": "m"}\n' >bad.json
run ab-run -r bad -o out3 -c bad.json "$SUBSET"
expect_rc 2 "ab-run with a refused configuration"
expect_contains "$T/err" "ab-run: ab-gen failed (exit 2)" "the message names the stage"
expect_not_contains "$T/err" "ab-rank -d" "no leaderboard after a failed stage"
run ab-run -r bad2 -o out4 --exec --no-such-option -c "$oracle" "$SUBSET"
expect_rc 2 "ab-run with a stage given a bad option"
expect_contains "$T/err" "ab-run: ab-exec failed (exit 2)" "the message names ab-exec"
run ab-run -c "$oracle"
expect_rc 2 "ab-run without a task file"
run ab-run --bogus "$SUBSET"
expect_rc 2 "ab-run with an unknown option"
expect_contains "$T/err" "usage: ab-run" "... prints the usage"

# ---- SIGINT: ab-gen stops, the rest drain; again: all stop ---------------
# A subject that takes a second an answer, named so that its processes can
# be found; 80 attempts, two at once.  start_slow RUN: ab-run in the
# background, once the subject runs; sets pid.
subj=$T/subject-$$.sh
cat >"$subj" <<'EOF2'
sleep 1
printf '```python\ndef f():\n    return 1\n```\n'
EOF2
printf '{"name": "slow", "provider": "cmd", "command": ["sh", "%s", "{task_id}"], "timeout_s": 60}\n' \
    "$subj" >slow.json
start_slow() {
	# A background job of a script ignores SIGINT: give it back.
	env --default-signal=INT,TERM,HUP ab-run -n 20 -j 2 -r "$1" -o "$1" \
	    -c slow.json "$SUBSET" >int.out 2>int.err &
	pid=$!
	i=0
	while [ $i -lt 50 ] && ! pgrep -f "subject-$$" >/dev/null; do
		sleep 0.2; i=$((i + 1))
	done
	check "the slow subject started" sh -c 'pgrep -f "$1" >/dev/null' - "subject-$$"
	sleep 1
}
# stopped: ab-run ends within 30 s; sets rc.
stopped() {
	watch 30 $pid
	rc=0
	wait $pid || rc=$?
	unwatch
}
mark=abrun-int-$$
if env --default-signal=INT true 2>/dev/null; then
	start_slow "$mark"
	kill -INT $pid
	stopped
	check "ab-run exits 2 on SIGINT (status $rc)" test "$rc" = 2
	expect_contains int.err "ab-run: interrupted: ab-gen stops" \
	    "ab-run says it was interrupted"
	n=$(sed -n 's/^ab-gen: interrupted: \([0-9]*\) \(of [0-9]* \)\{0,1\}records\{0,1\} written.*/\1/p' int.err)
	check "ab-gen says what it wrote" test -n "$n"
	[ -n "$n" ] || diag "$(cat int.err)"
	check "... and the records it wrote went through every stage ($n)" \
	    test "$(jq -s 'map(select(.score != null)) | length' "$mark/records.ndjson")" = "${n:-x}"
	expect_contains int.err "no leaderboard; what was done is in $mark/records.ndjson" \
	    "ab-run says where the records are"
	pgrep -af "$mark|subject-$$" >left.txt
	expect_same left.txt /dev/null "no process of the run is left"

	start_slow "$mark-2"
	kill -INT $pid
	sleep 0.3
	kill -INT $pid
	stopped
	check "ab-run exits 2 on a second SIGINT (status $rc)" test "$rc" = 2
	expect_contains int.err "ab-run: interrupted again: stopping every stage" \
	    "ab-run says it stops every stage"
	pgrep -af "$mark|subject-$$" >left.txt
	expect_same left.txt /dev/null "no process of the run is left"
else
	skip "env(1) has no --default-signal (coreutils 8.31 or later)"
fi
done_testing
