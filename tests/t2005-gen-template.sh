#!/bin/sh
# ab-gen: prompt templates (-t, "template", share/ab/prompts).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-gen.sh"
cd "$T" || exit 1
write_tasks
printf '{"name":"echo","provider":"cmd","command":["%s"]}\n' \
    "$TOP/tests/agents/stdin.sh" >"$T/echo.json"

cat >"$T/t1.txt" <<'EOT'
{{! a comment line disappears }}
Task {{id}} in {{ language }}:
{{#description}}
{{description}}
{{/description}}
{{^description}}
(no description: {{prompt}})
{{/description}}
{{#hints}}
* {{.}}
{{/hints}}
{{^hints}}
no hints
{{/hints}}
{{#examples}}
[{{text}}]
{{/examples}}
{{#entry_point}}entry {{entry_point}}{{/entry_point}}|{{#program}}program{{/program}}
EOT
run ab-gen -t "$T/t1.txt" -c "$T/echo.json" "$T/tasks.ndjson"
expect_rc 0 "-t renders a template"
jq -j .gen.text "$T/out" >"$T/texts"
cat >"$T/expected" <<'EOT'
Task add in python:
Add two numbers.
* use +
[add(1, 2) returns 3 (arguments and result in JSON)
]
entry add|
Task hello in c:
(no description: Print hello.)
no hints
[Input:
```
```
Expected output:
```
hello
```
]
|program
Task neg in javascript:
Negate a number.
no hints
[```javascript
assert.equal(neg(1), -1)
```
]
entry neg|
EOT
expect_same "$T/texts" "$T/expected" \
    "variables, sections, inverted sections, lists; tag-only lines vanish"

printf 'Hello {{nmae}}\n' >"$T/typo.txt"
run ab-gen -t "$T/typo.txt" -c "$T/echo.json" "$T/tasks.ndjson"
expect_rc 2 "a template with an unknown variable is refused"
expect_contains "$T/err" "ab-gen: $T/typo.txt: line 1: unknown variable \"nmae\"" "... naming it"
printf 'a\n{{#hints}}\nb\n' >"$T/open.txt"
run ab-gen -t "$T/open.txt" -c "$T/echo.json" "$T/tasks.ndjson"
expect_rc 2 "an unclosed section is refused"
expect_contains "$T/err" "section \"hints\" is not closed" "... saying so"
printf '{{#hints}}x{{/tests}}\n' >"$T/cross.txt"
run ab-gen -t "$T/cross.txt" -c "$T/echo.json" "$T/tasks.ndjson"
expect_contains "$T/err" "line 1: {{/tests}} closes no open section" "crossed sections are refused"

# The template named by a configuration.
printf '{"name":"own","provider":"cmd","command":["%s"],"template":"%s"}\n' \
    "$TOP/tests/agents/stdin.sh" "$T/t1.txt" >"$T/own.json"
run ab-gen -c "$T/own.json" "$T/tasks.ndjson"
jq -j .gen.text "$T/out" >"$T/texts"
expect_same "$T/texts" "$T/expected" "a configuration's template"

# The default prompt: everything visible, nothing hidden.
run ab-gen -c "$T/echo.json" "$T/tasks.ndjson"
jq -j .gen.text "$T/out" >"$T/texts"
expect_contains "$T/texts" "def add(a, b)" "the default prompt has the signature"
expect_contains "$T/texts" "add(1, 2) returns 3" "... the visible tests"
expect_contains "$T/texts" "Hint: use +" "... the hints"
expect_contains "$T/texts" "reads standard input" "... says when a whole program is wanted"
expect_not_contains "$T/texts" "40, 2" "... and never a hidden test"
expect_not_contains "$T/texts" "{{" "... and no template syntax"
done_testing
