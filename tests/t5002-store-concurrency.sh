#!/bin/sh
# ab-store under concurrency and crashes: several writers on one database
# wait for each other; a SIGKILL mid-ingest leaves a consistent database,
# and ingesting again gives exactly the expected rows.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-store.sh"
cd "$T" || exit 1
command -v python3 >/dev/null || skip_all "no python3"
GEN_TASKS=20
export GEN_TASKS

# Readers wait for writers too.
sqlite3() { command sqlite3 -cmd '.timeout 10000' "$@"; }

# consistent DB: the database, its full-text index and its derived tables
# agree.  One sqlite3: it stops at the first statement that fails (the
# full-text index's check fails when the index is wrong), so "ok" and 0
# come out only when all three pass.
consistent() {
	[ "$(sqlite3 "$1" 'PRAGMA integrity_check' \
	    "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)" \
	    "SELECT count(*) FROM results r LEFT JOIN bodies b
	    ON b.rid = r.rid WHERE b.rid IS NULL OR
	    (SELECT count(*) FROM tests t WHERE t.rid = r.rid) <>
	    coalesce(json_array_length(b.rest, '\$.exec.tests'), 0)
	    OR NOT EXISTS (SELECT 1 FROM runs u WHERE u.id = r.run_id)
	    OR NOT EXISTS (SELECT 1 FROM configs c WHERE c.hash = r.config_hash)
	    OR NOT EXISTS (SELECT 1 FROM tasks k WHERE k.id = r.task_id)")" = "ok
0" ]
}

# rows DB: what the tables hold, without the run's times and status.
rows() {
	sqlite3 -batch "$1" ".mode quote" \
	    "SELECT id, seed, host, os, cwd FROM runs ORDER BY id" \
	    "SELECT * FROM configs ORDER BY hash" \
	    "SELECT * FROM tasks ORDER BY id" \
	    "SELECT * FROM task_versions ORDER BY hash" \
	    "SELECT id, run_id, task_hash, config_hash, config_name, sample,
	     stage, verdict, score, answer, code_off, code_len, code_own,
	     packed, rest FROM results JOIN bodies USING (rid)
	     ORDER BY id, run_id" \
	    "SELECT r.id, r.run_id, t.idx, t.name, t.verdict, t.weight, t.time_ms,
	     t.error_kind FROM tests t JOIN results r USING (rid)
	     ORDER BY r.id, r.run_id, t.idx" \
	    "SELECT r.id, r.run_id, c.idx, c.role, c.name, c.cycle, c.model,
	     c.provider, c.tokens_in, c.tokens_out, c.cost_usd, c.latency_ms,
	     c.ttft_ms, c.error_kind FROM calls c JOIN results r USING (rid)
	     ORDER BY r.id, r.run_id, c.idx" \
	    "SELECT count(*) FROM tests WHERE rid NOT IN (SELECT rid FROM results)" \
	    "SELECT count(*) FROM calls WHERE rid NOT IN (SELECT rid FROM results)"
}

# Four writers at once, small batches so that they contend.
for i in 0 1 2 3; do
	gen_records w$i.ndjson 120 "$i" run-w "$((i * 10))"
done
DB=$T/w.db
pids=
for i in 0 1 2 3; do
	ab-store -n -d "$DB" --batch 3 w$i.ndjson 2>w$i.err &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
check "four concurrent writers all succeed" test "$fails" = 0
check "... with nothing on stderr" test ! -s w0.err -a ! -s w1.err -a ! -s w2.err -a ! -s w3.err
check "... and every record is stored" \
    test "$(sqlite3 "$DB" 'SELECT count(*) FROM results')" = 480
check "... consistently" consistent "$DB"
must ab-store -n -d one.db w0.ndjson w1.ndjson w2.ndjson w3.ndjson
rows "$DB" | sort >conc.rows
rows one.db | sort >one.rows
expect_same conc.rows one.rows "concurrent writers store what one writer stores"

# A GNU parallel fan-out into one database: 8 jobs of 60 records on 4
# job slots, so that writers meet on the lock and later ones start while
# others write (parallel spends 0.1 s of CPU on each job of --pipe: 16
# jobs of 30 records cost it 2 s for the same meetings).
if command -v parallel >/dev/null; then
	cat w0.ndjson w1.ndjson w2.ndjson w3.ndjson >all.ndjson
	rc=0
	parallel --will-cite --pipe -N 60 -j 4 ab-store -n -d par.db --batch 7 \
	    <all.ndjson 2>par.err || rc=$?
	check "a parallel --pipe fan-out succeeds" test "$rc" = 0 -a ! -s par.err
	check "... storing every record" \
	    test "$(sqlite3 par.db 'SELECT count(*) FROM results')" = 480
	check "... consistently" consistent par.db
