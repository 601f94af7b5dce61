#!/bin/sh
# The report's transcripts: each task's prompt and each configuration's
# first attempt side by side (answer, extracted code, tests with expected
# and actual values, score), the same from records and from a database,
# hostile text escaped and bounded, and in a real headless Chromium a line
# diff of two configurations' answers and code drawn by the page.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# rec ID CONFIG SAMPLE TASK VERDICT ANSWER CODE ACTUAL
rec() {
	jq -cn --arg id "$1" --arg c "$2" --argjson s "$3" --arg t "$4" \
	    --arg v "$5" --arg ans "$6" --arg code "$7" --argjson act "$8" '
	{id: $id, run: "r1", sample: $s,
	 task: {id: $t, language: "python", prompt:
	    ("Write add(a, b) for " + $t + ". </script><script>alert(1)</script>")},
	 config: {name: $c, hash: ("h-" + $c)},
	 gen: {text: $ans, latency_ms: 10},
	 extract: {code: $code, language: "python"},
	 exec: {verdict: $v, passed: (if $v == "ok" then 2 else 1 end), total: 2,
	    tests: [{name: "add(1, 2)", verdict: (if $v == "ok" then "ok" else "wrong_answer" end),
	             expected: 3, actual: $act, error: null},
	            {name: "add(0, 0)", verdict: "ok", expected: 0, actual: 0}]},
	 score: {total: (if $v == "ok" then 90 else 40 end), grade: (if $v == "ok" then "A" else "D" end)}}'
}
GOOD='def add(a, b):
    return a + b
'
BAD='def add(a, b):
    return a - b
'
for t in t-add t-sum; do
	for s in 0 1; do
		rec "$t/alpha/$s" alpha $s $t ok "Here it is:
\`\`\`python
$GOOD\`\`\`" "$GOOD" 3
		rec "$t/beta/$s" beta $s $t wrong_answer "Sure. <b>bold</b>
\`\`\`python
$BAD\`\`\`" "$BAD" -1
	done
done >recs.ndjson
# An attempt that failed before an answer: only its error to show.
jq -cn '{id: "t-add/gamma/0", run: "r1", sample: 0, task: {id: "t-add", language: "python"},
    config: {name: "gamma", hash: "h-gamma"},
    gen: {error: {kind: "provider", message: "HTTP 500 after 3 tries"}},
    extract: {skipped: "gen_error"}, exec: {skipped: "gen_error"}}' >>recs.ndjson
check "the fixture has 9 records" test "$(wc -l <recs.ndjson)" -eq 9

run ab-rank -o report.html recs.ndjson
expect_rc 0 "ab-rank -o report.html"
# section TEXT FILE: the transcripts section alone.
section() {
	sed -n '/<section id="transcripts">/,/^<\/section>/p' "$1"
}
section report.html >tx.html
check "the report has a transcripts section" test -s tx.html
n=$(grep -o '<details class="txtask"' tx.html | wc -l)
check "one transcript block per task (2)" test "$n" -eq 2
n=$(grep -o '<div class="txcol">' tx.html | wc -l)
check "t-add has three configurations, t-sum two (5 columns)" test "$n" -eq 5
n=$(grep -o 'data-selftest' tx.html | wc -l)
check "one block is marked for the page's self-test" test "$n" -eq 1
expect_contains tx.html '<option value="alpha" selected>alpha</option>' \
    "configuration A defaults to the leader"
expect_contains tx.html '<pre class="ans">Here it is:' "the answer is shown whole"
expect_contains tx.html '<pre class="code">def add(a, b):
    return a - b' "the extracted code is shown"
expect_contains tx.html '<td><code>3</code></td><td><code>-1</code></td>' \
    "a failing test shows expected and actual"
expect_contains tx.html 'score <b>40.0</b>, grade D' "the score and grade"
expect_contains tx.html 'gen error <b>provider</b>: HTTP 500 after 3 tries' \
    "an attempt without an answer shows its error"
expect_contains tx.html '<pre class="prompt">Write add(a, b) for t-add. &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre>' \
    "the prompt is shown once per task, escaped"
expect_not_contains tx.html '<b>bold</b>' "the model's HTML is not markup"
n=$(grep -o '<script' report.html | wc -l)
check "one script element, the page's own" test "$n" -eq 1
# The attempts table keeps its code only (the page stays small); the
# attempt without code says so.
n=$(sed -n '/<section id="attempts">/,$p' report.html | grep -o '<div class="tx">' | wc -l)
check "no transcripts in the attempts table" test "$n" -eq 0
n=$(sed -n '/<section id="attempts">/,$p' report.html | grep -o '<p class="none">no code</p>' | wc -l)
check "the attempt without code says so" test "$n" -eq 1

# ---- from a database: the same section ----
must ab-store -d t.db recs.ndjson >/dev/null
run ab-rank -d t.db -o db.html
expect_rc 0 "ab-rank -d -o db.html"
section db.html >txdb.html
expect_same txdb.html tx.html "the database gives the same transcripts"

# ---- bounded: a 1 MB answer and 5,000 tests ----
jq -c 'select(.id == "t-add/beta/0") | .id = "big/beta/0" | .task.id = "big" |
    .gen.text = ("x" * 1000000) | .exec.tests = [range(5000) |
    {name: ("t" + tostring), verdict: "ok", expected: ("e" * 2000), actual: 1}]' \
    recs.ndjson >big.ndjson
run ab-rank -o big.html big.ndjson
expect_rc 0 "a huge attempt"
sz=$(wc -c <big.html)
check "the report stays bounded ($sz bytes < 500000)" test "$sz" -lt 500000
expect_contains big.html '[983616 more bytes]' "the answer is cut, with a marker"
expect_contains big.html '4900 more tests not shown' "the tests are cut"

# ---- in Chromium: the page draws the diff ----
need_chromium
chromium_dom "file://$T/report.html#selftest" dom.html chrome.err
check "chromium ran" test -s dom.html
python3 -c "
import html, re, sys
s = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id=\"selftest-result\">(.*?)</pre>', s, re.S)
print(html.unescape(m.group(1)) if m else 'SELFTEST DID NOT RUN')" dom.html >selftest.txt
expect_contains selftest.txt 'SELFTEST PASS' "the page's self-test passes"
expect_contains selftest.txt 'ok transcript diff 6 changed lines' \
    "the diff marks the answer's two changed lines and the code's one (6 lines)"
expect_contains selftest.txt '-    return a + b
+    return a - b' "removed and added lines in order"
expect_contains selftest.txt ' def add(a, b):' "unchanged lines as context"
expect_no_console chrome.err
n=$(grep -o '<span class="da">' dom.html | wc -l)
check "added lines are marked in the page (3)" test "$n" -eq 3
done_testing
