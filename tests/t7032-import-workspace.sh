#!/bin/sh
# The workspace importers on samples written in their formats: Harbor
# (Terminal-Bench) task directories and SWE-bench instances over a local
# repository.  Imported tasks validate; those a host cannot serve are
# named with the reason; references pass under ab-exec, empty and wrong
# answers fail.
. "$(dirname "$0")/lib.sh"
I=$TOP/share/ab/import
D=$TOP/tests/data/import
V=$TOP/share/ab/validate-task
command -v git >/dev/null 2>&1 || skip_all "git is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
cd "$T" || exit 1
# Grading needs the sandbox (decided from the environment; make check's
# quick lane runs none).
nosandbox=$(sandbox_missing)

# ---- Harbor
run "$I/harbor" "$D/harbor/count-words" "$D/harbor/needs-docker"
expect_rc 1 "harbor: a task it cannot serve makes the status 1"
cp "$T/out" harbor.ndjson
check "harbor: one task imported" test "$(wc -l <harbor.ndjson)" -eq 1
expect_text "$T/err" "harbor: $D/harbor/needs-docker: cannot import: Dockerfile line 3: RUN pip install flask==3.0.0 (ab does not build Dockerfiles)" \
    "harbor: says plainly which task it cannot import, and why"
run "$V" harbor.ndjson
expect_rc 0 "harbor: the task validates"
expect_jq harbor.ndjson '.[0] | .id == "tb-count-words" and .kind == "workspace"
    and .difficulty == "easy" and .grading.time_limit_ms == 60000
    and .agent_limits == {"wall_ms": 300000, "memory_mb": 512, "disk_mb": 1024}
    and [.workspace.files[].path] == ["src/input.txt"]
    and [.grading.files[].path] == ["ab-tests/test.sh"]
    and (.prompt | contains("/work/count.sh")) and (.grading.files[0].text | contains("/work/ab-logs/verifier/reward.txt"))
    and (.solution.script | contains("/work/count.sh"))' \
    "harbor: workspace from the Dockerfile's COPY, tests hidden, paths rewritten, limits kept"
run "$I/harbor" "$D/harbor/nope"
expect_rc 1 "harbor: a missing directory"
expect_contains "$T/err" "cannot import: not a directory" "harbor: ... said so"
run "$I/harbor"
expect_rc 2 "harbor: no operand is a usage error"

# ---- SWE-bench
mkdir repo && cp -R "$D/swebench/repo/." repo/ && (
	cd repo && git init -q && git add -A &&
	git -c user.name=u -c user.email=e commit -qm base
) >/dev/null 2>&1
base=$(git -C repo rev-parse HEAD)
# A hook and a configuration that would run commands: none may.
git -C repo config core.fsmonitor "touch $T/pwned; false"
mkdir -p repo/.git/hooks && printf '#!/bin/sh\ntouch %s/pwned\n' "$T" >repo/.git/hooks/post-checkout &&
    chmod +x repo/.git/hooks/post-checkout
jq -n -c --arg base "$base" --rawfile gold "$D/swebench/gold.patch" \
    --rawfile tp "$D/swebench/test.patch" '
	{instance_id: "sample__mathlib-1", repo: "sample/mathlib", base_commit: $base,
	 patch: $gold, test_patch: $tp,
	 problem_statement: "mean() is wrong: mean([1, 2, 3, 6]) is 4, not 3; and mean([]) should raise ValueError.",
	 FAIL_TO_PASS: "[\"test_mean (tests.test_ops.OpsTest)\", \"tests/test_ops.py::OpsTest::test_mean_empty\"]",
	 PASS_TO_PASS: "[\"tests/test_ops.py::OpsTest::test_add\"]"},
	{instance_id: "sample__mathlib-2", repo: "sample/mathlib", base_commit: "0123456789abcdef0123456789abcdef01234567",
	 patch: $gold, test_patch: $tp, problem_statement: "x",
	 FAIL_TO_PASS: ["a"], PASS_TO_PASS: []}' >inst.jsonl
run "$I/swebench" -r repo inst.jsonl
expect_rc 1 "swebench: an instance it cannot import makes the status 1"
cp "$T/out" swe.ndjson
check "swebench: one task imported" test "$(wc -l <swe.ndjson)" -eq 1
expect_text "$T/err" "swebench: inst.jsonl:2: sample__mathlib-2: base_commit 0123456789abcdef0123456789abcdef01234567 is not in repo" \
    "swebench: the bad instance named with file, line and reason"
check "swebench: no command of the repository ran" test ! -e pwned
run "$V" swe.ndjson
expect_rc 0 "swebench: the task validates"
expect_jq swe.ndjson '.[0] | .id == "swe-sample__mathlib-1"
    and .workspace.git.base == "'"$base"'" and (.workspace.git.repo | endswith("/repo"))
    and ([.grading.files[].path] == ["tests/test_ops.py", "ab-swe/run_tests.py"])
    and (.grading.files[0].text | contains("def test_mean_empty"))
    and .grading.results == "tap"
    and (.grading.command | contains("tests.test_ops.OpsTest.test_mean") and contains("tests.test_ops.OpsTest.test_add"))
    and (.solution.patch | startswith("diff --git"))' \
    "swebench: base commit, test files after the test patch, FAIL_TO_PASS and PASS_TO_PASS run"
run "$I/swebench" inst.jsonl
expect_rc 2 "swebench: no repository is a usage error"

[ -z "$nosandbox" ] || skip_env "grading: no sandbox here: $nosandbox"
jq -c --rawfile wrong "$D/swebench/wrong.patch" '.mutants = [$wrong]' swe.ndjson >swe2.ndjson
cat harbor.ndjson swe2.ndjson >all.ndjson
sh "$TOP/tests/ws-records.sh" all.ndjson >recs.ndjson
run nice ab-exec recs.ndjson
expect_rc 0 "ab-exec grades the imported tasks"
cp "$T/out" exec.ndjson
expect_jq exec.ndjson '[.[] | {key: .id, value: .exec.verdict}] | from_entries == {
    "tb-count-words/reference/0": "ok", "tb-count-words/nothing/0": "wrong_answer",
    "swe-sample__mathlib-1/reference/0": "ok", "swe-sample__mathlib-1/nothing/0": "wrong_answer",
    "swe-sample__mathlib-1/wrong-1/0": "wrong_answer"}' \
    "references pass; the empty answer and the wrong patch fail"
expect_jq exec.ndjson '[.[] | select(.id == "swe-sample__mathlib-1/wrong-1/0") | .exec.tests[] | [.name, .verdict]]
    == [["tests.test_ops.OpsTest.test_mean", "ok"], ["tests.test_ops.OpsTest.test_mean_empty", "wrong_answer"],
        ["tests.test_ops.OpsTest.test_add", "ok"]]' "swebench: per-test results of the wrong patch"
done_testing
