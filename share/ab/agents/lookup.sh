# lookup.sh - shared by the offline demo agents (sourced, not run).
# ab_task_jq ID FILTER [JQ-ARGS...]: print what the jq FILTER (jq -r, with
# JQ-ARGS) makes of the task with that id, from the task files named by
# $AB_TASKS (colon-separated files or directories; a directory means its
# *.ndjson files).  Without $AB_TASKS: ./tasks, then the tasks beside the
# data directory ($AB_SHARE/tasks when installed, the source tree's
# tasks/ otherwise), so the demo agents work from any directory.  Status
# 1 and a one-line message on stderr when it is not found.  One jq finds
# the task and answers (a jq start is some 20 ms).

ab_task_jq() {
	_id=$1 _filter=$2
	shift 2
	_old_ifs=$IFS
	IFS=:
	_where=${AB_TASKS:-}
	if [ -z "$_where" ]; then
		_here=$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)
		_where=tasks
		for _d in "${AB_SHARE:-$_here}/tasks" "${AB_SHARE:-$_here}/../../tasks"; do
			[ -d "$_d" ] && _where="$_where:$_d"
		done
	fi
	# The files, one a line ("$@" holds the jq arguments).
	_files=
	for _p in $_where; do
		IFS=$_old_ifs
		if [ -d "$_p" ]; then
			for _f in "$_p"/*.ndjson; do
				[ -f "$_f" ] && _files="$_files$_f
"
			done
		elif [ -f "$_p" ]; then
			_files="$_files$_p
"
		fi
	done
	IFS=$_old_ifs
	# The first task with that id, in the files' order: grep keeps only
	# the lines holding the id's text, so jq parses a few lines, not the
	# files (a line that is not JSON is passed over).
	{ if [ -n "$_files" ]; then
		IFS='
'
		set -f
		# shellcheck disable=SC2086 # split on newlines only
		grep -h -F -- "$_id" $_files
		set +f
		IFS=$_old_ifs
	fi; } | jq -n -R -r --arg id "$_id" --arg where "$_where" \
	    --arg me "${0##*/}" "$@" "
	[limit(1; inputs | fromjson? | select(type == \"object\" and .id == \$id))]
	| if length == 0 then
		\"\\(\$me): task \\(\$id) not found in \\(\$where) (set AB_TASKS)\\n\"
		| halt_error(1)
	  else .[0] | $_filter end"
}

# The prompt arrives on stdin too; read it so the writer never blocks.
ab_drain_stdin() {
	[ -t 0 ] || cat >/dev/null
}
