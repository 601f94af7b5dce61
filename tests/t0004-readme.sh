#!/bin/sh
# Every example in README.md (a ```sh block after an "<!-- example: NAME -->"
# line) runs, in order, from the top of the source tree, and succeeds.
# Those that grade (ab-exec, ab-run) need the sandbox, and the later ones
# read what they wrote: without a sandbox none runs (as t0006).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-exec.sh"
cd "$TOP" || exit 1
export AB_TASKS="$TOP/tasks" XDG_CACHE_HOME="$T/cache"

awk -v dir="$T" '
/^<!-- example: / { name = $3; next }
name != "" && /^```sh/ { f = dir "/ex-" name ".sh"; print name >> (dir "/list"); next }
f != "" && /^```/ { close(f); f = ""; name = ""; next }
f != "" { print > f }
' README.md
check "README.md has examples" test -s "$T/list"
grep -q 'ab-exec\|ab-run' "$T"/ex-*.sh 2>/dev/null && need_sandbox
while read -r name; do
	# The README writes its scratch files to /tmp/ab-readme.*: point them
	# at this test's directory instead.
	sed "s|/tmp/ab-readme|$T/ab-readme|g" "$T/ex-$name.sh" >"$T/run-$name.sh"
	run sh -e "$T/run-$name.sh"
	expect_rc 0 "README example '$name' runs"
	check "README example '$name' prints something" test -s "$T/out"
done <"$T/list"
expect_contains "$T/ab-readme.ndjson" '"score"' "the README pipeline wrote scored records"
done_testing
