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
sleep 1
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
sleep 1.5
cp tty.out tty-mid.out
cat rest.ndjson >&7
exec 7>&-
wait $sr
expect_contains tty-mid.out "done/expected" \
    "on a terminal, the live table is drawn while records arrive"
expect_contains tty-mid.out "ab-rank: 30 attempts, 2 configurations" \
    "... counting the attempts read so far"
$PY - tty-mid.out >mid-row.txt <<'EOF'
import re, sys
s = open(sys.argv[1], encoding='utf-8', errors='replace').read()
last = s.split('\x1b[H\x1b[2J')[-1]
for line in last.splitlines():
    if line.startswith('cfg-'):
        print(re.sub(r'\s+', ' ', line.strip()))
EOF
check "... one row per configuration, with pass rate, interval, done/expected, cost and errors" \
    sh -c "[ \$(grep -cE '^cfg-[0-9] +[0-9.]+% \\[[0-9.]+, [0-9.]+\\] [0-9]+/[0-9]+ [0-9.]+ [0-9]+\$' mid-row.txt) = 2 ]"
[ "$(grep -c . mid-row.txt)" = 2 ] || diag "$(cat tty-mid.out | tr '\033' '^' | tail -n 8)"
$PY - tty.out >tty-final.out <<'EOF'
import sys
s = open(sys.argv[1], encoding='utf-8', errors='replace').read()
# script(1) writes a header and footer line; the pty turns \n into \r\n.
body = s.split('\x1b[H\x1b[2J')[-1].replace('\r\n', '\n')
lines = [l for l in body.split('\n') if l.startswith('{')]
sys.stdout.write(''.join(l + '\n' for l in lines))
EOF
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
sleep 1
cat first.ndjson >&7
sleep 2
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
$PY - dtty-mid.out >dmid-row.txt <<'EOF2'
import re, sys
s = open(sys.argv[1], encoding='utf-8', errors='replace').read()
last = s.split('\x1b[H\x1b[2J')[-2 if s.endswith('\x1b[H\x1b[2J') else -1]
for line in last.splitlines():
    if line.startswith('cfg-'):
        print(re.sub(r'\s+', ' ', line.strip()))
EOF2
check "... one row per configuration, with pass rate, interval, done/expected, cost and errors" \
    sh -c "[ \$(grep -cE '^cfg-[0-9] +[0-9.]+% \\[[0-9.]+, [0-9.]+\\] [0-9]+/[0-9]+ [0-9.]+ [0-9]+\$' dmid-row.txt) = 2 ]"
run ab-rank -f ndjson -d f.db
cp "$T/out" dplain.out
$PY - dtty.out >dtty-final.out <<'EOF2'
import sys
s = open(sys.argv[1], encoding='utf-8', errors='replace').read()
body = s.split('\x1b[H\x1b[2J')[-1].replace('\r\n', '\n')
sys.stdout.write(''.join(l + '\n' for l in body.split('\n') if l.startswith('{')))
EOF2
check "... then the screen is cleared and the output of the whole database follows" \
    sh -c "[ -s dplain.out ] && cmp -s dtty-final.out dplain.out && [ \$(wc -l <dplain.out) = 3 ]"
[ "$(grep -c . dmid-row.txt)" = 2 ] || diag "$(tr '\033' '^' <dtty-mid.out | tail -n 8)"

# Nothing is running now: SIGINT ends the following, and the output of the
# database as it stands follows (exit 0).
timeout 60 script -qfec "sh -c 'echo \$\$ >rank.pid; exec ab-rank --follow -f ndjson -d f.db'" \
    itty.out >/dev/null 2>&1 &
sr=$!
sleep 1.5
kill -INT "$(cat rank.pid)"
wait $sr
irc=$?
$PY - itty.out >itty-final.out <<'EOF2'
import sys
s = open(sys.argv[1], encoding='utf-8', errors='replace').read()
body = s.split('\x1b[H\x1b[2J')[-1].replace('\r\n', '\n')
sys.stdout.write(''.join(l + '\n' for l in body.split('\n') if l.startswith('{')))
EOF2
check "--follow -d ends at SIGINT with exit 0 and the output of the database" \
    sh -c "[ $irc = 0 ] && cmp -s itty-final.out dplain.out"

# With -r, following ends when the runs named are in the database and
# finished: here a run that does not exist yet.  In a pipe, nothing is
# printed until then.
sed 's/"run":"run-0"/"run":"late"/; s/@run-0"/@late"/' first.ndjson >late.ndjson
timeout 60 ab-rank --follow -f ndjson -r late -d f.db >late.out 2>late.err &
fr=$!
sleep 1
check "--follow -d -r late: nothing printed while the run is not there" \
    test ! -s late.out
must ab-store -d f.db <late.ndjson >/dev/null
wait $fr
lrc=$?
run ab-rank -f ndjson -r late -d f.db
check "... and when it is stored and finished, the output for it (exit 0)" \
    sh -c "[ $lrc = 0 ] && [ -s late.out ] && cmp -s late.out '$T/out'"
done_testing
