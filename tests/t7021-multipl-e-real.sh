#!/bin/sh
# Real MultiPL-E completions (model output, not written for ab: see
# tests/data/multipl-e/real/README for where each comes from) through
# multipl-e.jq and ab-exec, code = prompt + completion: each verdict is
# MultiPL-E's own (its executor's status for the same completion, OK or
# a failure), for C++, JavaScript and Python, passing and failing ones,
# std::any, a prompt that does not compile, a completion cut by the
# length limit, model tokens left in a completion.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
D=$TOP/tests/data/multipl-e/real
cd "$T" || exit 1

jq -c 'del(.completions, .statuses, ._source)' "$D/samples.jsonl" >problems.ndjson
run jq -c -f "$TOP/share/ab/import/multipl-e.jq" problems.ndjson
expect_rc 0 "multipl-e.jq imports the real problems"
cp "$T/out" tasks.ndjson
check "one task per problem" \
    test "$(wc -l <tasks.ndjson)" -eq "$(wc -l <"$D/samples.jsonl")"

# One record per completion; expected.txt: ID and MultiPL-E's status.
python3 - "$D/samples.jsonl" tasks.ndjson >recs.ndjson 3>expected.txt <<'PY'
import json, os, sys
probs = [json.loads(l) for l in open(sys.argv[1])]
tasks = [json.loads(l) for l in open(sys.argv[2])]
exp = os.fdopen(3, "w")
for p, t in zip(probs, tasks):
    assert len(p["completions"]) == len(p["statuses"]), p["name"]
    for i, (c, s) in enumerate(zip(p["completions"], p["statuses"])):
        rid = "%s-%s/%d" % (p["name"], p["language"], i)
        code = p["prompt"] + c
        print(json.dumps({"id": rid, "run": "real", "task": t,
            "config": {"name": "real", "hash": "real"}, "sample": i,
            "gen": {"text": code, "error": None},
            "extract": {"code": code, "error": None}}))
        exp.write("%s %s\n" % (rid, s))
PY
check "the samples hold passing and failing completions of each language" \
    sh -c 'for l in cpp js py; do
        grep -q -- "-$l/[0-9]* OK\$" expected.txt || exit 1
        grep -q -- "-$l/[0-9]* [A-Za-z]*\$" expected.txt || exit 1
        grep -v " OK\$" expected.txt | grep -q -- "-$l/" || exit 1
    done'
run ab-exec -j 2 recs.ndjson
check "ab-exec ran every record (exit $rc)" test "$rc" -le 1
cp "$T/out" exec.ndjson
check "one record out per record in" \
    test "$(wc -l <exec.ndjson)" -eq "$(wc -l <recs.ndjson)"
jq -r '[.id, .exec.verdict] | @tsv' exec.ndjson >verdicts.tsv
while read -r id status; do
	got=$(awk -F '\t' -v id="$id" '$1 == id { print $2 }' verdicts.tsv)
	if [ "$status" = OK ]; then want=ok; else want="not ok"; fi
	case $got in
	ok) have=ok ;;
	"") have=missing ;;
	*) have="not ok" ;;
	esac
	if [ "$have" = "$want" ]; then
		ok "$id: $got, as MultiPL-E ($status)"
	else
		not_ok "$id: ab-exec $got, MultiPL-E $status"
		diag "$(jq -c --arg id "$id" 'select(.id == $id) | .exec.tests' exec.ndjson | head -c 1500)"
	fi
done <expected.txt
done_testing
