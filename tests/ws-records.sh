#!/bin/sh
# ws-records.sh - records of answers to workspace tasks, for grading tests
# before (and besides) a real agent: for every task of the NDJSON files
# given, one record answering with the reference solution (config
# "reference"), one answering with nothing (config "nothing": an empty
# patch) and one per wrong patch (config "wrong-N"); each with gen.patch
# and extract.patch set, as ab-gen and ab-extract would.  A reference
# given as a script (solution.script) is run before the grading command
# in the grading sandbox, with an empty patch.
# usage: tests/ws-records.sh [file ...]
exec jq -c '
  select(.kind == "workspace")
  | . as $t
  | def rec($name; $patch; $task):
      {id: "\($t.id)/\($name)/0", run: "ws-records", task: $task,
       config: {name: $name, hash: $name}, sample: 0,
       gen: {text: "", patch: $patch, error: null},
       extract: {code: null, patch: $patch, language: $t.language,
                 method: "patch", blocks: 0, error: null}};
    (if .solution.patch then rec("reference"; .solution.patch; $t)
     elif .solution.script then
       rec("reference"; "";
           $t | .grading.files = ((.grading.files // []) +
                  [{path: ".ab-solution.sh", text: .solution.script}])
              | .grading.command = "sh .ab-solution.sh >/dev/null 2>&1 </dev/null; rm -f .ab-solution.sh; " + .grading.command)
     else empty end),
    rec("nothing"; ""; $t),
    ((.mutants // []) | to_entries[] | rec("wrong-\(.key + 1)"; .value; $t))
' "$@"
