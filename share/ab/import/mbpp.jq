# mbpp.jq - MBPP JSONL to ab tasks (ab-task(5)).
#   jq -c -f share/ab/import/mbpp.jq mbpp.jsonl > mbpp.ndjson
# Input members: task_id, text, code, test_list, test_setup_code (and
# challenge_test_list when present).  The text is the description, the
# code the reference (CRLF made LF), each assertion of test_list a visible
# assert test, as MBPP shows them in its prompts, and each of
# challenge_test_list a hidden one; test_setup_code runs before each.  The
# entry point is the function defined by the code that the tests call.
# Environment: AB_IMPORT_DIFFICULTY (default easy), AB_IMPORT_CATEGORY
# (default algorithms), AB_IMPORT_SUITE (default mbpp), AB_IMPORT_TIME_LIMIT_MS
# (the tasks' time_limit_ms; default: none, ab-exec's own).  A bad line is
# reported by jq with its line number and skipped; jq then exits 5.

def strings($k):
    if (.[$k] // []) | type == "array" and all(.[]; type == "string") then .[$k] // []
    else error("\($k) must be an array of strings") end;
def lf: gsub("\r\n"; "\n");

if type != "object" then error("not a JSON object") else . end
| if (.task_id | type) == "number" or (.task_id | type) == "string" then .
  else error("task_id missing") end
| if (.text | type) == "string" and (.text | length) > 0 then . else error("text missing") end
| (.code // "" | if type == "string" then lf else error("code must be a string") end) as $code
| (.test_setup_code // "" | if type == "string" then lf else error("test_setup_code must be a string") end) as $setup
| strings("test_list") as $tests
| strings("challenge_test_list") as $challenge
| if ($tests | length) == 0 then error("test_list is empty") else . end
| ($tests | join("\n")) as $alltests
| [$code | scan("(?m)^def\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(") | .[0]] as $defs
| ([$defs[] | select(. as $d | $alltests | test("\\b\($d)\\s*\\("))][0]
   // ($tests[0] | capture("assert\\s+(?:not\\s+)?\\(?\\s*(?<f>[A-Za-z_][A-Za-z0-9_]*)\\s*\\(").f? )
   // error("cannot tell the function under test")) as $ep
| ([$code | split("\n")[] | select(test("^def\\s+\($ep)\\s*\\("))][0]) as $sig
| {
    id: "mbpp-\(.task_id | tostring | gsub("[^A-Za-z0-9._-]+"; "-"))",
    suite: ($ENV.AB_IMPORT_SUITE // "mbpp"),
    language: "python",
    description: (.text | lf),
  }
+ (if $sig then {signature: ($sig | sub(":\\s*$"; ""))} else {} end)
+ {
    difficulty: ($ENV.AB_IMPORT_DIFFICULTY // "easy"),
    category: ($ENV.AB_IMPORT_CATEGORY // "algorithms"),
    entry_point: $ep,
    tests: ([$tests | to_entries[] | {name: "test \(.key + 1)", style: "assert",
               code: ((if $setup != "" then $setup + "\n" else "" end) + (.value | lf) + "\n")}]
            + [$challenge | to_entries[] | {name: "challenge \(.key + 1)", style: "assert",
               code: ((if $setup != "" then $setup + "\n" else "" end) + (.value | lf) + "\n"),
               hidden: true}]),
    source: {format: "mbpp", task_id: .task_id}
  }
+ (if ($ENV.AB_IMPORT_TIME_LIMIT_MS // "") != ""
   then {time_limit_ms: ($ENV.AB_IMPORT_TIME_LIMIT_MS | tonumber)} else {} end)
+ (if $code != "" then {reference: (if $code | endswith("\n") then $code else $code + "\n" end)} else {} end)
