#!/bin/sh
# stub-check.sh - proves the tests can fail: for each program (all six by
# default), in a copy of the built tree, the program is replaced by a stub
# that exits 2, and every test file that exercises it (found by
# tests/stub-check.py from the tree, not from a list) must report a
# failure: a file that passes or skips with the program broken cannot
# catch that program breaking.  Run by `make stub-check` and .ci/run.
#   usage: tests/stub-check.sh [PROGRAM...]
# STUB_JOBS test files run at once (default 2); STUB_TIMEOUT seconds at
# most per file (default 300; a file that hangs counts as failing); a file
# is stopped at its first failure unless STUB_FULL=1.
# Exit 0 when every file failed; 1 otherwise, naming the files.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
progs=${*:-ab-gen ab-extract ab-exec ab-score ab-store ab-rank}
for p in $progs; do
	[ -x "$TOP/bin/$p" ] || { echo "stub-check: $p is not built (make)" >&2; exit 2; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/ab-stub.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 2' INT TERM
# shellcheck disable=SC2086
python3 "$TOP/tests/stub-check.py" "$TOP" $progs >"$W/map" || exit 2
mkdir "$W/tree"
(cd "$TOP" && tar -cf - --exclude=./.git --exclude=./tests/out .) |
    (cd "$W/tree" && tar -xf -) || exit 2
# The verdict on one test file's run; the tests' own CI rule is off, so
# that a skip shows as a skip.
cat >"$W/one.sh" <<'EOS'
t=$1 out=$2
# A file has failed once it prints a "not ok" that is not a TODO: it is
# stopped there (timeout passes the signal to the file's whole process
# group), which saves most of the run; STUB_FULL=1 runs every file to its
# end.
rc=0 early=
: >"$out"
CI= AB_CI= timeout -k 5 "${STUB_TIMEOUT:-300}" sh "$t" >"$out" 2>&1 </dev/null &
pid=$!
if [ -z "${STUB_FULL:-}" ]; then
	while kill -0 "$pid" 2>/dev/null; do
		if grep -v '# TODO' "$out" | grep -q '^not ok'; then
			early=1
			kill -TERM "$pid" 2>/dev/null
			break
		fi
		sleep 1
	done
fi
wait "$pid" 2>/dev/null || rc=$?
if [ -n "$early" ]; then
	echo "failed (stopped at its first not ok)"
elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "failed (timed out)"
elif grep -q '^1\.\.0 # skip' "$out"; then
	echo "SKIPPED: $(sed -n 's/^1\.\.0 # skip //p' "$out" | head -n 1)"
elif [ "$rc" != 0 ] || grep -v '# TODO' "$out" | grep -q '^not ok'; then
	echo "failed ($(grep -v '# TODO' "$out" | grep -c '^not ok') not ok, exit $rc)"
else
	echo "PASSED ($(grep -c '^ok' "$out") ok, $(grep -c '^ok.*# skip' "$out") skipped)"
fi
EOS
bad=0
start=$(date +%s)
for p in $progs; do
	mv "$W/tree/bin/$p" "$W/real-$p"
	printf '#!/bin/sh\necho "%s: a stub that exits 2 (tests/stub-check.sh)" >&2\nexit 2\n' \
	    "$p" >"$W/tree/bin/$p"
	chmod +x "$W/tree/bin/$p"
	t0=$(date +%s)
	sed -n "s|^$p ||p" "$W/map" >"$W/files"
	# shellcheck disable=SC2016
	xargs -P "${STUB_JOBS:-2}" -I{} sh -c \
	    'printf "%s\t%s\n" "$1" "$(sh "$2" "$3/$1" "$4/$(basename "$1").tap")"' \
	    - {} "$W/one.sh" "$W/tree" "$W" <"$W/files" | sort >"$W/result"
	# Known gaps (tests/stub-check.known: program, test file, why): a
	# file listed there may pass with the program stubbed; it is shown,
	# not counted, so that a new gap still fails the check.
	sed -n "s|^$p \([^ ]*\) .*|\1|p" "$TOP/tests/stub-check.known" >"$W/known"
	grep -v '	failed' "$W/result" | grep -F -f "$W/known" |
	    sed 's/^/   known gap: /' || true
	grep -v -F -f "$W/known" "$W/result" >"$W/result.new" || true
	[ -s "$W/known" ] || cp "$W/result" "$W/result.new"
	mv "$W/result.new" "$W/result"
	n=$(grep -c . "$W/result")
	nbad=$(grep -cv '	failed' "$W/result")
	echo "== $p stubbed: $n test files, $((n - nbad)) fail as they must ($(($(date +%s) - t0)) s)"
	grep -v '	failed' "$W/result" | while IFS='	' read -r f v; do
		echo "   $f: $v"
		grep -v '^ok' "$W/$(basename "$f").tap" | head -n 5 | sed 's/^/      /'
	done
	[ "$nbad" = 0 ] || bad=1
	rm -f "$W"/*.tap
	mv "$W/real-$p" "$W/tree/bin/$p"
done
echo "stub-check: $(($(date +%s) - start)) s"
exit $bad
