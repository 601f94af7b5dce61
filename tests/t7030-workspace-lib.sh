#!/bin/sh
# lib/workspace: the materialiser (files and local git forms, one
# deterministic base commit, path checks, a repository's configuration
# never obeyed), the grading files, git apply, reading a tree back, and
# the TAP and JUnit parsers.  Driven through tests/unit/ws-tool.
. "$(dirname "$0")/lib.sh"
W=$TOP/tests/unit/ws-tool
[ -x "$W" ] || skip_all "tests/unit/ws-tool not built (make)"
command -v git >/dev/null 2>&1 || skip_all "git is not installed"
cd "$T" || exit 1

cat >task.json <<'J'
{"id": "x", "kind": "workspace",
 "workspace": {"files": [
   {"path": "src/a.py", "text": "print(1)\n"},
   {"path": "bin/run", "text": "#!/bin/sh\necho hi\n", "mode": "755"},
   {"path": "data.bin", "base64": "AAEC/w=="},
   {"path": ".gitignore", "text": "*.bin\n"}]},
 "grading": {"files": [{"path": "tests/t.sh", "text": "echo hidden\n", "mode": "755"},
                       {"path": "src/a.py", "text": "print(2)\n"}],
             "command": "sh tests/t.sh"}}
J
mkdir d1 d2
run "$W" materialise task.json d1
expect_rc 0 "materialise the files form"
printf 'print(1)\n' >want
expect_same d1/src/a.py want "a text file"
printf '\000\001\002\377' >want
expect_same d1/data.bin want "a base64 file, binary"
check "mode 755 kept" test -x d1/bin/run
check "mode 644 kept" test ! -x d1/src/a.py
check "no hidden file in the workspace" test ! -e d1/tests
git -C d1 rev-list --all --count >out 2>&1
expect_text out 1 "exactly one commit"
git -C d1 ls-files >out 2>&1
expect_text out "$(printf '.gitignore\nbin/run\ndata.bin\nsrc/a.py')" \
    "every file committed, ignored ones too"
git -C d1 log -1 --format='%an <%ae> %aI %cn %cI' >out
expect_text out "ab <ab@localhost> 2000-01-01T00:00:00+00:00 ab 2000-01-01T00:00:00+00:00" \
    "fixed author, committer and dates"
git -C d1 status --porcelain >out
: >empty
expect_same out empty "the work tree is clean at the base"
"$W" materialise task.json d2 >/dev/null 2>&1
check "the base commit id is deterministic" \
    test "$(git -C d1 rev-parse HEAD)" = "$(git -C d2 rev-parse HEAD)"
run "$W" materialise task.json d1
expect_rc 1 "a directory that is not empty is refused"

# Paths.
for p in /etc/passwd ../x a/../b a//b a/ ./a .git/config a/.GIT/x "" ; do
	run "$W" path "$p"
	expect_rc 1 "path \"$p\" refused"
done
for p in a a/b/c .github/x a.git/x '.gitx' 'dir with space/f'; do
	run "$W" path "$p"
	expect_rc 0 "path \"$p\" accepted"
done
for bad in '{"path": "../up", "text": ""}' '{"path": ".git/hooks/pre-commit", "text": ""}' \
    '{"path": "a", "text": "", "base64": ""}' '{"path": "a"}' \
    '{"path": "a", "text": "", "mode": "777"}' '{"path": "a", "base64": "%%%"}'; do
	printf '{"kind": "workspace", "workspace": {"files": [%s]}}\n' "$bad" >bad.json
	rm -rf b && mkdir b
	run "$W" materialise bad.json b
	expect_rc 1 "refused: $bad"
	check "nothing written outside for: $bad" test ! -e up
done
printf '{"kind": "workspace", "workspace": {"files": [{"path": "a", "text": "1"}, {"path": "a", "text": "2"}]}}\n' >dup.json
rm -rf b && mkdir b
run "$W" materialise dup.json b
expect_rc 1 "a path listed twice is refused"
expect_contains "$T/err" "listed twice" "and says so"
printf '{"kind": "workspace"}\n' >none.json
rm -rf b && mkdir b
run "$W" materialise none.json b
expect_rc 1 "a task without a workspace"
expect_contains "$T/err" "no workspace" "says the workspace is missing"

