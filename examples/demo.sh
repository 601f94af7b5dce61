#!/bin/sh
# demo.sh - ab's demo (make demo): the six stages on the starter suite,
# offline, with two subjects that need no network and no key: "oracle",
# which answers with each task's reference solution, and "poor", which
# answers with plausible wrong solutions.  Records go into a temporary
# database; the leaderboard is printed at the end, the oracle first.
#
# usage: examples/demo.sh
# Environment: AB_DEMO_TASKS (task file, default tasks/starter.ndjson),
# AB_DEMO_DIR (keep the records and database there instead of a temporary
# directory), AB_DEMO_JOBS (parallel runs, default 2), AB_SCORE_FLAGS
# (extra ab-score options).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
AB_SHARE=${AB_SHARE:-$top/share/ab}
AB_TASKS=${AB_TASKS:-$top/tasks}
export PATH AB_SHARE AB_TASKS
tasks=${AB_DEMO_TASKS:-$top/tasks/starter.ndjson}
jobs=${AB_DEMO_JOBS:-2}
if [ -n "${AB_DEMO_DIR:-}" ]; then
	dir=$AB_DEMO_DIR
	mkdir -p "$dir" || exit 2
	rm -f "$dir/demo.db" "$dir/demo.db-wal" "$dir/demo.db-shm"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ab-demo.XXXXXX") || exit 2
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 2' INT TERM
fi

n=$(grep -c . "$tasks")
echo "ab demo: $n tasks from ${tasks#"$top"/}, subjects oracle and poor (offline)" >&2
# One pipeline, six stages; each stage adds its member to every record.
# shellcheck disable=SC2086
ab-gen -r demo -j "$jobs" -c "$top/configs/offline/oracle.json" \
    -c "$top/configs/offline/poor.json" "$tasks" |
	ab-extract |
	ab-exec -j "$jobs" |
	ab-score ${AB_SCORE_FLAGS:-} |
	ab-store -d "$dir/demo.db" >"$dir/records.ndjson"
# A stage exits 1 when some records failed: they are data, and counted.
if [ ! -s "$dir/records.ndjson" ]; then
	echo "demo: the pipeline produced no records" >&2
	exit 1
fi
ab-rank -d "$dir/demo.db" -f table leaderboard
