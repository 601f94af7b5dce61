# validate-task.jq - check ab task files; see ab-task(5).
# Run as: jq -R -n -r -f validate-task.jq FILE...
# Reads every line raw, tracks FILE:LINE itself, and prints one line
# "FILE:LINE: reason" per problem found.  Nothing is printed for valid files.

def languages: ["python", "javascript", "c", "cpp", "bash"];
def difficulties: ["easy", "medium", "hard", "extreme"];
def categories: ["algorithms", "strings", "data-structures", "parsing",
    "numerics", "bug-fixing", "edge-cases"];
def compares: ["exact", "trailing", "tokens", "float"];
def task_members: ["id", "suite", "language", "prompt", "description",
    "signature", "starter_code", "difficulty", "category", "entry_point",
    "tests", "reference", "mutants", "time_limit_ms", "memory_limit_mb",
    "hints", "tags", "source", "metadata", "completion", "link",
    "modules"];
def test_members: {
    "assert": ["style", "name", "hidden", "weight", "code"],
    "io": ["style", "name", "hidden", "weight", "stdin", "stdout", "compare",
        "tolerance"],
    "call": ["style", "name", "hidden", "weight", "args", "expected",
        "tolerance", "strict_types"]};

def is_int: type == "number" and . == floor;
def nonempty_string: type == "string" and length > 0;
def kind: if type == "array" then "an array" elif type == "object" then "an object"
    elif type == "null" then "null" else "a \(type)" end;

