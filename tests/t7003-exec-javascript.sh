#!/bin/sh
# Every reference of tasks/{javascript}.ndjson passes all its tests under ab-exec,
# and every mutant fails at least one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/suite-exec.sh"
suite_exec "$TOP/tasks/javascript.ndjson"
done_testing