else
	skip "GNU parallel not installed"
fi

# Busy timeout: a writer waits for a lock held by another connection, and
# gives up cleanly when told to wait less than it is held.
# held: wait (10 s at most) until the holder says it holds the lock.
held() {
	_i=0
	while [ ! -e held ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	rm -f held
}
printf 'BEGIN IMMEDIATE;\nINSERT INTO runs(id) VALUES (%s);\n.shell touch held; sleep 1\nCOMMIT;\n' \
    "'holder'" | sqlite3 "$DB" &
holder=$!
held
run ab-store -n -d "$DB" --busy-timeout 10000 w0.ndjson
expect_rc 0 "a writer waits for a lock held for a second"
wait "$holder"
printf 'BEGIN IMMEDIATE;\nINSERT INTO runs(id) VALUES (%s);\n.shell touch held; sleep 2\nCOMMIT;\n' \
    "'holder2'" | sqlite3 "$DB" &
holder=$!
held
run ab-store -n -d "$DB" --busy-timeout 200 w1.ndjson
expect_rc 2 "a writer told to wait 200 ms gives up"
expect_contains "$T/err" "database is locked by another writer (waited 200 ms)" \
    "... and says why"
wait "$holder"
check "... leaving the database consistent" consistent "$DB"

# SIGKILL in the middle of an ingest: two runs with the same record ids
# (ids do not name the run), each stored in full.
gen_records big.ndjson 600 11 run-k
gen_records big2.ndjson 600 12 run-k2
cat big2.ndjson >>big.ndjson
must ab-store -n -d clean.db big.ndjson
killed=0
for _ in 1 2 3; do
	rm -f k.db k.db-wal k.db-shm
	ab-store -n -d k.db --batch 20 big.ndjson 2>/dev/null &
	pid=$!
	n=0
	i=0
	while [ "$i" -lt 400 ]; do
		n=$(sqlite3 k.db 'SELECT count(*) FROM results' 2>/dev/null || echo 0)
		[ "${n:-0}" -gt 0 ] && break
		sleep 0.02
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(sqlite3 k.db 'SELECT count(*) FROM results')
	if [ "$n" -gt 0 ] && [ "$n" -lt 1200 ]; then
		killed=1
		break
	fi
done
check "killed in the middle of the ingest ($n of 1200 stored)" test "$killed" = 1
check "the killed ingest left a consistent database" consistent k.db
check "... with its runs marked running" \
    test "$(sqlite3 k.db 'SELECT DISTINCT status FROM runs')" = running
run ab-store -n -d k.db big.ndjson
expect_rc 0 "ingesting again"
check "... completes the runs" test "$(sqlite3 k.db "SELECT group_concat(id || ':' || status, ' ') FROM (SELECT id, status FROM runs ORDER BY id)")" = "run-k:complete run-k2:complete"
check "... each with all its results" test "$(sqlite3 k.db "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM results GROUP BY run_id ORDER BY run_id)")" = "600 600"
rows k.db >k.rows
rows clean.db >clean.rows
expect_same k.rows clean.rows "... and gives exactly the rows of an uninterrupted ingest"
check "... consistently" consistent k.db

# A slow pipeline does not hold the write lock while it waits for input:
# three records, then nothing until another writer has tried (30 s at
# most), then the fourth.
mkfifo slow.fifo
(sed -n 1,3p w0.ndjson; i=0
 while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
 sed -n 4p w0.ndjson) >slow.fifo &
feeder=$!
: >slow.out	# there before the loop below reads it
ab-store -d slow.db <slow.fifo >slow.out &
slow=$!
i=0
while [ "$(wc -l <slow.out)" -lt 3 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
rc=0
ab-store -n -d slow.db --busy-timeout 1500 w1.ndjson 2>slow.err || rc=$?
check "another writer gets in while a slow pipeline waits for input" test "$rc" = 0
check "records already read were passed on" test "$(wc -l <slow.out)" -eq 3
check "... and committed" test "$(sqlite3 slow.db "SELECT count(*) FROM results WHERE run_id = 'run-w' AND sample = 0")" -ge 3
touch go
wait "$feeder"
wait "$slow"
check "the slow pipeline finishes" test "$(wc -l <slow.out)" -eq 4

done_testing
