# humaneval.jq - HumanEval JSONL to ab tasks (ab-task(5)).
#   jq -c -f share/ab/import/humaneval.jq HumanEval.jsonl > humaneval.ndjson
# Input members: task_id, prompt, canonical_solution, test, entry_point.
# HumanEval-X's Python rows have no entry_point: it is the function that
# the test's last line passes to check(), as in check(has_close_elements).
# The prompt (imports, signature and docstring) becomes the starter code,
# prompt plus canonical solution the reference, and the test, which
# defines check(candidate), one hidden assert test, as in HumanEval.
# HumanEval has no difficulty or category: they default to medium and
# algorithms.  Environment: AB_IMPORT_DIFFICULTY, AB_IMPORT_CATEGORY,
# AB_IMPORT_SUITE (default humaneval), AB_IMPORT_VISIBLE=1 (show the test
# in prompts), AB_IMPORT_TIME_LIMIT_MS (the tasks' time_limit_ms; default:
# none, ab-exec's own).  A bad line is reported by jq with its line number and
# skipped; jq then exits 5.

def need($k):
    if (.[$k] | type) == "string" and (.[$k] | length) > 0 then .[$k]
    else error("\($k) missing or not a non-empty string") end;
def ab_id($prefix):
    $prefix + (tostring | ascii_downcase | gsub("[^a-z0-9._-]+"; "-")
        | sub("^-+"; "") | sub("-+$"; ""));

if type != "object" then error("not a JSON object") else . end
| . as $in
| need("task_id") as $tid
| need("prompt") as $prompt
| need("test") as $test
| (if (.entry_point | type) == "string" and (.entry_point | length) > 0 then .entry_point
   else ([$test | scan("(?m)^check\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$") | .[0]] | last)
        // error("entry_point missing or not a non-empty string") end) as $ep
| {
    id: ($tid | ab_id("humaneval-")),
    suite: ($ENV.AB_IMPORT_SUITE // "humaneval"),
    language: "python",
    description: "Complete the Python function `\($ep)` below so that it does what its docstring says. Answer with the whole function, including the imports it needs.",
    signature: (([$prompt | split("\n")[] | select(test("^\\s*def\\s+\($ep)\\s*\\("))][0]
        // "def \($ep)(...)") | sub("^\\s+"; "") | sub(":\\s*$"; "")),
    starter_code: $prompt,
    difficulty: ($ENV.AB_IMPORT_DIFFICULTY // "medium"),
    category: ($ENV.AB_IMPORT_CATEGORY // "algorithms"),
    entry_point: $ep,
    tests: [{name: "check", style: "assert", code: $test,
        hidden: (($ENV.AB_IMPORT_VISIBLE // "") != "1")}],
    source: {format: "humaneval", task_id: $tid}
  }
+ (if ($ENV.AB_IMPORT_TIME_LIMIT_MS // "") != ""
   then {time_limit_ms: ($ENV.AB_IMPORT_TIME_LIMIT_MS | tonumber)} else {} end)
+ (if ($in.canonical_solution | type) == "string" and ($in.canonical_solution | length) > 0
   then {reference: ($prompt + $in.canonical_solution)} else {} end)
