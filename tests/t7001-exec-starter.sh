#!/bin/sh
# Every reference of tasks/{starter}.ndjson passes all its tests under ab-exec,
# and every mutant fails at least one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-exec.sh"
# The examples of ab-task(5) are tasks too: they must run.
man_examples "$TOP/share/man/man5/ab-task.5" >"$T/man.ndjson"
check "ab-task(5) has three task examples (the workspace one is run by t7031)" test "$(wc -l <"$T/man.ndjson")" -eq 3
suite_exec "$TOP/tasks/starter.ndjson" "$T/man.ndjson"
done_testing
