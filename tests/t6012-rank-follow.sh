#!/bin/sh
# ab-rank --follow: on a terminal, a live leaderboard redrawn while records
# arrive (pass rate with interval, done/expected, cost, errors), then the
# normal output; in a pipe nothing until the end, and then exactly the
# output without --follow.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
$PY "$TOP/tests/rank/gen.py" --configs 3 --tasks 10 --samples 2 --runs 1 \
    >g.ndjson
printf 'not json\n' >>g.ndjson

# until SECS COMMAND...: run COMMAND every 0.05 s until it succeeds, for
# at most SECS seconds (a condition waited on, not a fixed sleep); false
# when it never did (the checks that follow then fail).
until_ok() {
	_u=$(($1 * 20))
	shift
	while ! "$@"; do
		[ $_u -gt 0 ] || return 1
		_u=$((_u - 1))
		sleep 0.05
	done
}
# has_read PID BYTES: process PID has read at least BYTES (its rchar,
# shared libraries included).
has_read() {
	_r=$(sed -n 's/^rchar: //p' "/proc/$1/io" 2>/dev/null)
	[ "${_r:-0}" -ge "$2" ]
}
# frame FILE rows|json: the last screen drawn in FILE, after the last
# home-and-clear (the one before when FILE ends with one), without the
# terminal's carriage returns: its configuration rows with their spaces
# squeezed, or its JSON lines.
frame() {
	awk -v what="$2" 'BEGIN { RS = "\033\\[H\033\\[2J" }
	{ last = $0 }
	END {
		n = split(last, L, "\n")
		for (i = 1; i <= n; i++) {
			l = L[i]
			sub(/\r$/, "", l)
			if (what == "rows" && l ~ /^cfg-/) {
				gsub(/[ \t\r\f\v]+/, " ", l)
				sub(/^ /, "", l)
				sub(/ $/, "", l)
				print l
			} else if (what == "json" && l ~ /^\{/)
				print l
		}
	}' "$1"
}
# drawn FILE TEXT ROWS: the last screen in FILE says TEXT and its ROWS
# configuration rows are whole (each ends its line).
drawn() {
	awk -v want="$2" -v rows="$3" 'BEGIN { RS = "\033\\[H\033\\[2J" }
	{ last = $0 }
	END {
		n = split(last, L, "\n")
		for (i = 1; i < n; i++)
			c += (L[i] ~ /^cfg-/)
		exit !(index(last, want) > 0 && c >= rows)
	}' "$1"
}
# has_open PID NAME: process PID has a file named NAME open.
has_open() {
	case $(ls -l "/proc/$1/fd" 2>/dev/null) in
	*"$2"*) return 0 ;;
	esac
	return 1
}
# cleared FILE: a screen has been drawn in FILE.
cleared() { grep -q "$(printf '\033')\\[H" "$1" 2>/dev/null; }

run ab-rank -f ndjson g.ndjson
cp "$T/out" plain.out
plain_rc=$rc
run ab-rank --follow -f ndjson g.ndjson
check "in a pipe, --follow prints exactly what ab-rank prints (and exits as it does, $plain_rc)" \
    sh -c "cmp -s '$T/out' plain.out && [ $rc = $plain_rc ] && [ -s plain.out ]"
expect_contains "$T/err" "g.ndjson:61" "a bad line is reported with its file and line"
run ab-rank --follow -f ndjson -d x.db
expect_rc 2 "--follow -d on a database that does not exist"
expect_contains "$T/err" "x.db" "... names it"

# In a pipe, nothing until the input ends.
head -n 30 g.ndjson >first.ndjson
tail -n +31 g.ndjson >rest.ndjson
mkfifo in.fifo
ab-rank --follow -f ndjson <in.fifo >pipe.out 2>pipe.err &
fr=$!
exec 7>in.fifo
cat first.ndjson >&7
# Once it has read them (and a moment more), it has printed nothing.
until_ok 10 has_read $fr "$(wc -c <first.ndjson)"
sleep 0.2
check "in a pipe, nothing is printed while records arrive" test ! -s pipe.out
cat rest.ndjson >&7
exec 7>&-
wait $fr
check "... and at the end the normal output" cmp -s pipe.out plain.out

# On a terminal (script(1) gives one): the live table, then the output.
command -v script >/dev/null 2>&1 ||
    skip_env "script(1) is not installed (util-linux): the terminal checks are skipped"
rm -f in.fifo
mkfifo in.fifo
COLUMNS=100 timeout 60 script -qfec "ab-rank --follow -f ndjson <in.fifo" \
    tty.out >/dev/null 2>&1 &
