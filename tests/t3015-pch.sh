#!/bin/sh
# ab-exec: precompiled headers of the C++ proxy builds (ab-exec(1),
# "Precompiled headers").  Verdicts are those of --no-cache, on MultiPL-E
# and HumanEval-X shaped programs, right and wrong; one entry per set of
# headers and flags (the server and the checker share it), holding only
# the header names ab allows (never a header the solution did not
# include, nor one after its first other line, comments aside, nor one
# a comment hides); an entry whose files changed is built again; every
# run sees the cache read-only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1
C=$T/cache

python3 - >recs.ndjson <<'PY'
import json

def rec(rid, code, tests, entry, lang="cpp"):
    t = {"id": rid, "language": lang, "entry_point": entry,
         "tests": [{"style": "assert", "code": c} for c in tests]}
    print(json.dumps({"id": rid + "/c/0", "run": "r1", "task": t,
        "config": {"name": "c", "hash": "h"}, "sample": 0,
        "gen": {"text": code, "error": None},
        "extract": {"code": code, "error": None}}))

me = "#include<assert.h>\n#include<bits/stdc++.h>\n"
test = "\n    auto candidate = sum_positive;\n    assert(candidate((std::vector<long>({(long)1, (long)-2, (long)3}))) == (4));\n    assert(candidate((std::vector<long>())) == (0));\n"
rec("me-right", me + "long sum_positive(std::vector<long> xs) {\n    long s = 0;\n    for (long x : xs) if (x > 0) s += x;\n    return s;\n}\n", [test], "sum_positive")
rec("me-wrong", me + "long sum_positive(std::vector<long> xs) {\n    long s = 0;\n    for (long x : xs) s += x;\n    return s;\n}\n", [test], "sum_positive")
hx = "#include<stdio.h>\n#include<math.h>\n#include<vector>\nusing namespace std;\n"
rec("hx-right", hx + "int count_big(vector<int> v){\n    int n=0;\n    for (int x: v) if (fabs(x) > 2) n++;\n    return n;\n}\n", ["assert (count_big({1,-3,4}) == 2);"], "count_big")
# <vector> alone does not declare std::sort: a compile error with the
# cache as without it (the cache adds no header).
rec("no-algorithm", "#include <vector>\nstd::vector<int> sorted(std::vector<int> v) { std::sort(v.begin(), v.end()); return v; }\n", ["assert((sorted({2, 1}) == std::vector<int>{1, 2}));"], "sorted")
# Comments before and between the includes (HumanEval-X's prompts begin
# with one) do not end them.
rec("comment-first", "// distinct\n/* values\n   of v */ #include <set>\n#include <vector> \n/* a */ /* b */\n#include <list>\nint distinct(std::vector<int> v) { std::set<int> s(v.begin(), v.end()); return (int)s.size(); }\n", ["assert(distinct({1, 1, 2}) == 2);"], "distinct")
# An #include a comment hides is not the solution's: std::accumulate
# undeclared with the cache as without it.  A "//" comment that a
# backslash continues (a blank after it too, as GCC reads it), a block
# comment still open; a trigraph (a backslash under -trigraphs, not
# gnu++17's) ends them too, the include then the solution's own.
acc = "int total(std::vector<int> v) { return std::accumulate(v.begin(), v.end(), 0); }\n"
rec("hidden-splice", "#include <vector>\n// sum \\ \n#include <numeric>\n" + acc, ["assert(total({1, 2}) == 3);"], "total")
rec("hidden-block", "#include <vector>\n/* sum\n#include <numeric>\n*/\n#include <deque>\n" + acc, ["assert(total({1, 2}) == 3);"], "total")
rec("hidden-trigraph", "#include <vector>\n// sum ??/\n#include <numeric>\n" + acc, ["assert(total({1, 2}) == 3);"], "total")
# A header the descriptor does not allow stays out, and so does what
# follows it.
rec("not-allowed", "#include <vector>\n#include <sys/time.h>\n#include <map>\nint one(std::vector<int> v) { return (int)v.size(); }\n", ["assert(one({7}) == 1);"], "one")
PY

