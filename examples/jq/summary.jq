# summary.jq - verdicts per configuration, from records on stdin: a quick
# check of a stage's output before anything is stored.
#   ab-exec < extracted.ndjson | jq -s -r -f examples/jq/summary.jq
group_by(.config.name)[]
| "\(.[0].config.name): \(length) attempts, "
  + ([group_by(.exec.verdict // .extract.error.kind // .gen.error.kind // "none")[]
      | "\(length) \(.[0].exec.verdict // .[0].extract.error.kind // .[0].gen.error.kind // "none")"]
     | join(", "))
