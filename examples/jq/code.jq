# code.jq - the code of failing attempts, with the tests they failed: what
# to read when a stage needs debugging.
#   jq -r -f examples/jq/code.jq records.ndjson
#   jq -r --arg id py-two-sum/poor/0 -f examples/jq/code.jq records.ndjson
# Without --arg id, every attempt whose exec verdict is not ok.
select(if $ARGS.named.id then .id == $ARGS.named.id
       else (.exec.verdict // "") != "ok" end)
| "=== \(.id)  (\(.exec.verdict // .extract.error.kind // "no verdict"), \(.exec.passed // 0)/\(.exec.total // 0) tests)",
  (.exec.tests[]? | select(.verdict != "ok")
   | "--- \(.name // "test"): \(.verdict)"
     + (if .expected != null then "\n    expected: \(.expected | tojson | .[0:300])" else "" end)
     + (if .actual != null then "\n    actual:   \(.actual | tojson | .[0:300])" else "" end)
     + (if .error then "\n    error:    \(.error | tostring | .[0:300])" else "" end)),
  "--- code (\(.extract.language // .task.language), found by \(.extract.method // "?")):",
  (.extract.code // "(no code extracted)"),
  ""
