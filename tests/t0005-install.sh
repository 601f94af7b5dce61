#!/bin/sh
# make install puts programs, man pages and share/ab under DESTDIR, and the
# installed programs find their data without the source tree.
. "$(dirname "$0")/lib.sh"
command -v make >/dev/null 2>&1 || skip_all "make is not installed"
run make -s -C "$TOP" install DESTDIR="$T/root" SANITIZE="${SANITIZE:-}"
expect_rc 0 "make install"
prefix=$(find "$T/root" -type f -name ab-gen -path '*/bin/*' | head -n 1)
prefix=${prefix%/bin/ab-gen}
check "the programs are installed" test -x "$prefix/bin/ab-rank"
check "the driver is installed beside them" test -x "$prefix/bin/ab-run"
check "the man pages are installed" test -f "$prefix/share/man/man5/ab-record.5"
check "the data is installed" test -f "$prefix/share/ab/rubrics/default.json"
unset AB_SHARE
cd "$T" || exit 1
printf '%s\n' '{"id":"t","language":"python","prompt":"p","tests":[]}' >t.ndjson
run "$prefix/bin/ab-gen" -c "$TOP/configs/offline/oracle.json" t.ndjson
expect_contains "$T/out" '"id":"t/oracle/0"' "an installed ab-gen runs without the source tree"
check "the task suites are installed" test -f "$prefix/share/ab/tasks/starter.ndjson"
check "the configurations are installed" \
    test -f "$prefix/share/ab/configs/offline/oracle.json"
# The installed demo subject, run from a directory with no tasks/: it
# finds the installed suites by itself and answers every starter task.
run "$prefix/bin/ab-gen" -c "$prefix/share/ab/configs/offline/oracle.json" \
    "$prefix/share/ab/tasks/starter.ndjson"
expect_rc 0 "the installed oracle runs outside the source tree"
expect_jq "$T/out" 'length == 12 and all(.gen.error == null and
    (.gen.text | test("```")))' \
    "... and answers all 12 starter tasks with code"
run "$prefix/bin/ab-score" -h
expect_rc 0 "an installed ab-score runs"
run make -s -C "$TOP" uninstall DESTDIR="$T/root" SANITIZE="${SANITIZE:-}"
expect_rc 0 "make uninstall"
check "make uninstall removes the programs" test ! -e "$prefix/bin/ab-gen"
check "make uninstall removes the driver" test ! -e "$prefix/bin/ab-run"
done_testing
