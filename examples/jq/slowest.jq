# slowest.jq - where the time goes: the slowest calls to the subjects
# (every call of a mixture of agents is in gen.calls) and the slowest test
# runs, as TSV, slowest first.
#   jq -s -r -f examples/jq/slowest.jq records.ndjson | head
#   jq -s -r --argjson n 5 -f examples/jq/slowest.jq records.ndjson
($ARGS.named.n // 10) as $n
| ([.[] | .id as $id
    | (if (.gen.calls | type) == "array" and (.gen.calls | length) > 0
       then .gen.calls[] | {id: $id, what: "call \(.role // "-") \(.model // "-")",
            ms: (.latency_ms // 0)}
       else {id: $id, what: "call \(.gen.provider // "-") \(.gen.model // "-")",
            ms: (.gen.latency_ms // 0)} end)]
   | sort_by(-.ms) | .[:$n]) as $calls
| ([.[] | .id as $id | .exec.tests[]?
    | {id: $id, what: "test \(.name // "-") \(.verdict)", ms: (.time_ms // 0)}]
   | sort_by(-.ms) | .[:$n]) as $tests
| ["ms", "id", "what"], ($calls[], $tests[] | [(.ms | floor), .id, .what])
| @tsv