# base64
printf hello >want
run "$W" base64 'aGVs bG8='
expect_same "$T/out" want "base64 with a blank inside"
run "$W" base64 'aGVsbG8'
expect_same "$T/out" want "base64 without padding"
run "$W" base64 'a'
expect_rc 1 "base64 of a bad length"

# The grading files replace what the patch left, links included.
ln -s /etc/passwd d1/tests
run "$W" grading task.json d1
expect_rc 0 "add the grading files over a symbolic link"
check "the link was replaced by a directory" test -d d1/tests -a ! -L d1/tests
printf 'echo hidden\n' >want
expect_same d1/tests/t.sh want "a hidden test written"
printf 'print(2)\n' >want
expect_same d1/src/a.py want "a grading file replaces the workspace's"

# The git form: a repository whose configuration, hooks and attributes
# would run commands; none may.
mkdir repo && (
	cd repo && git init -q && printf 'a\n' >a.txt && mkdir sub &&
	printf '#!/bin/sh\n' >sub/x.sh && chmod +x sub/x.sh && ln -s a.txt link &&
	printf '* filter=evil\n' >.gitattributes &&
	git add -A && git -c user.name=u -c user.email=e commit -qm one &&
	printf 'b\n' >a.txt && git -c user.name=u -c user.email=e commit -qam two
) >/dev/null 2>&1
B=$(git -C repo rev-parse HEAD~1)
git -C repo config core.fsmonitor "touch $T/pwned1; false"
git -C repo config core.hooksPath "$T/hooks"
git -C repo config filter.evil.smudge "touch $T/pwned2; cat"
git -C repo config filter.evil.clean "touch $T/pwned3; cat"
mkdir "$T/hooks" && printf '#!/bin/sh\ntouch %s/pwned4\n' "$T" >"$T/hooks/post-commit" &&
    chmod +x "$T/hooks/post-commit"
printf '{"kind": "workspace", "workspace": {"git": {"repo": "%s/repo", "base": "%s"}}}\n' "$T" "$B" >g.json
mkdir g
run "$W" materialise g.json g
expect_rc 0 "materialise the git form"
printf 'a\n' >want
expect_same g/a.txt want "the tree of the base commit, not the head"
check "the executable bit kept" test -x g/sub/x.sh
check "a symbolic link kept" test -L g/link
check "no command of the repository's configuration ran" test ! -e pwned1 -a ! -e pwned2 -a ! -e pwned3 -a ! -e pwned4
git -C g rev-list --all --count >out 2>&1
expect_text out 1 "history stops at the base: one commit"
check "the objects are the workspace's own (no alternates)" test ! -e g/.git/objects/info/alternates
git -C g fsck --no-dangling >out 2>&1
expect_same out empty "the new repository is complete (fsck)"
printf '{"kind": "workspace", "workspace": {"git": {"repo": "%s/repo", "base": "%s"}}}\n' "$T" \
    0123456789012345678901234567890123456789 >g2.json
rm -rf b && mkdir b
run "$W" materialise g2.json b
expect_rc 1 "a base commit the repository lacks"
expect_contains "$T/err" "no commit" "says so"
printf '{"kind": "workspace", "workspace": {"git": {"repo": "%s/nope", "base": "%s"}}}\n' "$T" "$B" >g3.json
rm -rf b && mkdir b
run "$W" materialise g3.json b
expect_rc 1 "a missing repository"

