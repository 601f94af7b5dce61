#!/bin/sh
# ab-exec: fail closed when a primitive is missing, unless --allow-degraded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

rec ok python 'print(1)' '[{"style":"io","stdout":"1\n"}]' >in.ndjson
run ab-exec in.ndjson
expect_rc 0 "the full sandbox runs"
expect_jq out '.[0].exec.isolation | length == 16 and all(.[]; startswith("not enforced") | not)' \
    "every primitive is listed as enforced"
expect_jq out '.[0].exec.isolation | index("seccomp") and index("netns") and index("userns") and index("pidns") and index("mountns") and index("ipcns") and index("utsns") and index("cgroup-v1:memory") // index("cgroup-v2:memory")' \
    "the isolation list names the primitives"

for prim in netns seccomp memory userns; do
	AB_SANDBOX_DISABLE=$prim run ab-exec in.ndjson
	expect_rc 2 "without $prim ab-exec refuses"
	expect_contains err "refusing to run" "without $prim the refusal is explained"
	expect_contains err "$prim" "without $prim the refusal names it"
	check "without $prim nothing is written" test ! -s out
	AB_SANDBOX_DISABLE=$prim run ab-exec --allow-degraded in.ndjson
	expect_rc 0 "without $prim --allow-degraded runs"
	expect_jq out ".[0].exec.verdict == \"ok\"" "without $prim the record still passes"
	expect_jq out ".[0].exec.isolation | any(.[]; . == \"not enforced: $prim\" or . == \"not enforced: cgroup-v1:$prim\" or . == \"not enforced: cgroup-v2:$prim\")" \
	    "without $prim the record says it was not enforced"
done
AB_SANDBOX_DISABLE=all run ab-exec -j 2 in.ndjson
expect_rc 2 "with nothing, -j 2 refuses too"
expect_contains err "refusing to run" "the -j refusal is explained"

# A record needing no sandbox (upstream error) does not need one.
rec up python 'x' '[]' | jq -c '.gen.error = {"kind": "http", "message": "x"}' >up.ndjson
AB_SANDBOX_DISABLE=all run ab-exec up.ndjson
expect_rc 0 "skipped records run without a sandbox"
done_testing
