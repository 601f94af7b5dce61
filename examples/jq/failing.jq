# failing.jq - the attempts that did not pass, and why.
#   jq -r -f examples/jq/failing.jq records.ndjson
#   ab-store -d results.db export RUN | jq -r -f examples/jq/failing.jq
# One line per attempt: id, the first stage that went wrong, the verdict or
# error kind, and the failing tests (name: verdict) or the error message.
def first_error:
    if .gen.error then ["gen", .gen.error.kind, .gen.error.message]
    elif .extract.error then ["extract", .extract.error.kind, .extract.error.message]
    elif .exec.error then ["exec", .exec.error.kind, .exec.error.message]
    elif (.exec.verdict // "ok") != "ok" then
        ["exec", .exec.verdict,
         ([.exec.tests[]? | select(.verdict != "ok") | "\(.name // "?"): \(.verdict)"] | join(", "))]
    else empty end;
select(.exec.verdict != "ok" or .gen.error or .extract.error)
| first_error as $e
| [.id] + $e | map(tostring | gsub("[\t\n]"; " ")) | @tsv
