#!/bin/sh
# Grading workspace answers, the edge cases: ab-extract on empty, missing
# and non-applying patches; ab-exec on a task without a workspace or a test
# command (a diagnostic, and the record goes on), a patch that does not
# apply, an answer that edits the hidden tests, a patch that reaches
# outside the tree, TAP with a short plan, JUnit with weights, a time
# limit, a symbolic link, and binary files.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null 2>&1 || skip_all "git is not installed"
cd "$T" || exit 1

# rec ID TASK-JSON PATCH: a record as ab-gen and ab-extract would make it.
rec() {
	jq -n -c --arg id "$1" --argjson task "$2" --arg patch "$3" '
	    {id: "\($id)/x/0", run: "t", task: ($task + {id: $id}), config: {name: "x"},
	     sample: 0, gen: {text: "", patch: $patch, error: null},
	     extract: {code: null, patch: $patch, language: "python", method: "patch",
	               blocks: 0, error: null}}'
}
calc='{"kind": "workspace", "language": "python", "workspace": {"files": [
  {"path": "calc.py", "text": "def add(a, b):\n    return a - b\n"}]},
  "grading": {"files": [{"path": "test_calc.py", "text": "from calc import add\nprint(\"1..2\")\nprint(\"ok 1 - two\" if add(2, 3) == 5 else \"not ok 1 - two\")\nprint(\"ok 2 - zero\" if add(0, 0) == 0 else \"not ok 2 - zero\")\n"}],
  "command": "python3 test_calc.py", "results": "tap", "weights": {"two": 3}}}'
fix='diff --git a/calc.py b/calc.py
--- a/calc.py
+++ b/calc.py
@@ -1,2 +1,2 @@
 def add(a, b):
-    return a - b
+    return a + b
'
bad='diff --git a/calc.py b/calc.py
--- a/calc.py
+++ b/calc.py
@@ -1,2 +1,2 @@
 def add(a, b):
-    return a * b
+    return a + b
'

# ---- ab-extract
{
	rec fix "$calc" "$fix"
	rec empty "$calc" ""
	rec bad "$calc" "$bad"
	rec fix "$calc" "$fix" | jq -c 'del(.gen.patch) | .id = "nopatch/x/0"'
} | jq -c 'del(.extract)' >gen.ndjson
run ab-extract gen.ndjson
expect_rc 1 "ab-extract: exit 1 when some answers fail"
cp "$T/out" ext.ndjson
expect_jq ext.ndjson '[.[] | .extract.error.kind] == [null, "no_change", "patch_failed", "no_patch"]' \
    "ab-extract: ok, no_change, patch_failed, no_patch"
expect_jq ext.ndjson '.[0].extract | .patch != null and .method == "patch" and .code == null and .language == "python"' \
    "ab-extract: the patch passed on"
expect_jq ext.ndjson '.[2].extract.error.message | contains("patch does not apply")' "ab-extract: git's reason kept"
check "ab-extract: one record out per record in" test "$(wc -l <ext.ndjson)" -eq 4

# Grading needs the sandbox (decided from the environment; make check's
# quick lane runs none).
why=$(sandbox_missing)
[ -z "$why" ] || skip_env "grading: no sandbox here: $why"

# ---- ab-exec
cheat='diff --git a/test_calc.py b/test_calc.py
new file mode 100644
--- /dev/null
+++ b/test_calc.py
@@ -0,0 +1,3 @@
+print("1..2")
+print("ok 1 - two")
+print("ok 2 - zero")
'
escape='diff --git a/../../escaped b/../../escaped
new file mode 100644
--- /dev/null
+++ b/../../escaped
@@ -0,0 +1 @@
+x
'
short=$(printf '%s' "$calc" | jq -c '.grading.files[0].text = "print(\"1..3\")\nprint(\"ok 1 - a\")\n"')
junit=$(printf '%s' "$calc" | jq -c '.grading.results = "junit:out/r.xml"
    | .grading.command = "mkdir -p out && python3 test_calc.py >/dev/null; python3 -c \"from calc import add; ok = add(2, 3) == 5; open(\\\"out/r.xml\\\", \\\"w\\\").write(\\\"<testsuite><testcase classname=\\\\\\\"t\\\\\\\" name=\\\\\\\"add\\\\\\\">\\\" + (\\\"\\\" if ok else \\\"<failure message=\\\\\\\"no\\\\\\\"/>\\\") + \\\"</testcase><testcase name=\\\\\\\"other\\\\\\\"/></testsuite>\\\"); raise SystemExit(not ok)\""
    | .grading.weights = {"t.add": 2}')
slow=$(printf '%s' "$calc" | jq -c '.grading.command = "sleep 30" | .grading.time_limit_ms = 1000')
nocmd=$(printf '%s' "$calc" | jq -c 'del(.grading.command)')
nows=$(printf '%s' "$calc" | jq -c 'del(.workspace)')
binary='{"kind": "workspace", "language": "bash", "workspace": {"files": [
  {"path": "blob.bin", "base64": "AAECAwQF/w=="}, {"path": "run.sh", "text": "#!/bin/sh\necho hi\n", "mode": "755"}]},
  "grading": {"command": "test \"$(od -An -tx1 blob.bin | tr -d \" \\n\")\" = 000102030405ff && ./run.sh && test -L link && test \"$(readlink link)\" = run.sh && ./link || echo nolink"}}'
