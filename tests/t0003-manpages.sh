#!/bin/sh
# Every program has a man page whose SYNOPSIS is what -h prints, and every
# page renders without warnings and documents the exit statuses.
. "$(dirname "$0")/lib.sh"

command -v groff >/dev/null 2>&1 || skip_all "groff is not installed"

# Print one synopsis form a line, whitespace folded.
forms() {
	awk -v p="$1" '
	{ sub(/^[ \t]+/, ""); gsub(/[ \t]+/, " ") }
	$0 == "" { next }
	$1 == p { if (f != "") print f; f = $0; next }
	{ f = f " " $0 }
	END { if (f != "") print f }'
}

for p in ab-gen ab-extract ab-exec ab-score ab-store ab-rank ab-run; do
	page="$TOP/share/man/man1/$p.1"
	if [ ! -f "$page" ]; then
		not_ok "$p has a man page"
		continue
	fi
	ok "$p has a man page"
	LC_ALL=C.UTF-8 groff -mdoc -Tutf8 -rLL=400n -ww -z "$page" 2>"$T/warn"
	check "$p.1 renders without warnings" test ! -s "$T/warn"
	[ -s "$T/warn" ] && diag "$(head -n 5 "$T/warn")"
	# One rendering, in lines long enough that the SYNOPSIS is not
	# broken, serves for the synopsis and for the sections.
	LC_ALL=C groff -mdoc -Tascii -rLL=400n "$page" 2>/dev/null | col -bx \
	    >"$T/text"
	sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$T/text" | sed '1d;$d' |
	    sed 's/\([^ ]\)-\s*$/\1-/' | forms "$p" >"$T/man"
	# The usage: line and the indented lines that continue it.
	"$p" -h 2>/dev/null | awk '/^usage:/ { u = 1; sub(/^usage:/, ""); print; next }
	    u && /^[ \t]/ { print; next } { u = 0 }' | forms "$p" >"$T/help"
	expect_same "$T/help" "$T/man" "$p -h matches the SYNOPSIS of $p(1)"
	expect_contains "$T/text" "EXIT STATUS" "$p(1) documents the exit status"
done
for page in "$TOP"/share/man/man5/*.5 "$TOP"/share/man/man7/*.7; do
	[ -f "$page" ] || continue
	LC_ALL=C.UTF-8 groff -mdoc -Tutf8 -ww -z "$page" 2>"$T/warn"
	check "${page##*/} renders without warnings" test ! -s "$T/warn"
	[ -s "$T/warn" ] && diag "$(head -n 5 "$T/warn")"
done
# ab-lang(5) lists every member the shipped descriptors use, and every
# member the descriptor parser (lib/exec/lang.c) accepts.
page="$TOP/share/man/man5/ab-lang.5"
if [ -f "$page" ]; then
	ok "ab-lang(5) exists"
	sed -n 's/^\.It Li //p' "$page" | tr -s ', ' '\n\n' | sort -u >"$T/documented"
	jq -r '(keys[]), (.[] | objects | keys[]), (.[] | objects | .zygote? //
	    {} | keys[])' "$TOP"/share/ab/lang/*.json | sort -u >"$T/used"
	awk '/static const char \*const known\[\]/, /NULL };/' \
	    "$TOP/lib/exec/lang.c" | grep -o '"[a-z_]*"' | tr -d '"' |
	    sort -u >"$T/parsed"
	check "the descriptor parser's member list was read" test -s "$T/parsed"
	check "the shipped descriptors were read" test -s "$T/used"
	comm -23 "$T/used" "$T/documented" >"$T/undoc"
	expect_same "$T/undoc" /dev/null \
	    "ab-lang(5) documents every member the descriptors use"
	comm -23 "$T/parsed" "$T/documented" >"$T/undoc"
	expect_same "$T/undoc" /dev/null \
	    "ab-lang(5) documents every member the parser accepts"
else
	not_ok "ab-lang(5) exists"
fi
done_testing
