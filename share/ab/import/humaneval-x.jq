# humaneval-x.jq - HumanEval-X (CodeGeeX) JSONL to ab tasks (ab-task(5)).
#   jq -c -f share/ab/import/humaneval-x.jq humaneval_cpp.jsonl > hx-cpp.ndjson
# Input members: task_id (CPP/N, JavaScript/N, Python/N), prompt,
# canonical_solution, test.  Its harness runs prompt + solution + test as
# one program; here the prompt is the starter code, prompt plus canonical
# solution the reference, and the test one hidden assert test: in C++ the
# body of its main, after its helper functions made lambdas of the same
# name (a test's functions cannot be defined inside ab's test function);
# in javascript with console.assert made assert (HumanEval-X fails a test
# that prints; console.assert only prints).  A prompt including an
# <openssl/...> header links libcrypto (task.link).  Environment as for
# humaneval.jq (AB_IMPORT_SUITE defaults to humaneval-x), and
# AB_IMPORT_MODULES: module names, separated by commas, that HumanEval-X's
# own environment gives every javascript or python solution (its image
# installs js-md5 for JavaScript/162): task.modules, for ab-exec --modules.

def need($k):
    if (.[$k] | type) == "string" and (.[$k] | length) > 0 then .[$k]
    else error("\($k) missing or not a non-empty string") end;
def langs: {"CPP": "cpp", "JavaScript": "javascript", "Python": "python"};

# C++: "RET NAME(PARAMS){ ... }" at the start of a line, before main,
# becomes "auto NAME = [&](PARAMS) -> RET { ... };".
def cpp_test:
    (capture("(?s)^(?<pre>.*?)\\bint\\s+main\\s*\\([^)]*\\)\\s*\\{(?<body>.*)\\}\\s*$")
     // error("no main in the c++ test")) as $m
    | ($m.pre
       | gsub("(?m)^\\s*#\\s*(undef\\s+NDEBUG|include\\s*<assert\\.h>)[ \t]*$"; "")
       | gsub("(?m)^(?<ret>[A-Za-z_][A-Za-z0-9_:<>, ]*?[A-Za-z0-9_>])\\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\\s*\\((?<params>[^)]*)\\)\\s*\\{";
              "auto \(.name) = [&](\(.params)) -> \(.ret) {")
       | gsub("(?m)^\\}[ \t]*$"; "};")) + $m.body;

if type != "object" then error("not a JSON object") else . end
| . as $in
| need("task_id") as $tid
| need("prompt") as $prompt
| need("test") as $test
| (langs[$tid | split("/")[0]] // error("task_id \($tid): not CPP, JavaScript or Python")) as $lang
| {
    id: ("humaneval-x-" + ($tid | ascii_downcase | gsub("[^a-z0-9._-]+"; "-"))),
    suite: ($ENV.AB_IMPORT_SUITE // "humaneval-x"),
    language: $lang,
    description: "Complete the function below so that it does what its comment says. Answer with the whole program text shown, completed.",
    starter_code: $prompt,
    difficulty: ($ENV.AB_IMPORT_DIFFICULTY // "medium"),
    category: ($ENV.AB_IMPORT_CATEGORY // "algorithms"),
    entry_point: (if $lang == "javascript" then [$prompt | scan("(?m)^\\s*const\\s+([A-Za-z_$][A-Za-z0-9_$]*)\\s*=")[0]] | last
                  elif $lang == "python" then [$prompt | scan("(?m)^def\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(")[0]] | last
                  else [$prompt | scan("(?m)^[A-Za-z_][A-Za-z0-9_:<>, *&]*\\s[*&]*([A-Za-z_][A-Za-z0-9_]*)\\s*\\([^;]*$")[0]] | last end),
    tests: [{name: "test", style: "assert",
        code: (if $lang == "cpp" then $test | cpp_test
               elif $lang == "javascript" then $test | gsub("\\bconsole\\.assert\\s*\\("; "assert(")
               else $test end),
        hidden: (($ENV.AB_IMPORT_VISIBLE // "") != "1")}],
    source: {format: "humaneval-x", task_id: $tid}
  }
+ (if $lang == "cpp" and ($prompt | test("#\\s*include\\s*<openssl/")) then {link: ["crypto"]} else {} end)
+ (if ($lang == "javascript" or $lang == "python") and ($ENV.AB_IMPORT_MODULES // "") != ""
   then {modules: ($ENV.AB_IMPORT_MODULES | split(",") | map(select(. != "")))} else {} end)
+ (if ($in.canonical_solution | type) == "string" and ($in.canonical_solution | length) > 0
   then {reference: ($prompt + $in.canonical_solution)} else {} end)
