#!/bin/sh
# ci.sh - a CI gate: benchmark one configuration, store the run in an
# ab-store database, compare it with the baseline run stored there, and
# fail when ab-rank finds a significant regression.
#
# usage: examples/ci.sh CONFIG TASKS DB
#
# DB is an ab-store database (created when missing), kept between CI runs
# as an artifact or on a shared disk.  Every run is stored in it, passed
# or failed, so that "ab-rank -d DB trends" shows the history.  The
# baseline is the latest run whose notes are "ci baseline" and that holds
# one of this run's configurations (same config.hash); when there is none
# yet, this run becomes the baseline.  ab-rank compares the attempts of
# the two runs on the same tasks for the same configuration: what changed
# is what the configuration points at (a model behind the same name, an
# agent program, the toolchain).  With PROMOTE=1, a run without a
# regression becomes the baseline (the former one's notes then say until
# when it was).
#
# Exit status: 0 no significant regression (or a first run), 1 a
# significant regression, 2 the benchmark itself failed.  The regression
# report goes to standard output as a table, and as JUnit XML to $JUNIT when
# that is set, for CI systems that display it.
# Environment: RUN (this run's id, default ci-<UTC time>), SAMPLES
# (default 1), SCORE_FLAGS (extra ab-score options), PROMOTE, RANK_FLAGS
# (extra ab-rank options: on a shared machine, or for a local agent whose
# speed is not the point, "--cost-thresholds 1000,2000,5000" keeps cost and
# latency changes under 10x from counting as regressions).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
AB_SHARE=${AB_SHARE:-$top/share/ab}
AB_TASKS=${AB_TASKS:-$top/tasks}
export PATH AB_SHARE AB_TASKS
if [ $# -ne 3 ]; then
	echo "usage: ci.sh config tasks db" >&2
	exit 2
fi
config=$1 tasks=$2 db=$3
run=${RUN:-ci-$(date -u +%Y%m%dT%H%M%SZ)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ab-ci.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

# shellcheck disable=SC2086
ab-gen -r "$run" -n "${SAMPLES:-1}" -c "$config" "$tasks" |
	ab-extract | ab-exec | ab-score ${SCORE_FLAGS:-} >"$tmp/current.ndjson"
if [ ! -s "$tmp/current.ndjson" ]; then
	echo "ci: $run: the benchmark produced no records" >&2
	exit 2
fi
if ! ab-store -n -d "$db" "$tmp/current.ndjson"; then
	echo "ci: $run: could not store the run in $db" >&2
	exit 2
fi

# The configurations of this run, as an SQL list of their hashes (hex).
hashes=$(jq -r '.config.hash // ""' "$tmp/current.ndjson" | sort -u)
if [ -z "$hashes" ] ||
    printf '%s\n' "$hashes" | grep -qv '^[0-9a-f][0-9a-f]*$'; then
	echo "ci: $run: records without a configuration hash" >&2
	exit 2
fi
hashes=$(printf '%s\n' "$hashes" | sed "s/.*/'&'/" | paste -sd, -)
qrun=$(printf '%s' "$run" | sed "s/'/''/g")
base=$(sqlite3 -readonly "$db" "SELECT u.id FROM runs u
    WHERE u.notes = 'ci baseline' AND u.id <> '$qrun'
    AND EXISTS (SELECT 1 FROM results r WHERE r.run_id = u.id
    AND r.config_hash IN ($hashes))
    ORDER BY u.started DESC, u.rowid DESC LIMIT 1") || exit 2
if [ -z "$base" ]; then
	ab-store -d "$db" note "$run" "ci baseline" || exit 2
	echo "ci: $run: no baseline yet: this run is the baseline now" >&2
	exit 0
fi

if [ -n "${JUNIT:-}" ]; then
	# shellcheck disable=SC2086
	ab-rank -d "$db" --run "$run" --baseline "$base" ${RANK_FLAGS:-} \
	    -f junit -o "$JUNIT" regress
fi
# shellcheck disable=SC2086
ab-rank -d "$db" --run "$run" --baseline "$base" ${RANK_FLAGS:-} -f table \
    regress
case $? in
0)
	echo "ci: $run: no significant regression against $base" >&2
	if [ "${PROMOTE:-}" = 1 ]; then
		ab-store -d "$db" note "$run" "ci baseline" &&
		    ab-store -d "$db" note "$base" "ci baseline until $run" ||
		    exit 2
		echo "ci: $run is the baseline now" >&2
	fi
	exit 0
	;;
3)
	echo "ci: $run: significant regression against $base" >&2
	exit 1
	;;
*)
	echo "ci: ab-rank failed" >&2
	exit 2
	;;
esac
