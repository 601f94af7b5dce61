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

# Batches: many answers through one ab-extract run, their records made by
# one jq (a jq start costs 23 ms here, an ab-extract one 5 ms), each
# check on its own record, as try and is do for one:
#	batch TEXT [LANG [ENTRY]]	queue an answer (as rec takes them)
#	bis FILTER DESC			FILTER over the .extract of the answer
#					queued last is true
#	batch_run [ARGS...]		ab-extract ARGS on the answers queued
#					($T/out, $T/err, $rc), then their checks
# Answer N of a batch is the record with id t/c/N; its checks read line
# N of the output and want that id there, so a record missing, doubled or
# out of order fails them.
_bn=0 _bc=0
batch() {
	if [ "$_bn" -eq 0 ]; then
		rm -rf "$T/batch"
		mkdir "$T/batch"
	fi
	_bn=$((_bn + 1))
	printf '%s' "$1" >"$T/batch/$_bn.t"
	printf '%s' "${2-python}" >"$T/batch/$_bn.l"
	printf '%s' "${3-}" >"$T/batch/$_bn.e"
}
# _bquote S: S single-quoted for eval, in _bsq (no process started).
_bquote() {
	_bs=$1 _bsq=
	while :; do
		case $_bs in
		*\'*) _bsq="$_bsq${_bs%%\'*}'\\''"; _bs=${_bs#*\'} ;;
		*) break ;;
		esac
	done
	_bsq="'$_bsq$_bs'"
}
bis() {
	_bc=$((_bc + 1))
	_bquote "$1"
	eval "_bf$_bc=$_bsq"
	_bquote "$2"
	eval "_bd$_bc=$_bsq"
	eval "_bi$_bc=$_bn"
}
batch_run() {
	_ba=
	for _bs in "$@"; do
		_bquote "$_bs"
		_ba="$_ba $_bsq"
	done
	set --
	_bp=
	_bk=0
	while [ "$_bk" -lt "$_bn" ]; do
		_bk=$((_bk + 1))
		set -- "$@" --rawfile "t$_bk" "$T/batch/$_bk.t" \
		    --rawfile "l$_bk" "$T/batch/$_bk.l" \
		    --rawfile "e$_bk" "$T/batch/$_bk.e"
		_bp="${_bp:+$_bp, }r(\"t/c/$_bk\"; \$t$_bk; \$l$_bk; \$e$_bk)"
	done
	must jq -cn "$@" 'def r($i; $t; $l; $e): {id: $i, task: ({id: "t"}
	      + (if $l == "" then {} else {language: $l} end)
	      + (if $e == "" then {} else {entry_point: $e} end)),
	      gen: {text: $t}}; '"$_bp" >"$T/batch/in"
	eval "set -- $_ba"
	run ab-extract "$@" "$T/batch/in"
	# one file a record (a failed check shows its own record)
	split -l 1 -a 4 -d "$T/out" "$T/batch/o."
	_bk=0
	while [ "$_bk" -lt "$_bc" ]; do
		_bk=$((_bk + 1))
		eval "_bs=\$_bi$_bk _bf=\$_bf$_bk _bd=\$_bd$_bk"
		_bo=000$((_bs - 1))
		_bo=${_bo#"${_bo%????}"}	# split's name for it
		expect_jq "$T/batch/o.$_bo" \
		    "if length == 1 and .[0].id == \"t/c/$_bs\" then .[0].extract
		    else error(\"not the record t/c/$_bs\") end | $_bf" "$_bd"
	done
	_bn=0 _bc=0
}
# batch_codes: the .extract.code of each record of the last batch_run,
# as it is (raw), in $T/batch/code.N for the record t/c/N (one jq for
# all; a null code gives an empty file, no record none).
batch_codes() {
	must jq -j '.id, "\u0001", (.extract.code // ""), "\u0002"' "$T/out" \
	    >"$T/batch/codes"
	awk -v d="$T/batch" 'BEGIN { RS = "\002"; FS = "\001" }
	    NF > 0 && $1 ~ /^t\/c\/[0-9]+$/ {
		f = d "/code." substr($1, 5); printf "%s", $2 >f; close(f) }' \
	    "$T/batch/codes"
}
