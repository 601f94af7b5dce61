#!/bin/sh
# b11-references: the datasets' own reference solutions through ab's
# importers and ab-exec, as a user would judge them: every MBPP reference
# (974) and every HumanEval-X canonical solution in C++, JavaScript and
# Python (164 each) must pass, except those listed below with the reason.
# Each reference is the answer of a record (extract.code = the reference,
# as tests/suite-exec.sh builds them); the verdicts are counted per
# dataset and every other failure is printed with its first error.
#
# The data is public and not kept in the tree: AB_REFDATA (default
# /var/cache/ab/references) holds mbpp.jsonl (google-research's
# mbpp/mbpp.jsonl, 974 rows) and humaneval_{cpp,js,python}.jsonl
# (THUDM/CodeGeeX's codegeex/benchmark/humaneval-x/*/data/*.jsonl.gz,
# unpacked).  Without it the benchmark says so and does nothing.  STRICT=1
# fails it on an unexpected failure.  When AB_REFDATA holds
# modules/node_modules/js-md5 (npm install --prefix "$AB_REFDATA/modules"
# js-md5, as HumanEval-X's own image installs it), the JavaScript tasks
# are imported with AB_IMPORT_MODULES=js-md5 and judged with ab-exec
# --modules "$AB_REFDATA/modules" (a directory of its own: the solutions
# see it, and must not see the datasets' tests), so that JavaScript/162
# is measured too.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
D=${AB_REFDATA:-/var/cache/ab/references}
J=${JOBS:-2}
I=$TOP/share/ab/import
for f in mbpp.jsonl humaneval_cpp.jsonl humaneval_js.jsonl humaneval_python.jsonl; do
	if [ ! -f "$D/$f" ]; then
		echo "b11-references: no $D/$f (set AB_REFDATA): not measured"
		exit 0
	fi
done
W=$(mktemp -d "${TMPDIR:-/tmp}/b11-references.XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$TOP/tests/suite-exec.sh"

# Failures that are not ab's: the id, then the reason.
cat >"$W/known" <<'EOF'
humaneval-x-javascript-112	upstream: the canonical solution fails its own test (HumanEval-X's harness too)
humaneval-x-javascript-155	upstream: the canonical solution fails its own test (HumanEval-X's harness too)
EOF
MODS=
if [ -d "$D/modules/node_modules/js-md5" ]; then
	MODS=$D/modules
else
	printf '%s\t%s\n' humaneval-x-javascript-162 "needs the npm package js-md5 (HumanEval-X's image installs it): npm install --prefix $D/modules js-md5" >>"$W/known"
fi

cut -f1 "$W/known" >"$W/kid"
echo "b11-references: machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
jq -c -f "$I/mbpp.jq" "$D/mbpp.jsonl" >"$W/mbpp.ndjson"
for l in cpp js python; do
	if [ "$l" = js ] && [ -n "$MODS" ]; then
		AB_IMPORT_MODULES=js-md5 jq -c -f "$I/humaneval-x.jq" \
		    "$D/humaneval_$l.jsonl" >"$W/hx-$l.ndjson"
	else
		jq -c -f "$I/humaneval-x.jq" "$D/humaneval_$l.jsonl" \
		    >"$W/hx-$l.ndjson"
	fi
done
unexpected=0
printf '%-22s %6s %6s %6s %8s %s\n' dataset refs ok known other seconds
for s in mbpp hx-cpp hx-js hx-python; do
	suite_records "$W/$s.ndjson" >"$W/$s.recs"
	t0=$(date +%s.%N)
	m=
	[ "$s" = hx-js ] && m=$MODS
	"$TOP/bin/ab-exec" -j "$J" ${m:+--modules "$m"} <"$W/$s.recs" \
	    >"$W/$s.out" 2>"$W/$s.err" || true
	t1=$(date +%s.%N)
	jq -r 'select(.exec.verdict != "ok") | [(.id | sub("/reference/0$"; "")),
	    (.exec.verdict // "none"), ([.exec.tests[]? | select(.verdict !=
	    "ok") | .error // ""][0] // .exec.error.message // "" |
	    tostring | gsub("\\s+"; " ") | .[0:160])] | @tsv' \
	    "$W/$s.out" >"$W/$s.bad"
	n=$(wc -l <"$W/$s.recs")
	ok=$(jq -r 'select(.exec.verdict == "ok") | .id' "$W/$s.out" | wc -l)
	known=$(cut -f1 "$W/$s.bad" | grep -c -F -x -f "$W/kid" || true)
	other=$((n - ok - known))
	printf '%-22s %6d %6d %6d %8d %.1f\n' "$s" "$n" "$ok" "$known" "$other" \
	    "$(echo "$t1 - $t0" | bc)"
	while IFS="$(printf '\t')" read -r id v why; do
		r=$(awk -F'\t' -v id="$id" '$1 == id { print $2 }' "$W/known")
		if [ -n "$r" ]; then
			echo "    $id: $v ($r)"
		else
			echo "    $id: $v: $why (UNEXPECTED)"
			unexpected=$((unexpected + 1))
		fi
	done <"$W/$s.bad"
done
echo "b11-references: $unexpected unexpected failure(s)"
[ "${STRICT:-0}" = 1 ] && [ "$unexpected" -gt 0 ] && exit 1
exit 0
