#!/bin/sh
# The examples of the man pages run, as the README's do (t0004): every
# .Bd -literal block after a `.\" example` comment line, with the "$ "
# prompts taken off, runs with sh -e in a scratch directory that has the
# tree's tasks/, configs/ and share/, and the files the examples read
# (answers.ndjson, results.ndjson, run.ndjson: the oracle's and the poor
# agent's attempts on the starter suite), succeeds, and prints something
# (a dry run prints on stderr) or writes what it redirects to.  Unmarked blocks need a model or a
# network (ab-gen's ollama example) and only illustrate.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-exec.sh"
cd "$T" || exit 1
export AB_TASKS="$TOP/tasks" XDG_CACHE_HOME="$T/cache"
export CEREBRAS_API_KEY=not-a-real-key OPENAI_API_KEY=not-a-real-key \
    ANTHROPIC_API_KEY=not-a-real-key GROQ_API_KEY=not-a-real-key
ln -s "$TOP/tasks" "$TOP/configs" "$TOP/share" .

# man_runnable PAGE: one file per marked block, ex-PAGE-N.sh, listed.
for page in "$TOP"/share/man/man[157]/*.[157]; do
	awk -v dir="$T" -v base="$(basename "$page")" '
	/^\.\\" example/ { want = 1; next }
	want && /^\.Bd -literal/ { n++; f = dir "/ex-" base "-" n ".sh"
		print f >> (dir "/list"); want = 0; next }
	f != "" && /^\.Ed/ { close(f); f = ""; next }
	f != "" { sub(/^\$ /, ""); gsub(/\\e/, "\\"); print > f }
	' "$page"
done
check "the man pages mark examples to run" test -s list
grep -q 'ab-exec\|ab-score' ex-*.sh 2>/dev/null && need_sandbox

# What the examples read.
must ab-gen -q -c configs/offline/oracle.json -c configs/offline/poor.json \
    tasks/starter.ndjson >answers.ndjson
# (ab-extract exits 1: the poor agent's answers hold no code, as meant)
must -s 1 ab-extract answers.ndjson >extracted-in.ndjson
must ab-exec -j 2 extracted-in.ndjson >results.ndjson
# ab-score's third example takes its baseline from a configuration "ref".
jq -c 'if .config.name == "oracle" then .config.name = "ref" else . end' \
    results.ndjson >run.ndjson

while read -r f; do
	name=$(basename "$f" .sh)
	name=${name#ex-}
	rm -f "$T/out"
	run sh -e "$f"
	# 1: done, some records failed (the poor agent's, on purpose)
	case $rc in
	0|1) ok "man example $name runs (exit $rc)" ;;
	*) not_ok "man example $name runs (exit $rc)"; diag "$(head -c 1000 "$T/err")" ;;
	esac
	# What it printed, or the file it wrote with "> FILE".
	w=$(sed -n 's/.*> *\([A-Za-z0-9._-]*\) *$/\1/p' "$f" | tail -n 1)
	if [ -n "$w" ]; then
		check "man example $name writes $w" test -s "$w"
	else
		check "man example $name prints something" \
		    test -s "$T/out" -o -s "$T/err"
	fi
done <list
done_testing
