#!/bin/sh
# ab-extract: records, errors, options and exit statuses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"

# The answers go through ab-extract together (batch, see lib-extract.sh).
batch '' python ''
bis '.error.kind == "empty" and .code == null and .method == null
    and .language == "python" and .blocks == 0' "empty text: empty"
batch '
   	
' python ''
bis '.error.kind == "empty"' "white space only: empty"
batch "$(printf 'ab\001\002\003\004\005\006cd\016\017')" python ''
bis '.error.kind == "binary"' "control characters: binary"
batch "$(printf '\357\277\275\357\277\275\357\277\275\357\277\275x')" python ''
bis '.error.kind == "binary"' "replacement characters: binary"
batch "$(printf '\033[32mdef f():\n    return 1\033[0m\n')" python ''
bis '.error.kind != "binary"' "a few colour escapes are still text"

batch_run
expect_rc 1 "an extraction error makes the exit status 1"

cat >"$T/recs" <<'EOF2'
{"id":"a","task":{"language":"python"},"gen":{"text":null,"error":null}}
{"id":"b","task":{"language":"python"},"gen":{"error":null}}
{"id":"c","task":{"language":"python"},"gen":{"text":7}}
{"id":"d","task":{"language":"py"},"gen":{"text":"x"}}
{"id":"e","task":{"language":"python"},"gen":{"text":null,"error":{"kind":"http","message":"boom"}}}
{"id":"f","task":{"language":"python"},"gen":{"text":"```py\nx = 1\n```"},"extract":{"old":true},"exec":{"kept":1}}
{"id":"g","task":{"language":"python"}}
{"id":"h","task":{"language":"python"},"gen":"text"}
{"id":"i","task":{"language":"python"},"gen":{"text":"```py\nx = 1\n```"},"extract":{"code":"old","error":{"kind":"no_code","message":"m"}}}
EOF2
run ab-extract "$T/recs"
expect_rc 1 "bad records and failed extractions: exit 1"
check "one record out per good input record" test "$(wc -l <"$T/out")" -eq 7
expect_jq "$T/out" '.[0].extract.error.kind == "no_text"' "gen.text null: no_text"
expect_jq "$T/out" '.[1].extract.error.kind == "no_text"' "gen.text missing: no_text"
expect_jq "$T/out" '.[2].extract.error.kind == "no_text"' "gen.text a number: no_text"
expect_jq "$T/out" '.[3].extract.language == "python" and .[3].extract.error.kind == "no_code"' \
    "a language alias in the task is made canonical"
expect_jq "$T/out" '.[4].extract == {"skipped": "upstream error"}' \
    "gen.error set: skipped"
expect_jq "$T/out" '.[5].extract.code == "x = 1\n" and .[5].exec == null
    and (.[5] | keys_unsorted) == ["id","task","gen","extract"]' \
    "a re-run replaces extract in place and drops the later stages' members (stale)"
expect_jq "$T/out" '.[6].extract.code == "x = 1\n" and .[6].extract.error == null' \
    "a re-run replaces an earlier failed extract"
expect_contains "$T/err" "ab-extract: $T/recs:7: record g: missing member gen" \
    "a record without gen: file:line diagnostic"
expect_contains "$T/err" "ab-extract: $T/recs:8: record h: member gen is not an object" \
    "gen not an object: file:line diagnostic"
check "two diagnostics" test "$(wc -l <"$T/err")" -eq 2
run ab-extract -b "$T/recs"
check "-b stops at the first bad record" test "$(wc -l <"$T/out")" -eq 6

rec '```python
x = 1
```' >"$T/one"
run ab-extract "$T/one"
expect_rc 0 "a good record: exit 0"
check "nothing on stderr" test ! -s "$T/err"
expect_jq "$T/out" '.[0].extract | keys_unsorted == ["code","language","method","blocks","error"]' \
    "the member's fields, in order"

run ab-extract -m biggest "$T/one"
expect_rc 2 "-m with a bad value"
expect_contains "$T/err" "ab-extract: -m: biggest: not one of longest, first, last, all" \
    "-m names the choices"
run ab-extract -l '' "$T/one"
expect_rc 2 "-l with an empty language"
run ab-extract -e '' "$T/one"
expect_rc 2 "-e with an empty name"
run ab-extract -m
expect_rc 2 "-m without a value"
expect_contains "$T/err" "usage: ab-extract" "a missing value prints the synopsis"
run ab-extract --max-record=zz "$T/one"
expect_rc 2 "--max-record with a bad size"

done_testing
