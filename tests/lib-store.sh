# lib-store.sh - helpers for ab-store's tests: fixtures made once, files
# written from one jq, records compared in expect_jq's one jq.  Source
# after lib.sh.

# gen_records FILE N [SEED [RUN [FIRST]]]: tests/bench/gen-records.py's
# records (with $GEN_TASKS and $GEN_SIZE) into FILE.  They are made once,
# kept in tests/out/gen-records/ under the hash of the generator and of
# its arguments (make clean removes them): a python3 start and 0.2 s a
# thousand records saved in every later run.
gen_records() {
	_gf=$1
	shift
	_gc=$TOP/tests/out/gen-records
	_gk=$({ cat "$TOP/tests/bench/gen-records.py"
	    printf '%s\n' "tasks=${GEN_TASKS:-}" "size=${GEN_SIZE:-}" "$@"; } |
	    sha256sum | cut -c1-16)
	if [ ! -s "$_gc/$_gk.ndjson" ]; then
		mkdir -p "$_gc"
		# written aside, then renamed: test files running at once
		# never read a half-written one
		python3 "$TOP/tests/bench/gen-records.py" "$@" \
		    >"$_gc/$_gk.ndjson.$$" &&
		    mv -f "$_gc/$_gk.ndjson.$$" "$_gc/$_gk.ndjson" ||
		    { rm -f "$_gc/$_gk.ndjson.$$"
		    not_ok "gen-records.py $* failed"; return 1; }
	fi
	cp "$_gc/$_gk.ndjson" "$_gf"
}

# write_files STREAM: split STREAM, lines "NAME<TAB>LINE" (as jq -r
# prints "\($name)\t\(tojson)": tojson escapes tabs and newlines), into
# the files they name, each LINE to its NAME, in order.  One jq can so
# make many fixtures (a jq start is 23 ms).
write_files() {
	must awk '{ i = index($0, "\t"); print substr($0, i + 1) >substr($0, 1, i - 1) }' "$1"
}

# expect_records [-s] [-f FILTER] GOT WANT DESC: the records of GOT, each
# through FILTER (default: del(.store), the member that the store adds),
# are those of WANT, in their order (with -s: in any order), key order
# aside, as jq -cS of each side would compare them.  Judged in the one jq
# of expect_jq (each a copy of both files); when FILTER is "." and the
# files are the same bytes, at once.
expect_records() {
	_es= _ef='del(.store)'
	while :; do
		case "$1" in
		-s) _es=' | sort'; shift ;;
		-f) _ef=$2; shift 2 ;;
		*) break ;;
		esac
	done
	if [ "$_ef" = . ] && [ -s "$2" ] && cmp -s "$1" "$2"; then
		ok "$3"
		return
	fi
	echo '"-- got --"' | cat "$2" - "$1" >"$T/pair"
	expect_jq "$T/pair" "index(\"-- got --\") as \$i |
	    (.[:\$i]$_es) == (.[\$i + 1:] | map($_ef)$_es)" "$3"
}
