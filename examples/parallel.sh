#!/bin/sh
# parallel.sh - fan a benchmark out with GNU parallel and merge the results
# into one database.
#
# usage: examples/parallel.sh cores CONFIG TASKS DB [JOBS]
#        examples/parallel.sh hosts HOSTS CONFIG TASKS DB
#
# cores: the task stream is cut into chunks of 4 tasks (parallel --pipe);
# JOBS chunks (default: the number of cores) go through ab-gen, ab-extract,
# ab-exec and ab-score at once, and one ab-store writes every record into
# DB, so the database has a single writer.
#
# hosts: the same, the chunks sent over ssh to the hosts in HOSTS (GNU
# parallel's --sshlogin syntax: "4/alice@gpu1,bob@gpu2", ":" is this
# machine).  Each host needs ab installed (on its PATH, with its data
# directory) and its own API keys in its environment; records come back on
# stdout and are stored here.  Chunks are kept in input order.
#
# Environment: RUN (the run id, default parallel), CHUNK (tasks per chunk,
# default 4), STAGE_FLAGS_EXEC, STAGE_FLAGS_SCORE (extra options).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
AB_SHARE=${AB_SHARE:-$top/share/ab}
AB_TASKS=${AB_TASKS:-$top/tasks}
export PATH AB_SHARE AB_TASKS
run=${RUN:-parallel}
chunk=${CHUNK:-4}

usage() {
	echo "usage: parallel.sh cores config tasks db [jobs]" >&2
	echo "       parallel.sh hosts hosts config tasks db" >&2
	exit 2
}
command -v parallel >/dev/null 2>&1 || {
	echo "parallel.sh: GNU parallel is needed" >&2
	exit 2
}
mode=${1:-}
case $mode in
cores)
	[ $# -ge 4 ] || usage
	config=$2 tasks=$3 db=$4
	jobs=${5:-$(nproc)}
	where="-j $jobs"
	;;
hosts)
	[ $# -eq 5 ] || usage
	hosts=$2 config=$3 tasks=$4 db=$5
	where="--sshlogin $hosts --env PATH --env AB_SHARE --env AB_TASKS"
	;;
*)
	usage
	;;
esac
case $config in
/*) ;;
*) config=$PWD/$config ;;
esac

# The command each job runs on its chunk of tasks (on stdin).  The quoting
# is for the remote shell: the configuration path must exist there too.
# Several ab-exec at once: let the kernel place them (--no-pin), rather
# than each keeping to the CPU it started on.
job="ab-gen -r '$run' -c '$config' | ab-extract | ab-exec --no-pin ${STAGE_FLAGS_EXEC:-} | ab-score ${STAGE_FLAGS_SCORE:-}"
# shellcheck disable=SC2086
grep -v '^[[:space:]]*$' "$tasks" |
	parallel --will-cite --pipe -N "$chunk" --keep-order $where "$job" |
	ab-store -d "$db" >/dev/null
