# lookup.sh - shared by the offline demo agents (sourced, not run).
# ab_task_line ID: print the task with that id, as one JSON line, from the
# task files named by $AB_TASKS (colon-separated files or directories; a
# directory means its *.ndjson files).  Without $AB_TASKS: ./tasks, then
# the tasks beside the data directory ($AB_SHARE/tasks when installed,
# the source tree's tasks/ otherwise), so the demo agents work from any
# directory.  Status 1 and a one-line message on stderr when it is not
# found.

ab_task_line() {
	_id=$1
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
	set --
	for _p in $_where; do
		IFS=$_old_ifs
		if [ -d "$_p" ]; then
			for _f in "$_p"/*.ndjson; do
				[ -f "$_f" ] && set -- "$@" "$_f"
			done
		elif [ -f "$_p" ]; then
			set -- "$@" "$_p"
		fi
	done
	IFS=$_old_ifs
	# The first task with that id, in the files' order: grep keeps only
	# the lines holding the id's text, so one jq parses a few lines, not
	# the files (a line that is not JSON is passed over).
	_found=
	[ $# -gt 0 ] && _found=$(grep -h -F -- "$_id" "$@" |
	    jq -R -c --arg id "$_id" 'fromjson? |
	    select(type == "object" and .id == $id)' 2>/dev/null | head -n 1)
	if [ -z "$_found" ]; then
		printf '%s: task %s not found in %s (set AB_TASKS)\n' \
		    "${0##*/}" "$_id" "$_where" >&2
		return 1
	fi
	printf '%s\n' "$_found"
}

# The prompt arrives on stdin too; read it so the writer never blocks.
ab_drain_stdin() {
	[ -t 0 ] || cat >/dev/null
}