# git apply
printf 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+c\n' >p1
run "$W" apply -c g p1
expect_rc 0 "apply --check"
printf 'a\n' >want
expect_same g/a.txt want "--check changes nothing"
run "$W" apply g p1
expect_rc 0 "apply"
printf 'c\n' >want
expect_same g/a.txt want "the change is made"
run "$W" apply g p1
expect_rc 1 "a patch that no longer applies"
expect_contains "$T/err" "patch_failed" "is patch_failed"
printf 'diff --git a/../evil b/../evil\nnew file mode 100644\n--- /dev/null\n+++ b/../evil\n@@ -0,0 +1 @@\n+x\n' >p2
run "$W" apply g p2
expect_rc 1 "a patch writing outside the tree is refused"
check "nothing written outside" test ! -e evil
printf 'diff --git a/link/x b/link/x\nnew file mode 100644\n--- /dev/null\n+++ b/link/x\n@@ -0,0 +1 @@\n+x\n' >p3
run "$W" apply g p3
expect_rc 1 "a patch writing through a symbolic link is refused"
: >p4
run "$W" apply -c g p4
expect_rc 1 "an empty patch does not apply"

# ab_ws_write: the files without a repository; git apply still refuses
# paths outside the tree and through links, and finds no repository above.
mkdir plain
run "$W" write task.json plain
expect_rc 0 "write the files form without git"
check "no repository made" test ! -e plain/.git
printf 'diff --git a/src/a.py b/src/a.py\n--- a/src/a.py\n+++ b/src/a.py\n@@ -1 +1 @@\n-print(1)\n+print(3)\n' >p5
run "$W" apply plain p5
expect_rc 0 "apply to a tree without a repository"
printf 'print(3)\n' >want
expect_same plain/src/a.py want "the change is made"
run "$W" apply plain p2
expect_rc 1 "outside a repository, a patch leaving the tree is refused"
ln -s "$T/out-target" plain/link && mkdir "$T/out-target"
run "$W" apply plain p3
expect_rc 1 "outside a repository, a patch through a link is refused"
check "nothing written through the link" test ! -e "$T/out-target/x"

# Reading a tree back: regular files with their modes, links listed, .git left out.
run "$W" collect g
expect_text "$T/out" "$(printf '644 14 .gitattributes\n644 2 a.txt\n755 10 sub/x.sh\nlink link')" \
    "collect: files, modes, links, no .git"

# TAP
cat >r.tap <<'X'
TAP version 13
1..5
ok 1 - first
not ok 2 - second # with a comment
  ---
  message: boom
  ...
ok 3 skipped one # SKIP no network
not ok 4 - later # TODO not yet
# Subtest: group
    ok 1 - inner
ok 5 - group
okay this is not a result
X
run "$W" tap r.tap
expect_text "$T/out" "$(printf 'ok first\nnot ok second\nskip skipped one\nok later\nok group\nplan 5')" \
    "TAP: results, directives, subtests folded, plan"
printf 'ok 1\nnot ok\nBail out! broken\nok 3 - after\n' >b.tap
run "$W" tap b.tap
expect_text "$T/out" "$(printf 'ok test 1\nnot ok test 2\nbail out')" "TAP: unnamed tests, bail out stops"

# JUnit
cat >r.xml <<'X'
<?xml version="1.0" encoding="utf-8"?>
<!-- a comment <testcase name="no"/> -->
<testsuites><testsuite name="s" tests="4">
<testcase classname="m.T" name="test_a" time="0.5"/>
<testcase classname="m.T" name="test_b &amp; c"><failure message="1 != 2">trace</failure></testcase>
<testcase name="e"><error type="X"/></testcase>
<testcase name="s"><skipped/></testcase>
<testcase name='q"&lt;&#65;&#x42;'></testcase>
</testsuite></testsuites>
X
run "$W" junit r.xml
expect_text "$T/out" "$(printf 'ok m.T.test_a\nnot ok m.T.test_b & c :: 1 != 2\nnot ok e :: error\nskip s\nok q"<AB')" \
    "JUnit: passes, failures, errors, skips, entities"
printf 'not xml at all' >n.xml
run "$W" junit n.xml
expect_rc 1 "JUnit: not XML is an error"
printf '<testsuite></testsuite>' >e.xml
run "$W" junit e.xml
expect_rc 1 "JUnit: no testcase is an error"
printf '<testsuite><testcase name="cut' >c.xml
run "$W" junit c.xml
expect_rc 1 "JUnit: a cut file is an error, not a pass"

done_testing
