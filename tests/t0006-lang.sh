#!/bin/sh
# One table of languages (lib/lang.h): a program that uses both the
# extractor and the scorer links and runs; every alias documented in
# ab-task(5) maps to its language and the table has no undocumented one;
# the table agrees with the descriptors in share/ab/lang; the programs
# read an alias as its language.
. "$(dirname "$0")/lib.sh"

LT=$TOP/tests/unit/lang-table

# The table, and a zsh fence through ab_extract and then ab_src_analyse.
run "$LT"
expect_rc 0 "lang-table links extract and score and runs"
cat >"$T/table" <<'T'
python py python3 py python3 py3
javascript js node js node nodejs mjs cjs
c c cc h
cpp cpp c++ c++ cc cxx hpp hh hxx
bash sh bash sh shell zsh ksh
both: bash 2
T
expect_same "$T/out" "$T/table" "the table: names, extensions, tools, aliases"

# The aliases as ab-task(5) lists them: ".It Li NAME" then "a, b, c".
awk '/^\.It Li language$/ { on = 1; next }
    on && /^\.El$/ { exit }
    on && /^\.It Li / { name = $3; next }
    on && name != "" { n = split($0, a, /, */); for (i = 1; i <= n; i++)
	print a[i], name; name = "" }' \
    "$TOP/share/man/man5/ab-task.5" >"$T/documented"
check "ab-task(5) lists aliases" test -s "$T/documented"
# shellcheck disable=SC2046
run "$LT" $(cut -d' ' -f1 "$T/documented")
expect_rc 0 "lang-table NAME..."
expect_same "$T/out" "$T/documented" "every documented alias maps to its language"
awk 'NF > 3 && $1 != "both:" { for (i = 4; i <= NF; i++) print $i, $1 }' \
    "$T/table" | sort >"$T/aliases"
sort "$T/documented" >"$T/documented.sorted"
expect_same "$T/aliases" "$T/documented.sorted" \
    "ab-task(5) documents every alias of the table"

# Case, names and unknowns.
run "$LT" PY Python C++ ZSH cobol "" rust py.
expect_rc 0 "lang-table on other names"
cat >"$T/other" <<'T'
PY python
Python python
C++ cpp
ZSH bash
cobol -
 -
rust -
py. -
T
expect_same "$T/out" "$T/other" "names compare without case; others are unknown"

# The descriptors: one per language, named by its canonical name, its
# source file with the table's extension.
for d in "$TOP"/share/ab/lang/*.json; do
	jq -r '[.language, (.source | sub("^.*\\."; ""))] | join(" ")' "$d" \
	    >>"$T/desc" || not_ok "$d is JSON"
done
awk '$1 != "both:" { print $1, $2 }' "$T/table" | sort >"$T/want"
sort "$T/desc" >"$T/desc.sorted"
expect_same "$T/desc.sorted" "$T/want" \
    "share/ab/lang: a descriptor per language, the table's extension"

# The programs read an alias as its language: ab-extract takes a zsh
# fence for bash; ab-score scores a Py3 record as it scores a python one.
printf '%s\n' '{"id":"a","task":{"language":"sh"},"gen":{"text":"```zsh\necho hi\n```"}}' \
    >"$T/x.json"
run ab-extract "$T/x.json"
expect_rc 0 "ab-extract: a zsh fence, task language sh"
expect_jq "$T/out" '.[0].extract | .language == "bash" and .method == "fence+lang"' \
    "ab-extract: zsh and sh are bash"
rec=$TOP/tests/golden/ab-score/production-python/in
run ab-score -r production --no-analysers --no-reference-run "$rec"
expect_rc 0 "ab-score: a python record"
jq -c .score "$T/out" >"$T/python.score"
jq -c '.task.language = "py3" | .extract.language = "Py3"' "$rec" >"$T/py3.json"
run ab-score -r production --no-analysers --no-reference-run "$T/py3.json"
expect_rc 0 "ab-score: the record in Py3"
jq -c .score "$T/out" >"$T/py3.score"
check "ab-score: a python score has idioms" grep -q 'enumerate' "$T/python.score"
expect_same "$T/py3.score" "$T/python.score" "ab-score: Py3 is python"
done_testing
