#!/bin/sh
# build.sh - assemble the task files tasks/*.ndjson from their sources.
#
# Each task is a directory tasks/src/ID/ holding task.json (the task without
# its solutions), reference.EXT (the reference solution) and mutant-N.EXT
# (plausible wrong solutions its tests must reject).  In task.json a member
# NAME_file (at any depth) is replaced by NAME with that file's contents,
# so long test code, inputs and starter code can live in their own files.
# A task whose suite is "starter" goes to tasks/starter.ndjson, every other
# task to tasks/LANGUAGE.ndjson; tasks are in directory order.
#
# usage: tasks/build.sh [-c]
#   -c  check only: exit 1 if a committed task file differs from its sources
set -eu
here=$(cd "$(dirname "$0")" && pwd)
check=0
case ${1:-} in
-c) check=1 ;;
'') ;;
*) echo "usage: tasks/build.sh [-c]" >&2; exit 2 ;;
esac
out=$(mktemp -d "${TMPDIR:-/tmp}/ab-tasks.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

for d in "$here"/src/*/; do
	id=$(basename "$d")
	# Every file of the task as one object {name: contents}.
	(cd "$d" && for f in *; do
		[ "$f" = task.json ] && continue
		jq -Rs --arg n "$f" '{($n): .}' "$f"
	done) | jq -s 'add // {}' >"$out/files.json"
	jq -c --arg dir "$id" --slurpfile files "$out/files.json" '
		$files[0] as $f
		| def inline:
			if type == "object" then
				with_entries(
				    if (.key | endswith("_file")) then
					.value as $n
					| if ($f | has($n)) then
						{key: (.key | rtrimstr("_file")),
						 value: $f[$n]}
					  else error("\($dir): no file \($n)") end
				    else .value |= inline end)
			elif type == "array" then map(inline)
			else . end;
		if .id != $dir then error("\($dir): id is \(.id)") else . end
		| inline
		| ([$f | keys[] | select(startswith("reference."))]) as $r
		| if ($r | length) != 1 then
			error("\($dir): needs exactly one reference.EXT") else . end
		| .reference = $f[$r[0]]
		| .mutants = [$f | keys[] | select(startswith("mutant-"))
		      | $f[.]]
		' "$d/task.json" >"$out/task.json"
	name=$(jq -r 'if .suite == "starter" then "starter"
	    else .language end' "$out/task.json")
	cat "$out/task.json" >>"$out/$name.ndjson"
done
rm -f "$out/files.json" "$out/task.json"

status=0
if [ "$check" = 1 ]; then
	for f in "$out"/*.ndjson; do
		n=$(basename "$f")
		if ! cmp -s "$f" "$here/$n"; then
			echo "tasks/$n: out of date with tasks/src (run tasks/build.sh)" >&2
			status=1
		fi
	done
	for f in "$here"/*.ndjson; do
		[ -f "$f" ] || continue
		n=$(basename "$f")
		if [ ! -f "$out/$n" ]; then
			echo "tasks/$n: no task in tasks/src belongs here" >&2
			status=1
		fi
	done
	exit $status
fi
rm -f "$here"/*.ndjson
for f in "$out"/*.ndjson; do
	cp "$f" "$here/$(basename "$f")"
done
