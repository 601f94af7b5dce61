#!/bin/sh
# The live dashboard of ab-rank --serve in a real headless Chromium: it
# loads with no console errors, draws the leaderboard and the attempts,
# and an attempt that ab-store ingests while the page is open appears
# without a reload, and opens (the page's own #selftest, read back with
# --dump-dom).  A page that never sees the attempt fails the same check.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v curl >/dev/null || skip_all "no curl"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	command -v $c >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (make deps)"

$PY "$TOP/tests/rank/gen.py" --configs 3 --tasks 8 --samples 2 --runs 2 \
    >g.ndjson
must ab-store -d r.db <g.ndjson >/dev/null
# One more attempt, of a new run, to arrive while the page is open.
head -n 1 g.ndjson | sed 's/"run":"run-0"/"run":"late-run"/;
    s/@run-0"/@late-run"/' >late.ndjson
LATE=$(jq -r .id late.ndjson)

PIDS=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; }
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

# chrome URL OUT ERR: a bounded headless run that dumps the DOM.  Virtual
# time stands still while a request is pending, so the page's long poll
# holds it until the server answers.
chrome() {
	_ud=$(mktemp -d "$T/chrome.XXXXXX")
	timeout 120 $CHROMIUM --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$_ud" --enable-logging=stderr --v=0 \
	    --virtual-time-budget=60000 --dump-dom "$1" >"$2" 2>"$3"
	_rc=$?
	rm -rf "$_ud"
	return $_rc
}
selftest() {
	$PY -c "
import re, sys, html
s = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id=\"selftest-result\">(.*?)</pre>', s, re.S)
print(html.unescape(m.group(1)) if m else 'SELFTEST DID NOT RUN')" "$1"
}

# The page opens; 3 s later (it is waiting on its long poll by then) the
# late attempt is ingested.
( sleep 3; ab-store -d r.db <late.ndjson >/dev/null 2>ingest.err ) &
ing=$!
chrome "$URL/#selftest&expect=$LATE" dom.html chrome.err
wait $ing
check "chromium ran" test -s dom.html
selftest dom.html >selftest.txt
if grep -q '^SELFTEST PASS' selftest.txt; then
	ok "the dashboard's self-test passes in Chromium"
else
	not_ok "the dashboard's self-test passes in Chromium"
	diag "$(cat selftest.txt)"
fi
expect_contains selftest.txt "ok leaderboard 3 rows" "the leaderboard is drawn"
expect_contains selftest.txt "ok new attempt $LATE appeared" \
    "an attempt ingested while the page is open appears without a reload"
expect_contains selftest.txt "ok attempt detail" \
    "... and opens with its prompt, answer, code and tests"
if grep -E 'CONSOLE|Uncaught' chrome.err >console.txt; then
	not_ok "no console messages"
	diag "$(head -n 5 console.txt)"
else
	ok "no console messages"
fi

# The check can fail: an attempt that never arrives is reported.
chrome "$URL/#selftest&expect=no-such-attempt&tries=2" dom2.html chrome2.err
selftest dom2.html >selftest2.txt
expect_contains selftest2.txt "SELFTEST FAIL" \
    "a page that never sees the attempt fails its self-test"

# The screenshot, kept for people to look at.
mkdir -p "$TOP/tests/out"
_ud=$(mktemp -d "$T/chrome.XXXXXX")
timeout 120 $CHROMIUM --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$_ud" --virtual-time-budget=3000 \
    --window-size=1400,1000 --hide-scrollbars \
    --screenshot="$TOP/tests/out/ab-rank-dashboard.png" "$URL/#selftest" \
    >shot.out 2>shot.err
rm -rf "$_ud"
check "a screenshot is kept in tests/out/ab-rank-dashboard.png" \
    test -s "$TOP/tests/out/ab-rank-dashboard.png"
kill -TERM $srv; wait $srv
done_testing
