#!/bin/sh
# The HTML report in a real headless Chromium: it loads with no console
# errors, every chart has drawn marks, sorting a table works (the page's
# own #selftest, its DOM read back over tests/cdp.py), and a broken page fails the
# same check.  A screenshot is kept as tests/out/ab-rank-report.png.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

$PY "$TOP/tests/rank/gen.py" --configs 4 --tasks 21 --samples 3 --runs 3 \
    --moa --regress >g.ndjson
run ab-rank -o report.html g.ndjson
expect_rc 0 "ab-rank -o report.html"
check "the report is written" test -s report.html

# Self-contained: nothing is fetched.
check "no external scripts, styles, fonts or images" \
    sh -c "! grep -Eiq '<link|<img|src=|@import|url\\(|https?://[^\"]*\"' report.html ||
        ! grep -Eio 'https?://[a-z0-9./-]*' report.html | grep -vqx 'http://www.w3.org/2000/svg'"
expect_contains report.html '<details><summary>' "each attempt's code is viewable"
for id in chart-leaderboard chart-radar chart-hist chart-score-cost \
    chart-score-time chart-heatmap chart-trends; do
	expect_contains report.html "id=\"$id\"" "the report has $id"
done

CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	command -v $c >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
if [ -z "$CHROMIUM" ]; then
	skip "chromium is not installed (make deps): browser checks skipped"
	done_testing
	exit
fi

selftest() {
	$PY -c "
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id=\"selftest-result\">(.*?)</pre>', s, re.S)
print(m.group(1) if m else 'SELFTEST DID NOT RUN')" "$1"
}

export CHROMIUM
chromium_dom "file://$T/report.html#selftest" dom.html chrome.err
check "chromium ran" test -s dom.html
selftest dom.html >selftest.txt
if grep -q '^SELFTEST PASS' selftest.txt; then
	ok "the page's self-test passes in Chromium"
else
	not_ok "the page's self-test passes in Chromium"
	diag "$(cat selftest.txt)"
fi
check "every one of the 7 charts has marks" \
    test "$(grep -c '^ok chart .* marks$' selftest.txt)" -eq 7
expect_contains selftest.txt "ok ascending sort" "sorting ascending works"
expect_contains selftest.txt "ok descending sort" "sorting descending works"
if grep -E 'CONSOLE|Uncaught' chrome.err >console.txt; then
	not_ok "no console messages"
	diag "$(head -n 5 console.txt)"
else
	ok "no console messages"
fi

# The check can fail: a chart without marks and a script error.
sed 's/<rect class="mark"/<rect class="x"/g' report.html >broken.html
printf '<script>null.boom();</script>\n' >>broken.html
chromium_dom "file://$T/broken.html#selftest" dom2.html chrome2.err
selftest dom2.html >selftest2.txt
expect_contains selftest2.txt "SELFTEST FAIL" "a broken page fails its self-test"
expect_contains selftest2.txt "FAIL chart chart-hist has no marks" \
    "... naming the empty chart"
if grep -q 'CONSOLE' chrome2.err; then ok "a script error reaches the console log"
else not_ok "a script error reaches the console log"; fi

# No prices known: the cost chart says "no data", and the self-test
# accepts an empty chart that says why (it used to fail the page).
jq -c 'del(.gen.cost_usd) | if .gen.calls then .gen.calls |= map(del(.cost_usd)) else . end' \
    g.ndjson >noprice.ndjson
run ab-rank -o noprice.html noprice.ndjson
expect_rc 0 "ab-rank -o noprice.html (no costs in the input)"
chromium_dom "file://$T/noprice.html#selftest" dom3.html chrome3.err
selftest dom3.html >selftest3.txt
expect_contains selftest3.txt "SELFTEST PASS" \
    "with no prices the page's self-test passes"
expect_contains selftest3.txt "ok chart chart-score-cost empty: no data" \
    "... and says the cost chart is empty for want of data"

# The screenshot, kept for people to look at.
mkdir -p "$TOP/tests/out"
chromium_shot "file://$T/report.html" "$TOP/tests/out/ab-rank-report.png" \
    1400 3000 >shot.out 2>shot.err
check "a screenshot is kept in tests/out/ab-rank-report.png" \
    test -s "$TOP/tests/out/ab-rank-report.png"
done_testing
