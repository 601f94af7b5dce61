#!/bin/sh
# b06-rank: ab-rank's leaderboard from a database of 1 000 000 results
# (target <= 1 s) and from 1 000 000 records on stdin (target <= 5 s, with
# memory bounded by configurations x tasks, not records).  Prints the
# median of 3 runs and the peak RSS.  Environment: B06_RECORDS (default
# 1000000), B06_KEEP=1 keeps the data in $TMPDIR.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
RANK=$TOP/bin/ab-rank
N=${B06_RECORDS:-1000000}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
W=$(mktemp -d "${TMPDIR:-/tmp}/b06-rank.XXXXXX")
[ "${B06_KEEP:-}" = 1 ] || trap 'rm -rf "$W"' EXIT
command -v sqlite3 >/dev/null || { echo "b06-rank: sqlite3 CLI missing"; exit 1; }

# measure LABEL CMD...: median wall seconds of 3 runs, the CPU
# seconds of that run (user + system, all threads) and the largest peak RSS
# (getrusage of the child).  On a busy machine the wall time is the CPU
# time stretched by the load; the CPU time is not.
measure() {
	_label=$1; shift
	for _i in 1 2 3; do
		# Wall seconds and peak RSS (kB) of the command, as GNU
		# time's "%e %M" would print them.
		$PY -c '
import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "wb") as out:
    subprocess.run(sys.argv[2:], stdout=out, check=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f %d %.2f" % (time.monotonic() - t, u.ru_maxrss,
    u.ru_utime + u.ru_stime))' \
		    "$W/out" "$@" >"$W/time"
		cat "$W/time"
	done | sort -n | awk -v l="$_label" '
	    { t[NR] = $1; c[NR] = $3; if ($2 > m) m = $2 }
	    END {
	      printf "%-36s median %.2f s  (runs %s %s %s)  cpu %.2f s  peak RSS %.1f MB\n",
	        l, t[2], t[1], t[2], t[3], c[2], m / 1024
	      print t[2] >"/dev/stderr" }' 2>"$W/median"
	MEDIAN=$(cat "$W/median")
}

echo "b06-rank: $N results; machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- a database of N results (the ab-store contract's schema) ----------
configs=10
tasks=1000
per=$((N / configs / tasks))
$PY "$TOP/tests/rank/todb.py" --schema-only | sqlite3 "$W/b.db" >/dev/null
sqlite3 "$W/b.db" <<SQL
DROP INDEX results_run; DROP INDEX results_config; DROP INDEX results_task;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $N - 1),
  v(i, c, t, s, h) AS (SELECT i, i / ($tasks * $per), (i / $per) % $tasks,
    i % $per, (i * 2654435761) % 1000 FROM n)
INSERT INTO results(id, run_id, task_id, config_hash, config_name, sample,
    language, difficulty, category, verdict, passed, total, score, grade,
    success, tokens_in, tokens_out, cost_usd, latency_ms, ttft_ms, cpu_ms,
    wall_ms, peak_kb, error_kind)
SELECT printf('task-%04d/cfg-%d/%d', t, c, s), 'run-1',
    printf('task-%04d', t), printf('%064d', c), printf('cfg-%d', c), s,
    CASE t % 5 WHEN 0 THEN 'python' WHEN 1 THEN 'javascript' WHEN 2 THEN 'c'
      WHEN 3 THEN 'cpp' ELSE 'bash' END,
    CASE t % 4 WHEN 0 THEN 'easy' WHEN 1 THEN 'medium' WHEN 2 THEN 'hard'
      ELSE 'extreme' END,
    CASE t % 7 WHEN 0 THEN 'algorithms' WHEN 1 THEN 'strings'
      WHEN 2 THEN 'data-structures' WHEN 3 THEN 'parsing'
      WHEN 4 THEN 'numerics' WHEN 5 THEN 'bug-fixing' ELSE 'edge-cases' END,
    CASE WHEN h < 900 - 60 * c - 40 * (t % 4) THEN 'ok'
      WHEN h % 3 = 0 THEN 'runtime_error' ELSE 'wrong_answer' END,
    CASE WHEN h < 900 - 60 * c - 40 * (t % 4) THEN 10 ELSE h % 10 END, 10,
    CASE WHEN h < 900 - 60 * c - 40 * (t % 4) THEN 80 + h % 20
      ELSE h % 70 END,
    CASE WHEN h < 900 - 60 * c - 40 * (t % 4) THEN 'A' ELSE 'D' END,
    1, 300 + h, 100 + h % 500, (300 + h) * 1e-6 + (100 + h % 500) * 4e-6,
    500 + h * 2.5, 100 + h * 0.5, 12.5, 40.0, 9000, NULL
FROM v;
COMMIT;
CREATE INDEX results_run ON results(run_id);
CREATE INDEX results_config ON results(config_hash);
CREATE INDEX results_task ON results(task_id);
INSERT INTO runs(id, started) VALUES ('run-1', '2026-01-01T00:00:00Z');
INSERT INTO tasks(id, suite, language, difficulty, category)
    SELECT task_id, 'core', max(language), max(difficulty), max(category)
    FROM results GROUP BY task_id;
INSERT INTO configs(hash, name, json) SELECT DISTINCT config_hash,
    config_name, '{}' FROM results;
SQL
rows=$(sqlite3 "$W/b.db" 'SELECT count(*) FROM results')
echo "database: $rows results, $(du -m "$W/b.db" | cut -f1) MB"
measure "leaderboard -d" "$RANK" -f ndjson -d "$W/b.db"
db=$MEDIAN
measure "leaderboard -d, -j 1" "$RANK" -j 1 -f ndjson -d "$W/b.db"
head -n 3 "$W/out" | cut -c 1-160

# ---- N records on stdin ----------------------------------------------------
$PY "$TOP/tests/rank/gen.py" --configs 5 --tasks 200 --samples 10 \
    --code 600 >"$W/10k.ndjson"
i=0
reps=$((N / 10000))
while [ $i -lt "$reps" ]; do cat "$W/10k.ndjson"; i=$((i + 1)); done \
    >"$W/n.ndjson"
echo "records: $(wc -l <"$W/n.ndjson") lines, $(du -m "$W/n.ndjson" | cut -f1) MB"
measure "leaderboard < $N records" sh -c "exec '$RANK' -f ndjson <'$W/n.ndjson'"
st=$MEDIAN
measure "leaderboard < $N records, -j 1" sh -c "exec '$RANK' -j 1 -f ndjson <'$W/n.ndjson'"
head -n "$((N / 10))" "$W/n.ndjson" >"$W/tenth.ndjson"
measure "leaderboard < $((N / 10)) records" sh -c "exec '$RANK' -f ndjson <'$W/tenth.ndjson'"
echo "(memory: the same configurations and tasks at a tenth of the records)"
awk -v db="$db" -v st="$st" 'BEGIN {
	printf "target: database <= 1 s: %s (%.2f s); stdin <= 5 s: %s (%.2f s)\n",
	    (db <= 1 ? "met" : "MISSED"), db, (st <= 5 ? "met" : "MISSED"), st }'
