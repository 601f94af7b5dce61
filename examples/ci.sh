#!/bin/sh
# ci.sh - a CI gate: benchmark one configuration, compare the run with the
# stored baseline, and fail when ab-rank finds a significant regression.
#
# usage: examples/ci.sh CONFIG TASKS BASELINE [DB]
#
# BASELINE is a records file (NDJSON, as ab-score writes them and
# "ab-store export RUN" gives them back), kept between CI runs as an
# artifact or in the repository.  When it does not exist yet, this run
# becomes the baseline.  ab-rank compares the attempts of the two runs on
# the same tasks for the same configuration (same config.hash): what
# changed is what the configuration points at (a model behind the same
# name, an agent program, the toolchain).  With DB, the run is also stored
# in that ab-store database.  With PROMOTE=1, a run without a regression
# replaces the baseline.
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
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
	echo "usage: ci.sh config tasks baseline [db]" >&2
	exit 2
fi
config=$1 tasks=$2 baseline=$3 db=${4:-}
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
if [ -n "$db" ] && ! ab-store -d "$db" "$tmp/current.ndjson" >/dev/null; then
	echo "ci: $run: could not store the run in $db" >&2
	exit 2
fi
if [ ! -s "$baseline" ]; then
	cp "$tmp/current.ndjson" "$baseline" || exit 2
	echo "ci: $run: no baseline yet: this run is the baseline now" >&2
	exit 0
fi
base=$(head -n 1 "$baseline" | jq -r '.run // empty')
if [ -z "$base" ]; then
	echo "ci: $baseline: not a records file" >&2
	exit 2
fi

cat "$baseline" "$tmp/current.ndjson" >"$tmp/both.ndjson"
if [ -n "${JUNIT:-}" ]; then
	# shellcheck disable=SC2086
	ab-rank --run "$run" --baseline "$base" ${RANK_FLAGS:-} -f junit \
	    -o "$JUNIT" regress "$tmp/both.ndjson"
fi
# shellcheck disable=SC2086
ab-rank --run "$run" --baseline "$base" ${RANK_FLAGS:-} -f table regress \
    "$tmp/both.ndjson"
case $? in
0)
	echo "ci: $run: no significant regression against $base" >&2
	if [ "${PROMOTE:-}" = 1 ]; then
		cp "$tmp/current.ndjson" "$baseline" || exit 2
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
