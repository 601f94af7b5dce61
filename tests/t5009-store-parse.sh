#!/bin/sh
# ab-store reads records with its own parser where it can and jansson's
# where it cannot: every line jansson refuses is refused with jansson's
# message (numbers with a leading zero, out of range or cut short,
# duplicate keys, NUL and lone surrogates, control characters, text after
# the record, deep nesting), and every record jansson takes is stored and
# passed on with the same values (escapes, spaces, exponents, -0, huge and
# tiny reals).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v python3 >/dev/null || { skip_all "no python3"; }

python3 - >edge.ndjson <<'PY'
import json
base = {"id": "", "run": "e", "task": {"id": "", "language": "python"},
        "config": {"name": "c", "hash": "h"}, "sample": 0,
        "gen": {"text": "x", "latency_ms": 1.5, "error": None}}
def rec(i, **kw):
    r = json.loads(json.dumps(base))
    r["id"] = "t%d/c/0" % i
    r["task"]["id"] = "t%d" % i
    r.update(kw)
    return json.dumps(r, ensure_ascii=False, separators=(",", ":"))
def lat(i, text):
    return rec(i).replace('"latency_ms":1.5', '"latency_ms":' + text)
L = [
    rec(1, x=0.1, y=-0.0, z=1e-5, u=9223372036854775807,
        v=-9223372036854775807, t=1e300, s=5e-324, q=[1, 2.50, {"a": None}]),
    rec(2, x="caf\u00e9 \U0001F600 \t\n\"\\/"),
    rec(3).replace('"x"', '"\\u00e9\\ud83d\\ude00\\/"'),
    lat(4, "1.50E+2"),
    lat(5, " 01"),
    lat(6, "1e400"),
    lat(7, '1.5,"latency_ms":2'),
    rec(8).replace('"x"', '"\\u0000"'),
    rec(9).replace('"x"', '"\\ud800"'),
    rec(10).replace('"x"', '"a\x01b"'),
    rec(11) + " x",
    rec(12).replace(":", " : ").replace(",", " ,\t"),
    lat(13, "-"),
    lat(14, "truex"),
    lat(15, "[1,]"),
    lat(16, '{"":1,"a\\u0041":2}'),
    lat(17, "1e-400"),
    lat(18, "[" * 250 + "]" * 250),
    lat(19, "-0"),
    "[1,2]",
    rec(20, x=1e15, y=123456.789, z=0.30000000000000004, w=1e-4,
        v=9.999999999999999e14),
    rec(21, w=123456789012345678901234567890),
    rec(22).replace('"id":"t22"', '"id":"t22","id":"t22"'),
    lat(23, "1."),
    lat(24, ".5"),
    lat(25, "nul"),
    lat(26, '"\\x"'),
]
print("\n".join(L))
PY
run ab-store -d s.db edge.ndjson
expect_rc 1 "bad lines: exit 1"
cat >err.want <<'TXT'
ab-store: edge.ndjson:5: invalid JSON: invalid token near '0' (column 141)
ab-store: edge.ndjson:6: invalid JSON: real number overflow near '1e400' (column 144)
ab-store: edge.ndjson:7: invalid JSON: duplicate object key near '"latency_ms"' (column 155)
ab-store: edge.ndjson:8: invalid JSON: \u0000 is not allowed without JSON_ALLOW_NUL near '"\u0000"' (column 130)
ab-store: edge.ndjson:9: invalid JSON: invalid Unicode '\uD800' near '"\ud800"' (column 130)
ab-store: edge.ndjson:10: invalid JSON: control character 0x1 near '"a' (column 126)
ab-store: edge.ndjson:11: invalid JSON: end of file expected near 'x' (column 161)
ab-store: edge.ndjson:13: invalid JSON: invalid token near '-' (column 142)
ab-store: edge.ndjson:14: invalid JSON: invalid token near 'truex' (column 146)
ab-store: edge.ndjson:15: invalid JSON: unexpected token near ']' (column 145)
ab-store: edge.ndjson:20: not a JSON object
ab-store: edge.ndjson:22: invalid JSON: too big integer (column 193)
ab-store: edge.ndjson:23: invalid JSON: duplicate object key near '"id"' (column 49)
ab-store: edge.ndjson:24: invalid JSON: invalid token near '1.' (column 143)
ab-store: edge.ndjson:25: invalid JSON: invalid token near '.' (column 142)
ab-store: edge.ndjson:26: invalid JSON: invalid token near 'nul' (column 144)
ab-store: edge.ndjson:27: invalid JSON: invalid escape near '"\x' (column 144)
TXT
expect_same "$T/err" err.want "each refused with jansson's message"
cp "$T/out" passed.ndjson
check "the other 10 passed on" test "$(wc -l <passed.ndjson)" -eq 10
# The values jansson reads (jq compares them as numbers and strings).
for n in 1 2 3 4 12 16 17 18 21; do
	sed -n "${n}p" edge.ndjson
done | jq -cS . >want.json
jq -cS 'select(.id != "t19/c/0")' passed.ndjson >got.json
expect_same got.json want.json "... with the values read"
# jansson reads the integer -0 as 0 (jq keeps -0)
grep -o '"id":"t19/c/0".*"latency_ms":[^,]*' passed.ndjson | sed 's/.*"latency_ms"://' >z
expect_text z 0 "... -0 as the integer 0"
must ab-store -d s.db export >export.ndjson
# (the first record of a run carries the run in a last member, store)
jq -c 'del(.store)' export.ndjson >export.json
jq -c . passed.ndjson >passed.json
expect_same export.json passed.json "... stored as passed on"
expect_jq passed.ndjson '.[0] | .y == 0 and .u == 9223372036854775807 and .s > 0 and .z == 0.00001' \
    "-0.0, the largest integer and the smallest real"
expect_jq passed.ndjson '.[2].gen.text == "é😀/"' "escapes and surrogate pairs"
expect_jq passed.ndjson '.[3].gen.latency_ms == 150 and .[8].gen.latency_ms == 0' "exponents and underflow"
head -n 1 passed.ndjson | grep -o '"x":[^,]*,"y":[^,]*,"z":[^,]*' >reals
expect_text reals '"x":0.1,"y":-0.0,"z":1e-5' "reals written as ab writes them"
sed -n 10p passed.ndjson | grep -o '"x":.*"v":[^}]*' >reals2
expect_text reals2 '"x":1e15,"y":123456.789,"z":0.30000000000000004,"w":0.0001,"v":999999999999999.9' \
    "... at the edges of the short form"

done_testing