link='diff --git a/link b/link
new file mode 120000
--- /dev/null
+++ b/link
@@ -0,0 +1 @@
+run.sh
\ No newline at end of file
'
{
	rec fix "$calc" "$fix"
	rec empty "$calc" ""
	rec bad "$calc" "$bad"
	rec cheat "$calc" "$cheat"
	rec escape "$calc" "$escape"
	rec short "$short" ""
	rec junit "$junit" "$fix"
	rec junitbad "$junit" ""
	rec slow "$slow" ""
	rec nocmd "$nocmd" "$fix"
	rec nows "$nows" "$fix"
	rec binary "$binary" "$link"
} >recs.ndjson
run nice ab-exec -j 2 recs.ndjson
expect_rc 1 "ab-exec: exit 1 (bad tasks)"
cp "$T/out" exec.ndjson
cp "$T/err" exec.err
check "ab-exec: one record out per record in" test "$(wc -l <exec.ndjson)" -eq 12
expect_contains exec.err "recs.ndjson:10: record nocmd/x/0: the task has no test command (grading.command)" \
    "ab-exec: a task without a test command is a diagnostic with file and line"
expect_contains exec.err "recs.ndjson:11: record nows/x/0: the task has no workspace" \
    "ab-exec: a task without a workspace too"
v() { jq -r --arg id "$1/x/0" 'select(.id == $id) | .exec' exec.ndjson; }
v fix >e; expect_jq e '.[0] | .verdict == "ok" and .passed == 2 and .total == 2
    and [.tests[] | [.name, .verdict, .weight]] == [["two", "ok", 3], ["zero", "ok", 1]]
    and .error == null and .exit == 0 and .wall_ms > 0 and .setup_ms > 0' "the fix: ok, per-test results, weights"
v empty >e; expect_jq e '.[0] | .verdict == "wrong_answer" and .passed == 1 and .tests[0].verdict == "wrong_answer"' \
    "the empty answer: wrong_answer"
v bad >e; expect_jq e '.[0] | .verdict == "wrong_answer" and .error == null and .tests[0].name == "the patch applies"
    and (.tests[0].error | contains("patch does not apply"))' "a patch that does not apply: wrong_answer, not an error"
v cheat >e; expect_jq e '.[0].verdict == "wrong_answer"' "an answer that writes the hidden test file: the hidden one wins"
v escape >e; expect_jq e '.[0] | .verdict == "wrong_answer" and (.tests[0].error | contains("invalid path"))' \
    "a patch reaching outside the tree is refused"
check "... and wrote nothing outside" test ! -e "$T/escaped" -a ! -e /tmp/escaped
v short >e; expect_jq e '.[0] | .verdict == "wrong_answer" and .passed == 1 and .total == 1
    and (.notes | index("TAP plan 1..3 but 1 results"))' "TAP: a plan not met fails, with a note"
v junit >e; expect_jq e '.[0] | .verdict == "ok" and [.tests[] | [.name, .verdict, .weight]] == [["t.add", "ok", 2], ["other", "ok", 1]]' \
    "JUnit: per-test results and weights"
v junitbad >e; expect_jq e '.[0] | .verdict == "wrong_answer" and .tests[0].verdict == "wrong_answer" and .tests[0].error == "no"' \
    "JUnit: a failure with its message"
v slow >e; expect_jq e '.[0] | .verdict == "time_limit" and .wall_ms < 10000' "the grading time limit"
v nocmd >e; expect_jq e '.[0] | .verdict == "internal_error" and .error.kind == "task"' \
    "no test command: internal_error, task"
v nows >e; expect_jq e '.[0] | .verdict == "internal_error" and .error.kind == "task"' \
    "no workspace: internal_error, task"
v binary >e; expect_jq e '.[0] | .verdict == "ok" and .stdout == "hi\nhi\n" and .notes == []' \
    "binary files, modes and the patch's symbolic link reach the sandbox"
exitfail=$(printf '%s' "$calc" | jq -c '.grading.command = "echo ok 1 - a; exit 3"')
rec exitfail "$exitfail" "" >one.ndjson
run ab-exec one.ndjson
expect_jq "$T/out" '.[0].exec | .verdict == "wrong_answer" and .passed == 1 and .total == 1 and .exit == 3
    and (.notes | index("the command failed (exit status 3) although every test it reported passed"))' \
    "every reported test passed but the command failed: wrong_answer, with a note"
done_testing
