#!/bin/sh
# The live dashboard of ab-rank --serve in a real headless Chromium, driven
# over the DevTools protocol (tests/cdp.py): it loads with no console
# errors; the leaderboard, the analysis (the report's own charts), agent
# trials, consistency, power and attempts tabs draw data; records that
# ab-store ingests while the page is open (a new configuration and a new
# agent) appear without a reload, every one of those tabs is redrawn with
# them, and the new attempt opens (the page's own #selftest).  A page that
# never sees the attempt fails the same check.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v curl >/dev/null || skip_all "no curl"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
need_chromium
export CHROMIUM

$PY "$TOP/tests/rank/gen.py" --configs 3 --tasks 8 --samples 2 --runs 2 \
    >g.ndjson
must ab-store -d r.db <g.ndjson >/dev/null
# Agent trials (real records, tests/rank/trials.ndjson) for the trials tab.
must ab-store -d r.db <"$TOP/tests/rank/trials.ndjson" >/dev/null
# What arrives while the page is open, in a new run: a new configuration
# (cfg-0's attempts again) and a new agent's trial, so that every tab's
# view changes.  The page waits for the last of them.
H=$(printf 'f%.0s' $(seq 64))
jq -c --arg h "$H" 'select(.config.name == "cfg-0" and .run == "run-0") |
    .config.name = "cfg-late" | .config.hash = $h |
    .id |= sub("/cfg-0/"; "/cfg-late/") | .run = "late-run"' g.ndjson >late.ndjson
H=$(printf 'e%.0s' $(seq 64))
head -n 1 "$TOP/tests/rank/trials.ndjson" | jq -c --arg h "$H" '
    .config.name = "agent-late" | .config.hash = $h |
    .id |= sub("/scripted/"; "/agent-late/") | .run = "late-run"' >>late.ndjson
LATE=$(tail -n 1 late.ndjson | jq -r .id)
[ "$(wc -l <late.ndjson)" -gt 2 ] || { not_ok "the late records are made"; done_testing; exit; }

PIDS=
cleanup() { jq_flush; for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
timeout 300 ab-rank --serve 0 r.db 2>srv.err &
srv=$!
PIDS=$srv
PORT=
for _i in $(seq 50); do
	PORT=$(sed -n 's|.*serving .* at http://.*:\([0-9][0-9]*\)/$|\1|p' srv.err)
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "$PORT" ] || { not_ok "the server starts"; diag "$(cat srv.err)"; done_testing; exit; }
URL=http://127.0.0.1:$PORT

# The page is driven over the DevTools protocol (tests/cdp.py): once it
# has drawn every view and waits for the late attempt (window.abReady),
# ab-store ingests the late records; the page's self-test then reports.
selftest() {
	timeout 300 $PY "$TOP/tests/cdp.py" selftest "$1" "$2" >"$3" 2>"$4"
}
selftest "$URL/#selftest&expect=$LATE" \
    "ab-store -d '$T/r.db' <'$T/late.ndjson' >/dev/null" selftest.txt cdp.err
if grep -q '^SELFTEST PASS' selftest.txt; then
	ok "the dashboard's self-test passes in Chromium"
else
	not_ok "the dashboard's self-test passes in Chromium"
	diag "$(cat selftest.txt cdp.err)"
fi
expect_contains selftest.txt "ok leaderboard 7 rows" "the leaderboard is drawn"
$PY - selftest.txt >tabs.txt <<'EOF2'
import re, sys
for l in open(sys.argv[1]):
    m = re.match(r'ok (analysis|trials|consistency|power) (\d+) (marks|rows)$', l.strip())
    if m and int(m.group(2)) > 0:
        print(m.group(1))
EOF2
printf 'analysis\ntrials\nconsistency\npower\n' >tabs.want
expect_same tabs.txt tabs.want \
    "the analysis (the report's charts), trials, consistency and power tabs draw data"
expect_contains selftest.txt "ok new attempt $LATE appeared" \
    "an attempt ingested while the page is open appears without a reload"
expect_contains selftest.txt "ok attempt detail" \
    "... and opens with its prompt, answer, code and tests"
for t in leaderboard analysis trials consistency power; do
	expect_contains selftest.txt "ok $t redrawn with the new attempts" \
	    "the $t tab is redrawn with the attempts ingested while the page is open, without a reload"
done
expect_no_console cdp.err

# The check can fail: an attempt that never arrives is reported.
selftest "$URL/#selftest&expect=no-such-attempt&tries=2&wait=1" "" selftest2.txt cdp2.err
expect_contains selftest2.txt "SELFTEST FAIL" \
    "a page that never sees the attempt fails its self-test"

# The screenshot, kept for people to look at.
mkdir -p "$TOP/tests/out"
chromium_shot "$URL/#selftest" "$TOP/tests/out/ab-rank-dashboard.png" \
    1400 1000 'window.abReady === true' >shot.out 2>shot.err
check "a screenshot is kept in tests/out/ab-rank-dashboard.png" \
    test -s "$TOP/tests/out/ab-rank-dashboard.png"
kill -TERM $srv; wait $srv
done_testing