# Problems with one test, as strings; $t is the test, $i its index, $task the task.
def test_problems($task; $i):
    . as $t
    | "tests[\($i)]" as $w
    | if type != "object" then ["\($w) is \(kind), not an object"]
      elif (.style | type) != "string" then ["\($w): style missing (assert, io or call)"]
      elif (test_members | has($t.style)) | not then
        ["\($w): unknown style \"\($t.style)\" (assert, io or call)"]
      else
        [ (keys_unsorted[] | select(. as $k | test_members[$t.style] | index($k) | not)
            | "\($w): unknown member \"\(.)\" in \(if $t.style == "io" then "an" else "a" end) \($t.style) test"),
          (if has("name") and (.name | type) != "string" then "\($w): name is \(.name | kind), not a string" else empty end),
          (if has("hidden") and (.hidden | type) != "boolean" then "\($w): hidden must be true or false" else empty end),
          (if has("weight") and ((.weight | type) != "number" or .weight <= 0) then "\($w): weight must be a number above 0" else empty end),
          (if .style == "assert" then
              (if (.code | nonempty_string) | not then "\($w): an assert test needs code, a non-empty string" else empty end),
              (if ($task.language == "python" or $task.language == "javascript")
                  and (($task.entry_point // null) | nonempty_string | not)
               then "\($w): a \($task.language) assert test needs the task's entry_point" else empty end)
           elif .style == "io" then
              (if has("stdin") and (.stdin | type) != "string" then "\($w): stdin is \(.stdin | kind), not a string" else empty end),
              (if (.stdout | type) != "string" then "\($w): an io test needs stdout, a string" else empty end),
              (if has("compare") and ((.compare | type) != "string" or (compares | index($t.compare) | not))
               then "\($w): compare must be one of \(compares | join(", "))" else empty end),
              (if has("tolerance") then
                  (if (.tolerance | type) != "number" or .tolerance < 0 then "\($w): tolerance must be a number >= 0"
                   elif .compare != "float" then "\($w): tolerance needs compare \"float\"" else empty end)
               else empty end)
           else
              (if (.args | type) != "array" then "\($w): a call test needs args, an array" else empty end),
              (if has("tolerance") and ((.tolerance | type) != "number" or .tolerance < 0)
               then "\($w): tolerance must be a number >= 0" else empty end),
              (if has("strict_types") and (.strict_types | type) != "boolean"
               then "\($w): strict_types must be true or false" else empty end),
              (if has("expected") | not then "\($w): a call test needs expected (any JSON value, null included)" else empty end),
              (if ($task.language == "python" or $task.language == "javascript") | not
               then "\($w): call tests are for python and javascript, not \($task.language)" else empty end),
              (if ($task.entry_point // null) | nonempty_string | not
               then "\($w): a call test needs the task's entry_point" else empty end)
           end) ]
      end;

# Workspace tasks (kind "workspace"; ab-task(5), "Workspace tasks").
def ws_members: ["id", "kind", "suite", "language", "prompt", "difficulty",
    "category", "workspace", "grading", "agent_limits", "solution", "mutants",
    "hints", "tags", "source", "metadata"];
def ws_categories: categories + ["feature", "refactoring", "build-repair",
    "debugging", "system", "other"];
def valid_path: type == "string" and length > 0 and length <= 4096
    and (test("[\u0000-\u001f\u007f]") | not)
    and (startswith("/") | not)
    and (split("/") | all(. != "" and . != "." and . != ".." and ascii_downcase != ".git"));
def file_problems($w):
    if type != "array" then ["\($w) must be an array of files"]
    else [ to_entries[] | .key as $i | .value as $f | "\($w)[\($i)]" as $at
        | if ($f | type) != "object" then "\($at) is \($f | kind), not an object"
          else
            (($f | keys_unsorted[] | select(. as $k | ["path", "text", "base64", "mode"] | index($k) | not))
                | "\($at): unknown member \"\(.)\""),
            (if ($f.path | valid_path | not) then
                "\($at): path must be relative and normalised, without \"..\", \".\", \".git\" or control characters"
             else empty end),
            (if ($f | has("text")) == ($f | has("base64")) then "\($at): needs exactly one of text, base64"
             elif ($f | has("text")) and ($f.text | type) != "string" then "\($at): text must be a string"
             elif ($f | has("base64")) and (($f.base64 | type) != "string"
                 or ($f.base64 | gsub("[ \n\r\t]"; "") | test("^[A-Za-z0-9+/]*={0,2}$") | not))
             then "\($at): base64 must be a base64 string" else empty end),
            (if ($f | has("mode")) and (["644", "755"] | index($f.mode) | not)
             then "\($at): mode must be \"644\" or \"755\"" else empty end)
          end ]
        + ([ .[] | objects | .path | strings ] | group_by(.) | map(select(length > 1) | "\($w): path \"\(.[0])\" listed twice"))
    end;
def limit_problems($w; $keys):
    if type != "object" then ["\($w) must be an object"]
    else [ (keys_unsorted[] | select(. as $k | $keys | index($k) | not) | "\($w): unknown member \"\(.)\""),
           (to_entries[] | select(.value | (type != "number" or . <= 0))
               | "\($w).\(.key) must be a number above 0") ]
    end;
def ws_task_problems:
    . as $task
    | [ (keys_unsorted[] | select(. as $k | ws_members | index($k) | not)
          | "unknown member \"\(.)\" in a workspace task"),
        (if (.id | type) != "string" then "id missing or not a string"
         elif (.id | test("^[A-Za-z0-9._-]+$") | not) then "id \"\(.id)\" must match [A-Za-z0-9._-]+"
         else empty end),
        (if (.language | type) != "string" or (languages | index($task.language) | not)
         then "language must be one of \(languages | join(", "))" else empty end),
        (if (.prompt | nonempty_string | not) then "a workspace task needs a prompt, a non-empty string" else empty end),
        (if (.difficulty | type) != "string" or (difficulties | index($task.difficulty) | not)
         then "difficulty must be one of \(difficulties | join(", "))" else empty end),
        (if (.category | type) != "string" or (ws_categories | index($task.category) | not)
         then "category must be one of \(ws_categories | join(", "))" else empty end),
        (if (.workspace | type) != "object" then "a workspace task needs a workspace object (files or git)"
         elif (.workspace | has("files")) == (.workspace | has("git")) then "workspace needs exactly one of files, git"
         elif (.workspace | has("files")) then (.workspace.files | file_problems("workspace.files")[])
         elif (.workspace.git | type) != "object" then "workspace.git must be an object"
         else
            (if (.workspace.git.repo | nonempty_string | not) then "workspace.git.repo must be a non-empty string" else empty end),
            (if (.workspace.git.base | type) != "string" or (.workspace.git.base | test("^([0-9a-f]{40}|[0-9a-f]{64})$") | not)
             then "workspace.git.base must be a full commit id (40 lowercase hex digits)" else empty end),
            (.workspace.git | keys_unsorted[] | select(. != "repo" and . != "base") | "workspace.git: unknown member \"\(.)\"")
         end),
        (if (.grading | type) != "object" then "a workspace task needs grading, an object"
         else
            (.grading | keys_unsorted[] | select(. as $k | ["files", "command", "results", "weights",
                "time_limit_ms", "memory_limit_mb", "disk_mb"] | index($k) | not) | "grading: unknown member \"\(.)\""),
            (if (.grading.command | nonempty_string | not) then "grading.command (the test command) must be a non-empty string" else empty end),
            (if .grading | has("files") then (.grading.files | file_problems("grading.files")[]) else empty end),
            (if (.grading | has("results")) and ((.grading.results | type) != "string" or
                ((.grading.results == "exit" or .grading.results == "tap"
                  or (.grading.results | startswith("junit:") and (.[6:] | valid_path))) | not))
             then "grading.results must be exit, tap or junit:PATH" else empty end),
            (if (.grading | has("weights")) and ((.grading.weights | type) != "object"
                or any(.grading.weights[]; type != "number" or . <= 0))
             then "grading.weights must map test names to numbers above 0" else empty end),
            (if (.grading | has("time_limit_ms")) and ((.grading.time_limit_ms | is_int | not) or .grading.time_limit_ms < 1 or .grading.time_limit_ms > 3600000)
             then "grading.time_limit_ms must be an integer from 1 to 3600000" else empty end),
            (if (.grading | has("memory_limit_mb")) and ((.grading.memory_limit_mb | is_int | not) or .grading.memory_limit_mb < 1 or .grading.memory_limit_mb > 1048576)
             then "grading.memory_limit_mb must be an integer from 1 to 1048576" else empty end),
            (if (.grading | has("disk_mb")) and ((.grading.disk_mb | is_int | not) or .grading.disk_mb < 1)
             then "grading.disk_mb must be an integer above 0" else empty end)
         end),
        (if has("agent_limits") then (.agent_limits | limit_problems("agent_limits";
            ["wall_ms", "memory_mb", "processes", "disk_mb", "calls", "tokens", "cost_usd"])[]) else empty end),
        (if has("solution") | not then empty
         elif (.solution | type) != "object" or ((.solution | keys) != ["patch"] and (.solution | keys) != ["script"])
         then "solution must be {\"patch\": DIFF} or {\"script\": SH}"
         elif (.solution | to_entries[0].value | type) != "string" then "solution.\(.solution | keys[0]) must be a string"
         else empty end),
        (if has("mutants") and ((.mutants | type) != "array" or any(.mutants[]; type != "string"))
         then "mutants must be an array of strings (wrong patches)" else empty end),
        (if has("hints") and ((.hints | type) != "array" or any(.hints[]; type != "string"))
         then "hints must be an array of strings" else empty end),
        (if has("tags") and ((.tags | type) != "array" or any(.tags[]; type != "string"))
         then "tags must be an array of strings" else empty end) ];

def plain_task_problems:
    . as $task
    | [ (keys_unsorted[] | select(. as $k | task_members | index($k) | not)
          | "unknown member \"\(.)\""),
        (if (.id | type) != "string" then "id missing or not a string"
         elif (.id | test("^[A-Za-z0-9._-]+$") | not) then "id \"\(.id)\" must match [A-Za-z0-9._-]+"
         else empty end),
        (if has("suite") and (.suite | nonempty_string | not) then "suite must be a non-empty string" else empty end),
        (if (.language | type) != "string" or (languages | index($task.language) | not)
         then "language must be one of \(languages | join(", "))" else empty end),
        (if has("prompt") then
            (if (.prompt | nonempty_string | not) then "prompt must be a non-empty string" else empty end)
         elif has("description") then empty
         else "a task needs a prompt, or a description (and signature)" end),
        (if has("description") and (.description | nonempty_string | not) then "description must be a non-empty string" else empty end),
        (if has("signature") and (.signature | nonempty_string | not) then "signature must be a non-empty string" else empty end),
        (if has("starter_code") and (.starter_code | type) != "string" then "starter_code must be a string" else empty end),
        (if (.difficulty | type) != "string" or (difficulties | index($task.difficulty) | not)
         then "difficulty must be one of \(difficulties | join(", "))" else empty end),
        (if (.category | type) != "string" or (categories | index($task.category) | not)
         then "category must be one of \(categories | join(", "))" else empty end),
        (if has("entry_point") and ((.entry_point | type) != "string" or (.entry_point | test("^[A-Za-z_$][A-Za-z0-9_$]*$") | not))
         then "entry_point must be an identifier" else empty end),
        (if (.tests | type) != "array" then "tests missing or not an array"
         elif (.tests | length) == 0 then "tests is empty: a task needs at least one test"
         else (.tests | to_entries[] | .key as $i | .value | test_problems($task; $i)[]) end),
        (if has("reference") and (.reference | type) != "string" then "reference must be a string" else empty end),
        (if has("mutants") and ((.mutants | type) != "array" or any(.mutants[]; type != "string"))
         then "mutants must be an array of strings" else empty end),
        (if has("time_limit_ms") and ((.time_limit_ms | is_int | not) or .time_limit_ms < 1 or .time_limit_ms > 3600000)
         then "time_limit_ms must be an integer from 1 to 3600000" else empty end),
        (if has("memory_limit_mb") and ((.memory_limit_mb | is_int | not) or .memory_limit_mb < 1 or .memory_limit_mb > 1048576)
         then "memory_limit_mb must be an integer from 1 to 1048576" else empty end),
        (if has("hints") and ((.hints | type) != "array" or any(.hints[]; type != "string"))
         then "hints must be an array of strings" else empty end),
        (if has("tags") and ((.tags | type) != "array" or any(.tags[]; type != "string"))
         then "tags must be an array of strings" else empty end),
        (if has("completion") then
            (if (.completion | type) != "object" then "completion must be an object"
             else
                (.completion | keys_unsorted[] | select(. as $k | ["prompt", "stop_tokens", "suffix"] | index($k) | not)
                 | "completion: unknown member \"\(.)\""),
                (if (.completion.prompt | nonempty_string | not) then "completion.prompt must be a non-empty string" else empty end),
                (if (.completion | has("stop_tokens")) and ((.completion.stop_tokens | type) != "array"
                     or any(.completion.stop_tokens[]; nonempty_string | not))
                 then "completion.stop_tokens must be an array of non-empty strings" else empty end),
                (if (.completion | has("suffix")) and (.completion.suffix | type) != "string"
                 then "completion.suffix must be a string" else empty end)
             end)
         else empty end),
        (if has("link") then
            (if (.language == "c" or .language == "cpp") | not then "link is for c and cpp tasks"
             elif (.link | type) != "array" or (.link | length) > 16
                  or any(.link[]; type != "string" or (test("^[A-Za-z0-9_+][A-Za-z0-9_+.-]{0,63}$") | not))
             then "link must be an array of at most 16 library names (letters, digits, _ + . -, not beginning with - or .)"
             else empty end)
         else empty end),
        (if has("modules") then
            (if (.modules | type) != "array" or (.modules | length) > 64
                  or any(.modules[]; type != "string"
                      or (test("^(@[A-Za-z0-9_][A-Za-z0-9_.-]*/)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$") | not)
                      or test("\\.\\."))
             then "modules must be an array of at most 64 module names (letters, digits, _ . -, not beginning with - or .; javascript's @scope/name)"
             elif (.modules | length) > 0 and ((.language == "javascript" or .language == "python") | not)
             then "modules is for javascript and python tasks"
             elif .language == "python" and any(.modules[]; startswith("@"))
             then "modules: @scope/name is javascript's"
             elif .language == "python" and (.modules | length) > 0
                  and any(.tests[]?; .style? == "io")
             then "modules: python's io tests run isolated from modules (python3 -I); call and assert tests load them"
             else empty end)
         else empty end) ];

def task_problems:
    if .kind == "workspace" then ws_task_problems
    elif has("kind") then ["unknown kind \"\(.kind | tostring)\" (only \"workspace\")"]
    else plain_task_problems end;

foreach inputs as $raw (
    {file: null, line: 0, ids: {}, out: []};
    (input_filename // "<stdin>") as $f
    | (if $f != .file then .file = $f | .line = 0 else . end)
    | .line += 1
    | "\(.file):\(.line)" as $at
    | ($raw | rtrimstr("\r") | if $at | endswith(":1") then ltrimstr("\ufeff") else . end) as $l
    | if ($l | test("^[ \t]*$")) then .out = []
      else
        ($l | try fromjson catch "\u0000bad") as $task
        | if $task == "\u0000bad" then .out = ["\($at): invalid JSON"]
          elif ($task | type) != "object" then .out = ["\($at): not a JSON object"]
          else
            .out = [$task | task_problems[] | "\($at): \(.)"]
            | if ($task.id | type) == "string" then
                if .ids | has($task.id) then
                  .out += ["\($at): duplicate id \"\($task.id)\" (first at \(.ids[$task.id]))"]
                else .ids[$task.id] = $at end
              else . end
          end
      end;
    .out[])