sr=$!
exec 7>in.fifo
cat first.ndjson >&7
until_ok 20 drawn tty.out "ab-rank: 30 attempts" 2
cp tty.out tty-mid.out
cat rest.ndjson >&7
exec 7>&-
wait $sr
expect_contains tty-mid.out "done/expected" \
    "on a terminal, the live table is drawn while records arrive"
expect_contains tty-mid.out "ab-rank: 30 attempts, 2 configurations" \
    "... counting the attempts read so far"
frame tty-mid.out rows >mid-row.txt
check "... one row per configuration, with pass rate, interval, done/expected, cost and errors" \
    sh -c "[ \$(grep -cE '^cfg-[0-9] +[0-9.]+% \\[[0-9.]+, [0-9.]+\\] [0-9]+/[0-9]+ [0-9.]+ [0-9]+\$' mid-row.txt) = 2 ]"
[ "$(grep -c . mid-row.txt)" = 2 ] || diag "$(cat tty-mid.out | tr '\033' '^' | tail -n 8)"
frame tty.out json >tty-final.out
check "at the end, the screen is cleared and the normal output follows" \
    cmp -s tty-final.out plain.out

# --follow -d: a database that ab-store is writing.  The live table is
# redrawn as ab-store commits; following ends by itself when the run that
# was seen running is finished, with the output of the database as it
# then stands.
must ab-store -d f.db </dev/null >/dev/null
rm -f in.fifo
mkfifo in.fifo
ab-store -d f.db --batch 1 <in.fifo >/dev/null 2>store.err &
st=$!
exec 7>in.fifo
COLUMNS=100 timeout 60 script -qfec "ab-rank --follow -f ndjson -d f.db" \
    dtty.out >/dev/null 2>&1 7>&- &
sr=$!
# Once it follows (it has drawn a screen), the first records.
until_ok 20 cleared dtty.out
cat first.ndjson >&7
until_ok 20 drawn dtty.out "ab-rank: 30 attempts" 2
cp dtty.out dtty-mid.out
cat rest.ndjson >&7
exec 7>&-
wait $st
wait $sr
drc=$?
check "--follow -d ends by itself when the run it saw running is finished (exit 0)" \
    test "$drc" = 0
expect_contains dtty-mid.out "ab-rank: 30 attempts, 2 configurations" \
    "--follow -d: the live table shows what ab-store has committed so far"
frame dtty-mid.out rows >dmid-row.txt
check "... one row per configuration, with pass rate, interval, done/expected, cost and errors" \
    sh -c "[ \$(grep -cE '^cfg-[0-9] +[0-9.]+% \\[[0-9.]+, [0-9.]+\\] [0-9]+/[0-9]+ [0-9.]+ [0-9]+\$' dmid-row.txt) = 2 ]"
run ab-rank -f ndjson -d f.db
cp "$T/out" dplain.out
frame dtty.out json >dtty-final.out
check "... then the screen is cleared and the output of the whole database follows" \
    sh -c "[ -s dplain.out ] && cmp -s dtty-final.out dplain.out && [ \$(wc -l <dplain.out) = 3 ]"
[ "$(grep -c . dmid-row.txt)" = 2 ] || diag "$(tr '\033' '^' <dtty-mid.out | tail -n 8)"

# Nothing is running now: SIGINT ends the following, and the output of the
# database as it stands follows (exit 0).
timeout 60 script -qfec "sh -c 'echo \$\$ >rank.pid; exec ab-rank --follow -f ndjson -d f.db'" \
    itty.out >/dev/null 2>&1 &
sr=$!
until_ok 20 cleared itty.out
kill -INT "$(cat rank.pid)"
wait $sr
irc=$?
frame itty.out json >itty-final.out
check "--follow -d ends at SIGINT with exit 0 and the output of the database" \
    sh -c "[ $irc = 0 ] && cmp -s itty-final.out dplain.out"

# With -r, following ends when the runs named are in the database and
# finished: here a run that does not exist yet.  In a pipe, nothing is
# printed until then.
sed 's/"run":"run-0"/"run":"late"/; s/@run-0"/@late"/' first.ndjson >late.ndjson
ab-rank --follow -f ndjson -r late -d f.db >late.out 2>late.err &
fr=$!
watch 60 $fr
# Once it has the database open (and a poll or two more), nothing yet.
until_ok 20 has_open $fr /f.db
sleep 0.3
check "--follow -d -r late: nothing printed while the run is not there" \
    test ! -s late.out
must ab-store -d f.db <late.ndjson >/dev/null
wait $fr
lrc=$?
unwatch
run ab-rank -f ndjson -r late -d f.db
check "... and when it is stored and finished, the output for it (exit 0)" \
    sh -c "[ $lrc = 0 ] && [ -s late.out ] && cmp -s late.out '$T/out'"
done_testing
