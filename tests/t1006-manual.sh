#!/bin/sh
# ab-extract: the man page's SYNOPSIS is the -h synopsis; the examples
# and the documented error kinds and methods are the real ones.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"
man1="$TOP/share/man/man1/ab-extract.1"

# Render the mdoc SYNOPSIS (the macros it uses) as one usage line.
awk '
/^\.Sh / { on = ($2 == "SYNOPSIS"); next }
!on { next }
{
	n = split($0, w, " ")
	line = ""; glue = 0; cl = ""
	for (i = 1; i <= n; i++) {
		t = w[i]; out = ""
		if (t == ".Nm") out = "ab-extract"
		else if (t == ".Op") { out = "["; cl = "]" }
		else if (t == "Ns") { glue = 1; continue }
		else if (t == "Fl") { out = "-" w[++i]; }
		else if (t == "Ar" || t == ".Ar") {
			if (i < n) out = w[++i]; else out = "file ..."
		}
		else if (t == "Cm") out = w[++i]
		else out = t
		if (line != "" && !glue) line = line " "
		line = line out
		glue = (out == "[")
	}
	line = line cl
	usage = usage (usage == "" ? "" : " ") line
}
END { print "usage: " usage }
' "$man1" >"$T/synopsis"
run ab-extract -h
head -n 1 "$T/out" >"$T/usage"
expect_same "$T/usage" "$T/synopsis" "-h begins with the man page SYNOPSIS"

# Every error kind and method the code can give is documented.
for k in no_text empty binary reasoning_only no_code wrong_language \
    empty_block entry_point_missing; do
	check "error kind $k is documented" grep -q "^\.It Cm $k\$" "$man1"
	[ $k = no_text ] ||	# the program's, not the library's
	check "error kind $k is in extract.h" \
	    grep -q "^ \*   $k " "$TOP/lib/extract.h"
done
for m in fence+lang fence fence+compat entry_point raw; do
	check "method $m is documented" grep -q "^\.It Cm $m\$" "$man1"
done

# The examples of the man page run.
cd "$T" && {
	rec '```python
def f():
    return 1
print(f())
```' python f
	rec 'No code here, sorry about that problem.' python f
} >answers.ndjson
run sh -c "$(sed -n '/^ab-extract -f answers/p' "$man1")"
expect_rc 1 "the -f example runs (one answer has no code)"
expect_jq extracted.ndjson '.[0].extract.code == "def f():\n    return 1\n"' \
    "the -f example keeps the function"
ex=$(sed -n '/^jq -r .select/,/extracted.ndjson | sort/p' "$man1" |
    sed 's/\\e$/\\/')
run sh -c "$ex"
expect_rc 0 "the jq example runs"
expect_text "$T/out" "      1 no_code" "the jq example counts the kinds"

done_testing
