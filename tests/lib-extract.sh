# lib-extract.sh - helpers for ab-extract's tests; source after lib.sh.

# rec TEXT [LANG [ENTRY]]: one record on stdout (LANG or ENTRY "" leaves
# the member out).
rec() {
	jq -cn --arg t "$1" --arg l "${2-python}" --arg e "${3-}" \
	    '{id: "t/c/0", task: ({id: "t"}
	      + (if $l == "" then {} else {language: $l} end)
	      + (if $e == "" then {} else {entry_point: $e} end)),
	      gen: {text: $t}}'
}

# try TEXT LANG ENTRY [ARGS...]: run ab-extract ARGS on one record.
try() {
	rec "$1" "$2" "$3" >"$T/in"
	shift 3
	run ab-extract "$@" "$T/in"
}

# is FILTER DESC: FILTER over the first record's .extract is true.
is() { expect_jq "$T/out" ".[0].extract | $1" "$2"; }
