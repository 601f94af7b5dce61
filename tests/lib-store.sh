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
		if ! python3 "$TOP/tests/bench/gen-records.py" "$@" \
		    >"$_gc/$_gk.ndjson.$$"; then
			rm -f "$_gc/$_gk.ndjson.$$"
			not_ok "gen-records.py $* failed"
			return 1
		fi
		mv -f "$_gc/$_gk.ndjson.$$" "$_gc/$_gk.ndjson"
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
# of expect_jq (from copies of both files).
#
# Parsing megabytes of records costs jq a second, and most lines of an
# export are the very bytes that went in: when both files hold the same
# number of lines, each a compact object ({...}), a line that is the same
# in both at the same place is one record equal on both sides, and is
# left out of what jq compares (this keeps the order of the others, and
# takes the same record out of both sides when they are compared in any
# order).  Under del(.store) only a line that cannot name a member
# "store" is left out: one without the text store and without a \u
# escape.  Any other FILTER compares every record.
expect_records() {
	_es='' _ef='del(.store)'
	while :; do
		case "$1" in
		-s) _es=' | sort'; shift ;;
		-f) _ef=$2; shift 2 ;;
		*) break ;;
		esac
	done
	_ew=$2 _eg=$1
	case "$_ef" in
	.|'del(.store)')
		rm -f "$T/want.rest" "$T/got.rest"
		if awk -v filter="$_ef" -v w="$T/want.rest" -v g="$T/got.rest" '
		    NR == FNR { want[NR] = $0; n = NR; next }
		    { got[FNR] = $0; m = FNR }
		    END {
			if (n != m)
				exit 1
			for (i = 1; i <= n; i++)
				if (want[i] !~ /^\{.*\}$/ || got[i] !~ /^\{.*\}$/)
					exit 1
			printf "" >w
			printf "" >g
			for (i = 1; i <= n; i++) {
				if (want[i] == got[i] && (filter == "." ||
				    (index(want[i], "store") == 0 &&
				    index(want[i], "\\u") == 0)))
					continue
				print want[i] >w
				print got[i] >g
			}
		    }' "$_ew" "$_eg" 2>/dev/null; then
			if [ ! -s "$T/want.rest" ] && [ -s "$_ew" ]; then
				ok "$3"
				return
			fi
			_ew=$T/want.rest _eg=$T/got.rest
		fi ;;
	esac
	echo '"-- got --"' | cat "$_ew" - "$_eg" >"$T/pair"
	expect_jq "$T/pair" "index(\"-- got --\") as \$i |
	    (.[:\$i]$_es) == (.[\$i + 1:] | map($_ef)$_es)" "$3"
}