run ab-exec --no-cache recs.ndjson
expect_rc 0 "ab-exec --no-cache"
jq -c '[.id, .exec.verdict]' "$T/out" >nocache.txt
run ab-exec --cache-dir "$C" recs.ndjson
expect_rc 0 "ab-exec with a fresh cache"
jq -c '[.id, .exec.verdict]' "$T/out" >cold.txt
run ab-exec --cache-dir "$C" recs.ndjson
expect_rc 0 "ab-exec with the cache built"
jq -c '[.id, .exec.verdict]' "$T/out" >warm.txt
cat >want.txt <<'EOF'
["me-right/c/0","ok"]
["me-wrong/c/0","wrong_answer"]
["hx-right/c/0","ok"]
["no-algorithm/c/0","compile_error"]
["comment-first/c/0","ok"]
["hidden-splice/c/0","compile_error"]
["hidden-block/c/0","compile_error"]
["hidden-trigraph/c/0","ok"]
["not-allowed/c/0","ok"]
EOF
expect_same nocache.txt want.txt "verdicts without the cache"
expect_same cold.txt want.txt "the same verdicts while the cache is built"
expect_same warm.txt want.txt "the same verdicts from the cache"

# The entries: complete ones only, each with its header's text, the
# compiled header and the stamps of what it was built from.
ls "$C/exec/pch" >entries.txt
if grep -q '^tmp\.' entries.txt; then not_ok "no half-built entry left"
else ok "no half-built entry left"; fi
cat "$C"/exec/pch/*/ab-pch.hpp >headers.txt
expect_contains headers.txt "#include <bits/stdc++.h>" "MultiPL-E's bits/stdc++.h precompiled"
expect_contains headers.txt "#include <math.h>" "HumanEval-X's math.h precompiled"
expect_not_contains headers.txt "sys/time.h" "a header the descriptor does not allow left out"
expect_contains headers.txt "#include <set>" "an #include after a comment precompiled"
expect_contains headers.txt "#include <list>" "an #include after comments precompiled"
expect_contains headers.txt "#include <deque>" "an #include after a closed comment precompiled"
expect_not_contains headers.txt "<numeric>" "an #include a comment hides left out"
expect_not_contains headers.txt "<algorithm>" "no header the solution does not include"
n=0
for d in "$C"/exec/pch/*/; do
	[ -s "$d/ab-pch.hpp.gch" ] && [ -s "$d/ab-pch.hpp.stamps" ] && n=$((n + 1))
done
if [ "$n" -ge 2 ] && [ "$n" = "$(wc -l <entries.txt)" ]; then
	ok "every entry complete ($n)"
else
	not_ok "every entry complete"; diag "$(ls -lR "$C/exec/pch" | head -40)"
fi
# The server and the checker build with the same flags: one entry per
# set of headers serves both.
for d in "$C"/exec/pch/*/; do cat "$d/ab-pch.hpp"; echo "--"; done |
    awk '/^--$/ { print t; t = ""; next } { t = t "|" $0 }' | sort >texts.txt
sort -u texts.txt >texts-u.txt
if [ -s texts.txt ] && cmp -s texts.txt texts-u.txt; then
	ok "one entry per set of headers, for the server and the checker"
else
	not_ok "one entry per set of headers, for the server and the checker"
	diag "$(uniq -c texts.txt | head -10)"
fi

# A file an entry was built from changed: the entry is built again.
e=$(grep -l "bits/stdc++.h" "$C"/exec/pch/*/ab-pch.hpp | head -n 1)
e=${e%/ab-pch.hpp}
head -n 1 "$e/ab-pch.hpp.stamps" | sed 's/ [0-9.]*$/ 1.000000000/' >stale
tail -n +2 "$e/ab-pch.hpp.stamps" >>stale
chmod u+w "$e/ab-pch.hpp.stamps"
cp stale "$e/ab-pch.hpp.stamps"
head -n 1 recs.ndjson >one.ndjson
run ab-exec --cache-dir "$C" one.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "ok"' "a stale entry: still ok"
if cmp -s stale "$e/ab-pch.hpp.stamps"; then
	not_ok "a stale entry is built again"
else
	ok "a stale entry is built again"
fi

# Runs see the cache read-only.
cat >ro.ndjson <<'EOF'
{"id":"ro/c/0","task":{"id":"ro","language":"bash","tests":[{"style":"io","stdin":"","stdout":"refused\n"}]},"extract":{"code":"ls /.ab-cache >/dev/null && { touch /.ab-cache/x 2>/dev/null && echo written || echo refused; }","error":null}}
EOF
run ab-exec --cache-dir "$C" ro.ndjson
expect_jq "$T/out" '.[] | .exec.verdict == "ok"' "the cache is there, read-only, in the sandbox"
if [ -e "$C/exec/pch/x" ]; then not_ok "nothing written into the cache"
else ok "nothing written into the cache"; fi
done_testing
