# multipl-e.jq - MultiPL-E problems to ab tasks (ab-task(5)).
#   jq -c -f share/ab/import/multipl-e.jq humaneval-js.jsonl > he-js.ndjson
# Input members: name (e.g. HumanEval_0_has_close_elements), language
# (py, js, cpp, sh, or python, javascript, c++, bash), prompt (the start of
# the function in that language), tests (test code), stop_tokens.  The
# prompt becomes the starter code; the tests one hidden assert test in
# ab's form: javascript as they are (their require of node:assert gives
# them node's assert, loose deepEqual included), c++ as the body of main,
# bash without the brace that closes the prompt's function.  MultiPL-E runs
# prompt + completion + tests, where a completion was cut at the first
# stop token and the tests begin with the brace it took (c++, bash): the
# completion member lets ab-exec assemble the same program from code that
# is prompt + completion, and run a whole function (a chat model's answer)
# as it is.  MultiPL-E has no solutions, so there is no reference.
# Other languages are errors: jq reports the line and goes on (exit 5).
# Environment: AB_IMPORT_DIFFICULTY (default medium), AB_IMPORT_CATEGORY
# (default algorithms), AB_IMPORT_SUITE (default multipl-e),
# AB_IMPORT_VISIBLE=1 (show the test in prompts).

def need($k):
    if (.[$k] | type) == "string" and (.[$k] | length) > 0 then .[$k]
    else error("\($k) missing or not a non-empty string") end;
def langs: {"py": "python", "python": "python", "js": "javascript",
    "javascript": "javascript", "cpp": "cpp", "c++": "cpp", "sh": "bash",
    "bash": "bash"};
def names: {"python": "Python", "javascript": "JavaScript", "cpp": "C++",
    "bash": "Bash"};

# The test code in ab's form, for each language.
def convert($lang):
    if $lang == "cpp" then
        # The statements of main: after "int main(...) {", before the last "}".
        (capture("(?s)int\\s+main\\s*\\([^)]*\\)\\s*\\{(?<body>.*)\\}\\s*$").body
         // error("no main in the c++ tests"))
    elif $lang == "bash" then
        sub("^\\s*\\}[ \t]*\n"; "")
    else . end;

if type != "object" then error("not a JSON object") else . end
| need("name") as $name
| need("prompt") as $prompt
| need("tests") as $tests
| (need("language") as $l | langs[$l] // error("language \($l) is not supported (python, javascript, cpp, bash)")) as $lang
| ($name | sub("^[A-Za-z]+_[0-9]+_"; "")) as $ep
| {
    id: ("multipl-e-" + ($name + "-" + (.language | ascii_downcase)) | gsub("[^A-Za-z0-9._-]+"; "-")),
    suite: ($ENV.AB_IMPORT_SUITE // "multipl-e"),
    language: $lang,
    description: "Complete the \(names[$lang]) function `\($ep)` below so that it does what its comment says. Answer with the whole program text shown, completed.",
    starter_code: $prompt,
    difficulty: ($ENV.AB_IMPORT_DIFFICULTY // "medium"),
    category: ($ENV.AB_IMPORT_CATEGORY // "algorithms"),
    entry_point: $ep,
    completion: ({prompt: $prompt,
        suffix: ($tests | capture("^(?<s>\\s*\\}[ \t]*\n)") // {s: ""} | .s)}
        + (if (.stop_tokens | type) == "array" then {stop_tokens: .stop_tokens} else {} end)),
    tests: [{name: "tests", style: "assert", code: ($tests | convert($lang)),
        hidden: (($ENV.AB_IMPORT_VISIBLE // "") != "1")}],
    source: ({format: "multipl-e", name: $name, language: .language}
        + (if (.stop_tokens | type) == "array" then {stop_tokens: .stop_tokens} else {} end))
  }
