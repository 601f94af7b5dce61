#!/bin/sh
# ci.sh - a CI gate: benchmark one configuration, store the run, and compare
# it with the stored baseline (the latest earlier run of the same
# configuration, or --baseline RUN); fail when ab-rank finds a significant
# regression.
#
# usage: examples/ci.sh CONFIG TASKS DB [BASELINE-RUN]
# Exit status: 0 no significant regression (or no baseline yet: this run
# becomes it), 1 a significant regression, 2 the benchmark itself failed.
# The regression report is written to standard output (a table), and as
# JUnit XML to $JUNIT when that is set, for CI systems that show it.
# Environment: RUN (this run's id, default ci-<UTC time>), SAMPLES
# (default 1), SCORE_FLAGS (extra ab-score options).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
AB_SHARE=${AB_SHARE:-$top/share/ab}
AB_TASKS=${AB_TASKS:-$top/tasks}
export PATH AB_SHARE AB_TASKS
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
	echo "usage: ci.sh config tasks db [baseline-run]" >&2
	exit 2
fi
config=$1 tasks=$2 db=$3
run=${RUN:-ci-$(date -u +%Y%m%dT%H%M%SZ)}

# shellcheck disable=SC2086
ab-gen -r "$run" -n "${SAMPLES:-1}" -c "$config" "$tasks" |
	ab-extract | ab-exec | ab-score ${SCORE_FLAGS:-} |
	ab-store -d "$db" >/dev/null
if ! ab-store -d "$db" show "$run" >/dev/null 2>&1; then
	echo "ci: run $run was not stored" >&2
	exit 2
fi

set -- -d "$db" --run "$run"
[ -n "${4:-}" ] && set -- "$@" --baseline "$4"
if [ -n "${JUNIT:-}" ]; then
	ab-rank "$@" -f junit -o "$JUNIT" regress
fi
ab-rank "$@" -f table regress
case $? in
0) echo "ci: $run: no significant regression" >&2; exit 0 ;;
3) echo "ci: $run: significant regression against the baseline" >&2; exit 1 ;;
*) echo "ci: ab-rank failed" >&2; exit 2 ;;
esac
