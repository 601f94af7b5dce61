#!/bin/sh
# b08-serve: the leaderboard endpoint of ab-rank --serve against the
# command line's time for the same view, over a database of 1 000 000
# results (target: median latency <= 1.5 x the command line's), uncached
# (AB_RANK_NO_CACHE=1) and cached; the dashboard's first requests (the
# page and the leaderboard) on 100 000 results (target < 1 s); the server's
# peak RSS.  Medians of 5.  Environment: B08_RESULTS (default 1000000).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
RANK=$TOP/bin/ab-rank
N=${B08_RESULTS:-1000000}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
W=$(mktemp -d "${TMPDIR:-/tmp}/b08-serve.XXXXXX")
SRV=
trap '[ -z "$SRV" ] || kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
command -v sqlite3 >/dev/null || { echo "b08-serve: sqlite3 CLI missing"; exit 1; }
command -v curl >/dev/null || { echo "b08-serve: curl missing"; exit 1; }

# makedb FILE N: N results of 10 configurations x 1000 tasks, as b06-rank
# builds them.
makedb() {
	_per=$(( $2 / 10 / 1000 ))
	$PY "$TOP/tests/rank/todb.py" --schema-only | sqlite3 "$1" >/dev/null
	sqlite3 "$1" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
DROP INDEX results_run; DROP INDEX results_config; DROP INDEX results_task;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $2 - 1),
  v(i, c, t, s, h) AS (SELECT i, i / (1000 * $_per), (i / $_per) % 1000,
    i % $_per, (i * 2654435761) % 1000 FROM n)
INSERT INTO results(id, run_id, task_id, config_hash, config_name, sample,
    language, difficulty, category, verdict, passed, total, score, grade,
    success, tokens_in, tokens_out, cost_usd, latency_ms, ttft_ms, cpu_ms,
    wall_ms, peak_kb, error_kind)
SELECT printf('task-%04d/cfg-%d/%d', t, c, s), 'run-1',
    printf('task-%04d', t), printf('%064d', c), printf('cfg-%d', c), s,
    'python', CASE t % 4 WHEN 0 THEN 'easy' WHEN 1 THEN 'medium'
      WHEN 2 THEN 'hard' ELSE 'extreme' END, 'algorithms',
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
INSERT INTO tasks(id, hash, suite, language, difficulty, category, json)
    SELECT task_id, '', 'core', max(language), max(difficulty),
    max(category), '{}' FROM results GROUP BY task_id;
INSERT INTO configs(hash, name, json) SELECT DISTINCT config_hash,
    config_name, '{}' FROM results;
SQL
}

# median CMD...: the median of 5 wall times (seconds) of CMD.
median() {
	for _i in 1 2 3 4 5; do
		$PY -c '
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print("%.4f" % (time.monotonic() - t))' "$@"
	done | sort -n | sed -n 3p
}

# serve DB [ENV]: start a server, set SRV and URL.
serve() {
	env ${2:-X=} "$RANK" --serve 0 "$1" 2>"$W/srv.err" &
	SRV=$!
	for _i in $(seq 100); do
		PORT=$(sed -n 's|.*:\([0-9][0-9]*\)/$|\1|p' "$W/srv.err")
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	URL=http://127.0.0.1:$PORT
}
stop() { kill $SRV; wait $SRV || true; SRV=; }

echo "b08-serve: $N results; machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
makedb "$W/b.db" "$N"
echo "database: $(sqlite3 "$W/b.db" 'SELECT count(*) FROM results') results"
cli=$(median "$RANK" -f ndjson -d "$W/b.db")
serve "$W/b.db" AB_RANK_NO_CACHE=1
curl -sf "$URL/api/leaderboard" >"$W/api.out"
"$RANK" -f ndjson -d "$W/b.db" >"$W/cli.out"
cmp -s "$W/api.out" "$W/cli.out" || { echo "b08-serve: the endpoint differs from the command line"; exit 1; }
api=$(median curl -sf -o /dev/null "$URL/api/leaderboard")
rss=$(awk '/VmHWM/ { print $2 }' /proc/$SRV/status)
stop
serve "$W/b.db"
curl -sf -o /dev/null "$URL/api/leaderboard"
cached=$(median curl -sf -o /dev/null "$URL/api/leaderboard")
stop
awk -v c="$cli" -v a="$api" -v h="$cached" -v r="$rss" 'BEGIN {
	printf "leaderboard, command line        median %.3f s\n", c
	printf "leaderboard, endpoint (uncached) median %.3f s  ratio %.2f\n", a, a / c
	printf "leaderboard, endpoint (cached)   median %.4f s\n", h
	printf "server peak RSS %.1f MB\n", r / 1024
	printf "target: endpoint <= 1.5 x command line: %s\n", (a <= 1.5 * c ? "met" : "MISSED") }'

# The dashboard's first requests on 100 000 results, uncached: the page,
# then the leaderboard it draws first (the network part of its first
# paint; the first paint itself, in Chromium, is b09-dash's).
makedb "$W/s.db" 100000
serve "$W/s.db" AB_RANK_NO_CACHE=1
first=$(median sh -c "curl -sf -o /dev/null '$URL/' && curl -sf -o /dev/null '$URL/api/leaderboard'")
stop
awk -v f="$first" 'BEGIN {
	printf "dashboard first requests (page + leaderboard), 100000 results: median %.3f s\n", f
	printf "target: < 1 s: %s\n", (f < 1 ? "met" : "MISSED") }'
