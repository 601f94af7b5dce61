#!/bin/sh
# Workspace tasks (tasks/workspace.ndjson, ab-task(5) "Workspace tasks"):
# built from tasks/src/ws-*, valid, covering the languages and kinds the
# suite promises; every reference patch passes ab-extract's check and its
# hidden tests under ab-exec, and the do-nothing answer (an empty patch)
# and every wrong patch fail.
. "$(dirname "$0")/lib.sh"
V=$TOP/share/ab/validate-task
WS=$TOP/tasks/workspace.ndjson
command -v git >/dev/null 2>&1 || skip_all "git is not installed"

run "$V" "$WS"
expect_rc 0 "validate-task accepts tasks/workspace.ndjson"
jq -s -r '
	def count(f): [.[] | select(f)] | length;
	{n: length, kinds: count(.kind == "workspace"),
	 py: count(.language == "python"), js: count(.language == "javascript"),
	 c: count(.language == "c"), sh: count(.language == "bash"),
	 bugs: count(.category == "bug-fixing"), features: count(.category == "feature"),
	 refactors: count(.category == "refactoring"), builds: count(.category == "build-repair"),
	 across: count((.tags // []) | index("bug-across-modules")),
	 multi: count(.workspace.files | length >= 3),
	 per_test: count(.grading.results == "tap" or (.grading.results // "" | startswith("junit:"))),
	 hidden: count((.grading.files // []) | length > 0),
	 wrong: count((.mutants // []) | length > 0)}
	| to_entries[] | "\(.key)=\(.value)"' "$WS" >"$T/stats.sh"
. "$T/stats.sh"
check "at least 20 workspace tasks ($n)" test "$n" -ge 20 -a "$kinds" -eq "$n"
for l in py js c sh; do
	eval "v=\$$l"
	check "at least 4 in $l ($v)" test "$v" -ge 4
done
check "bugs ($bugs), features ($features), refactors ($refactors), broken builds ($builds)" \
    test "$bugs" -ge 3 -a "$features" -ge 3 -a "$refactors" -ge 3 -a "$builds" -ge 3
check "bugs across modules ($across)" test "$across" -ge 3
check "projects of several files ($multi of $n)" test "$multi" -eq "$n"
check "per-test results from every task ($per_test of $n)" test "$per_test" -eq "$n"
check "hidden tests in every task ($hidden of $n)" test "$hidden" -eq "$n"
check "a wrong patch for most tasks ($wrong)" test "$wrong" -ge 15

# Grading needs the sandbox (decided from the environment; make check's
# quick lane runs none).
why=$(sandbox_missing)
[ -z "$why" ] || skip_env "grading: no sandbox here: $why"

# The workspace example of ab-task(5) is graded with the suite.
. "$TOP/tests/suite-exec.sh"
man_examples "$TOP/share/man/man5/ab-task.5" | jq -c 'select(.kind == "workspace")' >"$T/man.ndjson"
check "ab-task(5) has a workspace example" test "$(wc -l <"$T/man.ndjson")" -eq 1
sh "$TOP/tests/ws-records.sh" "$WS" "$T/man.ndjson" >"$T/recs.ndjson"
# The references pass ab-extract's check (the patch applies to the base).
jq -c 'select(.config.name == "reference" and .task.solution.patch) | del(.extract)' \
    "$T/recs.ndjson" >"$T/refs.ndjson"
run ab-extract "$T/refs.ndjson"
expect_rc 0 "ab-extract: every reference patch applies"
expect_jq "$T/out" 'length > 0 and all(.[]; .extract.error == null and .extract.method == "patch"
    and .extract.patch == .gen.patch)' "ab-extract passes the patch on"

run nice ab-exec -j 2 "$T/recs.ndjson"
cp "$T/out" "$T/exec.ndjson"
expect_rc 0 "ab-exec grades every answer"
jq -r '.id + " " + .exec.verdict + " " + (.exec.passed | tostring) + "/" + (.exec.total | tostring)' \
    "$T/exec.ndjson" >"$T/verdicts"
while read -r id verdict counts; do
	case $id in
	*/reference/0)
		if [ "$verdict" = ok ]; then ok "$id passes ($counts)"
		else not_ok "$id passes ($verdict $counts)"
			diag "$(jq -r --arg id "$id" 'select(.id == $id) | .exec.stderr, .exec.stdout' "$T/exec.ndjson" | tail -n 20)"
		fi ;;
	*)
		if [ "$verdict" = wrong_answer ]; then ok "$id fails ($counts)"
		else not_ok "$id fails ($verdict $counts)"; fi ;;
	esac
done <"$T/verdicts"
check "one verdict per answer" test "$(wc -l <"$T/verdicts")" -eq "$(wc -l <"$T/recs.ndjson")"
expect_jq "$T/exec.ndjson" 'all(.[]; .exec.error == null and (.exec.tests | length) > 0
    and .exec.wall_ms > 0 and .exec.peak_kb > 0)' "every grading has tests, times and memory"
expect_jq "$T/exec.ndjson" 'all(.[] | select((.id | endswith("/reference/0")) and (.id | startswith("ws-ex-") | not)); .exec.passed == .exec.total
    and .exec.total >= 2)' "references: per-test results, all passed"
# Grading times, for the report.
jq -s -r '[.[] | .exec.wall_ms + .exec.setup_ms] | sort | .[length / 2 | floor]
    | "median grading time \(. | floor) ms (set-up + run)"' "$T/exec.ndjson" >"$T/median"
diag "$(cat "$T/median")"
done_testing
